// Engine overhead on local hosts: 200 `command: /bin/true` tasks on 20 `connection: local`
// hosts through `herdbook run`, beside a plain loop spawning the same 4,000 commands with the
// same concurrency (herdbook's default forks: the whole batch), measured in the same run.
// Both run in this process, so CPU time (user + system of this process; the commands' own
// CPU is not in it) compares like with like; wall time is shown too.
import { main as cli } from '../engine/cli.js';
import type { CommandIO } from '../engine/commands/io.js';
import { NO_PAINT } from '../engine/report/diagnostics.js';
import { measure, quietStdout, type Cost } from './lib/measure.js';
import { spawnLoop } from './lib/spawn-loop.js';
import { median } from './lib/stats.js';
import { ratioText, type Bench } from './lib/suite.js';
import { localWorkspace } from './lib/workspace.js';

const command = ['/bin/true'];

export const localBench: Bench = {
  name: 'local',
  title: 'The local connection: N × 20 `command: /bin/true` in process, beside a plain spawn loop',
  async run(ctx) {
    const hosts = 20;
    const tasks = ctx.opts.quick ? 50 : 200;
    // herdbook's default forks: the whole batch, up to 50.
    const forks = Math.min(hosts, 50);
    const errors: string[] = [];
    const io: CommandIO = { out: () => undefined, err: (t) => void errors.push(t), isTTY: false, paint: NO_PAINT };
    const herdbook = async (playbook: string, inventory: string, n: number, h: number) => {
      const { value: code, lines } = await quietStdout(() =>
        cli(['run', playbook, '-i', inventory, '--output', 'json'], io),
      );
      if (code !== 0) throw new Error(`herdbook exited ${code}: ${errors.join('\n')}`);
      // run_start, play_start, batch_start, per task a start and a result per host, play_end, recap.
      if (lines !== 5 + n * (1 + h)) throw new Error(`expected ${5 + n * (1 + h)} events, got ${lines}`);
    };
    const ws = localWorkspace({ hosts, tasks, command });
    const one = localWorkspace({ hosts: 1, tasks: 1, command });
    try {
      const herd: Cost[] = [];
      const plain: Cost[] = [];
      // Warm up both paths (module loading, JIT), then alternate so machine noise hits both alike.
      await herdbook(one.playbook, one.inventory, 1, 1);
      await spawnLoop(command, 5, hosts, forks);
      for (let i = 0; i < ctx.opts.runs; i++) {
        herd.push(await measure(() => herdbook(ws.playbook, ws.inventory, tasks, hosts)));
        plain.push(await measure(() => spawnLoop(command, tasks, hosts, forks)));
      }
      const n = tasks * hosts;
      const m = (c: Cost[], k: keyof Cost) => median(c.map((x) => x[k]));
      const us = (ms: number) => `${((ms / n) * 1000).toFixed(0)} µs`;
      ctx.log(
        `  ${tasks} tasks × ${hosts} local hosts = ${n} × ${command.join(' ')}, forks ${forks}, median of ${ctx.opts.runs}`,
      );
      ctx.log(
        `  herdbook run      wall ${m(herd, 'wallMs').toFixed(0).padStart(6)} ms (${us(m(herd, 'wallMs'))} per host-task)   cpu ${m(herd, 'cpuMs').toFixed(0).padStart(6)} ms (${us(m(herd, 'cpuMs'))})`,
      );
      ctx.log(
        `  plain spawn loop  wall ${m(plain, 'wallMs').toFixed(0).padStart(6)} ms (${us(m(plain, 'wallMs'))} per host-task)   cpu ${m(plain, 'cpuMs').toFixed(0).padStart(6)} ms (${us(m(plain, 'cpuMs'))})`,
      );
      const wallRatio = m(herd, 'wallMs') / m(plain, 'wallMs');
      const cpuOver = m(herd, 'cpuMs') - m(plain, 'cpuMs');
      ctx.log(
        `  engine overhead   cpu ${us(cpuOver)} per host-task; herdbook / plain: wall ${wallRatio.toFixed(2)}×, cpu ${(m(herd, 'cpuMs') / m(plain, 'cpuMs')).toFixed(2)}×`,
      );
      return [
        {
          what: `local connection, ${tasks} tasks × ${hosts} hosts (/bin/true)`,
          figure: `${us(cpuOver)} cpu per host-task over the spawns`,
          ratio: ratioText(wallRatio, 'a plain spawn loop (wall)'),
        },
      ];
    } finally {
      ws.remove();
      one.remove();
    }
  },
};
