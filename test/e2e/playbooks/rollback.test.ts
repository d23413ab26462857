// rollback-k3s (seed 002) on one sandbox per backend (kube-sim, a real control plane): the
// upgrade undone agents first, --check writing nothing and reporting what the run then does, an
// etcd snapshot restore, and the refusals that come before anything is stopped.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readFakeSystemdLog } from '../../../sandbox/fleet/index.js';
import { readyOf } from './arrange.js';
import { describeSandboxes } from './backends.js';
import { changeLines, recap, results, unpredictedEvictions, withoutEvictions } from './sandbox.js';

describeSandboxes('rollback playbook', ['--spare', '1'], (sandbox) => {
  const node = (name: string) => sandbox().state.nodes.find((n) => n.name === name)!;

  describe('rollback-k3s.yaml (seed 002)', () => {
    it('upgrade, then back: agents first, then the server; --check reports what the run does; then nothing', async () => {
      const sb = sandbox();
      expect((await sb.run('upgrade-k3s.yaml')).code).toBe(0);
      const check = await sb.run('rollback-k3s.yaml', '--check', '-e', 'k3s_rollback_version=v1.31.4+k3s1');
      expect(check.code, JSON.stringify(recap(check))).toBe(0);
      const r = await sb.run('rollback-k3s.yaml', '-e', 'k3s_rollback_version=v1.31.4+k3s1');
      expect(r.code, JSON.stringify(recap(r))).toBe(0);
      // The agents' drains move pods onto the server, which is drained last: it evicts more than the rehearsal saw.
      expect(withoutEvictions(changeLines(r))).toEqual(withoutEvictions(changeLines(check)));
      unpredictedEvictions(changeLines(check), changeLines(r));
      const order = results(r)
        .filter((e) => e.task === 'Install the earlier release' && e.status === 'changed')
        .map((e) => e.host);
      expect(order).toEqual(['a-1', 'a-2', 's-1']);
      expect(
        (await sb.kube.core.listNode({})).items.every((n) => n.status?.nodeInfo?.kubeletVersion === 'v1.31.4+k3s1'),
      ).toBe(true);
      expect(changeLines(await sb.run('rollback-k3s.yaml', '-e', 'k3s_rollback_version=v1.31.4+k3s1'))).toEqual([]);
    });

    it('a snapshot that is not there refuses before any server is stopped', async () => {
      const sb = sandbox();
      const stopsBefore = (await readFakeSystemdLog(path.join(sb.state.stateDir, 'fleet'), 's-1')).filter(
        (e) => e.action === 'stop',
      ).length;
      const r = await sb.run(
        'rollback-k3s.yaml',
        '-e',
        'k3s_rollback_version=v1.31.4+k3s1',
        '-e',
        'k3s_restore_snapshot=no-such-snapshot',
      );
      expect(r.code).toBe(2);
      expect(results(r).find((e) => e.status === 'failed')?.msg).toMatch(
        /^no snapshot at \/var\/lib\/rancher\/k3s\/server\/db\/snapshots\/no-such-snapshot on s-1: .*nothing was stopped$/,
      );
      expect(
        (await readFakeSystemdLog(path.join(sb.state.stateDir, 'fleet'), 's-1')).filter((e) => e.action === 'stop')
          .length,
      ).toBe(stopsBefore);
      expect(await readyOf(sandbox(), 's-1')).toBe('True');
    });

    it('restores an etcd snapshot with the cluster-reset procedure; the server comes back Ready', async () => {
      const sb = sandbox();
      expect((await sb.run('backup-etcd.yaml', '-e', 'k3s_snapshot_name=before-restore')).code).toBe(0);
      const dir = path.join(node('s-1').root, 'var/lib/rancher/k3s/server/db/snapshots');
      const snapshot = readdirSync(dir).find((f) => f.startsWith('before-restore-s-1-'))!;
      expect(snapshot).toBeDefined();
      const r = await sb.run(
        'rollback-k3s.yaml',
        '-e',
        'k3s_rollback_version=v1.31.4+k3s1',
        '-e',
        `k3s_restore_snapshot=${snapshot}`,
      );
      expect(r.code, JSON.stringify(recap(r))).toBe(0);
      const resets = readFileSync(path.join(node('s-1').root, 'var/lib/rancher/k3s/fake/cluster-reset.log'), 'utf8');
      expect(resets).toContain(
        `cluster-reset restore=/var/lib/rancher/k3s/server/db/snapshots/${snapshot} version=v1.31.4+k3s1`,
      );
      expect(results(r).find((e) => e.task === 'Wait for the first server to be Ready from the snapshot')?.status).toBe(
        'ok',
      );
      expect(await readyOf(sandbox(), 's-1')).toBe('True');
    });

    it('without k3s_rollback_version it refuses before anything, saying how', async () => {
      const r = await sandbox().run('rollback-k3s.yaml');
      expect(r.code).toBe(2);
      expect(results(r).find((e) => e.status === 'failed')?.msg).toBe(
        'say which release to go back to: -e k3s_rollback_version=v1.31.4+k3s1',
      );
    });
  });
});
