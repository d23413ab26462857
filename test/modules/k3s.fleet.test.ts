// k3s_version, k3s_facts and etcd_snapshot on real sshd nodes with the fake k3s, the local
// install script and channel server. k3s_version reads and waits on the Kubernetes API: it runs
// against kube-sim and the real kube-apiserver (describeBackends), each with a fleet of its own
// (the tests upgrade the nodes) whose nodes' kubelets report the installed version, so an
// upgrade is visible through the API; the stepwise walk from v1.28 on a cluster of its own,
// whose only server is that node. k3s_facts and etcd_snapshot never touch the API (they get no
// client here): they run once, on a fleet of their own.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeClient } from '../../engine/kube/types.js';
import { etcdSnapshot } from '../../modules/k3s/etcd_snapshot.js';
import { k3sFacts } from '../../modules/k3s/k3s_facts.js';
import { k3sVersion } from '../../modules/k3s/version/index.js';
import { k3sNodeCommands } from '../../sandbox/cluster/node-commands.js';
import {
  k3sNodePaths,
  preinstallK3s,
  readStarts,
  setFakeNodeName,
  startK3sReleaseServer,
  type K3sReleaseServer,
} from '../../sandbox/k3s-fake/index.js';
import { readFakeSystemdLog } from '../../sandbox/fleet/index.js';
import { describeBackends, type BackendName } from '../helpers/backends.js';
import type { KubeBackend } from '../helpers/kube-backend.js';
import { fleetFor } from '../helpers/fleet.js';
import { runModule, type HarnessOptions } from '../helpers/module-harness.js';
import { recordingConnection } from '../helpers/recording-connection.js';

const VERSIONS = ['v1.28.15+k3s1', 'v1.29.10+k3s1', 'v1.30.6+k3s1', 'v1.31.4+k3s1', 'v1.32.5+k3s1'];
type Fleet = Awaited<ReturnType<typeof fleetFor>>;
// The time budget of a test that runs a module over SSH many times (an upgrade, the snapshot
// round): 4-35 s here, but seven times that on a 2-core machine running other suites (the
// snapshot round took 230 s so while sshd still ran root's ~/.bashrc; see sshd-config.ts).
const SLOW = 240_000;

type NodeName = 'srv' | 'agt' | 'old';

/**
 * Those of srv (etcd server, flags) and agt (its agent, flags and K3S_URL/K3S_TOKEN from srv)
 * at v1.31.4, and old (SQLite server) at v1.28.15, that `names` lists.
 */
async function k3sFleet(names: NodeName[]): Promise<Fleet> {
  const f = await fleetFor(names.map((name) => ({ name })));
  for (const n of names) await setFakeNodeName(f.fleet.node(n).root, n);
  if (names.includes('srv'))
    await preinstallK3s(f.fleet.node('srv').root, {
      version: 'v1.31.4+k3s1',
      role: 'server',
      args: ['--cluster-init', '--node-label', 'tier=control'],
    });
  if (names.includes('agt')) {
    const token = (await readFile(k3sNodePaths(f.fleet.node('srv').root).nodeToken, 'utf8')).trim();
    await preinstallK3s(f.fleet.node('agt').root, {
      version: 'v1.31.4+k3s1',
      role: 'agent',
      args: ['--node-label', 'tier=edge'],
      env: { K3S_URL: 'https://127.0.0.1:6443', K3S_TOKEN: token },
    });
  }
  if (names.includes('old'))
    await preinstallK3s(f.fleet.node('old').root, { version: 'v1.28.15+k3s1', role: 'server' });
  return f;
}

const unitOf = async (f: Fleet, node: string, svc: string) =>
  readFile(k3sNodePaths(f.fleet.node(node).root).unit(svc), 'utf8').catch(() => '');

/** The kubelet version the API server has for `node` once it is Ready (undefined before). */
async function kubeletOf(b: KubeBackend, node: string): Promise<string | undefined> {
  const n = await b.get('nodes', undefined, node);
  const ready = n?.status?.conditions?.find((c: { type: string }) => c.type === 'Ready')?.status === 'True';
  return ready ? n.status.nodeInfo?.kubeletVersion : undefined;
}

// The channel server and install script, one for the file: it keeps no state but the requests,
// which each test that looks at them clears first.
let rel: K3sReleaseServer;
beforeAll(async () => {
  rel = await startK3sReleaseServer({ versions: VERSIONS, stable: 'v1.31.4+k3s1' });
});
afterAll(() => rel?.close());
const base = () => ({
  channel_url: `${rel.url}/v1-release/channels`,
  install_script_url: rel.installScriptUrl,
  wait_timeout: 60,
});

