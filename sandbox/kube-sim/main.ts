#!/usr/bin/env node
// kube-sim: runs the Kubernetes API simulator in the foreground from a scenario file,
// and leaves in a state directory what another process needs to use and steer it.
import { Command } from 'commander';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { FAST_TIMINGS } from './clock.js';
import { loadScenario } from './scenario.js';
import { startKubeSim } from './sim.js';

type Flags = { scenario: string; stateDir: string; host: string; port: string; fast?: boolean };

async function main(argv: string[]): Promise<void> {
  const program = new Command('kube-sim')
    .description('Kubernetes API simulator: an HTTPS API server with controllers, from a scenario file')
    .requiredOption(
      '-s, --scenario <file>',
      'scenario (YAML or JSON): nodes, deployments, daemonsets, pods, pdbs, pvcs, leases',
    )
    .requiredOption(
      '-d, --state-dir <dir>',
      'where to write kubeconfig.yaml, kubeconfig-viewer.yaml, admin-token, ca.crt, url and kube-sim.pid',
    )
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('-p, --port <port>', 'port (0 = a free one)', '0')
    .option('--fast', 'fast timings (a simulated second lasts 20 ms), for tests');
  program.parse(argv);
  const flags = program.opts<Flags>();
  const stateDir = resolve(flags.stateDir);
  const scenario = await loadScenario(flags.scenario);
  const sim = await startKubeSim({
    scenario,
    host: flags.host,
    port: Number(flags.port),
    timings: flags.fast ? { ...FAST_TIMINGS, ...scenario.timings } : undefined,
  });
  await mkdir(stateDir, { recursive: true });
  const pidFile = join(stateDir, 'kube-sim.pid');
  await sim.writeKubeconfig(join(stateDir, 'kubeconfig.yaml'));
  await sim.writeKubeconfig(join(stateDir, 'kubeconfig-viewer.yaml'), 'viewer');
  await writeFile(join(stateDir, 'admin-token'), sim.tokens.admin + '\n', { mode: 0o600 });
  await writeFile(join(stateDir, 'ca.crt'), sim.caPem);
  await writeFile(join(stateDir, 'url'), sim.url + '\n');
  await writeFile(pidFile, `${process.pid}\n`);

  let closing = false;
  const stop = async (signal: string) => {
    if (closing) return;
    closing = true;
    await sim.close();
    await rm(pidFile, { force: true });
    process.stdout.write(`kube-sim stopped (${signal})\n`);
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  process.stdout.write(`kube-sim listening on ${sim.url}\nkubeconfig: ${join(stateDir, 'kubeconfig.yaml')}\n`);
}

main(process.argv).catch((e: unknown) => {
  process.stderr.write(`kube-sim: ${(e as Error).message}\n`);
  process.exit(1);
});
