// Fan-out: the four module tasks (file, copy, lineinfile, command) on 8, 32 and 100 fleet nodes,
// and the headline, 50 `command` tasks × 8 nodes; herdbook, the floor and Ansible (forks =
// the host count for both herdbook and Ansible; the floor runs every host of a task at once).
import { commandWorkload, moduleWorkload } from './lib/playbooks.js';
import { ratioText, type Bench, type SummaryRow } from './lib/suite.js';
import { runTrio, type TrioResult } from './lib/trio.js';

function rows(what: string, r: TrioResult, ansibleTarget?: number): SummaryRow[] {
  const out: SummaryRow[] = [
    {
      what: `${what}: herdbook vs floor`,
      figure: `${r.herdbook.wallMs.toFixed(0)} ms, ${r.herdbook.rssMb.toFixed(0)} MB`,
      ratio: ratioText(r.herdbook.wallMs / r.floor.wallMs, 'the floor'),
    },
  ];
  out.push({
    what: `${what}: executor on vs off`,
    figure: `${r.executor.wallMs.toFixed(0)} ms, ${r.executor.rssMb.toFixed(0)} MB`,
    ratio: `${(r.herdbook.wallMs / r.executor.wallMs).toFixed(2)}× faster than off; ${(r.executor.wallMs / r.floor.wallMs).toFixed(2)}× the floor`,
  });
  if (r.ansible) {
    const x = r.ansible.wallMs / r.herdbook.wallMs;
    out.push({
      what: `${what}: vs Ansible`,
      figure: `Ansible ${r.ansible.wallMs.toFixed(0)} ms, ${r.ansible.rssMb.toFixed(0)} MB`,
      ratio: ratioText(x, 'faster than Ansible'),
      ...(ansibleTarget ? { target: `> ${ansibleTarget}×`, met: x > ansibleTarget } : {}),
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
    const out: SummaryRow[] = [];
    const headline = commandWorkload(ctx.workDir, 50);
    ctx.log('50 command tasks × 8 nodes:');
    out.push(
      ...rows(
        '50 command tasks × 8 nodes',
        await runTrio(ctx.opts, bf, headline, 8, { dir: ctx.workDir, ansible }, ctx.log),
        80,
      ),
    );
    const modules = moduleWorkload(ctx.workDir);
    for (const n of ctx.opts.nodes) {
      ctx.log(`${modules.title} × ${n} nodes:`);
      out.push(
        ...rows(
          `4 module tasks × ${n} nodes`,
          await runTrio(ctx.opts, bf, modules, n, { dir: ctx.workDir, ansible }, ctx.log),
          n === 32 ? 50 : undefined,
        ),
      );
    }
    return out;
  },
};
