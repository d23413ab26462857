// upgrade-k3s.yaml on the sandbox, on kube-sim and on a real control plane: --check tells
// exactly what the real run then does, the real run upgrades servers then agents, and a second
// run changes nothing.
import { expect, it } from 'vitest';
import { describeSandboxes } from './backends.js';
import { changeLines, recap, results, unpredictedEvictions, withoutEvictions } from './sandbox.js';

describeSandboxes('upgrade-k3s.yaml', [], (sandbox) => {
  let checkLines: string[] = [];

  it('--check writes nothing and says what it would do', async () => {
    const sb = sandbox();
    await sb.clearRequests();
    const before = sb.releaseRequests().length;
    const r = await sb.run('upgrade-k3s.yaml', '--check', '--detailed-exitcode');
    expect(r.code, r.stderr).toBe(10);
    expect(await sb.mutations()).toEqual([]);
    // Only the channel was read: no install script, no binary.
    expect(
      sb
        .releaseRequests()
        .slice(before)
        .every((p) => p.startsWith('/v1-release/channels')),
    ).toBe(true);
    checkLines = changeLines(r);
    expect(checkLines).toContain(
      's-1 | Upgrade k3s | upgrade v1.31.4+k3s1 → v1.32.5+k3s1 (server, via stable channel)',
    );
    expect(checkLines).toContain('a-2 | Upgrade k3s | upgrade v1.31.4+k3s1 → v1.32.5+k3s1 (agent, via stable channel)');
    expect(checkLines.filter((l) => l.includes('| Uncordon'))).toHaveLength(3);
    const nodes = (await sb.kube.core.listNode({})).items;
    expect(nodes.map((n) => n.status?.nodeInfo?.kubeletVersion)).toEqual([
      'v1.31.4+k3s1',
      'v1.31.4+k3s1',
      'v1.31.4+k3s1',
    ]);
  });

  it('the real run makes exactly the changes --check reported, servers first, one node at a time', async () => {
    const sb = sandbox();
    const r = await sb.run('upgrade-k3s.yaml');
    expect(r.code, r.stderr + JSON.stringify(recap(r))).toBe(0);
    // Pods a drain moves may land on a node drained later (the scheduler's choice): evicted there too.
    expect(withoutEvictions(changeLines(r))).toEqual(withoutEvictions(checkLines));
    unpredictedEvictions(checkLines, changeLines(r));
    const order = results(r)
      .filter((e) => e.task === 'Upgrade k3s' && e.status === 'changed')
      .map((e) => e.host);
    expect(order).toEqual(['s-1', 'a-1', 'a-2']);
    const batches = r.events
      .filter((e) => e.type === 'batch_start' && e.play === 'Upgrade the agents')
      .map((e) => (e as { hosts: string[] }).hosts);
    expect(batches).toEqual([['a-1'], ['a-2']]);
    const nodes = (await sb.kube.core.listNode({})).items;
    expect(nodes.every((n) => n.status?.nodeInfo?.kubeletVersion === 'v1.32.5+k3s1' && !n.spec?.unschedulable)).toBe(
      true,
    );
    expect(
      await sb.kube.coordination
        .readNamespacedLease({ name: 'herdbook-lock', namespace: 'kube-system' })
        .catch(() => 'gone'),
    ).toBe('gone');
  });

  it('a second run changes nothing', async () => {
    const sb = sandbox();
    await sb.clearRequests();
    const r = await sb.run('upgrade-k3s.yaml', '--detailed-exitcode');
    expect(r.code).toBe(0);
    expect(changeLines(r)).toEqual([]);
    expect(await sb.mutations()).toEqual([]);
  });
});
