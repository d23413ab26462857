// meta: end_play / end_host / end_batch, any_errors_fatal, failures without serial, later
// plays skipping failed hosts, a play with no host left stopping the run, ignore_unreachable,
// and exit codes 2 and 3.
import { describe, expect, it } from 'vitest';
import { counts, explain, localHosts, nonZero, ofType, recap, statuses, taskStarts, workspace } from './helpers.js';

const closedPort = { ansible_connection: 'ssh', ansible_host: '127.0.0.1', ansible_port: 1, ansible_user: 'root' };

describe('meta', () => {
  const ws = workspace(
    {
      'meta.yaml': [
        {
          name: 'ends',
          hosts: 'all',
          serial: 2,
          tasks: [
            { name: 'a', debug: { msg: 'a' } },
            { name: 'end h1', meta: 'end_host', when: '(eq inventory_hostname "h1")' },
            { name: 'b', debug: { msg: 'b' } },
            { name: 'end batch', meta: 'end_batch' },
            { name: 'c', debug: { msg: 'c' } },
          ],
        },
        {
          name: 'stops',
          hosts: 'all',
          tasks: [
            { name: 'd', debug: { msg: 'd' } },
            { name: 'end play', meta: 'end_play' },
            { name: 'e', debug: { msg: 'e' } },
          ],
        },
        { name: 'after', hosts: 'h3', tasks: [{ name: 'f', debug: { msg: 'f' } }] },
      ],
    },
    localHosts(['h1', 'h2', 'h3']),
  );

  it('ends a host, a batch, or the play (the next play still runs)', async () => {
    const r = await ws.run('meta.yaml');
    expect(r.code, explain(r)).toBe(0);
    expect(taskStarts(r.events)).toEqual([
      'a',
      'end h1',
      'b',
      'end batch',
      'a',
      'end h1',
      'b',
      'end batch',
      'd',
      'end play',
      'f',
    ]);
    expect(statuses(r.events, 'b')).toEqual({ h2: 'ok', h3: 'ok' });
    // As Ansible: a meta task that acted reports nothing, a skipped one says so, and neither counts.
    expect(statuses(r.events, 'end h1')).toEqual({ h2: 'skipped', h3: 'skipped' });
    expect(statuses(r.events, 'end batch')).toEqual({});
    expect(nonZero(counts(r.events, 'h2'))).toEqual({ ok: 3 });
    expect(
      ofType(r.events, 'batch_start')
        .filter((b) => b.play === 'ends')
        .map((b) => b.hosts),
    ).toEqual([['h1', 'h2'], ['h3']]);
    expect(recap(r.events).stopped_reason).toBeUndefined();
  });
});

