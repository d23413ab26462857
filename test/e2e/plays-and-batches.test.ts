// Plays in order, `order:`, serial batches, --forks and --limit, through the real CLI.
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { explain, localHosts, ofType, results, statuses, taskStarts, workspace } from './helpers.js';

const five = localHosts(['a1', 'a2', 'b1', 'b2', 'b3'], {}, { alpha: ['a1', 'a2'], beta: ['b1', 'b2', 'b3'] });

describe('plays, order and batches', () => {
  const ws = workspace(
    {
      'plays.yaml': [
        { name: 'first', hosts: 'beta', tasks: [{ name: 'one', shell: 'echo first >> {{out_root}}/log' }] },
        {
          name: 'second',
          hosts: 'alpha',
          order: 'reverse_inventory',
          tasks: [{ name: 'two', shell: 'echo "second {{inventory_hostname}}" >> {{out_root}}/log' }],
        },
        {
          name: 'third',
          hosts: 'all',
          order: 'sorted',
          serial: 2,
          tasks: [{ name: 'three', debug: { msg: '{{join ansible_play_batch ","}}' } }],
        },
      ],
      'orders.yaml': ['inventory', 'reverse_inventory', 'sorted', 'reverse_sorted'].map((order) => ({
        name: order,
        hosts: 'b3,a2,b1',
        order,
        serial: 1,
        tasks: [{ debug: { msg: 'x' } }],
      })),
    },
    five,
  );

  it('runs plays in file order, each on its own hosts', async () => {
    const r = await ws.run('plays.yaml');
    expect(r.code, explain(r)).toBe(0);
    const plays = ofType(r.events, 'play_start');
    expect(plays.map((p) => [p.play, p.hosts])).toEqual([
      ['first', ['b1', 'b2', 'b3']],
      ['second', ['a2', 'a1']],
      ['third', ['a1', 'a2', 'b1', 'b2', 'b3']],
    ]);
    expect(taskStarts(r.events)).toEqual(['one', 'two', 'three', 'three', 'three']);
    // Play 1 finished on all its hosts before play 2 started.
    expect(readFileSync(ws.at('out/log'), 'utf8').split('\n').slice(0, 3)).toEqual(['first', 'first', 'first']);
    expect(
      ofType(r.events, 'batch_start')
        .filter((b) => b.play === 'third')
        .map((b) => [b.batch, b.of, b.hosts]),
    ).toEqual([
      [1, 3, ['a1', 'a2']],
      [2, 3, ['b1', 'b2']],
      [3, 3, ['b3']],
    ]);
    expect(Object.keys(statuses(r.events, 'three')).sort()).toEqual(['a1', 'a2', 'b1', 'b2', 'b3']);
    // ansible_play_batch is the batch, not the play's hosts.
    const msgs = Object.fromEntries(results(r.events, 'three').map((e) => [e.host, e.msg]));
    expect(msgs).toEqual({ a1: 'a1,a2', a2: 'a1,a2', b1: 'b1,b2', b2: 'b1,b2', b3: 'b3' });
  });

  it('orders hosts as `order:` says (inventory, reverse, sorted, reverse sorted)', async () => {
    const r = await ws.run('orders.yaml');
    expect(r.code, explain(r)).toBe(0);
    const batches = (play: string) =>
      ofType(r.events, 'batch_start')
        .filter((b) => b.play === play)
        .map((b) => b.hosts[0]);
    // As in Ansible, "inventory" order is the order the pattern yields hosts (b3,a2,b1 here).
    expect(batches('inventory')).toEqual(['b3', 'a2', 'b1']);
    expect(batches('reverse_inventory')).toEqual(['b1', 'a2', 'b3']);
    expect(batches('sorted')).toEqual(['a2', 'b1', 'b3']);
    expect(batches('reverse_sorted')).toEqual(['b3', 'b1', 'a2']);
  });
});

describe('--forks', () => {
  // Each host's task counts how many of the hosts are inside it at once (a directory entry
  // per host while it runs) and logs the count; with wait_for set it also waits (up to 10 s)
  // until that many are inside, which can only happen if they run at the same time.
  const probe = [
    'mkdir -p {{out_root}}/inside && touch {{out_root}}/inside/{{inventory_hostname}}',
    'i=0; while [ "$(ls {{out_root}}/inside | wc -l)" -lt {{wait_for}} ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done',
    'ls {{out_root}}/inside | wc -l >> {{out_root}}/counts',
    'sleep 0.2; rm {{out_root}}/inside/{{inventory_hostname}}',
  ].join('\n');
  const ws = workspace({ 'forks.yaml': [{ hosts: 'all', tasks: [{ name: 'probe', shell: probe }] }] }, five);
  const maxInside = () => Math.max(...readFileSync(ws.at('out/counts'), 'utf8').trim().split('\n').map(Number));

  it('--forks 1 runs one host at a time', async () => {
    writeFileSync(ws.at('out/counts'), '');
    const r = await ws.run('forks.yaml', '--forks', '1', '-e', 'wait_for=1');
    expect(r.code, explain(r)).toBe(0);
    expect(maxInside()).toBe(1);
  });

  it('--forks 2 runs two at a time, never three', async () => {
    writeFileSync(ws.at('out/counts'), '');
    const r = await ws.run('forks.yaml', '--forks', '2', '-e', 'wait_for=2');
    expect(r.code, explain(r)).toBe(0);
    expect(maxInside()).toBe(2);
  });

  it('by default the whole batch runs at once', async () => {
    writeFileSync(ws.at('out/counts'), '');
    const r = await ws.run('forks.yaml', '-e', 'wait_for=5');
    expect(r.code, explain(r)).toBe(0);
    expect(maxInside()).toBe(5);
  });
});

