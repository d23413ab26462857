// ha-bootstrap.yaml (seed 001's HA migration, step 1) on one sandbox per backend (kube-sim, a
// real control plane): a primary server on SQLite becomes an embedded-etcd server, its flags
// kept, after a backup; --check writes nothing and names what the run then changes; a second
// run changes nothing; a server on an external datastore is refused before anything changes.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  k3sNodePaths,
  preinstallK3s,
  readEtcdMembers,
  readFakeStart,
  writeK3sConfig,
} from '../../../sandbox/k3s-fake/index.js';
import { untilReady } from './arrange.js';
import { describeSandboxes } from './backends.js';
import { changeLines, recap, results } from './sandbox.js';

const DROP_IN = 'etc/rancher/k3s/config.yaml.d/50-herdbook-cluster-init.yaml';

describeSandboxes('HA playbooks', ['--agents', '1'], (sandbox) => {
  const s1 = () => sandbox().state.nodes.find((n) => n.name === 's-1')!;

  describe('ha-bootstrap.yaml', () => {
    it('moves a SQLite primary to embedded etcd (backup first, flags kept): --check, the run, then nothing', async () => {
      const sb = sandbox();
      const p = k3sNodePaths(s1().root);
      // The single server as most small clusters start: installed without --cluster-init (SQLite).
      await rm(p.db, { recursive: true, force: true });
      await preinstallK3s(s1().root, { version: sb.state.version, role: 'server', args: ['--disable', 'traefik'] });
      expect((await readFakeStart(s1().root, 'server'))?.datastore).toBe('sqlite');
      await untilReady(sb, 's-1', 'True');
      const unit = readFileSync(p.unit('k3s'), 'utf8');
      const backups = () => (existsSync(path.join(p.db, 'backups')) ? readdirSync(path.join(p.db, 'backups')) : []);

      await sb.clearRequests();
      const check = await sb.run('ha-bootstrap.yaml', '--check');
      expect(check.code, JSON.stringify(recap(check))).toBe(0);
      const predicted = changeLines(check);
      expect(predicted).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^s-1 \| Back up the SQLite datastore \| /),
          expect.stringMatching(/^s-1 \| Start k3s with --cluster-init, its other flags kept \| /),
          expect.stringMatching(/^s-1 \| Restart k3s \| /),
        ]),
      );
      expect(await sb.mutations()).toEqual([]);
      expect(existsSync(path.join(s1().root, DROP_IN))).toBe(false);
      expect(backups()).toEqual([]);
      expect((await readFakeStart(s1().root, 'server'))?.datastore).toBe('sqlite');

      const r = await sb.run('ha-bootstrap.yaml');
      expect(r.code, JSON.stringify(recap(r)) + r.stderr).toBe(0);
      expect(changeLines(r)).toEqual(predicted);
      const start = (await readFakeStart(s1().root, 'server'))!;
      expect(start.datastore).toBe('etcd');
      expect(start.args).toEqual(['--disable', 'traefik']);
      expect(readFileSync(p.unit('k3s'), 'utf8')).toBe(unit);
      expect(existsSync(`${p.stateDb}.migrated`)).toBe(true);
      // state.db copied with its -wal and -shm.
      expect(backups().filter((f) => f.endsWith('.db'))).toEqual([
        expect.stringMatching(/^herdbook-pre-etcd-s-1-\d+\.db$/),
      ]);
      const members = await readEtcdMembers(path.join(sb.state.stateDir, 'k3s-etcd-members'));
      expect(members.map((m) => m.name)).toEqual([readFileSync(p.etcdName, 'utf8')]);
      expect(results(r).find((e) => e.task === 'The datastore is embedded etcd')?.status).toBe('ok');

      const again = await sb.run('ha-bootstrap.yaml');
      expect(again.code).toBe(0);
      expect(changeLines(again)).toEqual([]);
    });

    it('refuses a server on an external datastore before anything changes, without printing its DSN', async () => {
      const sb = sandbox();
      await writeK3sConfig(s1().root, 'datastore-endpoint: postgres://k3s:hunter2@db.lan:5432/k3s\n');
      try {
        await sb.clearRequests();
        const r = await sb.run('ha-bootstrap.yaml');
        expect(r.code).toBe(2);
        expect(results(r).find((e) => e.status === 'failed')?.msg).toMatch(
          /^s-1 keeps the cluster in an external datastore \(--datastore-endpoint\) that the servers share/,
        );
        expect(changeLines(r)).toEqual([]);
        expect(await sb.mutations()).toEqual([]);
        expect(r.stdout + r.stderr).not.toContain('hunter2');
      } finally {
        await rm(k3sNodePaths(s1().root).config, { force: true });
      }
    });
  });
});
