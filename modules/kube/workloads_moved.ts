// workloads_moved: after a drain, wait until every workload it evicted from runs its pods
// elsewhere (canary-cutover, seed 001), and name those that do not. Waiting changes nothing:
// it is planned (so --check says what it would wait for) and reported ok once they have moved.
import { defineModule, ModuleError } from '../../engine/index-module.js';
import type { ModuleContext } from '../../engine/module.js';
import { verdict, type WorkloadView } from './workloads/placement.js';
import { parseRef, readWorkloads } from './workloads/read.js';

type Args = { node: string; workloads: string[]; timeout: number; poll_interval: number };
type State = { node: string; workloads: WorkloadView[] };
type Change = { summary: string; kind: 'wait'; waitOnly: true };

async function inspect(ctx: ModuleContext, a: Args): Promise<State> {
  const refs = a.workloads.map((id) => {
    const r = parseRef(id);
    if (!r) throw new ModuleError(`workloads_moved: '${id}' is not Kind/namespace/name (e.g. Deployment/default/web)`);
    return r;
  });
  if (!refs.length) return { node: a.node, workloads: [] };
  return { node: a.node, workloads: await readWorkloads(await ctx.kube(), refs) };
}

function plan(s: State) {
  const verdicts = s.workloads.map((w) => verdict(w, s.node));
  const data = {
    node: s.node,
    moved: s.workloads.filter((_, i) => verdicts[i].moved).map((w) => w.id),
    not_moved: s.workloads.filter((_, i) => !verdicts[i].moved).map((w) => w.id),
  };
  if (!s.workloads.length) return { changes: [], noop: `no workload had pods to move off ${s.node}`, data };
  const waiting = verdicts.filter((v) => !v.moved);
  if (!waiting.length)
    return { changes: [], noop: `every workload moved off ${s.node}: ${verdicts.map((v) => v.text).join('; ')}`, data };
  return {
    changes: waiting.map((v): Change => ({ kind: 'wait', waitOnly: true, summary: `wait until ${v.text}` })),
    data,
  };
}

export const workloadsMoved = defineModule<Args, State, Change>({
  name: 'workloads_moved',
  schema: 'workloads_moved',
  runsOn: 'api',
  predictable: true,
  inspect,
  plan,
  async apply(ctx, a) {
    const deadline = ctx.now() + a.timeout * 1000;
    for (;;) {
      const p = plan(await inspect(ctx, a));
      if (!p.changes.length) return { changed: false, msg: p.noop, data: p.data };
      const left = p.changes.map((c) => c.summary.replace(/^wait until /, ''));
      if (ctx.now() >= deadline || ctx.signal.aborted)
        return {
          changed: false,
          failed: `after ${a.timeout}s, ${left.length} workload${left.length === 1 ? '' : 's'} evicted from ${a.node} do${left.length === 1 ? 'es' : ''} not run elsewhere: ${left.join(' | ')}. ${a.node} stays cordoned; make room (or fix what the pods wait for), then run again`,
          data: p.data,
        };
      ctx.progress(`waiting for ${left.join(' | ')}`);
      await ctx.sleep(a.poll_interval * 1000);
    }
  },
});
