// notify and handlers: once per notified handler, in definition order, at the end of each
// section and on meta: flush_handlers, listen, --force-handlers and force_handlers.
import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { explain, localHosts, ofType, results, statuses, workspace } from './helpers.js';

const log = (ws: { at(...p: string[]): string }, host: string) =>
  readFileSync(ws.at('out', host, 'log'), 'utf8')
    .trim()
    .split('\n');
const mark = (text: string) => `echo ${text} >> {{out}}/log`;

const handlers = [
  { name: 'first handler', shell: mark('H1') },
  { name: 'second handler', shell: mark('H2') },
  { name: 'restart things', shell: mark('H3'), listen: 'things changed' },
  { name: 'never notified', shell: mark('H4') },
];

describe("a handler's own keywords", () => {
  const ws = workspace(
    {
      'when.yaml': [
        {
          hosts: 'all',
          vars: { skip_on: 'h2' },
          handlers: [
            { name: 'guarded', shell: mark('G'), when: '(ne inventory_hostname skip_on)' },
            { name: 'with vars', shell: mark('{{word}}'), vars: { word: 'V' } },
          ],
          tasks: [{ name: 't', shell: mark('t'), notify: ['guarded', 'with vars'] }],
        },
      ],
    },
    localHosts(['h1', 'h2']),
  );

  it('applies its when and vars, as Ansible does', async () => {
    const r = await ws.run('when.yaml');
    expect(r.code, explain(r)).toBe(0);
    expect(log(ws, 'h1')).toEqual(['t', 'G', 'V']);
    expect(log(ws, 'h2')).toEqual(['t', 'V']);
    expect(
      results(r.events, 'guarded')
        .map((e) => [e.host, e.status])
        .sort(),
    ).toEqual([
      ['h1', 'changed'],
      ['h2', 'skipped'],
    ]);
  });
});

describe('handlers', () => {
  const ws = workspace(
    {
      'handlers.yaml': [
        {
          hosts: 'all',
          handlers,
          pre_tasks: [{ name: 'pre', shell: mark('pre'), notify: 'second handler' }],
          tasks: [
            // Notified twice and in reverse order: each runs once, in definition order.
            { name: 't1', shell: mark('t1'), notify: ['second handler', 'first handler'] },
            { name: 't2', shell: mark('t2'), notify: 'first handler' },
            { name: 'unchanged', command: 'true', changed_when: false, notify: 'restart things' },
            { name: 'only h1', shell: mark('t3'), notify: 'things changed', when: '(eq inventory_hostname "h1")' },
            { meta: 'flush_handlers' },
            { name: 't4', shell: mark('t4'), notify: 'first handler' },
          ],
          post_tasks: [{ name: 'post', shell: mark('post') }],
        },
      ],
    },
    localHosts(['h1', 'h2']),
  );

  it('runs each notified handler once, in definition order, at each flush point', async () => {
    const r = await ws.run('handlers.yaml');
    expect(r.code, explain(r)).toBe(0);
    expect(log(ws, 'h1')).toEqual(['pre', 'H2', 't1', 't2', 't3', 'H1', 'H2', 'H3', 't4', 'H1', 'post']);
    // A task that did not change notifies nothing; listen topics reach only the hosts that notified.
    expect(log(ws, 'h2')).toEqual(['pre', 'H2', 't1', 't2', 'H1', 'H2', 't4', 'H1', 'post']);
    const starts = ofType(r.events, 'task_start').filter((e) => e.handler);
    expect(starts.map((e) => [e.task, e.hosts])).toEqual([
      ['second handler', ['h1', 'h2']],
      ['first handler', ['h1', 'h2']],
      ['second handler', ['h1', 'h2']],
      ['restart things', ['h1']],
      ['first handler', ['h1', 'h2']],
    ]);
    expect(results(r.events, 'first handler').every((e) => e.handler)).toBe(true);
    expect(results(r.events, 'never notified')).toEqual([]);
  });
});

describe('handlers on failed hosts', () => {
  const play = (extra: object) => [
    {
      hosts: 'all',
      ...extra,
      handlers,
      tasks: [
        { name: 'notify', shell: mark('t1'), notify: 'first handler' },
        { name: 'fail h2', fail: { msg: 'no' }, when: '(eq inventory_hostname "h2")' },
      ],
    },
  ];
  const ws = workspace(
    { 'plain.yaml': play({}), 'forced.yaml': play({ force_handlers: true }) },
    localHosts(['h1', 'h2']),
  );
  beforeEach(() => ws.clean());

  it('skip a host that failed after notifying', async () => {
    const r = await ws.run('plain.yaml');
    expect(r.code, explain(r)).toBe(2);
    expect(statuses(r.events, 'first handler')).toEqual({ h1: 'changed' });
    expect(log(ws, 'h2')).toEqual(['t1']);
  });

  it('still run there with --force-handlers', async () => {
    const r = await ws.run('plain.yaml', '--force-handlers');
    expect(r.code, explain(r)).toBe(2);
    expect(statuses(r.events, 'first handler')).toEqual({ h1: 'changed', h2: 'changed' });
    expect(log(ws, 'h2')).toEqual(['t1', 'H1']);
  });

  it('still run there with force_handlers: true on the play', async () => {
    const r = await ws.run('forced.yaml');
    expect(r.code, explain(r)).toBe(2);
    expect(statuses(r.events, 'first handler')).toEqual({ h1: 'changed', h2: 'changed' });
  });
});
