// Fan-out: the four module tasks (file, copy, lineinfile, command) on 8, 32 and 100 fleet nodes,
// and the headline, 50 `command` tasks × 8 nodes; herdbook, the floor and Ansible (forks =
// the host count for both herdbook and Ansible; the floor runs every host of a task at once).
import { commandWorkload, moduleWorkload } from './lib/playbooks.js';
import { ratioText, type Bench, type SummaryRow } from './lib/suite.js';
import { runTrio, type TrioResult } from './lib/trio.js';

type Targets = { ansible?: number; mitogen?: number; floor?: number; rssMb?: number };

function rows(what: string, r: TrioResult, t: Targets = {}): SummaryRow[] {
  const floor = r.herdbook.wallMs / r.floor.wallMs;
  const out: SummaryRow[] = [
    {
      what: `${what}: herdbook vs floor`,
      figure: `${r.herdbook.wallMs.toFixed(0)} ms, ${r.herdbook.rssMb.toFixed(0)} MB`,
      ratio: ratioText(floor, 'the floor'),
      ...(t.floor ? { target: `≤ ${t.floor}× the floor`, met: floor <= t.floor } : {}),
      ...(t.rssMb ? { target: `peak RSS ≤ ${t.rssMb} MB`, met: r.herdbook.rssMb <= t.rssMb } : {}),
    },
    {
      what: `${what}: executor off (a channel per command)`,
      figure: `${r.noExecutor.wallMs.toFixed(0)} ms, ${r.noExecutor.rssMb.toFixed(0)} MB`,
      ratio: `${(r.noExecutor.wallMs / r.herdbook.wallMs).toFixed(2)}× slower than on; ${(r.noExecutor.wallMs / r.floor.wallMs).toFixed(2)}× the floor`,
    },
  ];
  if (r.ansible) {
    const x = r.ansible.wallMs / r.herdbook.wallMs;
    out.push({
      what: `${what}: vs Ansible`,
      figure: `Ansible ${r.ansible.wallMs.toFixed(0)} ms, ${r.ansible.rssMb.toFixed(0)} MB`,
      ratio: ratioText(x, 'faster than Ansible'),
      ...(t.ansible ? { target: `≥ ${t.ansible}×`, met: x >= t.ansible } : {}),
    });
  }
  if (r.mitogen) {
    const x = r.mitogen.wallMs / r.herdbook.wallMs;
    out.push({
      what: `${what}: vs Ansible with Mitogen`,
      figure: `Mitogen ${r.mitogen.wallMs.toFixed(0)} ms, ${r.mitogen.rssMb.toFixed(0)} MB`,
      ratio: ratioText(x, 'faster than Ansible with Mitogen'),
      ...(t.mitogen ? { target: `≥ ${t.mitogen}×`, met: x >= t.mitogen } : {}),
    });
  }
  return out;
}

export const fanoutBench: Bench = {
  name: 'fanout',
  title: 'Fan-out on fleet nodes: 4 module tasks on 8/32/100 nodes, 50 command tasks on 8',
  async run(ctx) {
    const bf = await ctx.fleet();
    const ansible = ctx.ansible();
    const mitogen = ctx.mitogen();
    const out: SummaryRow[] = [];
    const headline = commandWorkload(ctx.workDir, 50);
    ctx.log('50 command tasks × 8 nodes:');
    out.push(
      ...rows(
        '50 command tasks × 8 nodes',
        await runTrio(ctx.opts, bf, headline, 8, { dir: ctx.workDir, ansible, mitogen }, ctx.log),
        { ansible: 80, mitogen: 5, floor: 0.5 },
      ),
    );
    const modules = moduleWorkload(ctx.workDir);
    for (const n of ctx.opts.nodes) {
      ctx.log(`${modules.title} × ${n} nodes:`);
      out.push(
        ...rows(
          `4 module tasks × ${n} nodes`,
          await runTrio(ctx.opts, bf, modules, n, { dir: ctx.workDir, ansible, mitogen }, ctx.log),
          n >= 32 ? { ansible: 50, ...(n >= 100 ? { rssMb: 150 } : {}) } : {},
        ),
      );
    }
    return out;
  },
};
