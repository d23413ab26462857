import { existsSync } from 'node:fs';
import { lstat, mkdir, readFile, readlink, rm, stat, writeFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildFakeK3sBinary } from '../../../sandbox/k3s-fake/binary.js';
import {
  k3sNodePaths,
  markLxcWithoutKmsg,
  readEtcdMembers,
  readFakeStart,
  seedKubeconfig,
  shareEtcdCluster,
  setFakeNodeName,
  writeFakeK3sBinary,
  writeK3sConfig,
} from '../../../sandbox/k3s-fake/node-files.js';
import { makeNode, output, testStateDir, type TestNode } from './helpers.js';

const V = 'v1.31.4+k3s1';
const state = testStateDir();
const START = { FAKE_SYSTEMD_START: '1' };
/** Tests that start k3s several times: seconds each on a loaded 2-core machine. */
const SLOW = 180_000;
let n = 0;

/** A node with only the fake binary (no unit): k3s is run as systemd would run ExecStart. */
async function bareNode(): Promise<TestNode> {
  const node = await makeNode(state, `bin${++n}`);
  await writeFakeK3sBinary(node.root, V);
  await setFakeNodeName(node.root, node.name);
  return node;
}

describe('k3s --version', () => {
  it('prints exactly the two lines of the real binary', async () => {
    const node = await makeNode(state, 'version');
    await writeFakeK3sBinary(node.root, V, { commit: 'abcdef12' });
    const r = await node.run(['k3s', '--version']);
    expect(r.stdout).toBe('k3s version v1.31.4+k3s1 (abcdef12)\ngo version go1.22.8\n');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0].split(' ')[2]).toBe(V);
  });

  it('bakes a distinct binary per version', async () => {
    const a = await buildFakeK3sBinary('v1.30.6+k3s1');
    const b = await buildFakeK3sBinary('v1.30.6+k3s2');
    expect(a.equals(b)).toBe(false);
    await expect(buildFakeK3sBinary('1.30')).rejects.toThrow(/not a k3s release tag/);
  });

  // k3s-ansible checks its nodes with `k3s kubectl get nodes` and edits a kubeconfig with it.
  it.skipIf(!existsSync('/usr/bin/kubectl'))(
    'kubectl is the machine’s kubectl, on /etc/rancher/k3s/k3s.yaml unless KUBECONFIG says otherwise',
    async () => {
      const node = await bareNode();
      const config = (ctx: string) =>
        `apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\ncurrent-context: ${ctx}\n`;
      await mkdir(`${node.root}/etc/rancher/k3s`, { recursive: true });
      await writeFile(`${node.root}/etc/rancher/k3s/k3s.yaml`, config('from-k3s-yaml'));
      await writeFile(`${node.root}/etc/rancher/other.yaml`, config('from-env'));
      const view = ['k3s', 'kubectl', 'config', 'current-context'];
      expect((await node.run(view)).stdout).toBe('from-k3s-yaml\n');
      expect((await node.run(view, { KUBECONFIG: '/etc/rancher/other.yaml' })).stdout).toBe('from-env\n');
    },
  );

  it('answers an unknown command like urfave/cli', async () => {
    const node = await bareNode();
    const r = await node.run(['k3s', 'frobnicate']);
    expect(r.code).toBe(3);
    expect(r.stderr).toBe("No help topic for 'frobnicate'\n");
  });
});