describe('--limit', () => {
  const ws = workspace(
    {
      'all.yaml': [{ hosts: 'all', tasks: [{ name: 't', debug: { msg: 'x' } }] }],
      'hosts.txt': '# one per line\nb2\n\nalpha\n',
    },
    five,
  );

  it('narrows the play to a pattern', async () => {
    const r = await ws.run('all.yaml', '--limit', 'beta:!b3');
    expect(r.code, explain(r)).toBe(0);
    expect(Object.keys(statuses(r.events, 't')).sort()).toEqual(['b1', 'b2']);
  });

  it('reads hosts and patterns from @file', async () => {
    const r = await ws.run('all.yaml', '--limit', `@${ws.at('hosts.txt')}`);
    expect(r.code, explain(r)).toBe(0);
    expect(ofType(r.events, 'play_start')[0].hosts).toEqual(['a1', 'a2', 'b2']);
  });

  it('a missing @file is a usage error (exit 5)', async () => {
    const r = await ws.run('all.yaml', '--limit', `@${ws.at('nope.txt')}`);
    expect(r.code).toBe(5);
    expect(r.stderr).toContain('nope.txt');
  });

  it('a regular expression that does not compile is a usage error (exit 5), before anything runs', async () => {
    const r = await ws.run('all.yaml', '--limit', 'beta:~(');
    expect(r.code, explain(r)).toBe(5);
    expect(r.stderr).toMatch(/^herdbook: --limit beta:~\(: invalid regular expression in host pattern '~\(': /m);
    expect(ofType(r.events, 'play_start')).toEqual([]);
  });

  it('an unclosed [ is a literal character, as in fnmatch: no host matches, so the limit is refused (exit 5), no internal error', async () => {
    const r = await ws.run('all.yaml', '--limit', '[');
    expect(r.code, explain(r)).toBe(5);
    expect(r.stderr).toMatch(/^herdbook: --limit \[: matches no host of the inventory, so nothing would run/m);
    expect(ofType(r.events, 'play_start')).toEqual([]);
  });
});

describe("a play's hosts: that cannot be matched", () => {
  const ws = workspace(
    {
      'bad.yaml': [{ hosts: 'alpha:~a[', tasks: [{ name: 't', debug: { msg: 'x' } }] }],
      'templated.yaml': [{ hosts: '{{ pat }}', vars: { pat: '~(' }, tasks: [{ name: 't', debug: { msg: 'x' } }] }],
    },
    five,
  );

  it('fails validation at its line (exit 4)', async () => {
    const r = await ws.run('bad.yaml');
    expect(r.code, explain(r)).toBe(4);
    expect(r.stderr).toMatch(/bad\.yaml:\d+:\d+.*invalid regular expression in host pattern '~a\['/s);
  });

  it('when templated, fails the same way at run time, before any task', async () => {
    const r = await ws.run('templated.yaml');
    expect(r.code, explain(r)).toBe(4);
    expect(r.stderr).toContain("invalid regular expression in host pattern '~('");
    expect(taskStarts(r.events)).toEqual([]);
  });
});

describe('templated play keywords that render to junk', () => {
  const play = (extra: Record<string, unknown>) => ({
    hosts: 'beta',
    vars: { size: 'two', pct: 'lots' },
    tasks: [{ name: 't', debug: { msg: 'x' } }],
    ...extra,
  });
  const ws = workspace(
    {
      'serial-first.yaml': [play({ serial: '{{ size }}' })],
      'serial-second.yaml': [play({ name: 'fine' }), play({ name: 'junk', serial: '{{ size }}' })],
      'max-fail.yaml': [play({ serial: 1, max_fail_percentage: '{{ pct }}' })],
    },
    five,
  );

  it('serial: an input error at its line before anything runs (exit 4), not an internal error', async () => {
    const r = await ws.run('serial-first.yaml');
    expect(r.code, explain(r)).toBe(4);
    expect(r.stderr).toMatch(/serial-first\.yaml:\d+:\d+.*serial: 'two' is not a whole number or a percentage/s);
    expect(taskStarts(r.events)).toEqual([]);
  });

  it('serial in a later play: the earlier play ran; this one stops the run at its line', async () => {
    const r = await ws.run('serial-second.yaml');
    expect(r.code, explain(r)).toBe(2);
    expect(Object.keys(statuses(r.events, 't')).sort()).toEqual(['b1', 'b2', 'b3']);
    const end = ofType(r.events, 'play_end').find((e) => e.play === 'junk');
    expect(end?.stopped).toMatch(
      /^play 'junk': .*serial-second\.yaml:\d+:\d+: serial: 'two' is not a whole number or a percentage/,
    );
  });

  it('max_fail_percentage: an input error at its line, not a silent never-stop', async () => {
    const r = await ws.run('max-fail.yaml');
    expect(r.code, explain(r)).toBe(4);
    expect(r.stderr).toMatch(/max-fail\.yaml:\d+:\d+.*max_fail_percentage: 'lots' is not a percentage from 0 to 100/s);
  });
});
