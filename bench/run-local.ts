// Engine overhead on local hosts: 200 `command: /bin/true` tasks on 20 `connection: local`
// hosts through `herdbook run`, beside a plain loop spawning the same 4,000 commands with the
// same concurrency (herdbook's default forks: the whole batch), measured in the same run.
//   node dist/bench/run-local.js [--hosts 20] [--tasks 200] [--runs 3] [--cpu-prof DIR]
// Both run in this process, so CPU time (user + system of this process; the commands' own
// CPU is not in it) compares like with like; wall time is shown too. One extra `herdbook
// run` of a single task as a fresh process shows what every run pays once at start.
import { parseArgs } from 'node:util';
import { main as cli } from '../engine/cli.js';
import type { CommandIO } from '../engine/commands/io.js';
import { NO_PAINT } from '../engine/report/diagnostics.js';
import { runCli } from './lib/herdbook-cli.js';
import { measure, quietStdout, type Cost } from './lib/measure.js';
import { spawnLoop } from './lib/spawn-loop.js';
import { median } from './lib/stats.js';
import { localWorkspace } from './lib/workspace.js';

const { values } = parseArgs({
  options: {
    hosts: { type: 'string', default: '20' },
    tasks: { type: 'string', default: '200' },
    runs: { type: 'string', default: '3' },
    'cpu-prof': { type: 'string' },
  },
});
const hosts = Number(values.hosts);
const tasks = Number(values.tasks);
const runs = Number(values.runs);
const command = ['/bin/true'];
// herdbook's default forks: the whole batch, up to 50.
const forks = Math.min(hosts, 50);

const errors: string[] = [];
const io: CommandIO = { out: () => undefined, err: (t) => void errors.push(t), isTTY: false, paint: NO_PAINT };

async function herdbookInProcess(playbook: string, inventory: string): Promise<void> {
  const { value: code, lines } = await quietStdout(() => cli(['run', playbook, '-i', inventory, '--output', 'json'], io));
  if (code !== 0) throw new Error(`herdbook exited ${code}: ${errors.join('\n')}`);
  // run_start, play_start, batch_start, per task a start and a result per host, play_end, recap.
  const expected = 5 + tasks * (1 + hosts);
  if (lines !== expected) throw new Error(`expected ${expected} events, got ${lines}`);
}

function report(label: string, c: Cost[], n: number): string {
  const wall = median(c.map((x) => x.wallMs));
  const cpu = median(c.map((x) => x.cpuMs));
  return `${label.padEnd(22)} wall ${wall.toFixed(0).padStart(6)} ms (${((wall / n) * 1000).toFixed(0).padStart(5)} µs per task-host)   cpu ${cpu.toFixed(0).padStart(6)} ms (${((cpu / n) * 1000).toFixed(0).padStart(5)} µs per task-host)`;
}

async function run(): Promise<void> {
  const ws = localWorkspace({ hosts, tasks, command });
  const one = localWorkspace({ hosts: 1, tasks: 1, command });
  try {
    const herd: Cost[] = [];
    const plain: Cost[] = [];
    // Warm up both paths (module loading, JIT), then alternate so machine noise hits both alike.
    await herdbookInProcess(one.playbook, one.inventory).catch(() => undefined);
    await spawnLoop(command, 5, hosts, forks);
    for (let i = 0; i < runs; i++) {
      herd.push(await measure(() => herdbookInProcess(ws.playbook, ws.inventory)));
      plain.push(await measure(() => spawnLoop(command, tasks, hosts, forks)));
    }
    const start = await measure(async () => {
      const r = await runCli(['run', one.playbook, '-i', one.inventory, '--output', 'json']);
      if (r.code !== 0) throw new Error(`herdbook exited ${r.code}: ${r.stderr}`);
    });
    const n = tasks * hosts;
    const hw = median(herd.map((c) => c.wallMs));
    const pw = median(plain.map((c) => c.wallMs));
    const hc = median(herd.map((c) => c.cpuMs));
    const pc = median(plain.map((c) => c.cpuMs));
    console.log(
      [
        `${tasks} tasks × ${hosts} local hosts = ${n} × ${command.join(' ')}, forks ${forks}, median of ${runs} runs`,
        report('herdbook run', herd, n),
        report('plain spawn loop', plain, n),
        `engine overhead        wall ${(((hw - pw) / n) * 1000).toFixed(0)} µs per task-host   cpu ${(((hc - pc) / n) * 1000).toFixed(0)} µs per task-host`,
        `ratio herdbook / plain wall ${(hw / pw).toFixed(2)}x   cpu ${(hc / pc).toFixed(2)}x`,
        `start-up (fresh process, 1 task on 1 host): ${start.wallMs.toFixed(0)} ms wall`,
      ].join('\n'),
    );
    if (values['cpu-prof']) {
      await runCli(['run', ws.playbook, '-i', ws.inventory, '--output', 'json'], { cpuProfDir: values['cpu-prof'] });
      console.log(`CPU profile of one herdbook run (fresh process) written under ${values['cpu-prof']}`);
    }
  } finally {
    ws.remove();
    one.remove();
  }
}

run().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
