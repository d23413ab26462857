// The fake k3s's etcd controllers (metadata, learners' condition, member removal) on an
// in-memory Node store and real files, then wired into kube-sim: a server's Node is published
// and a member removed through the API exactly as k3s's controllers do (pkg/etcd).
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyEdit, EtcdControllers, type EtcdNode } from '../../../sandbox/k3s-fake/etcd-controllers.js';
import { k3sEtcdFiles, parseMembers } from '../../../sandbox/k3s-fake/etcd-members.js';
import { readEtcdMembers, shareEtcdCluster } from '../../../sandbox/k3s-fake/index.js';
import type { KubeSim } from '../../../sandbox/kube-sim/index.js';
import type { Node } from '../../../sandbox/kube-sim/types.js';
import { clientsFor, mergePatch, startFast } from '../kube-sim/helpers.js';

const VOTER = { type: 'EtcdIsVoter', status: 'True', reason: 'MemberNotLearner' };
const NOT_A_MEMBER = { type: 'EtcdIsVoter', status: 'False', reason: 'NotAMember' };

/** A server root whose k3s runs etcd as member `name` (name file and WAL directory, as the fake k3s leaves them). */
async function runEtcd(root: string, name: string): Promise<void> {
  const f = k3sEtcdFiles(root);
  await mkdir(f.walDir, { recursive: true });
  await writeFile(f.nameFile, name);
}

class MemoryNodes {
  nodes = new Map<string, EtcdNode>();
  add(name: string, labels: Record<string, string> = {}): void {
    this.nodes.set(name, { metadata: { name, labels, annotations: {} }, status: { conditions: [] } });
  }
  list = () => [...this.nodes.values()];
  apply = (name: string, edit: Parameters<typeof applyEdit>[1]) => {
    const n = this.nodes.get(name);
    if (n) this.nodes.set(name, applyEdit(n, edit));
  };
  get(name: string) {
    return this.nodes.get(name)!;
  }
  condition(name: string) {
    return this.get(name).status?.conditions?.find((c) => c.type === 'EtcdIsVoter');
  }
}

describe('the fake k3s etcd controllers', () => {
  let dir: string;
  let members: string;
  const roots: Record<string, string> = {};
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'hb-etcd-ctl-'));
    members = path.join(dir, 'members');
    for (const n of ['s-1', 's-2', 'a-1']) {
      roots[n] = path.join(dir, n);
      await shareEtcdCluster(roots[n], members);
    }
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));
  const files = () => Object.fromEntries(Object.entries(roots).map(([n, r]) => [n, k3sEtcdFiles(r)]));

  it('publishes a member server (label, name and address annotations, EtcdIsVoter) and nothing on an agent; a second pass changes nothing', async () => {
    await runEtcd(roots['s-1'], 's-1-0a1b2c3d');
    await writeFile(members, 's-1-0a1b2c3d https://s-1:2380\n');
    const store = new MemoryNodes();
    store.add('s-1', { 'node-role.kubernetes.io/control-plane': 'true' });
    store.add('a-1');
    const ctl = new EtcdControllers(files(), store, () => '2026-12-06T21:00:00Z');
    expect(await ctl.sync()).toBe(true);
    expect(store.get('s-1').metadata.labels).toMatchObject({ 'node-role.kubernetes.io/etcd': 'true' });
    expect(store.get('s-1').metadata.annotations).toEqual({
      'etcd.k3s.cattle.io/node-name': 's-1-0a1b2c3d',
      'etcd.k3s.cattle.io/node-address': 's-1',
    });
    expect(store.condition('s-1')).toEqual({
      ...VOTER,
      message: 'Node is a voting member of the etcd cluster',
      lastHeartbeatTime: '2026-12-06T21:00:00Z',
      lastTransitionTime: '2026-12-06T21:00:00Z',
    });
    expect(store.get('a-1')).toEqual({
      metadata: { name: 'a-1', labels: {}, annotations: {} },
      status: { conditions: [] },
    });
    expect(await ctl.sync()).toBe(false);
  });

  it('says NotAMember for a server whose member is not in the list', async () => {
    await runEtcd(roots['s-2'], 's-2-11112222');
    const store = new MemoryNodes();
    store.add('s-2');
    await new EtcdControllers(files(), store).sync();
    expect(store.get('s-2').metadata.annotations?.['etcd.k3s.cattle.io/node-name']).toBe('s-2-11112222');
    expect(store.condition('s-2')).toMatchObject(NOT_A_MEMBER);
  });

  it('removes the member of a Node annotated etcd.k3s.cattle.io/remove=true, then resets the flag once it rejoined', async () => {
    await writeFile(members, 's-1-0a1b2c3d https://s-1:2380\ns-2-11112222 https://s-2:2380\n');
    const store = new MemoryNodes();
    store.add('s-2');
    const ctl = new EtcdControllers(files(), store);
    await ctl.sync();
    expect(store.condition('s-2')).toMatchObject(VOTER);
    // The server is gone (its container destroyed): no etcd data, its member still listed.
    await rm(path.join(roots['s-2'], 'var'), { recursive: true });
    store.apply('s-2', { annotations: { 'etcd.k3s.cattle.io/remove': 'true' } });
    await ctl.sync();
    expect((await readEtcdMembers(members)).map((m) => m.name)).toEqual(['s-1-0a1b2c3d']);
    expect(store.get('s-2').metadata.annotations).toEqual({
      'etcd.k3s.cattle.io/remove': 'true',
      'etcd.k3s.cattle.io/removed-node-name': 's-2-11112222',
    });
    expect(store.condition('s-2')).toMatchObject(NOT_A_MEMBER);
    // Rejoined under a new member name (the fake k3s's join appends it).
    await runEtcd(roots['s-2'], 's-2-33334444');
    await writeFile(members, 's-1-0a1b2c3d https://s-1:2380\ns-2-33334444 https://s-2:2380\n');
    await ctl.sync();
    expect(store.get('s-2').metadata.annotations).toEqual({
      'etcd.k3s.cattle.io/remove': 'false',
      'etcd.k3s.cattle.io/node-name': 's-2-33334444',
      'etcd.k3s.cattle.io/node-address': 's-2',
    });
    expect(store.condition('s-2')).toMatchObject(VOTER);
    expect(await ctl.sync()).toBe(false);
  });

  it('removes the member of a deleted etcd Node, and only a matching name and address', async () => {
    await writeFile(members, 's-1-0a1b2c3d https://s-1:2380\ns-2-33334444 https://s-2:2380\n');
    const store = new MemoryNodes();
    store.add('s-1');
    store.add('s-2');
    const ctl = new EtcdControllers(files(), store);
    await ctl.sync();
    // A Node whose annotations name another address removes nothing (RemovePeer matches both).
    await rm(path.join(roots['s-1'], 'var'), { recursive: true });
    store.apply('s-1', { annotations: { 'etcd.k3s.cattle.io/node-address': '10.0.0.9' } });
    await ctl.sync();
    store.nodes.delete('s-1');
    await ctl.sync();
    expect(parseMembers(await readFile(members, 'utf8')).map((m) => m.name)).toEqual(['s-1-0a1b2c3d', 's-2-33334444']);
    store.nodes.delete('s-2');
    expect(await ctl.sync()).toBe(true);
    expect((await readEtcdMembers(members)).map((m) => m.name)).toEqual(['s-1-0a1b2c3d']);
  });
});