describe('k3s server, started by systemd', () => {
  let sqlite: TestNode;
  beforeAll(async () => {
    sqlite = await bareNode();
    const r = await sqlite.run(['k3s', 'server'], { ...START, K3S_TOKEN: 's3cr3t-join' });
    expect(r.code, output(r)).toBe(0);
  });

  it('uses SQLite without --cluster-init: state.db with -wal and -shm, no etcd', async () => {
    const p = k3sNodePaths(sqlite.root);
    expect((await readFile(p.stateDb)).subarray(0, 16).toString('latin1')).toBe('SQLite format 3\0');
    expect((await stat(`${p.stateDb}-wal`)).size).toBeGreaterThan(0);
    expect((await stat(`${p.stateDb}-shm`)).size).toBe(32768);
    await expect(stat(`${p.db}/etcd`)).rejects.toThrow(/ENOENT/);
    expect((await readFakeStart(sqlite.root, 'server'))?.datastore).toBe('sqlite');
  });

  it('writes the join token, node-token (a link to it) and a kubeconfig for https://127.0.0.1:6443', async () => {
    const p = k3sNodePaths(sqlite.root);
    expect(await readFile(p.token, 'utf8')).toMatch(/^K10[0-9a-f]{64}::server:s3cr3t-join\n$/);
    expect(await readlink(p.nodeToken)).toBe('token');
    expect(await readFile(p.nodeToken, 'utf8')).toBe(await readFile(p.token, 'utf8'));
    const kubeconfig = await readFile(p.kubeconfig, 'utf8');
    expect(kubeconfig).toContain('    server: https://127.0.0.1:6443\n');
    expect((await stat(p.kubeconfig)).mode & 0o777).toBe(0o600);
  });

  it('records args and env with secrets masked', async () => {
    const start = await readFakeStart(sqlite.root, 'server');
    expect(start).toMatchObject({ version: V, role: 'server', nodeName: sqlite.name, env: { K3S_TOKEN: '********' } });
    const raw = await readFile(`${k3sNodePaths(sqlite.root).fakeDir}/server.args`, 'utf8');
    expect(raw).not.toContain('s3cr3t-join');
  });

  it.each([
    ['--cluster-init', ['--cluster-init', '--token', 'join-secret-1'], {}],
    ['a join of an etcd cluster', ['--server', 'https://10.0.0.1:6443', '--token=join-secret-1'], {}],
    ['cluster-init in config.yaml', [], { config: 'cluster-init: true\n' }],
  ])('uses embedded etcd for %s', async (_what, args, extra: { config?: string }) => {
    const node = await bareNode();
    if (extra.config) await writeK3sConfig(node.root, extra.config);
    const r = await node.run(['k3s', 'server', ...args], START);
    expect(r.code, output(r)).toBe(0);
    const p = k3sNodePaths(node.root);
    expect((await stat(p.etcdDb)).size).toBeGreaterThan(4096);
    await expect(stat(p.stateDb)).rejects.toThrow(/ENOENT/);
    const start = await readFakeStart(node.root, 'server');
    expect(start?.datastore).toBe('etcd');
    expect(start?.args.join(' ')).not.toContain('join-secret-1');
  });

  it('writes the seeded kubeconfig with the requested mode', async () => {
    const node = await bareNode();
    await seedKubeconfig(node.root, 'apiVersion: v1\nkind: Config\n# from the API simulator\n');
    const r = await node.run(['k3s', 'server', '--write-kubeconfig-mode', '644'], START);
    expect(r.code, output(r)).toBe(0);
    const p = k3sNodePaths(node.root);
    expect(await readFile(p.kubeconfig, 'utf8')).toBe('apiVersion: v1\nkind: Config\n# from the API simulator\n');
    expect((await stat(p.kubeconfig)).mode & 0o777).toBe(0o644);
  });

  it('refuses to join without a token', async () => {
    const node = await bareNode();
    const r = await node.run(['k3s', 'server', '--server', 'https://10.0.0.1:6443'], START);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/level=fatal msg="Error: --token is required"/);
  });
});

describe('k3s agent', () => {
  it.each([
    ['no token', { K3S_URL: 'https://10.0.0.1:6443' }, 'Error: --token is required'],
    ['no server', { K3S_TOKEN: 'tok' }, 'Error: --server is required'],
    [
      'an unreadable token file',
      { K3S_URL: 'https://10.0.0.1:6443', K3S_TOKEN_FILE: '/nope' },
      'Error: open /nope: no such file or directory',
    ],
  ])('fails with k3s log line when given %s', async (_what, env, message) => {
    const node = await bareNode();
    const r = await node.run(['k3s', 'agent'], { ...START, ...env });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^time="[^"]+" level=fatal msg="${message}"$`, 'm'));
  });

  it('starts with K3S_URL and K3S_TOKEN and records them (token masked)', async () => {
    const node = await bareNode();
    const r = await node.run(['k3s', 'agent', '--node-label', 'tier=edge'], {
      ...START,
      K3S_URL: 'https://10.0.0.1:6443',
      K3S_TOKEN: 'agent-secret',
    });
    expect(r.code, output(r)).toBe(0);
    const start = await readFakeStart(node.root, 'agent');
    expect(start).toMatchObject({
      role: 'agent',
      args: ['--node-label', 'tier=edge'],
      env: { K3S_URL: 'https://10.0.0.1:6443', K3S_TOKEN: '********' },
    });
    // A joined agent keeps its kubelet certificate: a later start needs no token.
    const again = await node.run(['k3s', 'agent'], { ...START, K3S_URL: 'https://10.0.0.1:6443' });
    expect(again.code, output(again)).toBe(0);
  });
});

