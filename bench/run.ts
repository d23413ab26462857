// `npm run bench`: the whole suite, each measurement beside a baseline measured in the same run
// (node start-up, a plain spawn loop, raw ssh2, the OpenSSH ControlMaster floor, Ansible), then
// one table of figures, ratios and targets.
//   node dist/bench/run.js [--only fanout,scale] [--quick] [--runs 3] [--ansible-runs 1]
//                          [--nodes 8,32,100] [--no-ansible] [--real-home] [--cpu-prof DIR] [--json FILE]
// The fleet benchmarks need root (real sshd nodes on loopback); Ansible is installed from
// Debian's package when missing and allowed, otherwise its column is skipped with the reason.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fanoutBench } from './fanout.js';
import { kubeApiBench } from './kube-api.js';
import { AnsibleRunner, ensureAnsible } from './lib/ansible.js';
import { startBenchFleet, type BenchFleet } from './lib/fleet.js';
import { describeMachine } from './lib/machine.js';
import { ensureMitogen } from './lib/mitogen.js';
import { summaryTable } from './lib/summary.js';
import type { Bench, SuiteContext, SuiteOptions, SummaryRow } from './lib/suite.js';
import { perTaskBench } from './per-task.js';
import { localBench } from './run-local.js';
import { scaleBench } from './scale.js';
import { sshBench } from './ssh-floor.js';
import { startupBench } from './startup.js';
import { validateBench } from './validate.js';

const BENCHES: Bench[] = [
  startupBench,
  validateBench,
  scaleBench,
  localBench,
  kubeApiBench,
  sshBench,
  perTaskBench,
  fanoutBench,
];
const NEEDS_FLEET = new Set(['ssh2', 'per-task', 'fanout']);

const { values } = parseArgs({
  options: {
    only: { type: 'string', multiple: true },
    quick: { type: 'boolean', default: false },
    runs: { type: 'string' },
    'ansible-runs': { type: 'string', default: '1' },
    nodes: { type: 'string' },
    'no-ansible': { type: 'boolean', default: false },
    'real-home': { type: 'boolean', default: false },
    'cpu-prof': { type: 'string' },
    json: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (values.help) {
  console.log(
    `npm run bench -- [--only ${BENCHES.map((b) => b.name).join(',')}] [--quick] [--runs N] [--ansible-runs N] [--nodes 8,32,100] [--no-ansible] [--real-home] [--cpu-prof DIR] [--json FILE]`,
  );
  for (const b of BENCHES) console.log(`  ${b.name.padEnd(9)} ${b.title}`);
  process.exit(0);
}

const only = values.only?.flatMap((o) => o.split(',')).filter(Boolean);
for (const name of only ?? [])
  if (!BENCHES.some((b) => b.name === name))
    throw new Error(`--only ${name}: no such benchmark (${BENCHES.map((b) => b.name).join(', ')})`);
const quick = values.quick;
const opts: SuiteOptions = {
  quick,
  runs: Number(values.runs ?? (quick ? 1 : 3)),
  ansibleRuns: Number(values['ansible-runs']),
  nodes: (values.nodes ?? '8,32,100').split(',').map(Number),
  cpuProf: values['cpu-prof'] && path.resolve(values['cpu-prof']),
  noAnsible: values['no-ansible'],
  realHome: values['real-home'],
};
const selected = BENCHES.filter((b) => !only || only.includes(b.name));

async function main(): Promise<void> {
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'hb-bench-'));
  let fleet: Promise<BenchFleet> | undefined;
  let ansible: AnsibleRunner | null | undefined;
  let mitogen: AnsibleRunner | null | undefined;
  const ctx: SuiteContext = {
    opts,
    workDir,
    log: (line) => console.log(line),
    fleet() {
      if (process.getuid?.() !== 0)
        throw new Error('the fleet benchmarks need root (real sshd nodes in their own mount namespaces)');
      const size = Math.max(8, ...opts.nodes);
      if (!fleet) console.log(`(starting a fleet of ${size} sshd nodes...)`);
      fleet ??= startBenchFleet(size, { realHome: opts.realHome });
      return fleet;
    },
    ansible() {
      if (ansible !== undefined) return ansible ?? undefined;
      if (opts.noAnsible) {
        console.log('(Ansible column skipped: --no-ansible)');
        ansible = null;
        return undefined;
      }
      const a = ensureAnsible((m) => console.log(m));
      if (!a.ok) console.log(`(Ansible column skipped: ${a.why})`);
      else console.log(`(Ansible: ${a.version}, pipelining, ControlPersist, forks = the host count)`);
      ansible = a.ok ? new AnsibleRunner(workDir) : null;
      return ansible ?? undefined;
    },
    mitogen() {
      if (mitogen !== undefined) return mitogen ?? undefined;
      if (!ctx.ansible()) {
        mitogen = null;
        return undefined;
      }
      const m = ensureMitogen((line) => console.log(line));
      if (!m.ok) console.log(`(Mitogen column skipped: ${m.why})`);
      else console.log(`(Ansible with ${m.version}: strategy mitogen_linear, otherwise the same settings)`);
      mitogen = m.ok ? new AnsibleRunner(workDir, 'mitogen_linear') : null;
      return mitogen ?? undefined;
    },
  };
  const rows: SummaryRow[] = [];
  const failures: string[] = [];
  try {
    for (const b of selected) {
      if (NEEDS_FLEET.has(b.name) && process.getuid?.() !== 0) {
        failures.push(`${b.name}: skipped, needs root (real sshd nodes)`);
        continue;
      }
      console.log(`\n== ${b.name}: ${b.title}`);
      const started = performance.now();
      try {
        rows.push(...(await b.run(ctx)));
      } catch (e) {
        failures.push(`${b.name}: ${(e as Error).stack ?? String(e)}`);
        console.log(`  FAILED: ${(e as Error).message}`);
      }
      console.log(`  (${((performance.now() - started) / 1000).toFixed(0)} s)`);
    }
  } finally {
    if (fleet) await (await fleet).stop();
    rmSync(workDir, { recursive: true, force: true });
  }
  const machine = describeMachine();
  console.log(
    `\n== Summary (${quick ? 'quick, ' : ''}median of ${opts.runs} run${opts.runs === 1 ? '' : 's'}; Ansible ${opts.ansibleRuns})\n${machine}\n\n${summaryTable(rows)}`,
  );
  if (values.json)
    writeFileSync(
      values.json,
      JSON.stringify({ machine, opts, rows, failures, time: new Date().toISOString() }, null, 2),
    );
  if (failures.length) {
    console.log(
      `\n${failures.length} benchmark${failures.length === 1 ? '' : 's'} did not finish:\n${failures.join('\n')}`,
    );
    process.exitCode = 1;
  }
}

await main();
