// taint: node taints present or absent, idempotent, one patch per node guarded by its
// resourceVersion (a concurrent change makes us read again instead of overwriting it).
import type { V1Taint } from '@kubernetes/client-node';
import { defineModule, ModuleError } from '../../engine/index-module.js';
import { kubeError, statusCode } from '../../engine/kube/errors.js';
import type { KubeClient } from '../../engine/kube/types.js';

type Wanted = { key: string; value?: string; effect?: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute' };
type Args = { node?: string; nodes?: string[]; selector?: string; taints: Wanted[]; state: 'present' | 'absent' };
type NodeTaints = { name: string; resourceVersion: string; taints: V1Taint[] };
type State = { nodes: NodeTaints[]; missing: string[] };
type Change = { summary: string; node: string };

const show = (t: { key: string; value?: string; effect?: string }) =>
  `${t.key}${t.value ? `=${t.value}` : ''}${t.effect ? `:${t.effect}` : ''}`;

/** The node's taints after applying the wanted state: pure, and the heart of the plan. */
export function desiredTaints(
  current: readonly V1Taint[],
  wanted: readonly Wanted[],
  state: Args['state'],
): { taints: V1Taint[]; notes: string[] } {
  let taints = [...current];
  const notes: string[] = [];
  for (const w of wanted) {
    if (state === 'absent') {
      const gone = taints.filter((t) => t.key === w.key && (!w.effect || t.effect === w.effect));
      if (gone.length) notes.push(...gone.map((t) => `remove taint ${show(t)}`));
      taints = taints.filter((t) => !gone.includes(t));
      continue;
    }
    const same = taints.find((t) => t.key === w.key && t.effect === w.effect);
    if (!same) {
      taints.push({ key: w.key, ...(w.value ? { value: w.value } : {}), effect: w.effect! });
      notes.push(`add taint ${show(w)}`);
    } else if ((same.value ?? '') !== (w.value ?? '')) {
      taints = taints.map((t) =>
        t === same ? { key: w.key, ...(w.value ? { value: w.value } : {}), effect: w.effect! } : t,
      );
      notes.push(`change taint ${show(same)} to ${show(w)}`);
    }
  }
  return { taints, notes };
}

async function readTargets(kube: KubeClient, args: Args, fallback: string): Promise<State> {
  try {
    if (args.selector) {
      const list = await kube.core.listNode({ labelSelector: args.selector });
      return {
        nodes: list.items.map((n) => ({
          name: n.metadata!.name!,
          resourceVersion: n.metadata!.resourceVersion!,
          taints: n.spec?.taints ?? [],
        })),
        missing: [],
      };
    }
    const names = args.nodes ?? [args.node ?? fallback];
    const out: State = { nodes: [], missing: [] };
    for (const name of names) {
      try {
        const n = await kube.core.readNode({ name });
        out.nodes.push({ name, resourceVersion: n.metadata!.resourceVersion!, taints: n.spec?.taints ?? [] });
      } catch (e) {
        if (statusCode(e) === 404) out.missing.push(name);
        else throw e;
      }
    }
    return out;
  } catch (e) {
    throw kubeError(e, 'reading nodes', kube.server);
  }
}

export const taint = defineModule<Args, State, Change>({
  name: 'taint',
  schema: 'taint',
  runsOn: 'api',
  predictable: true,
  async inspect(ctx, args) {
    if (args.state === 'present' && args.taints.some((t) => !t.effect))
      throw new ModuleError(
        'taint: state present needs an effect for every taint (NoSchedule, PreferNoSchedule or NoExecute)',
      );
    return readTargets(await ctx.kube(), args, ctx.nodeName);
  },
  plan(state, args) {
    if (state.missing.length) return { changes: [], refuse: `nodes not found: ${state.missing.join(', ')}` };
    const changes = state.nodes.flatMap((n) =>
      desiredTaints(n.taints, args.taints, args.state).notes.map((note) => ({
        node: n.name,
        summary: `${note} on node/${n.name}`,
      })),
    );
    const data = { nodes: state.nodes.map((n) => n.name) };
    if (!changes.length)
      return {
        changes,
        noop: `${state.nodes.length === 1 ? `node/${state.nodes[0].name}` : `${state.nodes.length} nodes`}: taints already ${args.state === 'present' ? 'present' : 'absent'}`,
        data,
      };
    return { changes, data };
  },
  async apply(ctx, args, plan) {
    const kube = await ctx.kube();
    const nodes = [...new Set(plan.changes.map((c) => c.node))];
    for (const name of nodes) {
      for (let attempt = 1; ; attempt++) {
        const fresh = (await readTargets(kube, { ...args, selector: undefined, nodes: [name] }, name)).nodes[0];
        if (!fresh) throw new ModuleError(`node/${name} disappeared while changing its taints`);
        const { taints, notes } = desiredTaints(fresh.taints, args.taints, args.state);
        if (!notes.length) break;
        try {
          await kube.core.patchNode(
            { name, body: { metadata: { resourceVersion: fresh.resourceVersion }, spec: { taints } } },
            kube.patchOptions('merge') as never,
          );
          break;
        } catch (e) {
          // 409: the node changed between our read and our write; read it again.
          if (statusCode(e) === 409 && attempt < 5) continue;
          throw kubeError(e, `patching taints of node/${name}`, kube.server);
        }
      }
    }
    return { msg: plan.changes.map((c) => c.summary).join('; ') };
  },
});