describe('LXC containers without /dev/kmsg (shared/seeds/003)', () => {
  const KMSG = 'Error: failed to run Kubelet: failed to create kubelet: open /dev/kmsg: no such file or directory';

  it('kubelet fails to start with the real error line', async () => {
    const node = await bareNode();
    await markLxcWithoutKmsg(node.root);
    const r = await node.run(['k3s', 'agent'], { ...START, K3S_URL: 'https://10.0.0.1:6443', K3S_TOKEN: 't' });
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n')).toContain(KMSG);
  });

  it('starts when an ExecStartPre recreates /dev/kmsg, and stays fixed until the container reboots', async () => {
    const node = await bareNode();
    await markLxcWithoutKmsg(node.root);
    const pre = '-/sbin/modprobe overlay\n-/bin/sh -c "ln -sf /dev/console /dev/kmsg"';
    const r = await node.run(['k3s', 'server'], { ...START, FAKE_SYSTEMD_EXEC_START_PRE: pre });
    expect(r.code, output(r)).toBe(0);
    expect((await lstat(k3sNodePaths(node.root).kmsgCreated)).isFile()).toBe(true);
    expect((await readFakeStart(node.root, 'server'))?.execStartPre).toEqual([
      '-/sbin/modprobe overlay',
      '-/bin/sh -c "ln -sf /dev/console /dev/kmsg"',
    ]);
    const manual = await node.run(['k3s', 'server']);
    expect(manual.code, output(manual)).toBe(0);
  });

  it('is not fixed by an ExecStartPre that only removes /dev/kmsg', async () => {
    const node = await bareNode();
    await markLxcWithoutKmsg(node.root);
    const r = await node.run(['k3s', 'server'], { ...START, FAKE_SYSTEMD_EXEC_START_PRE: '-/bin/rm -f /dev/kmsg' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(KMSG);
  });
});

describe('k3s certificate rotate', () => {
  it('backs up the server certificates to tls-<time>', async () => {
    const node = await bareNode();
    expect((await node.run(['k3s', 'server'], START)).code).toBe(0);
    const r = await node.run(['k3s', 'certificate', 'rotate'], { FAKE_K3S_NOW: '1700000000' });
    expect(r.code, output(r)).toBe(0);
    expect(r.stderr).toContain(
      'Successfully backed up certificates for all services to path /var/lib/rancher/k3s/server/tls-1700000000',
    );
    expect((await stat(`${node.root}/var/lib/rancher/k3s/server/tls-1700000000/server-ca.crt`)).isFile()).toBe(true);
  });
});

describe('the admin client certificate', () => {
  it(
    'is issued at start from the seeded pair, embedded in k3s.yaml; rotate deletes it, the next start issues it again',
    async () => {
      const node = await bareNode();
      const b64 = (s: string) => Buffer.from(s).toString('base64');
      await seedKubeconfig(
        node.root,
        [
          'users:',
          '- name: default',
          '  user:',
          `    client-certificate-data: ${b64('CERT A\n')}`,
          `    client-key-data: ${b64('KEY A\n')}`,
          '',
        ].join('\n'),
      );
      const p = k3sNodePaths(node.root);
      expect((await node.run(['k3s', 'server'], START)).code).toBe(0);
      expect(await readFile(p.clientAdminCert, 'utf8')).toBe('CERT A\n');
      expect((await stat(p.clientAdminKey)).mode & 0o777).toBe(0o600);
      expect(await readFile(p.kubeconfig, 'utf8')).toContain(`client-certificate-data: ${b64('CERT A\n')}`);

      // What a year of uptime leaves: another certificate in tls/ and in k3s.yaml; a start keeps it.
      await writeFile(p.clientAdminCert, 'CERT OLD\n');
      expect((await node.run(['k3s', 'server'], START)).code).toBe(0);
      expect(await readFile(p.kubeconfig, 'utf8')).toContain(`client-certificate-data: ${b64('CERT OLD\n')}`);

      const r = await node.run(['k3s', 'certificate', 'rotate'], { FAKE_K3S_NOW: '1700000100' });
      expect(r.code, output(r)).toBe(0);
      expect(r.stderr).toContain('Server detected, rotating server certificates');
      expect(existsSync(p.clientAdminCert)).toBe(false);
      expect(await readFile(`${node.root}/var/lib/rancher/k3s/server/tls-1700000100/client-admin.crt`, 'utf8')).toBe(
        'CERT OLD\n',
      );
      expect((await node.run(['k3s', 'server'], START)).code).toBe(0);
      expect(await readFile(p.kubeconfig, 'utf8')).toContain(`client-certificate-data: ${b64('CERT A\n')}`);
    },
    SLOW,
  );
});

describe('etcd membership (pkg/etcd/etcd.go)', () => {
  it(
    'a new cluster, a join, and a node name still a member from an earlier life refused',
    async () => {
      const members = `${state}/etcd-members-${++n}`;
      const first = await bareNode();
      const second = await bareNode();
      for (const x of [first, second]) await shareEtcdCluster(x.root, members);
      expect((await first.run(['k3s', 'server', '--cluster-init'], START)).code).toBe(0);
      const firstName = await readFile(k3sNodePaths(first.root).etcdName, 'utf8');
      expect(firstName).toMatch(new RegExp(`^${first.name}-[0-9a-f]{8}$`));
      expect(await readEtcdMembers(members)).toEqual([{ name: firstName, peerURL: `https://${first.name}:2380` }]);

      const join = ['k3s', 'server', '--server', `https://${first.name}:6443`, '--token', 'secret'];
      const r = await second.run(join, START);
      expect(r.code, output(r)).toBe(0);
      const secondName = await readFile(k3sNodePaths(second.root).etcdName, 'utf8');
      expect((await readEtcdMembers(members)).map((m) => m.name)).toEqual([firstName, secondName]);
      // A restart is no new join.
      expect((await second.run(join, START)).code).toBe(0);
      expect(await readEtcdMembers(members)).toHaveLength(2);

      // The second server reinstalled (its datastore gone) under the same node name.
      await rm(`${second.root}/var/lib/rancher/k3s/server/db`, { recursive: true });
      const dup = await second.run(join, START);
      expect(dup.code).toBe(1);
      expect(dup.stderr).toContain(
        'level=fatal msg="etcd cluster join failed: duplicate node name found, please use a unique name for this node"',
      );
      expect(existsSync(`${second.root}/var/lib/rancher/k3s/server/db/etcd`)).toBe(false);
      expect((await readEtcdMembers(members)).map((m) => m.name)).toEqual([firstName, secondName]);

      // Once the stale member is removed, it joins under a new member name.
      await writeFile(members, `${firstName} https://${first.name}:2380\n`);
      expect((await second.run(join, START)).code).toBe(0);
      const rejoined = await readFile(k3sNodePaths(second.root).etcdName, 'utf8');
      expect(rejoined).not.toBe(secondName);
      expect((await readEtcdMembers(members)).map((m) => m.name)).toEqual([firstName, rejoined]);
    },
    SLOW,
  );

  it('--cluster-init on a SQLite server migrates it to etcd and renames state.db', async () => {
    const node = await bareNode();
    expect((await node.run(['k3s', 'server'], START)).code).toBe(0);
    const p = k3sNodePaths(node.root);
    expect(existsSync(p.stateDb)).toBe(true);
    const r = await node.run(['k3s', 'server', '--cluster-init'], START);
    expect(r.code, output(r)).toBe(0);
    expect(r.stderr).toContain('Migrating content from sqlite to etcd');
    expect(existsSync(p.stateDb)).toBe(false);
    expect(existsSync(`${p.stateDb}.migrated`)).toBe(true);
    expect((await readFakeStart(node.root, 'server'))?.datastore).toBe('etcd');
    expect(await readFile(p.etcdDb, 'utf8')).toContain('migrated from sqlite state.db');
  });
});
