// The Proxmox preflight (seed 001: "join and upgrade playbooks include `pct status` preflight
// checks; join playbooks auto-start stopped target containers"), on a sandbox whose nodes are
// LXC containers behind a Proxmox node: upgrade-k3s refuses a stopped container by name and
// vmid before anything changes; join-node starts a stopped target container, then joins it.
import path from 'node:path';
import { expect, it } from 'vitest';
import { setContainerStatus } from '../../../sandbox/k3s-fake/index.js';
import { untilReady } from './arrange.js';
import { describeSandboxes } from './backends.js';
import { changeLines, recap, results } from './sandbox.js';

describeSandboxes('the Proxmox preflight', ['--proxmox', '--spare', '1'], (sandbox, backend) => {
  const vmid = (name: string) => sandbox().state.nodes.find((n) => n.name === name)!.vmid!;
  const fleet = () => path.join(sandbox().state.stateDir, 'fleet');
  const pctStatus = async (name: string) =>
    (await sandbox().sh('pve', ['pct', 'status', String(vmid(name))])).stdout.trim();

  // pct's answer decides it before any API request is made: kube-sim alone covers it, so CI
  // does not run it again on the real control plane.
  it.skipIf(backend === 'real')(
    'upgrade-k3s.yaml: `pct status` of every container first; a stopped one is refused by name and vmid, in --check and for real, and nothing changes',
    async () => {
      const sb = sandbox();
      const task = 'Every Proxmox container is running';
      // pct reports a-1's container stopped (k3s inside runs on: what is checked is pct's word).
      await setContainerStatus(fleet(), 'pve', vmid('a-1'), 'stopped');
      try {
        await sb.clearRequests();
        for (const flags of [['--check'], []]) {
          const r = await sb.run('upgrade-k3s.yaml', ...flags);
          expect(r.code, JSON.stringify(recap(r))).toBe(2);
          const at = results(r).filter((e) => e.task === task);
          expect(Object.fromEntries(at.map((e) => [e.host, [e.status, e.msg]]))).toEqual({
            's-1': ['ok', `container ${vmid('s-1')} (s-1) on pve is running`],
            'a-1': [
              'failed',
              `container ${vmid('a-1')} (a-1) on pve is stopped: start it with \`pct start ${vmid('a-1')}\` on pve, then run again; nothing was changed`,
            ],
            'a-2': ['ok', `container ${vmid('a-2')} (a-2) on pve is running`],
          });
          // Nothing after it ran: any_errors_fatal stops the rollout at the preflight.
          expect(results(r).filter((e) => e.task !== task)).toEqual([]);
          expect(recap(r).stopped_reason).toMatch(
            /^any_errors_fatal: a-1 failed at 'Every Proxmox container is running'/,
          );
        }
        expect(await sb.mutations()).toEqual([]);
        expect(await pctStatus('a-1')).toBe('status: stopped');
      } finally {
        await setContainerStatus(fleet(), 'pve', vmid('a-1'), 'running');
      }
    },
  );

  it('join-node.yaml: a stopped target container is started first (--check says so and starts nothing), then joined; a second run changes nothing', async () => {
    const sb = sandbox();
    const j = vmid('j-1');
    await setContainerStatus(fleet(), 'pve', j, 'stopped');
    await sb.clearRequests();
    const check = await sb.run('join-node.yaml', '--check');
    expect(check.code, JSON.stringify(recap(check))).toBe(0);
    expect(changeLines(check)).toEqual([
      `j-1 | The node's Proxmox container is running (started if stopped) | start container ${j} (j-1) on pve (pct start ${j})`,
    ]);
    // The rehearsal ends there for j-1 (meta end_host): nothing inside a stopped container can be read.
    expect(
      results(check)
        .filter((e) => e.host === 'j-1')
        .map((e) => e.task),
    ).toEqual(["The node's Proxmox container is running (started if stopped)"]);
    expect(await pctStatus('j-1')).toBe('status: stopped');
    expect(await sb.mutations()).toEqual([]);

    const real = await sb.run('join-node.yaml');
    expect(real.code, JSON.stringify(recap(real))).toBe(0);
    const lines = changeLines(real);
    expect(lines[0]).toBe(changeLines(check)[0]);
    expect(lines.some((l) => /^j-1 \| Install k3s as an agent \| /.test(l))).toBe(true);
    expect(await pctStatus('j-1')).toBe('status: running');
    await untilReady(sb, 'j-1', 'True');

    const again = await sb.run('join-node.yaml');
    expect(again.code, JSON.stringify(recap(again))).toBe(0);
    expect(changeLines(again)).toEqual([]);
    expect(results(again).find((e) => e.host === 'j-1' && e.task.startsWith("The node's Proxmox container"))?.msg).toBe(
      `container ${j} (j-1) on pve is running`,
    );
  });
});
