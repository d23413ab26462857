// The comparison itself: it must see every kind of difference, accept only declared ones
// that cite README, and call a declaration that matches nothing stale.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeTree } from '../helpers/tmp.js';
import { compare } from './harness/compare.js';
import { keyed, pick, type Outcome, type TaskStatus } from './harness/outcome.js';
import { shapeDifferences } from './harness/shape.js';

const README =
  'What differs from Ansible, on purpose: - In check mode a command that cannot predict its effect is `unknown` (not skipped)';

function outcome(tool: Outcome['tool'], statuses: TaskStatus[], extra: Partial<Outcome> = {}): Outcome {
  const list = statuses.map((status, i) => ({
    play: 'p',
    task: `t${i}`,
    status,
    registered: { rc: i, changed: status === 'changed', results: [{ rc: 0 }, { rc: i }] },
  }));
  return {
    tool,
    code: 0,
    exit: 'ok',
    hosts: new Map([['l1', keyed(list)]]),
    recap: { l1: { ok: 1, changed: 0, failed: 0, unreachable: 0, skipped: 0, rescued: 0, ignored: 0 } },
    files: { 'l1/a': { type: 'file', mode: '0644', owner: 'root', content: 'x' } },
    stderr: '',
    raw: '',
    durationMs: 0,
    ...extra,
  };
}

const noCase = { registered: {}, differences: [] };

describe('compare', () => {
  it('finds nothing between equal outcomes, and counts every pair', () => {
    const c = compare(noCase, outcome('ansible', ['ok', 'changed']), outcome('herdbook', ['ok', 'changed']), README);
    expect(c).toMatchObject({ pairs: 2, equalPairs: 2, unexpected: [], stale: [] });
  });

  it('sees a status, a missing task, a registered field, a file, the recap and the exit class', () => {
    const a = outcome('ansible', ['ok', 'skipped', 'ok']);
    const h = outcome('herdbook', ['ok', 'unknown'], {
      files: { 'l1/a': { type: 'file', mode: '0600', owner: 'root', content: 'x' } },
      recap: { l1: { ok: 2, changed: 0, failed: 0, unreachable: 0, skipped: 0, rescued: 0, ignored: 0 } },
      exit: 'host-failure',
      code: 2,
    });
    h.hosts.get('l1')![0].registered = { rc: 7, changed: false, results: [{ rc: 0 }, { rc: 5 }] };
    const c = compare({ registered: { t0: ['rc', 'results.rc'] }, differences: [] }, a, h, README);
    expect(c.unexpected.map((d) => [d.what, d.field ?? d.task])).toEqual([
      ['registered', 'rc'],
      ['registered', 'results.rc'],
      ['status', 'p | t1 #1'],
      ['status', 'p | t2 #1'],
      ['file', 'l1/a'],
      ['recap', 'ok'],
      ['exit', 'ansible exit 0, herdbook exit 2'],
    ]);
    expect(c.equalPairs).toBe(0);
  });

  it('sees tasks run in another order', () => {
    const a = outcome('ansible', ['ok', 'changed']);
    const h = outcome('herdbook', ['ok', 'changed']);
    h.hosts.set('l1', [...h.hosts.get('l1')!].reverse());
    const c = compare(noCase, a, h, README);
    expect(c.unexpected).toEqual([
      { what: 'order', host: 'l1', ansible: ['p | t0 #1', 'p | t1 #1'], herdbook: ['p | t1 #1', 'p | t0 #1'] },
    ]);
    expect(c.equalPairs).toBe(2);
  });

  it('accepts a declared difference that cites README, and calls the others stale', () => {
    const a = outcome('ansible', ['skipped']);
    const h = outcome('herdbook', ['unknown']);
    const readme = 'In check mode a command that cannot predict its effect is `unknown` (not skipped)';
    const ok = compare(
      {
        registered: {},
        differences: [{ what: 'status', host: 'l1', task: 't0', ansible: 'skipped', herdbook: 'unknown', readme }],
      },
      a,
      h,
      README,
    );
    expect(ok).toMatchObject({ unexpected: [], stale: [] });
    expect(ok.expected).toHaveLength(1);
    const uncited = compare(
      { registered: {}, differences: [{ what: 'status', task: 't0', readme: 'herdbook is better' }] },
      a,
      h,
      README,
    );
    expect(uncited.stale).toEqual([expect.stringContaining('not in README')]);
    const unused = compare(
      {
        registered: {},
        differences: [
          { what: 'status', task: 't0', readme },
          { what: 'exit', readme },
        ],
      },
      a,
      h,
      README,
    );
    expect(unused.stale).toEqual([expect.stringContaining('did not occur')]);
  });

  it('picks dotted fields, over loop results too, and reads a missing flag as false', () => {
    expect(pick({ results: [{ rc: 1 }, { rc: 2 }] }, 'results.rc')).toEqual([1, 2]);
    expect(pick({ results: [{ rc: 1 }, { rc: 2 }] }, 'results.1.rc')).toBe(2);
    expect(pick({ rc: 0 }, 'failed')).toBe(false);
    expect(pick({ rc: 0 }, 'stdout')).toBeUndefined();
  });
});

describe('shapeDifferences', () => {
  it('allows expressions and conditions to differ, nothing else', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'hb-shape-'));
    writeTree(dir, {
      'ansible.yaml':
        '- hosts: all\n  tasks:\n    - name: a\n      debug: {msg: "{{ x | default(1) }}"}\n      when: x is defined\n      tags: [a]\n',
      'herdbook.yaml':
        '- hosts: all\n  tasks:\n    - name: a\n      debug: {msg: "{{default x 1}}"}\n      when: (defined x)\n      tags: [b]\n',
      'tasks/inc.ansible.yaml': '- name: i\n  command: echo 1\n',
      'tasks/inc.herdbook.yaml': '- name: i\n  command: echo 2\n  register: r\n',
    });
    const found = shapeDifferences(dir);
    rmSync(dir, { recursive: true, force: true });
    expect(found).toEqual([
      'ansible.yaml[0].tasks[0].tags[0]: "a" in ansible, "b" in herdbook',
      'tasks/inc.ansible.yaml[0]: keys ["name","command"] in ansible, ["name","command","register"] in herdbook',
      'tasks/inc.ansible.yaml[0].command: "echo 1" in ansible, "echo 2" in herdbook',
    ]);
  });
});
