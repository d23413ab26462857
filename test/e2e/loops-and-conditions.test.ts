// when, loop + loop_control, register (loop results under `results`), until/retries/delay,
// changed_when, failed_when and ignore_errors, end to end.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { counts, explain, localHosts, nonZero, results, statuses, workspace } from './helpers.js';

const hosts = localHosts(['h1', 'h2', 'h3'], {
  h1: { role_name: 'server' },
  h2: { role_name: 'agent' },
  h3: { role_name: 'agent' },
});
const read = (ws: { at(...p: string[]): string }, host: string, file: string) =>
  readFileSync(ws.at('out', host, file), 'utf8');

describe('when and loops', () => {
  const ws = workspace(
    {
      'loops.yaml': [
        {
          hosts: 'all',
          tasks: [
            { name: 'only agents', shell: 'echo agent > {{out}}/when', when: '(eq role_name "agent")' },
            {
              name: 'items',
              shell:
                'echo "{{pkg.name}} {{idx}} {{ansible_loop.index}}/{{ansible_loop.length}} {{ansible_loop.first}} {{ansible_loop.last}}" >> {{out}}/items',
              loop: [{ name: 'curl' }, { name: 'jq' }, { name: 'skip-me' }],
              loop_control: { loop_var: 'pkg', index_var: 'idx', label: 'pkg {{pkg.name}}', extended: true },
              when: '(ne pkg.name "skip-me")',
              register: 'installed',
            },
            {
              name: 'show results',
              debug: {
                msg: '{{installed.results.length}} {{installed.results.0.pkg.name}} {{installed.results.2.skipped}} {{installed.changed}} {{installed.results.1.rc}}',
              },
            },
            { name: 'with_items flattens', shell: 'echo {{item}} >> {{out}}/flat', with_items: [['a', 'b'], 'c'] },
          ],
        },
      ],
    },
    hosts,
  );

  it('runs a task only where `when` holds, and loops with loop_control', async () => {
    const r = await ws.run('loops.yaml');
    expect(r.code, explain(r)).toBe(0);
    expect(statuses(r.events, 'only agents')).toEqual({ h1: 'skipped', h2: 'changed', h3: 'changed' });
    expect(read(ws, 'h2', 'when')).toBe('agent\n');
    // loop_var, index_var and extended (ansible_loop) as Ansible defines them; the skipped item ran nothing.
    expect(read(ws, 'h1', 'items')).toBe('curl 0 1/3 true false\njq 1 2/3 false false\n');
    // Each item is reported under its label, with its own status.
    const items = results(r.events, 'items').find((e) => e.host === 'h1')!.items;
    expect(items?.map((i) => [i.label, i.status])).toEqual([
      ['pkg curl', 'changed'],
      ['pkg jq', 'changed'],
      ['pkg skip-me', 'skipped'],
    ]);
    // register keeps one result per item under `results`, each with its item under the loop_var name (as Ansible).
    expect(results(r.events, 'show results')[0].msg).toBe('3 curl true true 0');
    expect(read(ws, 'h3', 'flat')).toBe('a\nb\nc\n');
  });
});

describe('until, changed_when, failed_when, ignore_errors', () => {
  const ws = workspace(
    {
      'retry.yaml': [
        {
          hosts: 'all',
          tasks: [
            {
              name: 'until third try',
              shell: 'echo try >> {{out}}/tries; wc -l < {{out}}/tries',
              register: 'tries',
              until: '(gte (int tries.stdout) 3)',
              retries: 5,
              delay: 0,
            },
            { name: 'attempts', debug: { msg: '{{tries.attempts}}' } },
            {
              name: 'never enough',
              shell: 'echo x',
              register: 'n',
              until: '(eq n.stdout "y")',
              retries: 2,
              delay: 0,
              ignore_errors: true,
            },
            { name: 'not a change', command: 'echo hi', changed_when: false },
            {
              name: 'changed by output',
              command: 'echo {{role_name}}',
              register: 'out1',
              changed_when: '(eq out1.stdout "server")',
            },
            {
              name: 'failed by output',
              command: 'echo {{role_name}}',
              register: 'out2',
              failed_when: '(eq out2.stdout "agent")',
              ignore_errors: '{{eq inventory_hostname "h2"}}',
            },
            { name: 'rc 1 is fine', shell: 'exit 1', register: 'rc1', failed_when: '(gt rc1.rc 1)' },
            { name: 'after', shell: 'echo after > {{out}}/after' },
          ],
        },
      ],
    },
    hosts,
  );

  it('retries until the condition holds, and counts attempts', async () => {
    const r = await ws.run('retry.yaml');
    expect(r.code, explain(r)).toBe(2);
    expect(statuses(r.events, 'until third try')).toEqual({ h1: 'changed', h2: 'changed', h3: 'changed' });
    expect(read(ws, 'h1', 'tries')).toBe('try\ntry\ntry\n');
    expect(results(r.events, 'attempts').map((e) => e.msg)).toEqual(['3', '3', '3']);
    // retries: 2 means three attempts, then the task fails (here ignored).
    const never = results(r.events, 'never enough')[0];
    expect(never.ignored).toBe(true);
    expect(never.msg).toMatch(/still false after 3 attempts/);

    expect(statuses(r.events, 'not a change')).toEqual({ h1: 'ok', h2: 'ok', h3: 'ok' });
    expect(statuses(r.events, 'changed by output')).toEqual({ h1: 'changed', h2: 'ok', h3: 'ok' });
    // failed_when fails the agents; ignore_errors (templated) carries h2 on; h3 stops there.
    expect(statuses(r.events, 'failed by output')).toEqual({ h1: 'changed', h2: 'ignored', h3: 'failed' });
    expect(results(r.events, 'failed by output').find((e) => e.host === 'h3')!.msg).toContain('failed_when');
    expect(statuses(r.events, 'rc 1 is fine')).toEqual({ h1: 'changed', h2: 'changed' });
    expect(read(ws, 'h2', 'after')).toBe('after\n');
    expect(() => read(ws, 'h3', 'after')).toThrow();
    expect(nonZero(counts(r.events, 'h2'))).toEqual({ ok: 3, changed: 3, ignored: 2 });
    expect(nonZero(counts(r.events, 'h3'))).toEqual({ ok: 3, changed: 1, failed: 1, ignored: 1 });
  });
});

