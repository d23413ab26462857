// main.js as a separate process: started from a scenario file, used with client-node
// through the kubeconfig it writes, steered through the admin endpoints, stopped by SIGTERM.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientsFor, raw } from './helpers.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const sources = join(repo, 'sandbox/kube-sim');

async function newestSource(dir: string): Promise<number> {
  let newest = 0;
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? await newestSource(p) : (await stat(p)).mtimeMs);
  }
  return newest;
}

/** dist/sandbox/kube-sim/main.js when `npm run build` made it from the current sources; otherwise a fresh compile of just the simulator. */
async function mainJs(): Promise<string> {
  const dist = join(repo, 'dist/sandbox/kube-sim/main.js');
  if (existsSync(dist) && (await stat(dist)).mtimeMs >= (await newestSource(sources))) return dist;
  const out = join(repo, 'node_modules/.cache/kube-sim-cli-test');
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  await promisify(execFile)(process.execPath, [
    tsc,
    '--outDir',
    out,
    '--rootDir',
    repo,
    '--module',
    'nodenext',
    '--moduleResolution',
    'nodenext',
    '--target',
    'es2022',
    '--strict',
    '--skipLibCheck',
    '--esModuleInterop',
    '--types',
    'node',
    join(sources, 'main.ts'),
  ]);
  await writeFile(join(out, 'package.json'), '{"type":"module"}\n');
  return join(out, 'sandbox/kube-sim/main.js');
}

const SCENARIO = `
nodes:
  - name: s-1
    role: server
  - name: w-1
  - name: w-2
    versionFile: VERSION_FILE
deployments:
  - name: web
    replicas: 2
    pdb: { minAvailable: 2 }
`;

describe('kube-sim CLI (main.js)', () => {
  let dir: string;
  let child: ChildProcess;
  let stdout = '';
  let target: { url: string; caPem: string };
  let token: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kube-sim-cli-'));
    await writeFile(join(dir, 'w-2.version'), 'k3s version v1.30.8+k3s1 (abcdef12)\n');
    await writeFile(join(dir, 'scenario.yaml'), SCENARIO.replace('VERSION_FILE', join(dir, 'w-2.version')));
    const main = await mainJs();
    child = spawn(
      process.execPath,
      [main, '--scenario', join(dir, 'scenario.yaml'), '--state-dir', join(dir, 'state'), '--fast'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    await new Promise<void>((ok, fail) => {
      child.stdout!.on('data', (d) => {
        stdout += d;
        if (stdout.includes('kubeconfig:')) ok();
      });
      child.on('exit', (code) => fail(new Error(`kube-sim exited ${code}: ${stderr}`)));
    });
    const url = (await readFile(join(dir, 'state/url'), 'utf8')).trim();
    target = { url, caPem: await readFile(join(dir, 'state/ca.crt'), 'utf8') };
    token = (await readFile(join(dir, 'state/admin-token'), 'utf8')).trim();
  }, 120_000);

  afterAll(async () => {
    if (child.exitCode === null) child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  it('prints its URL and writes the kubeconfig, the pid file and the admin token', async () => {
    expect(stdout).toMatch(/^kube-sim listening on https:\/\/127\.0\.0\.1:\d+$/m);
    expect(stdout).toContain(target.url);
    expect((await readFile(join(dir, 'state/kube-sim.pid'), 'utf8')).trim()).toBe(String(child.pid));
    expect((await stat(join(dir, 'state/admin-token'))).mode & 0o077).toBe(0);
  });

  it('serves the scenario to client-node through the kubeconfig it wrote', async () => {
    const c = clientsFor(await readFile(join(dir, 'state/kubeconfig.yaml'), 'utf8'));
    const nodes = await c.core.listNode();
    expect(nodes.items.map((n) => [n.metadata?.name, n.status?.nodeInfo?.kubeletVersion])).toEqual([
      ['s-1', 'v1.31.4+k3s1'],
      ['w-1', 'v1.31.4+k3s1'],
      ['w-2', 'v1.30.8+k3s1'],
    ]);
    const pdb = await c.policy.readNamespacedPodDisruptionBudget({ name: 'web-pdb', namespace: 'default' });
    expect(pdb.status).toMatchObject({ currentHealthy: 2, disruptionsAllowed: 0 });
    const viewer = clientsFor(await readFile(join(dir, 'state/kubeconfig-viewer.yaml'), 'utf8'));
    expect((await viewer.core.listNode()).items).toHaveLength(3);
  });

  it('shows its request log and steers nodes through the admin endpoints', async () => {
    expect((await raw(target, 'POST', '/__sim/reset-requests', { token })).json).toEqual({ ok: true });
    const c = clientsFor(await readFile(join(dir, 'state/kubeconfig.yaml'), 'utf8'));
    await c.core.readNode({ name: 'w-1' });
    const log = await raw(target, 'GET', '/__sim/requests', { token });
    expect(log.json.items.map((r: { method: string; path: string }) => `${r.method} ${r.path}`)).toEqual([
      'GET /api/v1/nodes/w-1',
    ]);
    expect((await raw(target, 'GET', '/__sim/requests?mutating=true', { token })).json.items).toEqual([]);

    const set = await raw(target, 'POST', '/__sim/nodes/w-1', {
      token,
      contentType: 'application/json',
      body: JSON.stringify({ reachable: false }),
    });
    expect(set.json).toMatchObject({ name: 'w-1', reachable: false, manual: true });
    for (let i = 0; i < 100; i++) {
      const n = await c.core.readNode({ name: 'w-1' });
      if (n.spec?.taints?.some((t) => t.key === 'node.kubernetes.io/unreachable')) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const n = await c.core.readNode({ name: 'w-1' });
    expect(n.status?.conditions?.find((x) => x.type === 'Ready')?.status).toBe('Unknown');
    expect(n.spec?.taints?.map((t) => `${t.key}:${t.effect}`).sort()).toEqual([
      'node.kubernetes.io/unreachable:NoExecute',
      'node.kubernetes.io/unreachable:NoSchedule',
    ]);
    const nodes = await raw(target, 'GET', '/__sim/nodes', { token });
    expect(nodes.json.items.find((x: { name: string }) => x.name === 'w-2')).toMatchObject({
      version: 'v1.30.8+k3s1',
      reachable: true,
    });
  });

  it('follows a node whose version file changes (the fleet node upgraded)', async () => {
    await writeFile(join(dir, 'w-2.version'), 'k3s version v1.31.4+k3s1 (abcdef12)\n');
    const c = clientsFor(await readFile(join(dir, 'state/kubeconfig.yaml'), 'utf8'));
    let version: string | undefined;
    for (let i = 0; i < 100 && version !== 'v1.31.4+k3s1'; i++) {
      version = (await c.core.readNode({ name: 'w-2' })).status?.nodeInfo?.kubeletVersion;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(version).toBe('v1.31.4+k3s1');
  });

  it('keeps the admin surface for admins', async () => {
    expect((await raw(target, 'GET', '/__sim/requests')).status).toBe(401);
    const viewerToken = /token: (\S+)/.exec(await readFile(join(dir, 'state/kubeconfig-viewer.yaml'), 'utf8'))![1];
    const r = await raw(target, 'GET', '/__sim/requests', { token: viewerToken });
    expect(r.status).toBe(403);
    expect(r.json).toMatchObject({ kind: 'Status', reason: 'Forbidden' });
  });

  it('stops on SIGTERM and removes its pid file', async () => {
    const exited = new Promise<number | null>((ok) => child.once('exit', (code) => ok(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(existsSync(join(dir, 'state/kube-sim.pid'))).toBe(false);
  });
});
