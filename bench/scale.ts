// Scale without sshd: 1,000 and 5,000 hosts × 10 tasks (templating, group_vars and host_vars,
// set_fact, register, conditions) through `herdbook run --output json` with NDJSON going to
// /dev/null, in a fresh process each time, with the in-process stand-in connection (50,000 real
// commands would measure fork(), not the engine). Engine overhead per host-task, peak RSS, and
// time(5,000)/time(1,000): linear growth means 5×, the target is at most 5.5×.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatHot, summarizeProfile } from './lib/profile-summary.js';
import { scaleWorkspace, SCALE_TASKS, type ScaleWorkspace } from './lib/scale-workspace.js';
import { median } from './lib/stats.js';
import { ratioText, type Bench, type SummaryRow } from './lib/suite.js';

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'scale-child.js');

type ChildReport = {
  code: number;
  runMs: number;
  cpuMs: number;
  rssKb: number;
  execs: number;
  errors: string;
  wallMs: number;
};

function runChild(ws: ScaleWorkspace, cpuProfDir?: string): Promise<ChildReport> {
  const prof = cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', cpuProfDir] : [];
  return new Promise((resolve, reject) => {
    const started = performance.now();
    // stdout is /dev/null ('ignore'): the NDJSON reporter writes every event there.
    const child = spawn(process.execPath, [...prof, CHILD, ws.playbook, ws.inventory], {
      stdio: ['ignore', 'ignore', 'pipe'],
      cwd: ws.dir,
    });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = performance.now() - started;
      const last = stderr.trim().split('\n').pop() ?? '';
      try {
        const r = JSON.parse(last) as ChildReport;
        if (code !== 0 || r.code !== 0)
          return reject(new Error(`scale run of ${ws.hosts} hosts exited ${code}: ${r.errors}`));
        resolve({ ...r, wallMs });
      } catch {
        reject(new Error(`scale run of ${ws.hosts} hosts exited ${code}: ${stderr.slice(-2000)}`));
      }
    });
  });
}

export const scaleBench: Bench = {
  name: 'scale',
  title: 'Scale without sshd: 1,000 and 5,000 hosts × 10 tasks, stand-in connection, NDJSON to /dev/null',
  async run(ctx) {
    const sizes = [1000, 5000];
    const spaces = sizes.map((n) => scaleWorkspace(n));
    const got = new Map<number, ChildReport[]>(sizes.map((n) => [n, []]));
    try {
      for (let r = 0; r < ctx.opts.runs; r++) {
        for (const ws of spaces) {
          const rep = await runChild(ws);
          // 10 tasks, 4 of them commands (one only on every tenth host, a server).
          const want = ws.hosts * 3 + Math.ceil(ws.hosts / 10);
          if (rep.execs !== want)
            throw new Error(`scale ${ws.hosts}: ${rep.execs} commands answered, ${want} expected`);
          got.get(ws.hosts)!.push(rep);
        }
      }
      if (ctx.opts.cpuProf) {
        const dir = path.join(ctx.opts.cpuProf, 'scale-5000');
        await runChild(spaces[1], dir);
        const { readdirSync } = await import('node:fs');
        const prof = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
        if (prof)
          ctx.log(
            `  profile (${dir}/${prof}), hottest by self time:\n${formatHot(summarizeProfile(path.join(dir, prof), 20))}`,
          );
      }
    } finally {
      for (const ws of spaces) ws.remove();
    }
    const rows: SummaryRow[] = [];
    const med = (n: number, k: 'runMs' | 'cpuMs' | 'wallMs') => median(got.get(n)!.map((x) => x[k]));
    const rss = (n: number) => Math.max(...got.get(n)!.map((x) => x.rssKb)) / 1024;
    for (const n of sizes) {
      const per = (med(n, 'runMs') / (n * SCALE_TASKS)) * 1000;
      ctx.log(
        `  ${String(n).padStart(5)} hosts × ${SCALE_TASKS} tasks: in the run ${med(n, 'runMs').toFixed(0)} ms (cpu ${med(n, 'cpuMs').toFixed(0)} ms), ` +
          `whole process ${med(n, 'wallMs').toFixed(0)} ms, ${per.toFixed(0)} µs per host-task, peak RSS ${rss(n).toFixed(0)} MB`,
      );
      rows.push({
        what: `${n} local hosts × ${SCALE_TASKS} tasks: engine per host-task`,
        figure: `${per.toFixed(0)} µs`,
        target: '< 2 ms',
        met: per < 2000,
      });
      rows.push({
        what: `${n} local hosts × ${SCALE_TASKS} tasks: peak RSS`,
        figure: `${rss(n).toFixed(0)} MB`,
        target: '< 500 MB',
        met: rss(n) < 500,
      });
    }
    const growth = med(5000, 'runMs') / med(1000, 'runMs');
    ctx.log(`  time(5,000) / time(1,000) = ${growth.toFixed(2)} (linear: 5)   (median of ${ctx.opts.runs})`);
    rows.push({
      what: 'time(5,000 hosts) / time(1,000 hosts)',
      figure: `${med(5000, 'runMs').toFixed(0)} / ${med(1000, 'runMs').toFixed(0)} ms`,
      ratio: ratioText(growth, '(linear: 5×)'),
      target: '≤ 5.5×',
      met: growth <= 5.5,
    });
    return rows;
  },
};
