// Seed 001's HA migration on one sandbox per backend (kube-sim, a real control plane), three
// servers: ha-bootstrap.yaml makes a primary on SQLite an embedded-etcd server, its flags kept,
// after a backup (a server on an external datastore is refused before anything changes);
// ha-join-servers.yaml joins the two others (destroyed and recreated as a fresh container
// would be, one still a stale etcd member), ha-validate.yaml checks the result, warns on two
// members and fails on a server that is not one. Each time --check writes nothing and names
// what the run then changes; a second run changes nothing.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { appendFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  k3sNodePaths,
  preinstallK3s,
  readEtcdMembers,
  readFakeStart,
  writeK3sConfig,
} from '../../../sandbox/k3s-fake/index.js';
import { until, untilReady } from './arrange.js';
import { describeSandboxes } from './backends.js';
import { changeLines, recap, results } from './sandbox.js';

const DROP_IN = 'etc/rancher/k3s/config.yaml.d/50-herdbook-cluster-init.yaml';

describeSandboxes('HA playbooks', ['--servers', '3', '--agents', '1'], (sandbox) => {
  const node = (name: string) => sandbox().state.nodes.find((n) => n.name === name)!;
  const s1 = () => node('s-1');

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
  describe('ha-join-servers.yaml and ha-validate.yaml', () => {
    const membersFile = () => path.join(sandbox().state.stateDir, 'k3s-etcd-members');
    const members = async () => (await readEtcdMembers(membersFile())).map((m) => m.name);
    const nodeOf = (name: string) => sandbox().kube.core.readNode({ name });
    const voter = async (name: string) =>
      (await nodeOf(name)).status?.conditions?.find((c) => c.type === 'EtcdIsVoter')?.status;
    /** What Terraform's replacement of the container leaves: nothing of k3s. */
    const destroy = async (name: string) => {
      await sandbox().sh(name, ['systemctl', 'stop', 'k3s']);
      const root = node(name).root;
      const p = k3sNodePaths(root);
      for (const f of [p.binary, p.unit('k3s'), p.unitEnv('k3s'), 'var/lib/rancher/k3s', 'etc/rancher/k3s'])
        await rm(path.isAbsolute(f) ? f : path.join(root, f), { recursive: true, force: true });
    };

    it('joins fresh servers (a stale member removed first), then validates, warns on two members and fails on a server that is not one', async () => {
      const sb = sandbox();
      // After ha-bootstrap.yaml: s-1 the only member. s-2 and s-3 recreated empty; s-3's member
      // of its earlier life is still in the cluster (its Node says so, as k3s published it).
      expect(await members()).toEqual([readFileSync(k3sNodePaths(s1().root).etcdName, 'utf8')]);
      const staleS3 = readFileSync(k3sNodePaths(node('s-3').root).etcdName, 'utf8');
      await destroy('s-2');
      await destroy('s-3');
      await appendFile(membersFile(), `${staleS3} https://s-3:2380\n`);
      await untilReady(sb, 's-2', 'True', true);
      await untilReady(sb, 's-3', 'True', true);
      await until(async () => (await voter('s-3')) === 'True' && (await voter('s-2')) === 'False', 'etcd conditions');

      await sb.clearRequests();
      const check = await sb.run('ha-join-servers.yaml', '--check');
      expect(check.code, JSON.stringify(recap(check)) + check.stderr).toBe(0);
      const predicted = changeLines(check);
      expect(predicted).toEqual([
        expect.stringMatching(/^s-2 \| Take the cluster lock \| /),
        expect.stringMatching(/^s-2 \| The drop-in directory of the k3s unit \| /),
        expect.stringMatching(/^s-2 \| Create \/dev\/kmsg before k3s starts \| /),
        expect.stringMatching(/^s-2 \| Install k3s as a server \| install k3s v1\.31\.4\+k3s1 as server /),
        expect.stringMatching(/^s-3 \| Take the cluster lock \| /),
        expect.stringMatching(/^s-3 \| The drop-in directory of the k3s unit \| /),
        expect.stringMatching(/^s-3 \| Create \/dev\/kmsg before k3s starts \| /),
        's-3 | Remove its stale etcd member | set annotation etcd.k3s.cattle.io/remove=true on node/s-3',
        expect.stringMatching(/^s-3 \| Install k3s as a server \| install k3s v1\.31\.4\+k3s1 as server /),
        expect.stringMatching(/^s-1 \| Release the cluster lock \| /),
      ]);
      expect(await sb.mutations()).toEqual([]);
      for (const n of ['s-2', 's-3']) {
        expect(existsSync(k3sNodePaths(node(n).root).unit('k3s'))).toBe(false);
        expect(existsSync(path.join(node(n).root, 'etc/systemd/system/k3s.service.d'))).toBe(false);
      }
      expect(await members()).toContain(staleS3);

      const r = await sb.run('ha-join-servers.yaml');
      expect(r.code, JSON.stringify(recap(r)) + r.stderr).toBe(0);
      expect(changeLines(r)).toEqual(predicted);
      const token = readFileSync(k3sNodePaths(s1().root).token, 'utf8').trim();
      expect(r.stdout + r.stderr).not.toContain(token.split('::server:')[1]);
      const now = await members();
      expect(now).toHaveLength(3);
      expect(now).not.toContain(staleS3);
      for (const n of ['s-2', 's-3']) {
        const start = (await readFakeStart(node(n).root, 'server'))!;
        expect(start.datastore).toBe('etcd');
        expect(start.args).toEqual(['--disable', 'traefik']);
        expect(start.execStartPre.join(' ')).toContain('/dev/kmsg');
        const name = readFileSync(k3sNodePaths(node(n).root).etcdName, 'utf8');
        expect(now).toContain(name);
        expect((await nodeOf(n)).metadata?.annotations?.['etcd.k3s.cattle.io/node-name']).toBe(name);
      }
      // k3s's member controller reset the removal once s-3 rejoined under a new name.
      expect((await nodeOf('s-3')).metadata?.annotations?.['etcd.k3s.cattle.io/remove']).toBe('false');

      const again = await sb.run('ha-join-servers.yaml');
      expect(again.code).toBe(0);
      expect(changeLines(again)).toEqual([]);

      await sb.clearRequests();
      const valid = await sb.run('ha-validate.yaml', '-e', 'k3s_ha_take_snapshot=true');
      expect(valid.code, JSON.stringify(recap(valid))).toBe(0);
      expect(results(valid).find((e) => e.task === 'An odd number of etcd members, more than one')?.msg).toBe(
        '3 etcd members (s-1, s-2, s-3)',
      );
      expect(changeLines(valid)).toEqual([
        's-1 | Take an etcd snapshot | save etcd snapshot ha-validate-s-1-<unix time> in /var/lib/rancher/k3s/server/db/snapshots',
      ]);
      expect(readdirSync(k3sNodePaths(s1().root).snapshots).some((f) => f.startsWith('ha-validate-s-1-'))).toBe(true);
      expect(await sb.mutations()).toEqual([]);

      // An operator takes s-3 out of etcd (k3s's way); its k3s still runs.
      const merge = sb.kube.patchOptions('merge') as never;
      await sb.kube.core.patchNode(
        { name: 's-3', body: { metadata: { annotations: { 'etcd.k3s.cattle.io/remove': 'true' } } } },
        merge,
      );
      await until(async () => (await voter('s-3')) === 'False' && (await members()).length === 2, 's-3 removed');
      const failed = await sb.run('ha-validate.yaml');
      expect(failed.code).toBe(2);
      expect(
        results(failed)
          .filter((e) => e.status === 'failed')
          .map((e) => `${e.host}: ${e.msg}`),
      ).toEqual([
        's-3: node/s-3 is Ready and not a voting etcd member (etcd members: s-1, s-2): join it with ha-join-servers.yaml, which says how to reset a server taken out of etcd first',
      ]);
      expect(results(failed).some((e) => e.task === 'An odd number of etcd members, more than one')).toBe(false);
      // Its advice taken as is: the join refuses s-3 at once (k3s does not rejoin a removed member
      // by itself, so waiting would only wait out k3s_wait_timeout), says what to do, changes nothing.
      const rejoin = await sb.run('ha-join-servers.yaml');
      expect(rejoin.code).toBe(2);
      const refused = results(rejoin).filter((e) => e.status === 'failed');
      expect(refused.map((e) => `${e.host} | ${e.task}`)).toEqual(['s-3 | Not an etcd server outside this cluster']);
      expect(refused[0].msg).toMatch(
        /^s-3 runs k3s as an embedded-etcd server but is not a member of s-1's etcd cluster \(members: s-1, s-2\): it was removed from it\. .*move \/var\/lib\/rancher\/k3s\/server\/db aside.* Nothing was changed on it\.$/,
      );
      expect(changeLines(rejoin)).toEqual([]);
      const two = await sb.run('ha-validate.yaml', '--limit', 's-1,s-2');
      expect(two.code, JSON.stringify(recap(two))).toBe(0);
      expect(results(two).find((e) => e.task === 'Two members have no fault tolerance')?.msg).toMatch(
        /^WARNING: 2 etcd members \(s-1, s-2\) have no fault tolerance/,
      );
      expect(changeLines(two)).toEqual([]);
    });
  });
});