describe('kube-sim runs the etcd controllers on the Nodes of nodes with etcd files', () => {
  let dir: string;
  let sim: KubeSim;
  let members: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'hb-etcd-sim-'));
    members = path.join(dir, 'members');
    for (const n of ['s-1', 's-2']) await shareEtcdCluster(path.join(dir, n), members);
    await runEtcd(path.join(dir, 's-1'), 's-1-aaaabbbb');
    await runEtcd(path.join(dir, 's-2'), 's-2-ccccdddd');
    await writeFile(members, 's-1-aaaabbbb https://s-1:2380\ns-2-ccccdddd https://s-2:2380\n');
    sim = await startFast({
      scenario: {
        nodes: ['s-1', 's-2'].map((name) => ({
          name,
          role: 'server' as const,
          etcd: false,
          versionFile: path.join(dir, 'version'),
          etcdFiles: k3sEtcdFiles(path.join(dir, name)),
        })),
      },
    });
    await writeFile(path.join(dir, 'version'), 'v1.31.4+k3s1\n');
  });
  afterAll(async () => {
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  });
  const node = (name: string) => sim.get('nodes', undefined, name) as Node | undefined;
  const until = async (what: () => boolean) => {
    for (let i = 0; i < 100 && !what(); i++) await new Promise((r) => setTimeout(r, 50));
    expect(what()).toBe(true);
  };

  it('publishes both servers, removes s-2 on the annotation and s-1 when its Node is deleted, none of it in the request log', async () => {
    await until(() =>
      ['s-1', 's-2'].every((n) => node(n)?.metadata.labels?.['node-role.kubernetes.io/etcd'] === 'true'),
    );
    expect(node('s-2')?.status.conditions?.find((c) => c.type === 'EtcdIsVoter')).toMatchObject(VOTER);
    const c = clientsFor(sim.kubeconfig);
    await rm(path.join(dir, 's-2', 'var'), { recursive: true });
    sim.clearRequests();
    await c.core.patchNode(
      { name: 's-2', body: { metadata: { annotations: { 'etcd.k3s.cattle.io/remove': 'true' } } } },
      mergePatch,
    );
    await until(() => node('s-2')?.metadata.annotations?.['etcd.k3s.cattle.io/removed-node-name'] === 's-2-ccccdddd');
    expect((await readEtcdMembers(members)).map((m) => m.name)).toEqual(['s-1-aaaabbbb']);
    expect(node('s-2')?.status.conditions?.find((c) => c.type === 'EtcdIsVoter')).toMatchObject(NOT_A_MEMBER);
    await c.core.deleteNode({ name: 's-1' });
    for (let i = 0; i < 100 && (await readEtcdMembers(members)).length; i++)
      await new Promise((r) => setTimeout(r, 50));
    expect(await readEtcdMembers(members)).toEqual([]);
    expect(sim.mutatingRequests().map((r) => `${r.method} ${r.path}`)).toEqual([
      'PATCH /api/v1/nodes/s-2',
      'DELETE /api/v1/nodes/s-1',
    ]);
  });
});
