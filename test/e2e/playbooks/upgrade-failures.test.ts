// upgrade-k3s.yaml when things go wrong, on kube-sim and on a real control plane: a drain
// blocked by a PodDisruptionBudget, an agent unreachable in preflight. Each stops the rollout
// before it can hurt more, says why and which nodes are left cordoned, and touches no other node.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { herdbook, ROOT } from '../helpers.js';
import { movePodsOff } from './arrange.js';
import { describeSandboxes } from './backends.js';
import { recap, results, type Sandbox } from './sandbox.js';

const versions = async (sb: Sandbox) =>
  Object.fromEntries(
    (await sb.kube.core.listNode({})).items.map((n) => [n.metadata!.name!, n.status?.nodeInfo?.kubeletVersion]),
  );
const cordoned = async (sb: Sandbox) =>
  (await sb.kube.core.listNode({})).items.filter((n) => n.spec?.unschedulable).map((n) => n.metadata!.name!);

describeSandboxes('upgrade-k3s.yaml stops before it hurts', ['--agents', '3'], (sandbox) => {
  it('an agent unreachable in preflight: nothing is changed anywhere (exit 3)', async () => {
    const sb = sandbox();
    const a3 = sb.state.nodes.find((n) => n.name === 'a-3')!;
    const inv = path.join(sb.state.stateDir, 'unreachable.ini');
    // The same inventory with a-3 pointing at a closed port.
    writeFileSync(inv, readFileSync(sb.state.inventory, 'utf8').replace(`ansible_port=${a3.port}`, 'ansible_port=1'));
    await sb.clearRequests();
    const r = await herdbook(['run', path.join(ROOT, 'playbooks/upgrade-k3s.yaml'), '-i', inv, '--output', 'json'], {
      timeoutMs: 240_000,
    });
    expect(r.code).toBe(3);
    // The Proxmox preflight before it is ok on an SSH host without contacting it; the first contact is unreachable.
    const a3Results = results(r).filter((e) => e.host === 'a-3');
    expect(a3Results.map((e) => [e.task, e.status])).toEqual([
      ['Every Proxmox container is running', 'ok'],
      ['Every node answers and reports its k3s', 'unreachable'],
    ]);
    expect(recap(r).stopped_reason).toMatch(
      /^any_errors_fatal: a-3 was unreachable at 'Every node answers and reports its k3s'/,
    );
    expect(await sb.mutations()).toEqual([]);
    expect(Object.values(await versions(sb)).every((v) => v === 'v1.31.4+k3s1')).toBe(true);
  });

  it('a drain blocked by a PodDisruptionBudget: the rollout stops there, that node stays cordoned, no other agent is touched (exit 2)', async () => {
    const sb = sandbox();
    // This is about an agent's drain: web runs on the agents (the real scheduler may have put a replica on s-1).
    await movePodsOff(sb, 's-1');
    // Nothing of web may be disrupted now: minAvailable equals the replicas.
    await sb.kube.policy.patchNamespacedPodDisruptionBudget(
      { name: 'web', namespace: 'default', body: { spec: { minAvailable: 2, maxUnavailable: null } } },
      sb.kube.patchOptions('merge') as never,
    );
    const web = (await sb.kube.core.listNamespacedPod({ namespace: 'default' })).items.map((p) => p.spec?.nodeName);
    const r = await sb.run('upgrade-k3s.yaml', '-e', 'k3s_drain_timeout=3');
    expect(r.code).toBe(2);
    const rc = recap(r);
    const blocked = results(r).find((e) => e.task === 'Drain the agent' && e.status === 'failed')!;
    expect(web).toContain(blocked.host);
    expect(blocked.msg).toMatch(
      /timed out after 3s: 1 pod still there: default\/web-\S+; blocked by pdb\/default\/web .*stays cordoned\. Free the budget/,
    );
    expect(rc.stopped_reason).toMatch(new RegExp(`^batch \\d/3 \\(${blocked.host}\\): 1 of 1 host failed`));
    expect(rc.cordoned).toEqual([{ node: blocked.host, reason: 'drained' }]);
    expect(await cordoned(sb)).toEqual([blocked.host]);
    const v = await versions(sb);
    expect(v['s-1']).toBe('v1.32.5+k3s1');
    // The blocked agent was not upgraded, and no agent after it was touched.
    expect(v[blocked.host]).toBe('v1.31.4+k3s1');
    const touched = results(r)
      .filter((e) => e.task.startsWith('Drain the agent'))
      .map((e) => e.host);
    expect(touched.at(-1)).toBe(blocked.host);
    for (const h of ['a-1', 'a-2', 'a-3'].filter((x) => !touched.includes(x))) expect(v[h]).toBe('v1.31.4+k3s1');
  });

  it('run again once the budget allows it: it continues where it stopped and uncordons the node', async () => {
    const sb = sandbox();
    await sb.kube.policy.patchNamespacedPodDisruptionBudget(
      { name: 'web', namespace: 'default', body: { spec: { minAvailable: null, maxUnavailable: 1 } } },
      sb.kube.patchOptions('merge') as never,
    );
    const r = await sb.run('upgrade-k3s.yaml');
    expect(r.code, JSON.stringify(recap(r))).toBe(0);
    expect(results(r).find((e) => e.host === 's-1' && e.task === 'Upgrade k3s')?.status).toBe('ok');
    expect(Object.values(await versions(sb)).every((v) => v === 'v1.32.5+k3s1')).toBe(true);
    expect(await cordoned(sb)).toEqual([]);
  });
});