// k3s_facts and etcd_snapshot read and run k3s on the node only; they get no Kubernetes client
// (a module that asked for one would fail), so they run once.
describe('without the Kubernetes API', () => {
  let f: Fleet;
  beforeAll(async () => {
    f = await k3sFleet(['srv', 'agt', 'old']);
  }, 120_000);
  const on = (node: string): HarnessOptions => ({ connection: f.conn(node), nodeName: node, host: node });

  describe('k3s_facts', () => {
    it('reads role, flags, env (token masked) and datastore from the node', async () => {
      const r = await runModule(k3sFacts, {}, on('agt'));
      const k3s = r.data.k3s as { env: Record<string, string> };
      expect(k3s).toMatchObject({
        installed: true,
        version: 'v1.31.4+k3s1',
        role: 'agent',
        service: 'k3s-agent',
        active: true,
        args: ['--node-label', 'tier=edge'],
        datastore: 'none',
      });
      expect(k3s.env.K3S_URL).toBe('https://127.0.0.1:6443');
      expect(k3s.env.K3S_TOKEN).toBe('********');
      expect(((await runModule(k3sFacts, {}, on('srv'))).data.k3s as { datastore: string }).datastore).toBe('etcd');
      expect(((await runModule(k3sFacts, {}, on('old'))).data.k3s as { datastore: string }).datastore).toBe('sqlite');
    });
  });

  describe('etcd_snapshot', () => {
    it(
      'saves, lists, skips when taken today, prunes',
      async () => {
        const first = await runModule(etcdSnapshot, { name: 'pre-upgrade' }, on('srv'));
        expect(first.status, first.msg).toBe('changed');
        expect((first.data.snapshot as { name: string }).name).toMatch(/^pre-upgrade-srv-\d+$/);
        const skip = await runModule(etcdSnapshot, { name: 'pre-upgrade', skip_if_exists: true }, on('srv'));
        expect(skip.status).toBe('ok');
        expect(skip.msg).toMatch(/^snapshot pre-upgrade already taken today: pre-upgrade-srv-\d+$/);
        await new Promise((r) => setTimeout(r, 1100));
        await runModule(etcdSnapshot, { name: 'pre-upgrade' }, on('srv'));
        await new Promise((r) => setTimeout(r, 1100));
        await runModule(etcdSnapshot, { name: 'pre-upgrade' }, on('srv'));
        const list = await runModule(etcdSnapshot, { state: 'list' }, on('srv'));
        expect(
          (list.data.snapshots as { name: string }[]).filter((s) => s.name.startsWith('pre-upgrade-')).length,
        ).toBe(3);
        const check = await runModule(etcdSnapshot, { name: 'pre-upgrade', state: 'pruned', retention: 1 }, on('srv'), {
          check: true,
        });
        expect(check.status).toBe('changed');
        expect((await runModule(etcdSnapshot, { state: 'list' }, on('srv'))).data.snapshots).toHaveLength(3);
        const pruned = await runModule(etcdSnapshot, { name: 'pre-upgrade', state: 'pruned', retention: 1 }, on('srv'));
        expect(pruned.status).toBe('changed');
        const after = (await runModule(etcdSnapshot, { state: 'list' }, on('srv'))).data.snapshots as {
          name: string;
        }[];
        expect(after.filter((s) => s.name.startsWith('pre-upgrade-'))).toHaveLength(1);
        expect(
          (await runModule(etcdSnapshot, { name: 'pre-upgrade', state: 'pruned', retention: 1 }, on('srv'))).status,
        ).toBe('ok');
      },
      SLOW,
    );

    it(
      'on a SQLite server: refuses with sqlite: fail, backs up state.db with its WAL otherwise',
      async () => {
        const refused = await runModule(etcdSnapshot, { name: 'b', sqlite: 'fail' }, on('old'));
        expect(refused.status).toBe('failed');
        expect(refused.msg).toContain('keeps its data in SQLite (state.db), not etcd');
        const r = await runModule(etcdSnapshot, { name: 'pre-upgrade' }, on('old'));
        expect(r.status, r.msg).toBe('changed');
        const name = (r.data.snapshot as { name: string }).name;
        expect(name).toMatch(/^pre-upgrade-old-\d+\.db$/);
        const dir = path.join(f.fleet.node('old').root, 'var/lib/rancher/k3s/server/db/backups');
        const copy = await readFile(path.join(dir, name));
        const orig = await readFile(path.join(f.fleet.node('old').root, 'var/lib/rancher/k3s/server/db/state.db'));
        expect(copy.equals(orig)).toBe(true);
        await expect(readFile(path.join(dir, `${name}-wal`))).resolves.toBeDefined();
        const log = await readFakeSystemdLog(f.stateDir, 'old');
        const last = log.slice(-2).map((e) => `${e.action} ${e.unit}`);
        expect(last).toEqual(['stop k3s.service', 'start k3s.service']);
      },
      SLOW,
    );
  });
});

