import { readdir, readFile, stat } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { k3sNodePaths, readStarts, setFakeNodeName } from '../../../sandbox/k3s-fake/node-files.js';
import { preinstallK3s } from '../../../sandbox/k3s-fake/preinstall.js';
import { makeNode, output, testStateDir, type TestNode } from './helpers.js';

const V = 'v1.31.4+k3s1';
const state = testStateDir();
const SNAPDIR = '/var/lib/rancher/k3s/server/db/snapshots';
const at = (epoch: number) => ({ FAKE_K3S_NOW: String(epoch), TZ: 'UTC' });

async function etcdServer(name: string): Promise<TestNode> {
  const node = await makeNode(state, name);
  await setFakeNodeName(node.root, name);
  await preinstallK3s(node.root, { version: V, args: ['--cluster-init'] });
  return node;
}

describe('k3s etcd-snapshot on an embedded-etcd server', () => {
  let srv: TestNode;
  beforeAll(async () => {
    srv = await etcdServer('srv1');
  });

  it('saves <name>-<node>-<unix seconds> with the datastore content and says so', async () => {
    const r = await srv.run(['k3s', 'etcd-snapshot', 'save'], at(1700000100));
    expect(r.code, output(r)).toBe(0);
    expect(r.stderr).toBe('time="2023-11-14T22:15:00Z" level=info msg="Snapshot on-demand-srv1-1700000100 saved."\n');
    const p = k3sNodePaths(srv.root);
    expect(await readFile(`${p.snapshots}/on-demand-srv1-1700000100`)).toEqual(await readFile(p.etcdDb));
  });

  it('lists snapshots oldest first in the tab-aligned Name Location Size Created table', async () => {
    expect((await srv.run(['k3s', 'etcd-snapshot', 'save', '--name', 'pre-upgrade'], at(1700000000))).code).toBe(0);
    const size = (await stat(`${k3sNodePaths(srv.root).snapshots}/on-demand-srv1-1700000100`)).size;
    const r = await srv.run(['k3s', 'etcd-snapshot', 'ls'], { TZ: 'UTC' });
    expect(r.code, output(r)).toBe(0);
    // Captured from the fake and checked against text/tabwriter(minwidth 0, padding 1): every
    // column but the last is as wide as its widest cell plus one space.
    expect(r.stdout).toBe(
      [
        'Name                        Location                                                                    Size Created',
        `pre-upgrade-srv1-1700000000 file://${SNAPDIR}/pre-upgrade-srv1-1700000000 ${size} 2023-11-14T22:13:20Z`,
        `on-demand-srv1-1700000100   file://${SNAPDIR}/on-demand-srv1-1700000100   ${size} 2023-11-14T22:15:00Z`,
        '',
      ].join('\n'),
    );
    for (const alias of ['list', 'l'])
      expect((await srv.run(['k3s', 'etcd-snapshot', alias], { TZ: 'UTC' })).stdout).toBe(r.stdout);
  });

  it('prints the ETCDSnapshotFileList with -o json and -o yaml', async () => {
    const json = await srv.run(['k3s', 'etcd-snapshot', 'ls', '-o', 'json'], { TZ: 'UTC' });
    expect(json.code, output(json)).toBe(0);
    const list = JSON.parse(json.stdout);
    expect(Object.keys(list)).toEqual(['kind', 'apiVersion', 'metadata', 'items']);
    expect(list.items.map((i: { spec: { snapshotName: string } }) => i.spec.snapshotName)).toEqual([
      'pre-upgrade-srv1-1700000000',
      'on-demand-srv1-1700000100',
    ]);
    expect(list.items[1]).toMatchObject({
      kind: 'ETCDSnapshotFile',
      apiVersion: 'k3s.cattle.io/v1',
      metadata: {
        name: expect.stringMatching(/^local-on-demand-srv1-1700000100-[0-9a-f]{6}$/),
        creationTimestamp: null,
      },
      spec: {
        snapshotName: 'on-demand-srv1-1700000100',
        nodeName: 'srv1',
        location: `file://${SNAPDIR}/on-demand-srv1-1700000100`,
      },
      status: { readyToUse: true, creationTime: '2023-11-14T22:15:00Z', size: expect.stringMatching(/^\d+$/) },
    });
    const yaml = await srv.run(['k3s', 'etcd-snapshot', 'ls', '--output=yaml'], { TZ: 'UTC' });
    expect(parseYaml(yaml.stdout)).toEqual(list);
  });

  it('refuses an unknown output format', async () => {
    const r = await srv.run(['k3s', 'etcd-snapshot', 'ls', '-o', 'xml']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/level=fatal msg="Error: invalid output format: xml"/);
  });

  it('compresses into a real zip with --snapshot-compress', async () => {
    const r = await srv.run(
      ['k3s', 'etcd-snapshot', 'save', '--snapshot-compress', '--name', 'zipped'],
      at(1700000200),
    );
    expect(r.code, output(r)).toBe(0);
    expect(r.stderr).toContain('msg="Snapshot zipped-srv1-1700000200.zip saved."');
    const unzip = await srv.sh(`unzip -p ${SNAPDIR}/zipped-srv1-1700000200.zip zipped-srv1-1700000200`);
    expect(unzip.code, output(unzip)).toBe(0);
    expect(Buffer.from(unzip.stdout)).toEqual(await readFile(k3sNodePaths(srv.root).etcdDb));
  });

  it('deletes named snapshots and warns about unknown ones', async () => {
    const r = await srv.run(['k3s', 'etcd-snapshot', 'delete', 'zipped-srv1-1700000200.zip', 'no-such-snapshot']);
    expect(r.code, output(r)).toBe(0);
    expect(r.stderr).toMatch(
      /level=info msg="Snapshot zipped-srv1-1700000200.zip deleted."\n.*level=warning msg="Snapshot no-such-snapshot not found."\n$/,
    );
    expect(await readdir(k3sNodePaths(srv.root).snapshots)).not.toContain('zipped-srv1-1700000200.zip');
    const none = await srv.run(['k3s', 'etcd-snapshot', 'delete']);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/msg="Error: no snapshots given for removal"/);
  });

  it('prunes the oldest snapshots of one name beyond --snapshot-retention', async () => {
    for (const t of [1700001000, 1700001001, 1700001002]) {
      expect((await srv.run(['k3s', 'etcd-snapshot', 'save'], at(t))).code).toBe(0);
    }
    const r = await srv.run(['k3s', 'etcd-snapshot', 'prune', '--snapshot-retention', '2']);
    expect(r.code, output(r)).toBe(0);
    expect(r.stderr.match(/msg="[^"]+"/g)).toEqual([
      'msg="Snapshot on-demand-srv1-1700000100 deleted."',
      'msg="Snapshot on-demand-srv1-1700001000 deleted."',
    ]);
    expect((await readdir(k3sNodePaths(srv.root).snapshots)).sort()).toEqual([
      'on-demand-srv1-1700001001',
      'on-demand-srv1-1700001002',
      'pre-upgrade-srv1-1700000000',
    ]);
  });

  it('saves into an existing --dir and refuses a missing one', async () => {
    const ok = await srv.sh(
      'mkdir -p /var/lib/rancher/backups && k3s etcd-snapshot save --dir /var/lib/rancher/backups',
      at(1700002000),
    );
    expect(ok.code, output(ok)).toBe(0);
    expect((await stat(`${srv.root}/var/lib/rancher/backups/on-demand-srv1-1700002000`)).isFile()).toBe(true);
    const missing = await srv.run(['k3s', 'etcd-snapshot', 'save', '--dir', '/var/lib/rancher/nope']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(
      'failed to get etcd-snapshot-dir: stat /var/lib/rancher/nope: no such file or directory',
    );
  });

  it('needs the server running', async () => {
    expect((await srv.run(['systemctl', 'stop', 'k3s'])).code).toBe(0);
    const r = await srv.run(['k3s', 'etcd-snapshot', 'save']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /msg="Error: see server log for details: Post \\"https:\/\/127.0.0.1:6443\/db\/snapshot\\": dial tcp 127.0.0.1:6443: connect: connection refused"/,
    );
    expect((await srv.run(['systemctl', 'start', 'k3s'])).code).toBe(0);
  });
});

