#!/usr/bin/env node
// real-kube: a real control plane (etcd, kube-apiserver, kube-controller-manager,
// kube-scheduler v1.32.13) with played kubelets, in the foreground, from a kube-sim scenario
// file; leaves in a state directory what another process needs to use it, and on SIGTERM or
// SIGINT stops every process it started.
import { Command } from 'commander';
import { randomBytes } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { loadScenario } from '../kube-sim/scenario.js';
import { envForKubeDir } from './binaries.js';
import { startAdminServer } from './admin-server.js';
import { startRealKube } from './index.js';

type Flags = { scenario?: string; stateDir: string; binaries?: string; tolerationSeconds?: string };

async function main(argv: string[]): Promise<void> {
  const program = new Command('real-kube')
    .description('A real Kubernetes control plane on loopback with played kubelets, from a kube-sim scenario file')
    .option(
      '-s, --scenario <file>',
      'scenario (YAML or JSON): nodes, deployments, daemonsets, pods, pdbs, pvcs, leases',
    )
    .requiredOption(
      '-d, --state-dir <dir>',
      'where to write url, admin-url, admin-token, kubeconfig.yaml, kubeconfig-viewer.yaml, ca.crt, real-kube.pid and the logs',
    )
    .option(
      '--binaries <dir>',
      'kube-apiserver, kube-controller-manager and kube-scheduler, or the archive and SHA256SUMS (default: HERDBOOK_KUBE_BIN_DIR, or ../shared/kube)',
    )
    .option('--toleration-seconds <n>', 'tolerationSeconds of the default not-ready/unreachable tolerations', '30');
  program.parse(argv);
  const flags = program.opts<Flags>();
  const stateDir = resolve(flags.stateDir);
  const scenario = flags.scenario ? await loadScenario(flags.scenario) : {};
  await mkdir(stateDir, { recursive: true });
  const pidFile = join(stateDir, 'real-kube.pid');
  const log = (line: string) => process.stdout.write(`${line}\n`);
  const env = flags.binaries ? envForKubeDir(flags.binaries) : process.env;
  const kube = await startRealKube({
    stateDir,
    scenario,
    log,
    env,
    tolerationSeconds: Number(flags.tolerationSeconds),
  });
  // kube-sim's /__sim surface, on a port of its own (kube-apiserver owns the API's port).
  const token = randomBytes(24).toString('hex');
  const admin = await startAdminServer({ kube, caPem: kube.caPem, serving: kube.serving, token }).catch(
    async (e: unknown) => {
      await kube.close();
      throw e;
    },
  );

  let closing = false;
  const stop = async (signal: string) => {
    if (closing) return;
    closing = true;
    await admin.close();
    await kube.close();
    await rm(pidFile, { force: true });
    log(`real-kube stopped (${signal})`);
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  await writeFile(pidFile, `${process.pid}\n`);
  await writeFile(join(stateDir, 'admin-token'), `${token}\n`, { mode: 0o600 });
  await writeFile(join(stateDir, 'admin-url'), `${admin.url}\n`);
  // The url last: a waiting process takes it to mean "ready".
  await writeFile(join(stateDir, 'url'), kube.url + '\n');
  log(
    `real-kube ${kube.version} listening on ${kube.url}\nadmin surface: ${admin.url}/__sim/\nkubeconfig: ${kube.kubeconfigPath}`,
  );
}

main(process.argv).catch((e: unknown) => {
  process.stderr.write(`real-kube: ${(e as Error).message}\n`);
  process.exit(1);
});
