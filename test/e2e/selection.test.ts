// Which tasks run: --tags, --skip-tags, always, never; check_mode per task; --start-at-task.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { explain, localHosts, recap, statuses, taskStarts, workspace } from './helpers.js';

const hosts = localHosts(['h1', 'h2']);

describe('tags', () => {
  const ws = workspace(
    {
      'tags.yaml': [
        {
          hosts: 'all',
          tasks: [
            { name: 'tagged a', debug: { msg: 'a' }, tags: ['a'] },
            { name: 'tagged b', debug: { msg: 'b' }, tags: 'b' },
            { name: 'always', debug: { msg: 'always' }, tags: 'always' },
            { name: 'never', debug: { msg: 'never' }, tags: ['never', 'debug'] },
            { name: 'untagged', debug: { msg: 'none' } },
            { name: 'block', tags: ['blk'], block: [{ name: 'inside block', debug: { msg: 'in' } }] },
          ],
        },
      ],
    },
    hosts,
  );
  const run = async (...flags: string[]) => {
    const r = await ws.run('tags.yaml', ...flags);
    expect(r.code, explain(r)).toBe(0);
    return taskStarts(r.events);
  };

  it('selects tasks by tag; always runs, never does not unless asked', async () => {
    expect(await run()).toEqual(['tagged a', 'tagged b', 'always', 'untagged', 'inside block']);
    expect(await run('--tags', 'a')).toEqual(['tagged a', 'always']);
    expect(await run('--tags', 'a,blk')).toEqual(['tagged a', 'always', 'inside block']);
    expect(await run('--tags', 'debug')).toEqual(['always', 'never']);
    expect(await run('--tags', 'untagged')).toEqual(['always', 'untagged']);
    expect(await run('--skip-tags', 'a', '--skip-tags', 'always')).toEqual(['tagged b', 'untagged', 'inside block']);
  });
});

describe('check_mode per task', () => {
  const ws = workspace(
    {
      'check.yaml': [
        {
          hosts: 'all',
          tasks: [
            { name: 'forced dry', command: 'touch {{out}}/dry', check_mode: true },
            { name: 'forced real', command: 'touch {{out}}/real', check_mode: false },
            { name: 'mode', debug: { msg: '{{ansible_check_mode}}' } },
          ],
        },
      ],
    },
    hosts,
  );

  it('check_mode: true never runs, check_mode: false always runs, even under --check', async () => {
    for (const flags of [[], ['--check']]) {
      ws.clean();
      const r = await ws.run('check.yaml', ...flags);
      expect(r.code, explain(r)).toBe(0);
      expect(statuses(r.events, 'forced dry')).toEqual({ h1: 'unknown', h2: 'unknown' });
      expect(statuses(r.events, 'forced real')).toEqual({ h1: 'changed', h2: 'changed' });
      expect(existsSync(ws.at('out/h1/dry'))).toBe(false);
      expect(existsSync(ws.at('out/h1/real'))).toBe(true);
      expect(recap(r.events).check).toBe(flags.length > 0);
    }
  });
});

describe('--start-at-task', () => {
  const ws = workspace(
    {
      'start.yaml': [
        { name: 'p1', hosts: 'all', tasks: [{ name: 'one', debug: { msg: '1' } }] },
        {
          name: 'p2',
          hosts: 'all',
          tasks: [
            { name: 'two', debug: { msg: '2' } },
            { block: [{ name: 'three', debug: { msg: '3' } }] },
            { name: 'four', debug: { msg: '4' } },
          ],
        },
      ],
    },
    hosts,
  );

  it('skips every task before the named one, across plays and into blocks', async () => {
    let r = await ws.run('start.yaml', '--start-at-task', 'two');
    expect(r.code, explain(r)).toBe(0);
    expect(taskStarts(r.events)).toEqual(['two', 'three', 'four']);
    r = await ws.run('start.yaml', '--start-at-task', 'three');
    expect(taskStarts(r.events)).toEqual(['three', 'four']);
  });

  it('refuses a name no task has, before running anything (exit 5)', async () => {
    const r = await ws.run('start.yaml', '--start-at-task', 'thre');
    expect(r.code).toBe(5);
    expect(r.stderr).toContain("--start-at-task 'thre': no task has this name");
    expect(r.events).toEqual([]);
  });
});
