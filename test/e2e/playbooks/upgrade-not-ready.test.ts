// A node that does not come back after its upgrade, on kube-sim and on a real control plane:
// the rollout stops at that node, reports it, and says it is left cordoned (it was drained); the
// agents after it are not touched. Running again once it is fixed continues from there.
import { rmSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { steer, untilReady } from './arrange.js';
import { describeSandboxes } from './backends.js';
import { recap, results } from './sandbox.js';

describeSandboxes('a node that does not come back', ['--agents', '2'], (sandbox) => {
  const kmsgMarker = () =>
    path.join(sandbox().state.nodes.find((n) => n.name === 'a-1')!.root, 'etc/rancher/fake-lxc-no-kmsg');

  it('k3s does not start again on a-1: the rollout stops there, a-1 is reported cordoned, a-2 untouched (exit 2)', async () => {
    const sb = sandbox();
    // a-1 is now an LXC container that lost /dev/kmsg (shared/seeds/003): its kubelet cannot start.
    mkdirSync(path.dirname(kmsgMarker()), { recursive: true });
    writeFileSync(kmsgMarker(), '');
    const r = await sb.run('upgrade-k3s.yaml', '-e', 'k3s_wait_timeout=5');
    expect(r.code).toBe(2);
    const failed = results(r).find((e) => e.status === 'failed')!;
    expect(failed.host).toBe('a-1');
    expect(failed.task).toBe('Upgrade k3s');
    expect(failed.msg).toMatch(
      /^upgrade v1\.31\.4\+k3s1 → v1\.32\.5\+k3s1 \(agent, via stable channel\): the install script failed \(exit 1\): [\s\S]*Job for k3s-agent\.service failed[\s\S]*The node did not come back; fix it before going on/,
    );
    expect(recap(r).cordoned).toEqual([{ node: 'a-1', reason: 'drained' }]);
    expect(results(r).some((e) => e.host === 'a-2' && e.play === 'Upgrade the agents')).toBe(false);
  });

  it('a NotReady node stops the next run in preflight; once Ready again, the run continues where it stopped', async () => {
    const sb = sandbox();
    // The operator's fix: /dev/kmsg back, k3s-agent restarted.
    rmSync(kmsgMarker());
    expect((await sb.sh('a-1', ['systemctl', 'restart', 'k3s-agent'])).rc).toBe(0);
    await untilReady(sb, 'a-1', 'True');
    // The API will report a-2 NotReady whatever its kubelet does.
    await steer(sb, 'a-2', { ready: false });
    await untilReady(sb, 'a-2', 'True', true);
    const r = await sb.run('upgrade-k3s.yaml', '-e', 'k3s_wait_timeout=4');
    expect(r.code).toBe(2);
    // The preflight refuses a cluster with a NotReady node before changing anything.
    expect(results(r).find((e) => e.task === 'Every node is Ready')?.msg).toBe(
      'not every node is Ready (a-2): fix them before upgrading',
    );
    await steer(sb, 'a-2', { release: true });
    await untilReady(sb, 'a-2', 'True');
    const again = await sb.run('upgrade-k3s.yaml');
    expect(again.code, JSON.stringify([recap(again), results(again).filter((e) => e.status === 'failed')])).toBe(0);
    expect(
      (await sb.kube.core.listNode({})).items.every(
        (n) => n.status?.nodeInfo?.kubeletVersion === 'v1.32.5+k3s1' && !n.spec?.unschedulable,
      ),
    ).toBe(true);
  });
});
