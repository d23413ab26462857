// block/rescue/always (rescued counts), include_tasks (static, templated, looped),
// import_tasks and roles, end to end.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { counts, explain, localHosts, nonZero, results, statuses, taskStarts, workspace } from './helpers.js';

const log = (ws: { at(...p: string[]): string }, host: string, file = 'log') =>
  readFileSync(ws.at('out', host, file), 'utf8')
    .trim()
    .split('\n');
const mark = (text: string) => `echo "${text}" >> {{out}}/log`;

describe('block, rescue, always', () => {
  const ws = workspace(
    {
      'blocks.yaml': [
        {
          hosts: 'all',
          tasks: [
            {
              name: 'guarded',
              vars: { who: 'block var' },
              block: [
                { name: 'in block', shell: mark('block {{who}}') },
                { name: 'breaks', fail: { msg: 'broken' }, when: '(ne inventory_hostname "h3")' },
                { name: 'not after a failure', shell: mark('after') },
              ],
              rescue: [
                { name: 'rescue', shell: mark('rescue') },
                { name: 'rescue fails too', fail: { msg: 'still broken' }, when: '(eq inventory_hostname "h2")' },
              ],
              always: [{ name: 'always', shell: mark('always') }],
            },
            { name: 'next', shell: mark('next') },
          ],
        },
      ],
    },
    localHosts(['h1', 'h2', 'h3']),
  );

  it('rescues a failure, always runs, and counts the rescue', async () => {
    const r = await ws.run('blocks.yaml');
    expect(r.code, explain(r)).toBe(2);
    expect(log(ws, 'h1')).toEqual(['block block var', 'rescue', 'always', 'next']);
    // A failing rescue leaves the host failed, but `always` still runs for it.
    expect(log(ws, 'h2')).toEqual(['block block var', 'rescue', 'always']);
    expect(log(ws, 'h3')).toEqual(['block block var', 'after', 'always', 'next']);
    expect(statuses(r.events, 'breaks')).toEqual({ h1: 'failed', h2: 'failed', h3: 'skipped' });
    expect(nonZero(counts(r.events, 'h1'))).toEqual({ changed: 4, skipped: 1, rescued: 1 });
    expect(nonZero(counts(r.events, 'h2'))).toEqual({ changed: 3, failed: 1, rescued: 1 });
    expect(nonZero(counts(r.events, 'h3'))).toEqual({ changed: 4, skipped: 1 });
  });
});

describe('include_tasks, import_tasks, roles', () => {
  const ws = workspace(
    {
      'tasks/step.yaml': [{ name: 'step {{item}}', shell: mark('step {{item}} {{extra}}') }],
      'tasks/server.yaml': [{ name: 'server part', shell: mark('server {{which}}') }],
      'tasks/agent.yaml': [{ name: 'agent part', shell: mark('agent {{which}}') }],
      'tasks/imported.yaml': [{ name: 'imported', shell: mark('imported {{imp}}') }],
      'roles/web/tasks/main.yaml': [{ name: 'role task', shell: mark('role {{http_port}}'), notify: 'role handler' }],
      'roles/web/defaults/main.yaml': { http_port: 80 },
      'roles/web/handlers/main.yaml': [{ name: 'role handler', shell: mark('role handler') }],
      'include.yaml': [
        {
          hosts: 'all',
          roles: ['web', { role: 'web', http_port: 8080 }],
          tasks: [
            { include_tasks: 'tasks/step.yaml', loop: ['a', 'b'], vars: { extra: 'x' } },
            {
              name: 'by kind',
              include_tasks: 'tasks/{{which}}.yaml',
              vars: { which: '{{ternary (eq inventory_hostname "h1") "server" "agent"}}' },
            },
            { import_tasks: 'tasks/imported.yaml', vars: { imp: 'yes it is' } },
          ],
        },
      ],
    },
    localHosts(['h1', 'h2']),
  );

  it('runs included, templated, looped and imported task files and roles', async () => {
    const r = await ws.run('include.yaml');
    expect(r.code, explain(r)).toBe(0);
    // Roles first (defaults, then a parameter), then the tasks; role handlers at the end.
    expect(log(ws, 'h1')).toEqual([
      'role 80',
      'role 8080',
      'step a x',
      'step b x',
      'server server',
      'imported yes it is',
      'role handler',
    ]);
    expect(log(ws, 'h2')).toEqual([
      'role 80',
      'role 8080',
      'step a x',
      'step b x',
      'agent agent',
      'imported yes it is',
      'role handler',
    ]);
    // Task names are templated with the include's loop item.
    expect(taskStarts(r.events)).toEqual(expect.arrayContaining(['step a', 'step b', 'server part', 'agent part']));
    expect(statuses(r.events, 'by kind')).toEqual({ h1: 'ok', h2: 'ok' });
    expect(results(r.events, 'server part').map((e) => e.host)).toEqual(['h1']);
    expect(results(r.events, 'agent part').map((e) => e.host)).toEqual(['h2']);
  });
});

// As Ansible: an include reports its loop items and decides its `when` once (per item); the
// recap counts each file it included (and a skipped include), never the include itself.
describe('include_tasks results and counts', () => {
  const ws = workspace(
    {
      'flip.yaml': [
        { name: 'before flip', shell: 'echo before-{{item}} >> {{out}}/log' },
        { name: 'flip', set_fact: { go: false } },
        { name: 'after flip', shell: 'echo after-{{item}} >> {{out}}/log' },
      ],
      'inc.yaml': [
        {
          name: 'includes',
          hosts: 'h1',
          vars: { go: true },
          tasks: [
            { name: 'each', include_tasks: 'flip.yaml', loop: ['a', 'b', 'c'], when: '(and go (ne item "b"))' },
            { name: 'none', include_tasks: 'flip.yaml', loop: [] },
          ],
        },
      ],
    },
    localHosts(['h1']),
  );

  it('runs the included tasks of every item whose when held, even after they turn it false', async () => {
    const r = await ws.run('inc.yaml');
    expect(r.code, explain(r)).toBe(0);
    expect(log(ws, 'h1')).toEqual(['before-a', 'after-a', 'before-c', 'after-c']);
    const each = results(r.events, 'each')[0];
    expect(each.items?.map((i) => [i.label, i.status])).toEqual([
      ['a', 'ok'],
      ['b', 'skipped'],
      ['c', 'ok'],
    ]);
    expect(statuses(r.events, 'none')).toEqual({ h1: 'skipped' });
    // 2 included files + 6 tasks ok, the empty include skipped.
    expect(nonZero(counts(r.events, 'h1'))).toEqual({ ok: 4, changed: 4, skipped: 1 });
  });
});
