// delegate_to, run_once, become, environment, no_log and timeout, end to end.
import { readFileSync, readdirSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { isAlive } from '../../sandbox/fleet/processes.js';
import { explain, localHosts, ofType, results, statuses, workspace } from './helpers.js';
import { ensureTool } from './tools.js';

const read = (ws: { at(...p: string[]): string }, ...p: string[]) => readFileSync(ws.at(...p), 'utf8');

describe('delegate_to and run_once', () => {
  const hosts = localHosts(['h1', 'h2', 'helper', 'gone'], {
    helper: { whoami: 'helper' },
    // A delegate that cannot be reached proves the task used the delegate's connection.
    gone: { ansible_connection: 'ssh', ansible_host: '127.0.0.1', ansible_port: 1, ansible_user: 'root' },
  });
  const ws = workspace(
    {
      'delegate.yaml': [
        {
          hosts: 'h1,h2',
          vars: { whoami: 'play' },
          tasks: [
            {
              name: 'on helper',
              shell: 'echo "{{inventory_hostname}} {{whoami}}" >> {{out_root}}/delegated',
              delegate_to: 'helper',
            },
            {
              name: 'on localhost',
              shell: 'echo "{{inventory_hostname}}" >> {{out_root}}/local',
              delegate_to: 'localhost',
            },
            { name: 'on a dead host', command: 'true', delegate_to: 'gone', ignore_unreachable: true },
            {
              name: 'once',
              shell: 'echo ran >> {{out_root}}/once; echo "from {{inventory_hostname}}"',
              run_once: true,
              register: 'once',
            },
            { name: 'shared', debug: { msg: '{{once.stdout}}' } },
          ],
        },
      ],
    },
    hosts,
  );

  it('runs a delegated task through the delegate with the delegating host’s vars', async () => {
    const r = await ws.run('delegate.yaml');
    expect(r.code, explain(r)).toBe(0);
    expect(read(ws, 'out/delegated').trim().split('\n').sort()).toEqual(['h1 play', 'h2 play']);
    expect(read(ws, 'out/local').trim().split('\n').sort()).toEqual(['h1', 'h2']);
    expect(results(r.events, 'on helper').map((e) => [e.host, e.delegated_to])).toEqual(
      expect.arrayContaining([
        ['h1', 'helper'],
        ['h2', 'helper'],
      ]),
    );
    const dead = results(r.events, 'on a dead host');
    expect(dead.map((e) => [e.status, e.ignored, e.delegated_to])).toEqual([
      ['unreachable', true, 'gone'],
      ['unreachable', true, 'gone'],
    ]);
  });

  it('runs a run_once task on the first host and gives its result to every host', async () => {
    ws.clean();
    const r = await ws.run('delegate.yaml');
    expect(read(ws, 'out/once')).toBe('ran\n');
    expect(results(r.events, 'once').map((e) => e.host)).toEqual(['h1']);
    expect(results(r.events, 'shared').map((e) => [e.host, e.msg])).toEqual(
      expect.arrayContaining([
        ['h1', 'from h1'],
        ['h2', 'from h1'],
      ]),
    );
  });
});

describe('become, environment, timeout', () => {
  beforeAll(() => ensureTool('sudo', 'sudo'));
  const ws = workspace(
    {
      'become.yaml': [
        {
          hosts: 'all',
          environment: { PLAY_LEVEL: 'play' },
          tasks: [
            { name: 'as root', command: 'id -un', become: true, register: 'root' },
            { name: 'as nobody', command: 'id -un', become: true, become_user: 'nobody', register: 'nobody' },
            { name: 'who', debug: { msg: '{{root.stdout}} {{nobody.stdout}}' } },
            {
              name: 'env',
              shell: 'echo "$PLAY_LEVEL $TASK_LEVEL" > {{out}}/env',
              environment: { TASK_LEVEL: 'task-{{inventory_hostname}}' },
            },
            { name: 'slow', shell: 'echo $$ > {{out}}/pid; exec sleep 30', timeout: 1 },
          ],
        },
      ],
    },
    localHosts(['h1', 'h2']),
  );

  it('becomes root or another user, passes the environment, and kills a task at its timeout', async () => {
    const r = await ws.run('become.yaml');
    expect(r.code, explain(r)).toBe(2);
    expect(results(r.events, 'who').map((e) => e.msg)).toEqual(['root nobody', 'root nobody']);
    expect(read(ws, 'out/h1/env')).toBe('play task-h1\n');
    expect(read(ws, 'out/h2/env')).toBe('play task-h2\n');
    expect(statuses(r.events, 'slow')).toEqual({ h1: 'failed', h2: 'failed' });
    expect(results(r.events, 'slow')[0].msg).toMatch(/timed out after 1s/);
    // The command was killed, not left running behind the run.
    for (const h of ['h1', 'h2']) {
      const pid = Number(read(ws, 'out', h, 'pid'));
      await expect.poll(() => isAlive(pid), { timeout: 5000 }).toBe(false);
    }
  });
});

describe('timeout stops the module, not only the wait for its result', () => {
  const ws = workspace(
    {
      'waits.yaml': [
        {
          hosts: 'all',
          tasks: [
            {
              name: 'wait',
              wait_for: { path: '{{out}}/never', timeout: 25, sleep: 1 },
              timeout: 1,
              ignore_errors: true,
            },
            { name: 'pause', pause: { seconds: 25 }, timeout: 1, ignore_errors: true },
            { name: 'after', debug: { msg: 'next' } },
          ],
        },
      ],
    },
    localHosts(['h1']),
  );

  it('a timed-out wait_for or pause stops waiting: the run ends, it does not linger until their own 25 s', async () => {
    const started = Date.now();
    const r = await ws.run('waits.yaml');
    const took = Date.now() - started;
    expect(r.code, explain(r)).toBe(0);
    expect(statuses(r.events, 'wait')).toEqual({ h1: 'ignored' });
    expect(statuses(r.events, 'pause')).toEqual({ h1: 'ignored' });
    expect(results(r.events, 'pause')[0].msg).toMatch(/timed out after 1s/);
    expect(statuses(r.events, 'after')).toEqual({ h1: 'ok' });
    // Before, the abandoned wait and sleep kept the process alive (and polling) for 25 s.
    expect(took).toBeLessThan(15_000);
  });
});

describe('no_log', () => {
  const secret = 'hunter2-s3cr3t-token';
  const ws = workspace(
    {
      'nolog.yaml': [
        {
          hosts: 'all',
          tasks: [
            { name: 'use the secret', shell: 'echo "{{token}}"; echo "{{token}}" >&2', register: 'tok', no_log: true },
            { name: 'fail with it', shell: 'echo "{{token}}"; exit 3', no_log: true, ignore_errors: true },
            { name: 'loop over it', shell: 'echo {{item}}', loop: ['{{token}}'], no_log: true },
            { name: 'pass it on', shell: 'echo "using {{tok.stdout}}"' },
            { name: 'print it', debug: { var: 'tok' } },
          ],
        },
      ],
    },
    localHosts(['h1']),
  );

  it('keeps the secret out of every event, line and report', async () => {
    const junit = ws.at('junit.xml');
    const json = await ws.run('nolog.yaml', '-e', `token=${secret}`, '-vvv', '--junit', junit);
    expect(json.code, explain(json)).toBe(0);
    const plain = await ws.runText('nolog.yaml', '-e', `token=${secret}`, '-vvv');
    expect(plain.code, explain(plain)).toBe(0);
    expect(results(json.events, 'use the secret')[0].msg).toBe('the output has been hidden due to no_log: true');
    expect(results(json.events, 'fail with it')[0]).toMatchObject({
      status: 'failed',
      ignored: true,
      msg: 'the output has been hidden due to no_log: true',
    });
    expect(results(json.events, 'loop over it')[0].items).toBeUndefined();
    // The later task ran with the real value (the file shows it) but its events mask it.
    expect(results(json.events, 'pass it on')[0].stdout).toBe('using ********');
    for (const text of [json.stdout, json.stderr, plain.stdout, plain.stderr, read(ws, 'junit.xml')])
      expect(text).not.toContain(secret);
    expect(ofType(json.events, 'task_result').length).toBe(5);
    expect(readdirSync(ws.dir)).toContain('junit.xml');
  });
});

// Issue 13, item 1: connection keywords and ansible_* variables are resolved per task from
// every layer, and connections are pooled by what they resolve to.
describe('connection keywords and variables', () => {
  const ws = workspace({
    'inventory.yaml': 'all:\n  children:\n    web:\n      hosts:\n        h01:\n        h02:\n',
    'conn.yaml': [
      {
        name: 'keyword',
        hosts: 'web',
        connection: 'local',
        tasks: [{ name: 'by keyword', shell: 'echo {{inventory_hostname}} > {{out_root}}/{{inventory_hostname}}-kw' }],
      },
      {
        name: 'vars',
        hosts: 'web',
        vars: { ansible_connection: 'local' },
        tasks: [{ name: 'by play vars', command: 'true' }],
      },
      {
        name: 'ssh now',
        hosts: 'h01',
        vars: { ansible_connection: 'ssh', ansible_host: '127.0.0.1', ansible_port: 1, ansible_user: 'root' },
        tasks: [
          { name: 'over ssh', command: 'true', ignore_unreachable: true },
          { name: 'task keyword, variable wins', command: 'true', connection: 'local', ignore_unreachable: true },
          { name: 'task vars win', command: 'true', vars: { ansible_connection: 'local' } },
        ],
      },
    ],
  });

  it('reaches hosts without connection variables through the play keyword and play vars, and over ssh in a later play', async () => {
    const r = await ws.runWith({}, 'conn.yaml', '-e', `out_root=${ws.at('out')}`);
    expect(statuses(r.events, 'by keyword')).toEqual({ h01: 'changed', h02: 'changed' });
    expect(readFileSync(ws.at('out', 'h02-kw'), 'utf8')).toBe('h02\n');
    expect(statuses(r.events, 'by play vars')).toEqual({ h01: 'changed', h02: 'changed' });
    expect(statuses(r.events, 'over ssh')).toEqual({ h01: 'ignored' });
    expect(results(r.events, 'over ssh')[0].status).toBe('unreachable');
    expect(statuses(r.events, 'task keyword, variable wins')).toEqual({ h01: 'ignored' });
    expect(statuses(r.events, 'task vars win')).toEqual({ h01: 'changed' });
  });
});
