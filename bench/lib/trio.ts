// One workload on N fleet nodes through every runner: herdbook (a fresh `herdbook run` process,
// as a user runs it) with its persistent executor (the default) and without, the ControlMaster
// floor, Ansible (pipelining, ControlPersist) and Ansible with Mitogen; medians, peak RSS, ratios.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { nodePath } from '../../sandbox/fleet/index.js';
import type { AnsibleRunner } from './ansible.js';
import { ControlMasterFloor } from './controlmaster.js';
import type { BenchFleet } from './fleet.js';
import { runPlaybook } from './herdbook-cli.js';
import type { Workload } from './playbooks.js';
import { formatHot, summarizeProfile } from './profile-summary.js';
import { sampleRss } from './rss.js';
import { median } from './stats.js';
import type { SuiteOptions } from './suite.js';

export type TrioResult = {
  hosts: number;
  tasks: number;
  /** herdbook as it runs by default: the persistent executor on. */
  herdbook: { wallMs: number; rssMb: number };
  /** The same runs with a channel (an sshd session) per command (HERDBOOK_EXECUTOR=0), alternated with them. */
  noExecutor: { wallMs: number; rssMb: number };
  floor: { wallMs: number; rssMb: number };
  ansible?: { wallMs: number; rssMb: number };
  /** Ansible with Mitogen's strategy (mitogen_linear). */
  mitogen?: { wallMs: number; rssMb: number };
};

const ms = (x: number) => `${x.toFixed(0)} ms`;
const mb = (x: number) => `${x.toFixed(0)} MB`;

async function floorRun(
  floor: ControlMasterFloor,
  bf: BenchFleet,
  w: Workload,
  hosts: number,
): Promise<{ wallMs: number; rssMb: number }> {
  const nodes = bf.nodes(hosts);
  const sampler = sampleRss({ roots: () => [], marker: floor.dir });
  const started = performance.now();
  for (const step of w.floor) await Promise.all(nodes.map((n) => floor.run(n, step.command, step.stdin)));
  const wallMs = performance.now() - started;
  const rssMb = sampler.stop();
  await floor.closeAll(nodes);
  return { wallMs, rssMb };
}

function verify(bf: BenchFleet, w: Workload, hosts: number, who: string): void {
  if (!w.verify) return;
  for (const n of bf.nodes(hosts)) {
    try {
      w.verify((p) => readFileSync(nodePath(bf.fleet.stateDir, n.name, p), 'utf8'));
    } catch (e) {
      throw new Error(`${who} on ${n.name}: ${(e as Error).message}`);
    }
  }
}

