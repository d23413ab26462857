// main.js as `herdbook sandbox up` runs it: detached, from a scenario file, leaving url,
// kubeconfigs and a pid file in its state directory; SIGTERM stops it and every process it
// started, and removes etcd's data.
import * as k8s from '@kubernetes/client-node';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { describeRealKube, eventually } from '../../helpers/real-kube.js';
import { tempTree } from '../../helpers/tmp.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** Pids of processes whose command line mentions `text` (here: the state directory). */
function processesMentioning(text: string): number[] {
  return readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .filter((p) => {
      try {
        return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(text);
      } catch {
        return false;
      }
    })
    .map(Number);
}

await describeRealKube('real-kube main.js', () => {
  it('runs detached from a scenario file and stops everything on SIGTERM', async () => {
    const main = path.join(repo, 'dist/sandbox/real-kube/main.js');
    expect(existsSync(main), `${main} is missing: npm run build`).toBe(true);
    const dir = tempTree({
      'scenario.yaml':
        'nodes:\n  - name: s-1\n    role: server\n  - name: a-1\ndeployments:\n  - name: web\n    replicas: 2\n',
    });
    const state = path.join(dir, 'state');
    const child = spawn(process.execPath, [main, '--scenario', path.join(dir, 'scenario.yaml'), '--state-dir', state], {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const url = await eventually(
        () => existsSync(path.join(state, 'url')) && readFileSync(path.join(state, 'url'), 'utf8').trim(),
        `the url file (${output})`,
        120_000,
      );
      expect(readFileSync(path.join(state, 'real-kube.pid'), 'utf8').trim()).toBe(String(child.pid));
      const kc = new k8s.KubeConfig();
      kc.loadFromFile(path.join(state, 'kubeconfig.yaml'));
      expect(kc.getCurrentCluster()?.server).toBe(url);
      const nodes = await kc.makeApiClient(k8s.CoreV1Api).listNode();
      expect(nodes.items.map((n) => n.metadata!.name).sort()).toEqual(['a-1', 's-1']);
      expect(readFileSync(path.join(state, 'ca.crt'), 'utf8')).toMatch(/BEGIN CERTIFICATE/);
      expect(existsSync(path.join(state, 'kubeconfig-viewer.yaml'))).toBe(true);
      expect(processesMentioning(state).length).toBeGreaterThanOrEqual(4);

      process.kill(child.pid!, 'SIGTERM');
      expect(await exited).toBe(0);
      expect(output).toMatch(/real-kube stopped \(SIGTERM\)/);
      expect(processesMentioning(state)).toEqual([]);
      expect(existsSync(path.join(state, 'real-kube.pid'))).toBe(false);
      expect(existsSync(path.join(state, 'etcd'))).toBe(false);
      expect(existsSync(path.join(state, 'kube-apiserver.log'))).toBe(true);
    } finally {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // Already gone.
      }
      await sleep(10);
    }
  }, 180_000);
});
