// canary-cutover.yaml (seed 001's worker replacement) on a sandbox of LXC containers behind a
// Proxmox node, as the seed runs it: a-1 is the old worker, a-2 the new one. --check writes
// nothing and lists what the run then does; the run drains a-1 and waits until the evicted
// Deployment runs elsewhere; a second run changes nothing; then the hard cutover (the agent
// stopped through pct, the Node deleted), again idempotent.
import { expect, it } from 'vitest';
import { until, untilPodsSettled } from './arrange.js';
import { describeSandboxes } from './backends.js';
import { changeLines, recap, results, type Sandbox } from './sandbox.js';

const CANARY = ['-e', 'k3s_canary_old=a-1', '-e', 'k3s_canary_new=a-2'];

/** Every web pod on `node`: where the cutover must move them from (the scheduler's choice is not the test's). */
async function packOnto(sb: Sandbox, node: string, others: string[]): Promise<void> {
  const merge = sb.kube.patchOptions('merge') as never;
  for (const n of others) await sb.kube.core.patchNode({ name: n, body: { spec: { unschedulable: true } } }, merge);
  try {
    const pods = (await sb.kube.core.listNamespacedPod({ namespace: 'default' })).items;
    for (const p of pods.filter((x) => x.spec?.nodeName !== node))
      await sb.kube.core.deleteNamespacedPod({ name: p.metadata!.name!, namespace: 'default' });
    for (const n of others) await untilPodsSettled(sb, 'default', n);
  } finally {
    for (const n of others) await sb.kube.core.patchNode({ name: n, body: { spec: { unschedulable: null } } }, merge);
  }
}

const webPods = async (sb: Sandbox) =>
  (await sb.kube.core.listNamespacedPod({ namespace: 'default' })).items.filter(
    (p) => p.metadata?.name?.startsWith('web-') && !p.metadata.deletionTimestamp,
  );

describeSandboxes('canary-cutover.yaml', ['--proxmox'], (sandbox, backend) => {
  // Refused by assertions before any API write: kube-sim alone covers it.
  it.skipIf(backend === 'real')(
    'refuses before anything changes: no workers given, a server as the old one',
    async () => {
      const sb = sandbox();
      await sb.clearRequests();
      const none = await sb.run('canary-cutover.yaml');
      expect(none.code).toBe(2);
      expect(results(none).find((e) => e.status === 'failed')?.msg).toMatch(
        /^give two different workers \(-e k3s_canary_old=\.\.\. -e k3s_canary_new=\.\.\.\)/,
      );
      const server = await sb.run('canary-cutover.yaml', '-e', 'k3s_canary_old=s-1', '-e', 'k3s_canary_new=a-2');
      expect(server.code).toBe(2);
      expect(results(server).find((e) => e.status === 'failed')?.msg).toBe(
        's-1 is a k3s server: canary-cutover replaces workers (remove a server with remove-node.yaml). Nothing was changed',
      );
      expect(await sb.mutations()).toEqual([]);
    },
  );

  it('--check lists the pods that would move and writes nothing; the run moves them off a-1; a second run changes nothing', async () => {
    const sb = sandbox();
    await packOnto(sb, 'a-1', ['s-1', 'a-2']);
    const before = (await webPods(sb)).map((p) => `default/${p.metadata!.name}`).sort();
    expect(before).toHaveLength(2);
    await sb.clearRequests();
    const check = await sb.run('canary-cutover.yaml', '--check', ...CANARY);
    expect(check.code, JSON.stringify(recap(check))).toBe(0);
    expect(await sb.mutations()).toEqual([]);
    expect((await sb.kube.core.readNode({ name: 'a-1' })).spec?.unschedulable).toBeFalsy();
    const shown = results(check).find((e) => e.task === 'What the drain moves')!.msg!;
    expect(shown).toBe(
      `a-1 → a-2: 2 pods to move (${before.join(', ')}); PodDisruptionBudgets allowing no disruption when the drain looked: `,
    );
    const lines = changeLines(check);
    expect(lines.filter((l) => l.includes('| Drain the old node |'))).toEqual([
      's-1 | Drain the old node | cordon node/a-1',
      ...before.map((p) => `s-1 | Drain the old node | evict ${p}`),
    ]);
    expect(results(check).find((e) => e.task === 'Every evicted workload runs elsewhere')?.msg).toMatch(
      /^would wait until deployment default\/web: 0 of 2 pods Running and Ready off a-1; web-\S+ still on a-1; web-\S+ still on a-1$/,
    );

    const real = await sb.run('canary-cutover.yaml', ...CANARY);
    expect(real.code, JSON.stringify(recap(real))).toBe(0);
    // Evictions are listed per pod as the drain makes them: compare as sets.
    expect(changeLines(real).sort()).toEqual([...lines].sort());
    expect(results(real).find((e) => e.task === 'What the drain moves')!.msg).toBe(shown);
    expect(results(real).find((e) => e.task === 'Every evicted workload runs elsewhere')?.msg).toMatch(
      /^every workload moved off a-1: deployment default\/web: 2 of 2 pods Running and Ready on (a-2|s-1)(, s-1)?$/,
    );
    expect((await sb.kube.core.readNode({ name: 'a-1' })).spec?.unschedulable).toBe(true);
    expect((await webPods(sb)).filter((p) => p.spec?.nodeName === 'a-1')).toEqual([]);
    // Left cordoned on purpose, and the recap says so.
    expect(recap(real).cordoned).toMatchObject([{ node: 'a-1' }]);

    const again = await sb.run('canary-cutover.yaml', ...CANARY);
    expect(again.code, JSON.stringify(recap(again))).toBe(0);
    expect(changeLines(again)).toEqual([]);
  });

  it('the hard cutover: the agent stopped through pct and the Node deleted (--check first writes nothing); a second run changes nothing', async () => {
    const sb = sandbox();
    const hard = [...CANARY, '-e', 'k3s_canary_stop_old_agent=true', '-e', 'k3s_canary_delete_old_node=true'];
    const active = async () => (await sb.sh('a-1', ['systemctl', 'is-active', 'k3s-agent'])).stdout.trim();
    expect(await active()).toBe('active');
    await sb.clearRequests();
    const check = await sb.run('canary-cutover.yaml', '--check', ...hard);
    expect(check.code, JSON.stringify(recap(check))).toBe(0);
    expect(await sb.mutations()).toEqual([]);
    expect(await active()).toBe('active');
    const lines = changeLines(check);
    expect(lines).toContain('s-1 | Delete the old Node object | delete node/a-1');
    expect(lines.filter((l) => l.startsWith('a-1 | Stop and disable k3s-agent | '))).not.toEqual([]);

    const real = await sb.run('canary-cutover.yaml', ...hard);
    expect(real.code, JSON.stringify(recap(real))).toBe(0);
    expect(changeLines(real)).toEqual(lines);
    expect(await active()).not.toBe('active');
    const gone = async () =>
      sb.kube.core.readNode({ name: 'a-1' }).then(
        () => false,
        () => true,
      );
    await until(gone, 'node a-1 deleted');

    const again = await sb.run('canary-cutover.yaml', ...hard);
    expect(again.code, JSON.stringify(recap(again))).toBe(0);
    expect(changeLines(again)).toEqual([]);
    expect(await gone()).toBe(true);
  });
});
