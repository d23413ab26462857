// The Proxmox variant: the same playbook, k3s in LXC containers reached through `pct exec` on
// the Proxmox node (the seed-001 inventory style: pct_id and node_name), nothing else changed.
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { describeSandboxes } from './backends.js';
import { changeLines, recap, results, unpredictedEvictions, withoutEvictions } from './sandbox.js';

describeSandboxes('upgrade-k3s.yaml through pct', ['--proxmox'], (sandbox) => {
  it('uses a seed-001 style inventory: containers with pct_id and node_name behind the Proxmox node', () => {
    const inv = readFileSync(sandbox().state.inventory, 'utf8');
    expect(inv).toMatch(/^s-1 pct_id=201 node_name=s-1/m);
    expect(inv).toMatch(/^ansible_connection=pct$/m);
  });

  // A stopped container (the preflight's `pct status`) is in proxmox-preflight.test.ts.

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
