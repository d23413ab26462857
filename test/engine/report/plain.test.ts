import { describe, expect, it } from 'vitest';
import { NO_PAINT } from '../../../engine/report/diagnostics.js';
import type { RunEvent } from '../../../engine/report/events.js';
import { emptyCounts } from '../../../engine/report/events.js';
import { plainReporter } from '../../../engine/report/plain.js';

type Result = Extract<RunEvent, { type: 'task_result' }>;
const result = (over: Partial<Result>): Result => ({
  type: 'task_result',
  play: 'p',
  task: 'Upgrade k3s',
  host: 'w-1',
  status: 'changed',
  batch: 1,
  duration_ms: 12_345,
  where: 'p.yaml:3',
  ...over,
});

function render(events: RunEvent[], verbosity = 0): string[] {
  const out: string[] = [];
  const r = plainReporter((t) => out.push(t), NO_PAINT, { verbosity });
  for (const e of events) r.emit(e);
  return out.join('\n').split('\n');
}

describe('plain reporter', () => {
  const start: RunEvent[] = [
    { type: 'run_start', playbooks: ['p.yaml'], check: false, diff: false, time: '' },
    { type: 'play_start', play: 'Upgrade', index: 0, hosts: ['w-1', 'w-2'], batches: 2 },
    { type: 'batch_start', play: 'Upgrade', batch: 1, of: 2, hosts: ['w-1'] },
  ];

  it('prints a play header, the batch, and one line per host and task', () => {
    const lines = render([...start, result({ msg: undefined })]);
    expect(lines).toEqual([
      '',
      'PLAY Upgrade  (2 hosts, 2 batches)',
      'batch 1/2: w-1',
      'changed       w-1       Upgrade k3s  (12.3s)',
    ]);
  });

  it('indents messages under the line, and says "would change" in check mode', () => {
    const lines = render([
      { ...start[0], check: true } as RunEvent,
      start[1],
      result({ msg: 'would run x\nsecond line' }),
    ]);
    expect(lines[0]).toMatch(/^DRY RUN/);
    expect(lines.slice(-3)).toEqual([
      'would change  w-1       Upgrade k3s  (12.3s)',
      '              would run x',
      '              second line',
    ]);
  });

  it('shows loop items with their labels, handlers and delegation', () => {
    const lines = render([
      ...start,
      result({
        task: 'Install',
        items: [
          { label: 'curl', status: 'changed', msg: 'installed' },
          { label: 'jq', status: 'skipped' },
        ],
      }),
      result({ task: 'restart k3s', handler: true, status: 'ok', delegated_to: 'server-1' }),
    ]);
    expect(lines.slice(-4)).toEqual([
      'changed       w-1       Install  (12.3s)',
      '              item curl: changed  installed',
      '              item jq: skipped',
      'ok            w-1 -> server-1  restart k3s (handler)  (12.3s)',
    ]);
  });

  it('stdout and stderr with -v; progress lines only with -v', () => {
    const ev: RunEvent[] = [
      ...start,
      { type: 'task_progress', play: 'p', task: 'Drain', host: 'w-1', msg: 'evicting 3 pods' },
      result({ stdout: 'out', stderr: 'err' }),
    ];
    expect(render(ev, 1)).toEqual(
      expect.arrayContaining(['  stdout: out', '  stderr: err', expect.stringContaining('Drain: evicting 3 pods')]),
    );
    expect(render(ev, 0).join('\n')).not.toContain('evicting');
  });

  it('ends with the recap', () => {
    const lines = render([
      ...start,
      { type: 'recap', hosts: { 'w-1': { ...emptyCounts(), changed: 1 } }, check: false, duration_ms: 1500 },
    ]);
    expect(lines.slice(-3)).toEqual([
      'RECAP  1.5s',
      'host   ok  changed  unreachable  failed  skipped  rescued  ignored',
      'w-1     0        1            0       0        0        0        0',
    ]);
  });
});
