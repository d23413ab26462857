// Start-up: `herdbook --version` and `herdbook validate` of every shipped playbook (with
// inventory/lab.ini), each a fresh process, beside `node -e ''` measured in the same run: this
// machine's node start-up alone is the floor, shown raw and subtracted.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { repoRoot, runCli, runNode, type CliRun } from './lib/herdbook-cli.js';
import { median } from './lib/stats.js';
import { ratioText, type Bench, type SummaryRow } from './lib/suite.js';

type Case = { label: string; run: () => Promise<CliRun> };

async function ok(p: Promise<CliRun>, label: string): Promise<CliRun> {
  const r = await p;
  if (r.code !== 0) throw new Error(`${label} exited ${r.code}: ${r.stderr.slice(-2000)}`);
  return r;
}

export const startupBench: Bench = {
  name: 'startup',
  title: "Start-up: herdbook --version and validate of every shipped playbook, beside node -e ''",
  async run(ctx) {
    const root = repoRoot();
    const playbooks = readdirSync(path.join(root, 'playbooks'))
      .filter((f) => f.endsWith('.yaml'))
      .sort();
    const inv = ['-i', 'inventory/lab.ini'];
    const cases: Case[] = [
      { label: "node -e ''", run: () => ok(runNode(['-e', ''], { rss: true, cwd: root }), 'node') },
      { label: 'herdbook --version', run: () => ok(runCli(['--version'], { rss: true, cwd: root }), '--version') },
      ...playbooks.map((p) => ({
        label: `validate ${p}`,
        run: () => ok(runCli(['validate', `playbooks/${p}`, ...inv], { rss: true, cwd: root }), p),
      })),
      {
        label: `validate all ${playbooks.length} at once`,
        run: () =>
          ok(
            runCli(['validate', ...playbooks.map((p) => `playbooks/${p}`), ...inv], { rss: true, cwd: root }),
            'validate all',
          ),
      },
    ];
    const runs = ctx.opts.quick ? 3 : Math.max(ctx.opts.runs * 3, 9);
    const got = cases.map(() => [] as CliRun[]);
    await cases[1].run(); // warm the file cache
    // Interleaved, so a busy moment of the machine weighs on all alike.
    for (let i = 0; i < runs; i++) for (let c = 0; c < cases.length; c++) got[c].push(await cases[c].run());
    const node = median(got[0].map((r) => r.wallMs));
    const rows: SummaryRow[] = [];
    for (let c = 0; c < cases.length; c++) {
      const wall = median(got[c].map((r) => r.wallMs));
      const rss = Math.max(...got[c].map((r) => r.rssMb ?? 0));
      ctx.log(
        `  ${cases[c].label.padEnd(38)} ${wall.toFixed(0).padStart(5)} ms  (net of node ${(wall - node).toFixed(0).padStart(4)} ms, ${(wall / node).toFixed(2)}× node)  peak RSS ${rss.toFixed(0)} MB`,
      );
      if (c === 0) continue;
      const isVersion = c === 1;
      const isAll = c === cases.length - 1;
      if (isVersion || isAll || wall === Math.max(...got.slice(2, -1).map((g) => median(g.map((r) => r.wallMs))))) {
        rows.push({
          what: isVersion
            ? 'herdbook --version'
            : isAll
              ? `herdbook validate (all ${playbooks.length} playbooks)`
              : `herdbook ${cases[c].label} (slowest single)`,
          figure: `${wall.toFixed(0)} ms (net of node ${(wall - node).toFixed(0)} ms), ${rss.toFixed(0)} MB`,
          ratio: ratioText(wall / node, "node -e ''"),
          target: '< 200 ms',
          met: wall < 200,
        });
      }
    }
    ctx.log(
      `  (median of ${runs}; node -e '' ${node.toFixed(0)} ms here, NODE_EXTRA_CA_CERTS ${process.env.NODE_EXTRA_CA_CERTS ? 'set' : 'unset'})`,
    );
    return rows;
  },
};