export async function runTrio(
  opts: SuiteOptions,
  bf: BenchFleet,
  w: Workload,
  hosts: number,
  work: { dir: string; ansible?: AnsibleRunner; mitogen?: AnsibleRunner },
  log: (s: string) => void,
): Promise<TrioResult> {
  const inv = bf.herdbookInventory(hosts, work.dir);
  const floor = new ControlMasterFloor({ key: bf.fleet.clientKeyPath, knownHosts: bf.fleet.knownHostsPath });
  const events = 5 + w.tasks * (1 + hosts);
  const args = [w.playbook, '-i', inv, '--forks', String(hosts)];
  const reset = () => w.cleanup && bf.clean(w.cleanup);
  const herd: { wallMs: number; rssMb: number }[] = [];
  const exe: { wallMs: number; rssMb: number }[] = [];
  const flo: { wallMs: number; rssMb: number }[] = [];
  const ans: { wallMs: number; rssMb: number }[] = [];
  const mit: { wallMs: number; rssMb: number }[] = [];
  try {
    // Alternate, so a busy moment of the machine weighs on both alike.
    for (let r = 0; r < opts.runs; r++) {
      reset();
      const h = await runPlaybook(args, events, { rss: true, env: { HERDBOOK_EXECUTOR: '1' } });
      verify(bf, w, hosts, 'herdbook');
      herd.push({ wallMs: h.wallMs, rssMb: h.rssMb ?? NaN });
      reset();
      const x = await runPlaybook(args, events, { rss: true, env: { HERDBOOK_EXECUTOR: '0' } });
      verify(bf, w, hosts, 'herdbook (no executor)');
      exe.push({ wallMs: x.wallMs, rssMb: x.rssMb ?? NaN });
      reset();
      flo.push(await floorRun(floor, bf, w, hosts));
      verify(bf, w, hosts, 'the floor');
    }
    for (const [runner, into, who] of [
      [work.ansible, ans, 'ansible'],
      [work.mitogen, mit, 'ansible (mitogen)'],
    ] as const) {
      if (!runner) continue;
      const ini = bf.ansibleInventory(hosts, work.dir);
      for (let r = 0; r < opts.ansibleRuns; r++) {
        reset();
        into.push(await runner.run(w.playbook, ini, hosts));
        verify(bf, w, hosts, who);
      }
    }
    if (opts.cpuProf) {
      reset();
      const dir = path.join(opts.cpuProf, `${path.basename(w.playbook, '.yaml')}-${hosts}`);
      await runPlaybook(args, events, { cpuProfDir: dir });
      const { readdirSync } = await import('node:fs');
      const prof = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
      if (prof)
        log(
          `  profile (${dir}/${prof}), hottest by self time:\n${formatHot(summarizeProfile(path.join(dir, prof), 15))}`,
        );
    }
  } finally {
    await floor.closeAll(bf.nodes(hosts));
    floor.remove();
    reset();
  }
  const med = (xs: { wallMs: number; rssMb: number }[]) => ({
    wallMs: median(xs.map((x) => x.wallMs)),
    rssMb: median(xs.map((x) => x.rssMb)),
  });
  const result: TrioResult = {
    hosts,
    tasks: w.tasks,
    herdbook: med(herd),
    noExecutor: med(exe),
    floor: med(flo),
    ...(ans.length ? { ansible: med(ans) } : {}),
    ...(mit.length ? { mitogen: med(mit) } : {}),
  };
  const per = (x: number) => `${((x / (w.tasks * hosts)) * 1000).toFixed(0)} µs per host-task`;
  log(
    `  herdbook  ${ms(result.herdbook.wallMs).padStart(9)}  (${per(result.herdbook.wallMs)})  peak RSS ${mb(result.herdbook.rssMb)} (one process, persistent executor)`,
  );
  log(
    `  no exec.  ${ms(result.noExecutor.wallMs).padStart(9)}  (${per(result.noExecutor.wallMs)})  peak RSS ${mb(result.noExecutor.rssMb)} (one process, a channel per command; off / on ${(result.noExecutor.wallMs / result.herdbook.wallMs).toFixed(2)}×)`,
  );
  log(
    `  floor     ${ms(result.floor.wallMs).padStart(9)}  (${per(result.floor.wallMs)})  peak RSS ${mb(result.floor.rssMb)} (ssh clients and masters, sampled)`,
  );
  if (result.ansible)
    log(
      `  ansible   ${ms(result.ansible.wallMs).padStart(9)}  (${per(result.ansible.wallMs)})  peak RSS ${mb(result.ansible.rssMb)} (ansible-playbook, its forks and ssh masters, sampled)`,
    );
  if (result.mitogen)
    log(
      `  mitogen   ${ms(result.mitogen.wallMs).padStart(9)}  (${per(result.mitogen.wallMs)})  peak RSS ${mb(result.mitogen.rssMb)} (ansible-playbook with mitogen_linear, sampled)`,
    );
  log(
    `  herdbook / floor ${(result.herdbook.wallMs / result.floor.wallMs).toFixed(2)}×${result.ansible ? `   ansible / herdbook ${(result.ansible.wallMs / result.herdbook.wallMs).toFixed(1)}×` : ''}   (median of ${opts.runs}${result.ansible ? `; ansible ${opts.ansibleRuns}` : ''})`,
  );
  return result;
}