// Each backend's suite upgrades the nodes of a fleet of its own, which its kubelets watch.
const fleets = new Map<string, Fleet>();
const fleetOf = (suite: string, name: BackendName) => fleets.get(`${suite} ${name}`)!;
const nodeCommands = (f: Fleet, n: NodeName) => k3sNodeCommands(f.fleet.node(n).root);

/** Polls until the API has `node` Ready at `version`, as its kubelet reports the node's k3s --version (the real ones poll every second). */
const readyAt = (b: KubeBackend, node: string, version: string) =>
  b.waitFor(async () => (await kubeletOf(b, node)) === version, 60_000, `node ${node} Ready at ${version}`);

describeBackends(
  'k3s_version, a cluster of a server and an agent',
  async (name) => {
    const f = await k3sFleet(['srv', 'agt']);
    fleets.set(`agent ${name}`, f);
    return {
      scenario: {
        nodes: [
          { name: 'srv', role: 'server', ...nodeCommands(f, 'srv') },
          { name: 'agt', role: 'agent', ...nodeCommands(f, 'agt') },
        ],
      },
    };
  },
  (b) => {
    const f = () => fleetOf('agent', b().name);
    const unit = (node: string, svc: string) => unitOf(f(), node, svc);
    const on = (node: string, k: KubeClient = b().kube): HarnessOptions => ({
      connection: f().conn(node),
      kube: async () => k,
      nodeName: node,
      host: node,
    });

    beforeAll(async () => {
      for (const n of ['srv', 'agt']) await readyAt(b(), n, 'v1.31.4+k3s1');
    }, 120_000);

    it('refuses to make an agent newer than the oldest server, before touching anything', async () => {
      rel.clearRequests();
      const r = await runModule(k3sVersion, { ...base(), version: 'v1.32.5+k3s1' }, on('agt'));
      expect(r.status).toBe('failed');
      expect(r.msg).toBe(
        'refusing to make agent agt newer than the oldest server: srv runs v1.31.4+k3s1, the agent would run v1.32.5+k3s1; upgrade the servers first',
      );
      expect(rel.requests.filter((q) => q.path.includes('install.sh') || q.path.includes('/download/'))).toEqual([]);
    });

    it('check mode says exactly what would happen and fetches no install script, writes nothing', async () => {
      rel.clearRequests();
      const before = await unit('srv', 'k3s');
      const r = await runModule(k3sVersion, { ...base(), channel: 'v1.32' }, on('srv'), { check: true });
      expect(r.status).toBe('changed');
      expect(r.msg).toBe('would upgrade v1.31.4+k3s1 → v1.32.5+k3s1 (server, via v1.32 channel)');
      expect(r.data.carried_flags).toEqual(['--cluster-init', '--node-label', 'tier=control']);
      expect(rel.requests.map((q) => q.path)).toEqual(['/v1-release/channels/v1.32']);
      expect(await unit('srv', 'k3s')).toBe(before);
    });

    it(
      'upgrades the server, keeping its role and flags; the API sees the new version',
      async () => {
        const r = await runModule(k3sVersion, { ...base(), channel: 'v1.32' }, on('srv'));
        expect(r.status, r.msg).toBe('changed');
        const u = await unit('srv', 'k3s');
        expect(u).toContain("'--cluster-init'");
        expect(u).toContain("'tier=control'");
        const node = await b().kube.core.readNode({ name: 'srv' });
        expect(node.status?.nodeInfo?.kubeletVersion).toBe('v1.32.5+k3s1');
      },
      SLOW,
    );

    it(
      'upgrades the agent as an agent (not a server), with its flags and K3S_URL/K3S_TOKEN kept',
      async () => {
        const token = (await readFile(k3sNodePaths(f().fleet.node('srv').root).nodeToken, 'utf8')).trim();
        const rec = recordingConnection(f().conn('agt'));
        const r = await runModule(
          k3sVersion,
          { ...base(), version: 'v1.32.5+k3s1' },
          { ...on('agt'), connection: rec.conn },
        );
        expect(r.status, r.msg).toBe('changed');
        // The token went into a root-only file, never onto a command line (sudo's log, ps).
        expect(rec.commandLineWords().filter((w) => w.includes(token))).toEqual([]);
        // The script was downloaded as root into a fresh mktemp directory, removed at the end.
        const fetch = rec.calls.find((c) => c.cmd.includes(rel.installScriptUrl))!;
        expect(fetch.opts.become).toBe(true);
        const dir = /^(\/tmp\/herdbook-k3s\.[A-Za-z0-9]+)\/install\.sh$/.exec(fetch.cmd.at(-2)!)?.[1];
        expect(dir).toBeDefined();
        expect(rec.calls.at(-1)?.cmd).toEqual(['rm', '-rf', '--', dir]);
        expect(existsSync(dir!)).toBe(false);
        expect(await unit('agt', 'k3s')).toBe('');
        const u = await unit('agt', 'k3s-agent');
        expect(u).toMatch(/^ExecStart=\/usr\/local\/bin\/k3s \\\n\s+agent \\$/m);
        expect(u).toContain("'tier=edge'");
        const env = await readFile(`${k3sNodePaths(f().fleet.node('agt').root).unit('k3s-agent')}.env`, 'utf8');
        expect(env).toContain("K3S_URL='https://127.0.0.1:6443'");
        expect(env).toMatch(/K3S_TOKEN='K10/);
        expect((await b().kube.core.readNode({ name: 'agt' })).status?.nodeInfo?.kubeletVersion).toBe('v1.32.5+k3s1');
      },
      SLOW,
    );

    it('the same run again is ok and runs no install', async () => {
      rel.clearRequests();
      const starts = (await readStarts(f().fleet.node('agt').root)).length;
      const r = await runModule(k3sVersion, { ...base(), version: 'v1.32.5+k3s1' }, on('agt'));
      expect(r.status).toBe('ok');
      expect(r.msg).toBe('already at v1.32.5+k3s1 (agent, pinned version)');
      expect(rel.requests).toEqual([]);
      expect((await readStarts(f().fleet.node('agt').root)).length).toBe(starts);
    });

    it('refuses a downgrade unless allow_downgrade', async () => {
      const r = await runModule(k3sVersion, { ...base(), version: 'v1.31.4+k3s1' }, on('agt'), { check: true });
      expect(r.status).toBe('failed');
      expect(r.msg).toBe(
        'refusing to downgrade agt from v1.32.5+k3s1 to v1.31.4+k3s1 (set allow_downgrade: true, as rollback-k3s.yaml does)',
      );
      const ok = await runModule(k3sVersion, { ...base(), version: 'v1.31.4+k3s1', allow_downgrade: true }, on('agt'), {
        check: true,
      });
      expect(ok.msg).toBe('would downgrade v1.32.5+k3s1 → v1.31.4+k3s1 (agent, pinned version)');
    });
  },
);

// A cluster whose only server is old (v1.28): next to srv, it would refuse srv's upgrade to v1.32.
describeBackends(
  'k3s_version, a lone server three minors behind',
  async (name) => {
    const f = await k3sFleet(['old']);
    fleets.set(`old ${name}`, f);
    return { scenario: { nodes: [{ name: 'old', role: 'server', ...nodeCommands(f, 'old') }] } };
  },
  (b) => {
    const f = () => fleetOf('old', b().name);
    const on = (node: string): HarnessOptions => ({
      connection: f().conn(node),
      kube: async () => b().kube,
      nodeName: node,
      host: node,
    });

    beforeAll(() => readyAt(b(), 'old', 'v1.28.15+k3s1'), 120_000);

    it(
      'refuses v1.28 → v1.32 on a server, and walks each minor with stepwise',
      async () => {
        const refused = await runModule(k3sVersion, { ...base(), version: 'v1.32.5+k3s1' }, on('old'));
        expect(refused.status).toBe('failed');
        expect(refused.msg).toBe(
          'refusing to skip minors on server old: v1.28 → v1.32 is 4 upgrades (set stepwise: true to go v1.29.10+k3s1, v1.30.6+k3s1, v1.31.4+k3s1, v1.32.5+k3s1 in turn)',
        );
        const check = await runModule(k3sVersion, { ...base(), version: 'v1.32.5+k3s1', stepwise: true }, on('old'), {
          check: true,
        });
        expect(check.changes).toEqual([
          'upgrade v1.28.15+k3s1 → v1.29.10+k3s1 (server, step 1/4 towards v1.32.5+k3s1)',
          'upgrade v1.29.10+k3s1 → v1.30.6+k3s1 (server, step 2/4 towards v1.32.5+k3s1)',
          'upgrade v1.30.6+k3s1 → v1.31.4+k3s1 (server, step 3/4 towards v1.32.5+k3s1)',
          'upgrade v1.31.4+k3s1 → v1.32.5+k3s1 (server, step 4/4 towards v1.32.5+k3s1)',
        ]);
        const r = await runModule(k3sVersion, { ...base(), version: 'v1.32.5+k3s1', stepwise: true }, on('old'));
        expect(r.status, r.msg).toBe('changed');
        expect(r.data.done).toEqual(['v1.29.10+k3s1', 'v1.30.6+k3s1', 'v1.31.4+k3s1', 'v1.32.5+k3s1']);
        const restarts = (await readFakeSystemdLog(f().stateDir, 'old')).filter(
          (e) => e.unit === 'k3s.service' && /start/.test(e.action),
        );
        expect(restarts.length).toBeGreaterThanOrEqual(4);
        expect(await kubeletOf(b(), 'old')).toBe('v1.32.5+k3s1');
      },
      2 * SLOW,
    );
  },
);