// Ansible's order (issue 13, item 2): changed_when decides `changed` whatever the exit code,
// failed_when then sees that verdict in the registered result, and until is asked after
// every attempt, failed or not.
describe('changed_when with failed_when, and until, on a non-zero exit', () => {
  const ws = workspace(
    {
      'nonzero.yaml': [
        {
          hosts: 'h1',
          tasks: [
            {
              name: 'exit 3 is fine',
              shell: 'exit 3',
              register: 'three',
              changed_when: false,
              failed_when: '(ne three.rc 3)',
            },
            {
              name: 'exit 3 changed',
              shell: 'exit 3',
              register: 'three_changed',
              failed_when: '(ne three_changed.rc 3)',
            },
            {
              name: 'failed_when sees changed_when',
              shell: 'exit 0',
              register: 'seen',
              changed_when: false,
              failed_when: 'seen.changed',
            },
            { name: 'failed and ignored', shell: 'exit 4', register: 'four', ignore_errors: true },
            {
              name: 'until met by a failed attempt',
              shell: 'echo x >> {{out}}/tries; exit 1',
              register: 'met',
              until: '(eq met.rc 1)',
              retries: 3,
              delay: 0,
              ignore_errors: true,
            },
            {
              name: 'retries 0: no until',
              shell: 'echo once >> {{out}}/once',
              register: 'zero',
              until: false,
              retries: 0,
            },
            {
              name: 'show',
              debug: {
                msg: '{{three.changed}} {{three.failed}} {{three_changed.changed}} {{four.changed}} {{four.failed}} {{met.attempts}} {{zero.changed}}',
              },
            },
          ],
        },
      ],
    },
    hosts,
  );

  it('reports ok when changed_when is false and failed_when clears the exit code', async () => {
    const r = await ws.run('nonzero.yaml');
    expect(r.code, explain(r)).toBe(0);
    expect(statuses(r.events, 'exit 3 is fine')).toEqual({ h1: 'ok' });
    expect(results(r.events, 'exit 3 is fine')[0].registered).toMatchObject({
      rc: 3,
      changed: false,
      failed: false,
      failed_when_result: false,
    });
    expect(statuses(r.events, 'exit 3 changed')).toEqual({ h1: 'changed' });
    expect(statuses(r.events, 'failed_when sees changed_when')).toEqual({ h1: 'ok' });
    // A command that ran and failed changed something, as Ansible registers it.
    expect(statuses(r.events, 'failed and ignored')).toEqual({ h1: 'ignored' });
    expect(results(r.events, 'failed and ignored')[0].changed).toBe(true);
    expect(statuses(r.events, 'until met by a failed attempt')).toEqual({ h1: 'ignored' });
    expect(read(ws, 'h1', 'tries')).toBe('x\n');
    expect(statuses(r.events, 'retries 0: no until')).toEqual({ h1: 'changed' });
    expect(read(ws, 'h1', 'once')).toBe('once\n');
    expect(results(r.events, 'show')[0].msg).toBe('false false true true true 1 true');
    expect(nonZero(counts(r.events, 'h1'))).toEqual({ ok: 3, changed: 2, ignored: 2 });
  });
});
