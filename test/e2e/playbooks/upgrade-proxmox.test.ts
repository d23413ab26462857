// The Proxmox variant: the same playbook, k3s in LXC containers reached through `pct exec` on
// the Proxmox node (the seed-001 inventory style: pct_id and node_name), nothing else changed.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { setContainerStatus } from '../../../sandbox/k3s-fake/index.js';
import { describeSandboxes } from './backends.js';
import { changeLines, recap, results, unpredictedEvictions, withoutEvictions } from './sandbox.js';

describeSandboxes('upgrade-k3s.yaml through pct', ['--proxmox'], (sandbox, backend) => {
  it('uses a seed-001 style inventory: containers with pct_id and node_name behind the Proxmox node', () => {
    const inv = readFileSync(sandbox().state.inventory, 'utf8');
    expect(inv).toMatch(/^s-1 pct_id=201 node_name=s-1/m);
    expect(inv).toMatch(/^ansible_connection=pct$/m);
  });

  // pct's answer decides it before any API request is made: kube-sim alone covers it, so CI
  // does not run it again on the real control plane.
  it.skipIf(backend === 'real')(
    'a stopped container stops the preflight at "every node answers", naming it, in --check and for real',
    async () => {
      const sb = sandbox();
      const task = 'Every node answers and reports its k3s';
      // pct reports a-1's container stopped; k3s inside runs on, for the upgrade test after this one.
      await setContainerStatus(path.join(sb.state.stateDir, 'fleet'), 'pve', 202, 'stopped');
      try {
        await sb.clearRequests();
        for (const flags of [['--check'], []]) {
          const r = await sb.run('upgrade-k3s.yaml', ...flags);
          expect(r.code, JSON.stringify(recap(r))).toBe(3);
          const a1 = results(r).find((e) => e.host === 'a-1' && e.task === task);
          expect(a1).toMatchObject({
            status: 'unreachable',
            msg: 'container 202 (a-1) on pve is stopped: start it with `pct start 202`',
          });
          expect(results(r).filter((e) => e.task !== task)).toEqual([]);
          expect(recap(r).hosts['a-1']).toMatchObject({ ok: 0, unreachable: 1, failed: 0 });
          expect(recap(r).stopped_reason).toMatch(
            /^any_errors_fatal: a-1 was unreachable at 'Every node answers and reports its k3s' \(.*upgrade-k3s\.yaml:\d+\)$/,
          );
        }
        expect(await sb.mutations()).toEqual([]);
      } finally {
        await setContainerStatus(path.join(sb.state.stateDir, 'fleet'), 'pve', 202, 'running');
      }
    },
  );

  it('--check then the real run, through pct; a second run changes nothing', async () => {
    const sb = sandbox();
    const check = await sb.run('upgrade-k3s.yaml', '--check');
    expect(check.code, JSON.stringify(recap(check))).toBe(0);
    const real = await sb.run('upgrade-k3s.yaml');
    expect(real.code, JSON.stringify(recap(real))).toBe(0);
    // Pods a drain moves may land on a node drained later (the scheduler's choice): evicted there too.
    expect(withoutEvictions(changeLines(real))).toEqual(withoutEvictions(changeLines(check)));
    unpredictedEvictions(changeLines(check), changeLines(real));
    expect(
      (await sb.kube.core.listNode({})).items.every((n) => n.status?.nodeInfo?.kubeletVersion === 'v1.32.5+k3s1'),
    ).toBe(true);
    // The Proxmox node itself runs no k3s: everything happened inside the containers.
    const pve = await sb.sh('pve', ['sh', '-c', 'test -e /usr/local/bin/k3s && echo has-k3s || echo no-k3s']);
    expect(pve.stdout.trim()).toBe('no-k3s');
    const again = await sb.run('upgrade-k3s.yaml');
    expect(changeLines(again)).toEqual([]);
    expect(results(again).every((e) => e.status !== 'failed')).toBe(true);
  });
});
