// drain: cordon, drain (kubectl's filters and wording, evictions honouring PodDisruptionBudgets)
// and uncordon (leaving an operator's own cordon alone by default).
import { defineModule } from '../../../engine/index-module.js';
import { applyDrain } from './apply.js';
import { planDrain, type DrainArgs, type DrainChange } from './plan.js';
import { readNodeState, readPdbs, readPods, type DrainState } from './state.js';

type Args = Omit<DrainArgs, 'ignoreDaemonsets' | 'deleteEmptydirData' | 'skipWaitForDeleteTimeout'> & {
  ignore_daemonsets: boolean;
  delete_emptydir_data: boolean;
  skip_wait_for_delete_timeout: number;
};

function options(a: Args): DrainArgs {
  return {
    ...a,
    ignoreDaemonsets: a.ignore_daemonsets,
    deleteEmptydirData: a.delete_emptydir_data,
    skipWaitForDeleteTimeout: a.skip_wait_for_delete_timeout,
  };
}

export const drain = defineModule<Args, DrainState, DrainChange>({
  name: 'drain',
  schema: 'drain',
  runsOn: 'api',
  predictable: true,
  async inspect(ctx, args) {
    const kube = await ctx.kube();
    const node = args.node ?? ctx.nodeName;
    const base = await readNodeState(kube, node);
    // In check mode, a drain or uncordon rehearsed earlier in this run counts as done.
    const predicted = ctx.check ? ctx.cluster.predicted(`drain/${node}`) : undefined;
    if (predicted === 'cordoned') Object.assign(base, { unschedulable: true, cordonedByHerdbook: true });
    if (predicted === 'uncordoned') Object.assign(base, { unschedulable: false, cordonedByHerdbook: false });
    const wantsPods = args.state === 'drained' && base.exists;
    const [pods, pdbs] = wantsPods
      ? await Promise.all([readPods(kube, node, args.pod_selector, ctx.now()), readPdbs(kube)])
      : [[], []];
    return { node, ...base, pods, pdbs, server: kube.server };
  },
  plan: (state, args) => planDrain(state, options(args)),
  apply: (ctx, args, plan, state) => applyDrain(ctx, options(args), plan, state.node),
  predict: (state, _args, plan) => {
    if (plan.changes.some((c) => c.kind === 'uncordon')) return { [`drain/${state.node}`]: 'uncordoned' };
    if (plan.changes.some((c) => c.kind === 'cordon')) return { [`drain/${state.node}`]: 'cordoned' };
    return {};
  },
});
