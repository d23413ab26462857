// The read-only and small playbooks on one sandbox per backend (kube-sim, a real control
// plane): cluster-health, check-version-skew (seed 000), backup-etcd, controller-noschedule.
// Each: the normal path, --check writing nothing, and a second run changing nothing.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { preinstallK3s } from '../../../sandbox/k3s-fake/index.js';
import { steer, until, untilReady } from './arrange.js';
import { describeSandboxes } from './backends.js';
import { changeLines, recap, results } from './sandbox.js';

describeSandboxes('day-2 playbooks', ['--k3s-version', 'v1.30.14+k3s1'], (sandbox) => {
  const snapshotsOf = () => {
    const dir = path.join(
      sandbox().state.nodes.find((n) => n.name === 's-1')!.root,
      'var/lib/rancher/k3s/server/db/snapshots',
    );
    return existsSync(dir) ? readdirSync(dir) : [];
  };

  describe('cluster-health.yaml', () => {
    it('a healthy cluster passes and shows the table', async () => {
      const r = await sandbox().run('cluster-health.yaml');
      expect(r.code, JSON.stringify(recap(r))).toBe(0);
      expect(results(r).find((e) => e.task === 'Show it')?.msg).toMatch(
        /^NODE\s+ROLE\s+STATUS\s+VERSION\ns-1\s+server\s+Ready\s+v1\.30\.14\+k3s1/,
      );
      expect(changeLines(r)).toEqual([]);
    });

    it('an unhealthy cluster fails and lists the problems', async () => {
      const sb = sandbox();
      await sb.kube.core.patchNode(
        { name: 'a-2', body: { spec: { unschedulable: true } } },
        sb.kube.patchOptions('merge') as never,
      );
      const r = await sb.run('cluster-health.yaml');
      expect(r.code).toBe(2);
      expect(results(r).find((e) => e.status === 'failed')?.msg).toContain(
        'the cluster is not healthy:\n  node a-2 is cordoned',
      );
      await sb.kube.core.patchNode(
        { name: 'a-2', body: { spec: { unschedulable: null } } },
        sb.kube.patchOptions('merge') as never,
      );
    });
  });

  describe('check-version-skew.yaml', () => {
    it('passes when the versions respect the policy', async () => {
      const r = await sandbox().run('check-version-skew.yaml');
      expect(r.code).toBe(0);
    });

    it('seed 000: an agent two minors ahead of the server fails, with why and the safe order', async () => {
      const sb = sandbox();
      // What hurt the users of seed 000: a worker upgraded on its own, ahead of the server.
      const a1 = sb.state.nodes.find((n) => n.name === 'a-1')!;
      await preinstallK3s(a1.root, {
        version: 'v1.32.5+k3s1',
        role: 'agent',
        args: ['--node-label', 'sandbox=true'],
        env: { K3S_URL: 'https://s-1:6443', K3S_TOKEN: 'x' },
      });
      // Its kubelet reports the new version once the node source polls it.
      await until(
        async () => (await sb.kube.core.readNode({ name: 'a-1' })).status?.nodeInfo?.kubeletVersion === 'v1.32.5+k3s1',
        'a-1 at v1.32.5+k3s1 in the API',
      );
      const r = await sb.run('check-version-skew.yaml');
      expect(r.code).toBe(2);
      const msg = results(r).find((e) => e.status === 'failed')!.msg!;
      expect(msg).toContain(
        'a-1 (agent) runs v1.32.5+k3s1, 2 minors newer than the oldest server s-1 (v1.30.14+k3s1): a kubelet must never be newer than the API server',
      );
      expect(msg).toContain(
        'upgrade server s-1 from v1.30.14+k3s1 to v1.32.5+k3s1 one minor at a time (v1.30 → v1.31 → v1.32',
      );
      expect(msg).toContain('upgrade agent a-2 from v1.30.14+k3s1 to v1.32.5+k3s1');
    });
  });

  describe('backup-etcd.yaml', () => {
    it('--check writes nothing; the run saves, prunes and lists; with k3s_snapshot_daily a second run changes nothing', async () => {
      const sb = sandbox();
      const before = snapshotsOf();
      const check = await sb.run('backup-etcd.yaml', '--check', '-e', 'k3s_snapshot_daily=true');
      expect(check.code).toBe(0);
      expect(changeLines(check)).toEqual([
        expect.stringMatching(
          /^s-1 \| Take a snapshot \| save etcd snapshot herdbook-s-1-<unix time> in \/var\/lib\/rancher\/k3s\/server\/db\/snapshots$/,
        ),
      ]);
      expect(snapshotsOf()).toEqual(before);
      const r = await sb.run('backup-etcd.yaml', '-e', 'k3s_snapshot_daily=true');
      expect(r.code).toBe(0);
      expect(snapshotsOf().filter((f) => f.startsWith('herdbook-s-1-'))).toHaveLength(1);
      expect(results(r).find((e) => e.task === 'Show them')?.msg).toMatch(/^herdbook-s-1-\d+$/m);
      const again = await sb.run('backup-etcd.yaml', '-e', 'k3s_snapshot_daily=true');
      expect(changeLines(again)).toEqual([]);
    });

    it('prunes to the retention', async () => {
      const sb = sandbox();
      for (let i = 0; i < 2; i++) {
        // Snapshot names carry the unix second: a new second, a new name.
        await new Promise((r) => setTimeout(r, 1100));
        expect((await sb.run('backup-etcd.yaml', '-e', 'k3s_snapshot_retention=2')).code).toBe(0);
      }
      expect(snapshotsOf().filter((f) => f.startsWith('herdbook-s-1-'))).toHaveLength(2);
    });
  });

  describe('controller-noschedule.yaml', () => {
    it('refuses while no agent is Ready to take the workloads, tainting nothing', async () => {
      const sb = sandbox();
      // The API reports both agents NotReady whatever their kubelets do.
      for (const a of ['a-1', 'a-2']) await steer(sb, a, { ready: false });
      try {
        for (const a of ['a-1', 'a-2']) await untilReady(sb, a, 'True', true);
        await sb.clearRequests();
        const r = await sb.run('controller-noschedule.yaml');
        expect(r.code).toBe(2);
        expect(results(r).find((e) => e.status === 'failed')?.msg).toMatch(
          /^no Ready agent in the cluster \(2 agents\): NoSchedule on every server would leave new pods nowhere to run/,
        );
        expect(await sb.mutations()).toEqual([]);
      } finally {
        for (const a of ['a-1', 'a-2']) await steer(sb, a, { release: true });
        for (const a of ['a-1', 'a-2']) await untilReady(sb, a, 'True');
      }
    });

    it('taints the control-plane nodes (--check first writes nothing); a second run changes nothing', async () => {
      const sb = sandbox();
      await sb.clearRequests();
      const check = await sb.run('controller-noschedule.yaml', '--check');
      expect(changeLines(check)).toEqual([
        's-1 | Taint every control-plane node | add taint node-role.kubernetes.io/control-plane:NoSchedule on node/s-1',
      ]);
      expect(await sb.mutations()).toEqual([]);
      const r = await sb.run('controller-noschedule.yaml');
      expect(changeLines(r)).toEqual(changeLines(check));
      expect((await sb.kube.core.readNode({ name: 's-1' })).spec?.taints?.map((t) => `${t.key}:${t.effect}`)).toContain(
        'node-role.kubernetes.io/control-plane:NoSchedule',
      );
      expect(changeLines(await sb.run('controller-noschedule.yaml'))).toEqual([]);
    });
  });
});
