// --check writes nothing: a playbook that creates and edits files leaves every byte (and
// mtime) as it was, and its events say what would change; --detailed-exitcode says 10 when
// changes are pending, 0 when none.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { explain, localHosts, ofType, recap, results, statuses, workspace } from './helpers.js';

/** Every file under dir: content and mtime, so a rewrite with the same bytes shows too. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[path.relative(dir, p)] = `${statSync(p).mtimeMs} ${readFileSync(p, 'base64')}`;
    }
  };
  walk(dir);
  return out;
}

const changing = [
  {
    hosts: 'all',
    tasks: [
      { name: 'create', command: { cmd: 'touch {{out}}/created', creates: '{{out}}/created' }, register: 'made' },
      {
        name: 'use create',
        debug: { msg: 'rc={{made.rc}} changed={{made.changed}} lines={{made.stdout_lines.length}}' },
      },
      { name: 'append', shell: 'echo more >> {{out}}/config' },
      { name: 'remember', set_fact: { target: '{{out}}/config' } },
      { name: 'truncate', command: 'truncate -s 0 {{target}}', register: 'cut' },
      { name: 'use result', debug: { msg: 'rc={{cut.rc}} unknown={{cut.unknown}} lines={{cut.stdout_lines.length}}' } },
      {
        name: 'predicted',
        shell: { cmd: 'echo new > {{out}}/config', check_command: 'grep -qx new {{out}}/config && exit 1 || exit 0' },
      },
    ],
  },
];

const settled = [
  {
    hosts: 'all',
    tasks: [
      { name: 'exists', command: { cmd: 'touch {{out}}/config', creates: '{{out}}/config' } },
      {
        name: 'same',
        shell: { cmd: 'echo old > {{out}}/config', check_command: 'grep -qx old {{out}}/config && exit 1 || exit 0' },
      },
      { name: 'say', debug: { msg: 'nothing to do' } },
    ],
  },
];

describe('--check', () => {
  const ws = workspace({ 'change.yaml': changing, 'settled.yaml': settled }, localHosts(['h1', 'h2']));
  beforeEach(() => {
    ws.clean();
    for (const h of ['h1', 'h2']) writeFileSync(ws.at('out', h, 'config'), 'old\n');
  });

  it('leaves every file byte-identical and reports what would change', async () => {
    const before = snapshot(ws.dir);
    const r = await ws.run('change.yaml', '--check');
    expect(r.code, explain(r)).toBe(0);
    expect(snapshot(ws.dir)).toEqual(before);
    // creates can be tested: "would run"; free-form commands: unknown, with what they would run.
    expect(statuses(r.events, 'create')).toEqual({ h1: 'changed', h2: 'changed' });
    const create = results(r.events, 'create').find((e) => e.host === 'h1')!;
    expect(create.msg).toBe(`would run touch ${ws.at('out/h1/created')}`);
    // A predicted run registers the fields of a real one: `made.rc` does not fail only in --check.
    expect(statuses(r.events, 'use create')).toEqual({ h1: 'ok', h2: 'ok' });
    expect(results(r.events, 'use create')[0].msg).toBe('rc= changed=true lines=0');
    expect(statuses(r.events, 'append')).toEqual({ h1: 'unknown', h2: 'unknown' });
    expect(results(r.events, 'append')[0].changes).toEqual([expect.stringMatching(/^run echo more >> .*\/config$/)]);
    expect(results(r.events, 'truncate').find((e) => e.host === 'h2')!.changes).toEqual([
      `run truncate -s 0 ${ws.at('out/h2/config')}`,
    ]);
    // The unknown result is still a full result: later templates read rc and stdout_lines.
    expect(results(r.events, 'use result')[0].msg).toBe('rc= unknown=true lines=0');
    expect(statuses(r.events, 'predicted')).toEqual({ h1: 'changed', h2: 'changed' });
    const rc = recap(r.events);
    expect(rc.check).toBe(true);
    expect(rc.changes_pending).toBe(true);
    expect(rc.hosts.h1).toMatchObject({ changed: 2, unknown: 2, ok: 3 });
    expect(ofType(r.events, 'run_start')[0].check).toBe(true);
  });

  it('--detailed-exitcode: 10 with changes pending, 0 without, and still nothing written', async () => {
    const before = snapshot(ws.dir);
    const pending = await ws.run('change.yaml', '--check', '--detailed-exitcode');
    expect(pending.code, explain(pending)).toBe(10);
    const none = await ws.run('settled.yaml', '--check', '--detailed-exitcode');
    expect(none.code, explain(none)).toBe(0);
    expect(statuses(none.events, 'same')).toEqual({ h1: 'ok', h2: 'ok' });
    expect(recap(none.events).changes_pending).toBe(false);
    expect(snapshot(ws.dir)).toEqual(before);
  });

  it('prints a DRY RUN banner and says so in the recap', async () => {
    const r = await ws.runText('change.yaml', '--check');
    expect(r.stdout.split('\n')[0]).toMatch(/^DRY RUN \(--check\)/);
    expect(r.stdout).toMatch(/would change\s+h1\s+create/);
    expect(r.stdout).toMatch(/RECAP {2}\(DRY RUN: nothing was changed\)/);
    expect(r.stdout).toContain('changes pending: a real run would change something');
  });

  it('the same playbook without --check does change the files (the test can fail)', async () => {
    const r = await ws.run('change.yaml');
    expect(r.code, explain(r)).toBe(0);
    expect(readFileSync(ws.at('out/h1/config'), 'utf8')).toBe('new\n');
    expect(statSync(ws.at('out/h2/created')).isFile()).toBe(true);
  });
});

describe('--diff', () => {
  const ws = workspace(
    {
      'diff.yaml': [
        {
          hosts: 'all',
          tasks: [
            { name: 'write config', copy: { content: 'token: new\nport: 6443\n', dest: '{{out}}/k3s.yaml' } },
            { name: 'no diff here', copy: { content: 'secret: x\n', dest: '{{out}}/private.yaml' }, diff: false },
          ],
        },
      ],
    },
    localHosts(['h1']),
  );
  beforeEach(() => {
    ws.clean();
    writeFileSync(ws.at('out/h1/k3s.yaml'), 'token: old\nport: 6443\n');
    writeFileSync(ws.at('out/h1/private.yaml'), 'secret: y\n');
  });

  it('shows content changes as a unified diff, except where a task says diff: false', async () => {
    const r = await ws.run('diff.yaml', '--check', '--diff');
    expect(r.code, explain(r)).toBe(0);
    expect(results(r.events, 'write config')[0].diff).toEqual([
      { path: ws.at('out/h1/k3s.yaml'), before: 'token: old\nport: 6443\n', after: 'token: new\nport: 6443\n' },
    ]);
    expect(results(r.events, 'no diff here')[0].diff).toBeUndefined();
    const text = await ws.runText('diff.yaml', '--check', '--diff');
    expect(text.stdout).toContain(
      `--- ${ws.at('out/h1/k3s.yaml')} (before)\n+++ ${ws.at('out/h1/k3s.yaml')} (after)\n@@ -1,2 +1,2 @@\n-token: old\n+token: new\n port: 6443`,
    );
    expect(text.stdout).not.toContain('secret: x');
    expect(readFileSync(ws.at('out/h1/k3s.yaml'), 'utf8')).toBe('token: old\nport: 6443\n');
  });

  it('shows no diff without --diff', async () => {
    const r = await ws.run('diff.yaml', '--check');
    expect(results(r.events, 'write config')[0].diff).toBeUndefined();
  });
});
