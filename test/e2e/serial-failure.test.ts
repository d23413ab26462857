// Rolling batches under the failure policy: 10 hosts, serial [1, 3, "50%"], a host failing
// (or unreachable) in batch 2; max_fail_percentage 0 stops the rollout before batch 3 and no
// later play starts; 40 lets it roll on.
import { describe, expect, it } from 'vitest';
import { explain, localHosts, ofType, recap, statuses, workspace } from './helpers.js';

const names = Array.from({ length: 10 }, (_, i) => `n${String(i + 1).padStart(2, '0')}`);
const closedPort = { ansible_connection: 'ssh', ansible_host: '127.0.0.1', ansible_port: 1, ansible_user: 'root' };

const rollout = (maxFail: number | undefined) => [
  {
    name: 'rollout',
    hosts: 'all',
    serial: [1, 3, '50%'],
    ...(maxFail === undefined ? {} : { max_fail_percentage: maxFail }),
    tasks: [
      { name: 'upgrade', shell: 'echo upgraded > {{out}}/state' },
      { name: 'verify', fail: { msg: 'verification failed' }, when: '(eq inventory_hostname "n03")' },
      { name: 'uncordon', shell: 'echo done >> {{out}}/state' },
    ],
  },
  { name: 'afterwards', hosts: 'all', tasks: [{ name: 'report', debug: { msg: 'after' } }] },
];

describe('serial batches and max_fail_percentage', () => {
  const ws = workspace(
    { 'p0.yaml': rollout(0), 'p40.yaml': rollout(40), 'default.yaml': rollout(undefined) },
    localHosts(names),
  );
  const dead = workspace({ 'unreach.yaml': rollout(0) }, localHosts(names, { n04: closedPort }));

  it('computes the batches Ansible does: 1, 3, then 50% (5) repeating', async () => {
    const r = await ws.run('p40.yaml');
    expect(
      ofType(r.events, 'batch_start')
        .filter((b) => b.play === 'rollout')
        .map((b) => `${b.batch}/${b.of}:${b.hosts.join(',')}`),
    ).toEqual(['1/4:n01', '2/4:n02,n03,n04', '3/4:n05,n06,n07,n08,n09', '4/4:n10']);
  });

  it('max_fail_percentage 0: a failure in batch 2 stops the play; no batch 3, no later play (exit 2)', async () => {
    ws.clean();
    const r = await ws.run('p0.yaml');
    expect(r.code, explain(r)).toBe(2);
    expect(ofType(r.events, 'batch_start').map((b) => b.batch)).toEqual([1, 2]);
    expect(ofType(r.events, 'play_start').map((p) => p.play)).toEqual(['rollout']);
    expect(statuses(r.events, 'verify')).toMatchObject({ n03: 'failed' });
    const reason = recap(r.events).stopped_reason!;
    expect(reason).toContain(
      'batch 2/4 (n02, n03, n04): 1 of 3 hosts failed or unreachable (n03), over max_fail_percentage 0',
    );
    expect(reason).toContain('no later batch or play was started');
    // Nothing touched n05..n10.
    expect(recap(r.events).hosts.n05).toMatchObject({ ok: 0, changed: 0 });
  });

  it('a serial play stops at its first failed batch by default', async () => {
    const r = await ws.run('default.yaml');
    expect(r.code, explain(r)).toBe(2);
    expect(ofType(r.events, 'batch_start').map((b) => b.batch)).toEqual([1, 2]);
  });

  it('max_fail_percentage 40: 1 of 3 (33%) is under the limit, every batch and the next play run', async () => {
    ws.clean();
    const r = await ws.run('p40.yaml');
    expect(r.code, explain(r)).toBe(2);
    expect(
      ofType(r.events, 'batch_start')
        .filter((b) => b.play === 'rollout')
        .map((b) => b.batch),
    ).toEqual([1, 2, 3, 4]);
    expect(recap(r.events).stopped_reason).toBeUndefined();
    expect(Object.keys(statuses(r.events, 'uncordon')).length).toBe(9);
    // The later play runs on every host but the one that failed.
    expect(ofType(r.events, 'play_start')[1].hosts).toEqual(names.filter((n) => n !== 'n03'));
  });

  it('an unreachable host counts as failed: the rollout stops and the exit code says unreachable (3)', async () => {
    const r = await dead.run('unreach.yaml', '--limit', '!n03');
    expect(r.code, explain(r)).toBe(3);
    expect(statuses(r.events, 'upgrade')).toMatchObject({ n04: 'unreachable' });
    expect(ofType(r.events, 'batch_start').map((b) => b.batch)).toEqual([1, 2]);
    expect(recap(r.events).stopped_reason).toContain('1 of 3 hosts failed or unreachable (n04)');
  });
});
