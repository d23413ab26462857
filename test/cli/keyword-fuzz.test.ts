// Templated keyword values, however wrong, never make herdbook exit 1 (issue 13): every
// keyword that takes a template gets values that render to each kind of thing (text, empty,
// null, a list, a mapping, negative, fractional, huge, a percentage); the run may succeed,
// fail a host (2, 3) or refuse the input (4), never report an internal error (1).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { main } from '../../engine/cli.js';
import type { CommandIO } from '../../engine/commands/io.js';
import { NO_PAINT } from '../../engine/report/diagnostics.js';

const VALUES: unknown[] = ['abc', '', null, [1, 'x'], { a: 1 }, -1, 1.5, 99999999, '10%', 'x{{'];

// `valid`: values that are right for the keyword and only take long (99999999 retries, a delay or
// pause of 99999999 s: about three years, which engine/timers.ts makes them really wait), not tried.
type Shape = { play?: Record<string, unknown>; task?: Record<string, unknown>; valid?: unknown[] };

const KEYWORDS: Record<string, Shape> = {
  serial: { play: { serial: '{{v}}' } },
  max_fail_percentage: { play: { max_fail_percentage: '{{v}}', serial: 1 } },
  gather_facts: { play: { gather_facts: '{{v}}' } },
  force_handlers: { play: { force_handlers: '{{v}}' } },
  hosts: { play: { hosts: '{{v}}' } },
  'play become': { play: { become: '{{v}}' } },
  'play any_errors_fatal': { play: { any_errors_fatal: '{{v}}' }, task: { fail: { msg: 'x' } } },
  port: { play: { port: '{{v}}', connection: 'ssh' } },
  connection: { play: { connection: '{{v}}' } },
  remote_user: { play: { remote_user: '{{v}}', connection: 'ssh' } },
  vars_files: { play: { vars_files: ['{{v}}.yaml'] } },
  timeout: { task: { timeout: '{{v}}' } },
  retries: { task: { until: false, retries: '{{v}}', delay: 0 }, valid: [99999999] },
  delay: { task: { until: false, retries: 1, delay: '{{v}}' }, valid: [99999999] },
  loop: { task: { loop: '{{v}}' } },
  'loop_control pause': { task: { loop: [1, 2], loop_control: { pause: '{{v}}' } }, valid: [99999999] },
  'loop_control label': { task: { loop: [1, 2], loop_control: { label: '{{v}}' } } },
  when: { task: { when: '{{v}}' } },
  changed_when: { task: { changed_when: '{{v}}' } },
  failed_when: { task: { failed_when: '{{v}}' } },
  until: { task: { until: '{{v}}', retries: 1, delay: 0 } },
  become: { task: { become: '{{v}}' } },
  become_user: { task: { become: true, become_user: '{{v}}' } },
  ignore_errors: { task: { fail: { msg: 'x' }, ignore_errors: '{{v}}' } },
  any_errors_fatal: { task: { fail: { msg: 'x' }, any_errors_fatal: '{{v}}' } },
  run_once: { task: { run_once: '{{v}}' } },
  no_log: { task: { no_log: '{{v}}' } },
  check_mode: { task: { check_mode: '{{v}}' } },
  diff: { task: { diff: '{{v}}' } },
  delegate_to: { task: { delegate_to: '{{v}}' } },
  environment: { task: { environment: '{{v}}' } },
  'task port': { task: { port: '{{v}}', connection: 'ssh' } },
  'task connection': { task: { connection: '{{v}}' } },
  include_tasks: { task: { include_tasks: '{{v}}.yaml', command: undefined } },
  'play module_defaults': { play: { module_defaults: { command: { chdir: '{{v}}' } } } },
  'task module_defaults': { task: { module_defaults: { command: { creates: '{{v}}' } } } },
  'module_defaults itself': { play: { module_defaults: '{{v}}' } },
};

const dir = mkdtempSync(path.join(os.tmpdir(), 'hb-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(path.join(dir, 'inventory.ini'), 'l1 ansible_connection=local\nl2 ansible_connection=local\n');

function io(): CommandIO & { text: () => string } {
  let text = '';
  return {
    out: (t) => void (text += t),
    err: (t) => void (text += t),
    isTTY: false,
    paint: NO_PAINT,
    text: () => text,
  };
}

describe('templated keyword values never exit 1', () => {
  for (const [keyword, shape] of Object.entries(KEYWORDS)) {
    it(
      keyword,
      async () => {
        const task = Object.fromEntries(
          Object.entries({ name: 't', command: 'true', ...shape.task }).filter(([, v]) => v !== undefined),
        );
        if ('fail' in task || 'include_tasks' in task) delete task.command;
        const playbook = path.join(dir, `${keyword.replace(/\W/g, '_')}.yaml`);
        writeFileSync(
          playbook,
          stringify([
            {
              name: 'fuzz',
              hosts: 'all',
              gather_facts: false,
              ...shape.play,
              tasks: [task],
              handlers: [{ name: 'h', command: 'true' }],
            },
          ]),
        );
        const crashes: string[] = [];
        for (const v of VALUES.filter((x) => !shape.valid?.includes(x))) {
          const out = io();
          const code = await main(
            ['run', playbook, '-i', path.join(dir, 'inventory.ini'), '-e', JSON.stringify({ v })],
            out,
          );
          if (code === 1 || /internal error/.test(out.text()))
            crashes.push(`v=${JSON.stringify(v)}: exit ${code}\n${out.text().slice(-600)}`);
          else expect([0, 2, 3, 4]).toContain(code);
        }
        expect(crashes).toEqual([]);
      },
      60_000,
    );
  }
});
