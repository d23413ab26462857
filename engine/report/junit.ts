// --junit FILE: one testcase per host and task, unreachable hosts included (ansible#63962).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Reporter, RunEvent } from './events.js';

type Case = { play: string; name: string; host: string; seconds: number; status: string; msg?: string; where: string };

// XML 1.0 forbids these control characters, even escaped: they are removed.
// eslint-disable-next-line no-control-regex -- they are what it looks for
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g;
const xml = (s: string) =>
  s
    .replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!)
    .replace(NOT_XML, '');

export function renderJunit(cases: Case[], stopped?: string): string {
  const plays = [...new Set(cases.map((c) => c.play))];
  const suites = plays.map((play) => {
    const list = cases.filter((c) => c.play === play);
    const failures = list.filter((c) => c.status === 'failed').length;
    const errors = list.filter((c) => c.status === 'unreachable').length;
    const skipped = list.filter((c) => c.status === 'skipped').length;
    const time = list.reduce((n, c) => n + c.seconds, 0);
    const body = list
      .map((c) => {
        const open = `    <testcase classname="${xml(c.host)}" name="${xml(`${c.name} [${c.host}]`)}" time="${c.seconds.toFixed(3)}" file="${xml(c.where)}">`;
        const inner =
          c.status === 'failed'
            ? `\n      <failure message="${xml(c.msg ?? 'failed')}">${xml(c.msg ?? '')}</failure>\n    `
            : c.status === 'unreachable'
              ? `\n      <error type="unreachable" message="${xml(c.msg ?? 'unreachable')}">${xml(c.msg ?? '')}</error>\n    `
              : c.status === 'skipped'
                ? `\n      <skipped message="${xml(c.msg ?? 'skipped')}"/>\n    `
                : c.msg
                  ? `\n      <system-out>${xml(`${c.status}: ${c.msg}`)}</system-out>\n    `
                  : '';
        return `${open}${inner}</testcase>`;
      })
      .join('\n');
    return `  <testsuite name="${xml(play)}" tests="${list.length}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="${time.toFixed(3)}">\n${body}\n  </testsuite>`;
  });
  const props = stopped ? `  <!-- stopped: ${xml(stopped)} -->\n` : '';
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n${props}${suites.join('\n')}\n</testsuites>\n`;
}

export function junitReporter(file: string): Reporter {
  const cases: Case[] = [];
  let stopped: string | undefined;
  return {
    emit(e: RunEvent) {
      if (e.type === 'task_result')
        cases.push({
          play: e.play,
          name: e.task,
          host: e.host,
          seconds: e.duration_ms / 1000,
          status: e.ignored ? 'ok' : e.status,
          msg: e.msg,
          where: e.where,
        });
      if (e.type === 'recap') stopped = e.stopped_reason;
    },
    async close() {
      mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
      writeFileSync(file, renderJunit(cases, stopped));
    },
  };
}