describe('k3s etcd-snapshot elsewhere', () => {
  it('fails on a SQLite server: etcd datastore disabled', async () => {
    const node = await makeNode(state, 'sqlite1');
    await preinstallK3s(node.root, { version: V });
    expect((await stat(k3sNodePaths(node.root).stateDb)).isFile()).toBe(true);
    for (const sub of ['save', 'ls']) {
      const r = await node.run(['k3s', 'etcd-snapshot', sub]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(
        /^time="[^"]+" level=fatal msg="Error: see server log for details: etcd datastore disabled"\n$/,
      );
    }
  });

  it('fails on a node that is no server', async () => {
    const node = await makeNode(state, 'agent1');
    await preinstallK3s(node.root, {
      version: V,
      role: 'agent',
      env: { K3S_URL: 'https://10.0.0.1:6443', K3S_TOKEN: 't' },
    });
    const r = await node.run(['k3s', 'etcd-snapshot', 'ls']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/msg="Error: open \/var\/lib\/rancher\/k3s\/server\/token: no such file or directory"/);
  });
});

describe('k3s server --cluster-reset (rollback restore)', () => {
  it('restores a snapshot into a fresh etcd with k3s stopped, then starts normally', async () => {
    const srv = await etcdServer('reset1');
    const p = k3sNodePaths(srv.root);
    expect((await srv.run(['k3s', 'etcd-snapshot', 'save', '--name', 'pre-upgrade'], at(1700000000))).code).toBe(0);
    const snapshot = await readFile(`${p.snapshots}/pre-upgrade-reset1-1700000000`);
    expect((await srv.run(['systemctl', 'restart', 'k3s'])).code).toBe(0);
    expect(await readFile(p.etcdDb)).not.toEqual(snapshot);

    const path = `--cluster-reset-restore-path=${SNAPDIR}/pre-upgrade-reset1-1700000000`;
    const busy = await srv.run(['k3s', 'server', '--cluster-reset', path]);
    expect(busy.code).toBe(1);
    expect(busy.stderr).toContain('address already in use');

    expect((await srv.run(['systemctl', 'stop', 'k3s'])).code).toBe(0);
    const r = await srv.run(['k3s', 'server', '--cluster-reset', path], at(1700000500));
    expect(r.code, output(r)).toBe(0);
    expect(r.stderr).toContain(
      'msg="Managed etcd cluster membership has been reset, restart without --cluster-reset flag now. Backup and delete ${datadir}/server/db on each peer etcd server and rejoin the nodes"',
    );
    expect(await readFile(p.etcdDb)).toEqual(snapshot);
    expect(await readdir(p.db)).toEqual(
      expect.arrayContaining(['etcd', 'etcd-old-1700000500', 'reset-flag', 'snapshots']),
    );

    const again = await srv.run(['k3s', 'server', '--cluster-reset']);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('Managed etcd cluster membership was previously reset');

    const starts = (await readStarts(srv.root)).length;
    expect((await srv.run(['systemctl', 'start', 'k3s'])).code).toBe(0);
    expect(await readStarts(srv.root)).toHaveLength(starts + 1);
    expect(await readdir(p.db)).not.toContain('reset-flag');
  });

  it('restores from a compressed snapshot', async () => {
    const srv = await etcdServer('reset2');
    const p = k3sNodePaths(srv.root);
    expect((await srv.run(['k3s', 'etcd-snapshot', 'save', '--snapshot-compress'], at(1700000000))).code).toBe(0);
    const before = await readFile(p.etcdDb);
    await srv.run(['systemctl', 'restart', 'k3s']);
    await srv.run(['systemctl', 'stop', 'k3s']);
    const r = await srv.run([
      'k3s',
      'server',
      '--cluster-reset',
      `--cluster-reset-restore-path=${SNAPDIR}/on-demand-reset2-1700000000.zip`,
    ]);
    expect(r.code, output(r)).toBe(0);
    expect(await readFile(p.etcdDb)).toEqual(before);
  });

  it.each([
    [
      ['--cluster-reset-restore-path=/x'],
      'invalid flag use; --cluster-reset required with --cluster-reset-restore-path',
    ],
    [
      ['--cluster-reset', '--cluster-reset-restore-path=/var/lib/rancher/none'],
      'etcd: snapshot path does not exist: /var/lib/rancher/none',
    ],
  ])('refuses %j', async (args, message) => {
    const srv = await etcdServer(`reset-bad${args.length}`);
    await srv.run(['systemctl', 'stop', 'k3s']);
    const r = await srv.run(['k3s', 'server', ...args]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`msg="Error: ${message}"`);
  });
});
