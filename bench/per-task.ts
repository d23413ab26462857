// Per-task overhead: N trivial `command` tasks on one fleet host through herdbook, the
// ControlMaster floor (the same commands, one `ssh` process each over one master connection)
// and Ansible (pipelining, ControlPersist). Each runner's whole run is timed, connection included.
import { ratioText, type Bench, type SummaryRow } from './lib/suite.js';
import { commandWorkload } from './lib/playbooks.js';
import { runTrio } from './lib/trio.js';

export const perTaskBench: Bench = {
  name: 'per-task',
  title: 'Per-task overhead: N `command: /bin/true` tasks on 1 fleet host',
  async run(ctx) {
    const n = ctx.opts.quick ? 30 : 100;
    const bf = await ctx.fleet();
    ctx.log(`${n} tasks × 1 node:`);
    const r = await runTrio(
      ctx.opts,
      bf,
      commandWorkload(ctx.workDir, n),
      1,
      { dir: ctx.workDir, ansible: ctx.ansible(), mitogen: ctx.mitogen() },
      ctx.log,
    );
    const ratio = r.herdbook.wallMs / r.floor.wallMs;
    const rows: SummaryRow[] = [
      {
        what: `${n} command tasks × 1 node (per task, connection included)`,
        figure: `${(r.herdbook.wallMs / n).toFixed(1)} ms`,
        ratio: ratioText(ratio, 'the floor'),
        target: '≤ 3 ms per task',
        met: r.herdbook.wallMs / n <= 3,
      },
      {
        what: `${n} command tasks × 1 node: executor off`,
        figure: `${(r.noExecutor.wallMs / n).toFixed(1)} ms per task`,
        ratio: `${(r.noExecutor.wallMs / r.herdbook.wallMs).toFixed(2)}× slower than on`,
      },
    ];
    if (r.ansible)
      rows.push({
        what: `${n} command tasks × 1 node: vs Ansible`,
        figure: `Ansible ${(r.ansible.wallMs / n).toFixed(1)} ms per task`,
        ratio: ratioText(r.ansible.wallMs / r.herdbook.wallMs, 'faster than Ansible'),
      });
    if (r.mitogen)
      rows.push({
        what: `${n} command tasks × 1 node: vs Ansible with Mitogen`,
        figure: `Mitogen ${(r.mitogen.wallMs / n).toFixed(1)} ms per task`,
        ratio: ratioText(r.mitogen.wallMs / r.herdbook.wallMs, 'faster than Ansible with Mitogen'),
      });
    return rows;
  },
};