describe('failures', () => {
  const ws = workspace(
    {
      'keepgoing.yaml': [
        {
          name: 'one',
          hosts: 'all',
          tasks: [
            { name: 'fails on h2', fail: { msg: 'h2 is broken' }, when: '(eq inventory_hostname "h2")' },
            { name: 'next', debug: { msg: 'x' } },
          ],
        },
        { name: 'two', hosts: 'all', tasks: [{ name: 'later play', debug: { msg: 'y' } }] },
      ],
      'fatal.yaml': [
        {
          name: 'one',
          hosts: 'all',
          any_errors_fatal: true,
          tasks: [
            { name: 'fails on h2', fail: {}, when: '(eq inventory_hostname "h2")' },
            { name: 'next', debug: { msg: 'x' } },
          ],
        },
        { name: 'two', hosts: 'all', tasks: [{ name: 'later play', debug: { msg: 'y' } }] },
      ],
      'allfail.yaml': [
        {
          name: 'one',
          hosts: 'h1,h2',
          tasks: [
            { name: 'fails everywhere', fail: { msg: 'broken' } },
            { name: 'next', debug: { msg: 'x' } },
          ],
        },
        { name: 'two', hosts: 'all', tasks: [{ name: 'later play', debug: { msg: 'y' } }] },
      ],
      'deadonly.yaml': [
        { name: 'one', hosts: 'dead', tasks: [{ name: 'reach', command: 'true' }] },
        { name: 'two', hosts: 'all', tasks: [{ name: 'later play', debug: { msg: 'y' } }] },
      ],
      'earlier.yaml': [
        { name: 'one', hosts: 'all', tasks: [{ name: 'fails on h2', fail: {}, when: '(eq inventory_hostname "h2")' }] },
        { name: 'only h2', hosts: 'h2', tasks: [{ name: 'h2 task', debug: { msg: 'z' } }] },
        { name: 'three', hosts: 'all', tasks: [{ name: 'later play', debug: { msg: 'y' } }] },
      ],
      'batchfail.yaml': [
        {
          name: 'rolling',
          hosts: 'all',
          serial: 1,
          max_fail_percentage: 100,
          tasks: [{ name: 'fails on h1', fail: {}, when: '(eq inventory_hostname "h1")' }],
        },
        { name: 'two', hosts: 'all', tasks: [{ name: 'later play', debug: { msg: 'y' } }] },
      ],
      'unreachable.yaml': [
        {
          hosts: 'all',
          tasks: [
            { name: 'tolerated', command: 'true', ignore_unreachable: true },
            { name: 'reach', command: 'true' },
            { name: 'next', command: 'true' },
          ],
        },
      ],
    },
    localHosts(['h1', 'h2', 'h3', 'dead'], { dead: closedPort }),
  );

  it('without serial, the other hosts go on; a later play leaves the failed host out (exit 2)', async () => {
    const r = await ws.run('keepgoing.yaml', '--limit', '!dead');
    expect(r.code, explain(r)).toBe(2);
    expect(statuses(r.events, 'next')).toEqual({ h1: 'ok', h3: 'ok' });
    expect(ofType(r.events, 'play_start')[1].hosts).toEqual(['h1', 'h3']);
    expect(statuses(r.events, 'later play')).toEqual({ h1: 'ok', h3: 'ok' });
    expect(nonZero(counts(r.events, 'h2'))).toEqual({ failed: 1 });
    expect(recap(r.events).stopped_reason).toBeUndefined();
  });

  it('any_errors_fatal stops every host and every later play, and says why', async () => {
    const r = await ws.run('fatal.yaml', '--limit', '!dead');
    expect(r.code, explain(r)).toBe(2);
    expect(taskStarts(r.events)).toEqual(['fails on h2']);
    expect(recap(r.events).stopped_reason).toMatch(
      /^any_errors_fatal: h2 failed at 'fails on h2' \(.*fatal\.yaml:\d+\)/,
    );
  });

  it('a play in which every host failed stops the run: no later play starts, the recap says why (exit 2)', async () => {
    const r = await ws.run('allfail.yaml', '--limit', '!dead');
    expect(r.code, explain(r)).toBe(2);
    expect(taskStarts(r.events)).toEqual(['fails everywhere']);
    expect(ofType(r.events, 'play_start').map((p) => p.play)).toEqual(['one']);
    expect(recap(r.events).stopped_reason).toBe(
      "play 'one': every host failed or was unreachable (h1, h2); no later play runs",
    );
    expect(ofType(r.events, 'play_end')[0].stopped).toBe(recap(r.events).stopped_reason);
  });

  it('a play whose only host is unreachable stops the run too (exit 3)', async () => {
    const r = await ws.run('deadonly.yaml');
    expect(r.code, explain(r)).toBe(3);
    expect(statuses(r.events, 'reach')).toEqual({ dead: 'unreachable' });
    expect(taskStarts(r.events)).toEqual(['reach']);
    expect(recap(r.events).stopped_reason).toBe(
      "play 'one': every host failed or was unreachable (dead); no later play runs",
    );
  });

  it('a play whose hosts all failed in an earlier play runs nowhere and stops the run', async () => {
    const r = await ws.run('earlier.yaml', '--limit', '!dead');
    expect(r.code, explain(r)).toBe(2);
    expect(ofType(r.events, 'play_start').map((p) => [p.play, p.hosts])).toEqual([
      ['one', ['h1', 'h2', 'h3']],
      ['only h2', []],
    ]);
    expect(taskStarts(r.events)).toEqual(['fails on h2']);
    expect(recap(r.events).stopped_reason).toBe(
      "play 'only h2': every host of it failed or was unreachable in an earlier play (h2); no later play runs",
    );
  });

  it('a serial batch in which every host failed stops the run, even under max_fail_percentage 100', async () => {
    const r = await ws.run('batchfail.yaml', '--limit', '!dead');
    expect(r.code, explain(r)).toBe(2);
    expect(ofType(r.events, 'batch_start').map((b) => b.hosts)).toEqual([['h1']]);
    expect(taskStarts(r.events)).toEqual(['fails on h1']);
    expect(recap(r.events).stopped_reason).toBe(
      "play 'rolling', batch 1/3: every host of the batch failed or was unreachable (h1); no later batch or play runs",
    );
  });

  it('an unreachable host leaves the play; only unreachable hosts means exit 3', async () => {
    const r = await ws.run('unreachable.yaml');
    expect(r.code, explain(r)).toBe(3);
    expect(statuses(r.events, 'tolerated')).toEqual({ h1: 'changed', h2: 'changed', h3: 'changed', dead: 'ignored' });
    expect(statuses(r.events, 'reach')).toEqual({ h1: 'changed', h2: 'changed', h3: 'changed', dead: 'unreachable' });
    expect(Object.keys(statuses(r.events, 'next')).sort()).toEqual(['h1', 'h2', 'h3']);
    expect(nonZero(counts(r.events, 'dead'))).toEqual({ unreachable: 1, ignored: 1 });
    const msg = ofType(r.events, 'task_result').find((e) => e.task === 'reach' && e.host === 'dead')!.msg;
    expect(msg).toMatch(/127\.0\.0\.1:1/);
  });
});

// As Ansible: clear_host_errors forgets failures for the exit status and later plays, but a
// host that left the play does not come back to it.
describe('meta: clear_host_errors', () => {
  const ws = workspace(
    {
      'clear.yaml': [
        {
          name: 'errors',
          hosts: 'all',
          tasks: [
            { name: 'fails on h1', fail: {}, when: '(eq inventory_hostname "h1")' },
            { name: 'clear', meta: 'clear_host_errors' },
            { name: 'after clearing', debug: { msg: 'x' } },
          ],
        },
        { name: 'later', hosts: 'all', tasks: [{ name: 'later play', debug: { msg: 'y' } }] },
      ],
    },
    localHosts(['h1', 'h2']),
  );

  it('exits 0, keeps h1 out of the rest of its play, and lets it run the next play', async () => {
    const r = await ws.run('clear.yaml');
    expect(r.code, explain(r)).toBe(0);
    expect(statuses(r.events, 'after clearing')).toEqual({ h2: 'ok' });
    expect(statuses(r.events, 'later play')).toEqual({ h1: 'ok', h2: 'ok' });
  });
});
