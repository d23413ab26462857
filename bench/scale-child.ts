// The scale benchmark's measured process: `herdbook run --output json` of the scale playbook,
// in process, with the stand-in connection, NDJSON to stdout (the parent points it at
// /dev/null). Prints one JSON line on stderr: time in the run, CPU, peak RSS, execs answered.
//   node dist/bench/scale-child.js <playbook> <inventory>
import { runCommand } from '../engine/commands/run.js';
import type { CommandIO } from '../engine/commands/io.js';
import { NO_PAINT } from '../engine/report/diagnostics.js';
import { standInPool } from './lib/stand-in.js';

const [playbook, inventory] = process.argv.slice(2);
const errors: string[] = [];
const io: CommandIO = { out: () => undefined, err: (t) => void errors.push(t), isTTY: false, paint: NO_PAINT };
const pool = standInPool();
const cpu = process.cpuUsage();
const started = performance.now();
const code = await runCommand([playbook], { inventory: [inventory], output: 'json' }, io, {
  connection: (h) => pool.get(h),
});
const runMs = performance.now() - started;
const used = process.cpuUsage(cpu);
process.stderr.write(
  `${JSON.stringify({ code, runMs, cpuMs: (used.user + used.system) / 1000, rssKb: process.resourceUsage().maxRSS, execs: pool.execs(), errors: errors.join('\n').slice(0, 4000) })}\n`,
);
process.exitCode = code;
