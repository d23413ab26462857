// Carrying out a drain plan: cordon (with our annotation), evict through policy/v1 (a 429
// from a PodDisruptionBudget is retried every retry_interval until the timeout), then wait for
// each pod to be gone or replaced by a new UID. On timeout the node stays cordoned and the
// result lists the pods still there and the budgets in their way.
import { kubeError, kubeErrorMessage, statusCode, statusOf } from '../../../engine/kube/errors.js';
import type { KubeClient } from '../../../engine/kube/types.js';
import type { ApplyResult, ModuleContext, Plan } from '../../../engine/module.js';
import { podId, type PodInfo } from './pods.js';
import type { DrainArgs, DrainChange } from './plan.js';
import { CORDONED_AT, CORDONED_BY, FIELD_MANAGER, pdbsFor, readPdbs } from './state.js';
import { asText } from '../../../engine/text.js';

export async function setCordon(kube: KubeClient, node: string, on: boolean, operator: string): Promise<void> {
  const annotations = on
    ? { [CORDONED_BY]: operator, [CORDONED_AT]: new Date().toISOString() }
    : { [CORDONED_BY]: null, [CORDONED_AT]: null };
  try {
    await kube.core.patchNode(
      {
        name: node,
        body: { spec: { unschedulable: on ? true : null }, metadata: { annotations } },
        fieldManager: FIELD_MANAGER,
      },
      kube.patchOptions('merge') as never,
    );
  } catch (e) {
    throw kubeError(e, `${on ? 'cordoning' : 'uncordoning'} node/${node}`, kube.server);
  }
}

type Outcome = { pod: PodInfo; done: boolean; error?: string; blockedBy?: string };

export async function applyDrain(
  ctx: ModuleContext,
  args: DrainArgs,
  plan: Plan<DrainChange>,
  node: string,
): Promise<ApplyResult> {
  const kube = await ctx.kube();
  const operator = asText(ctx.hostVar('herdbook_operator') ?? 'herdbook');
  if (plan.changes.some((c) => c.kind === 'uncordon')) {
    await setCordon(kube, node, false, operator);
    ctx.cluster.uncordoned(node);
    return { msg: `node/${node} uncordoned` };
  }
  if (plan.changes.some((c) => c.kind === 'cordon')) {
    await setCordon(kube, node, true, operator);
    ctx.progress(`node/${node} cordoned`);
  }
  ctx.cluster.cordoned(node, args.state === 'drained' ? 'drained' : 'cordoned');
  const evictions = plan.changes.filter((c): c is Extract<DrainChange, { kind: 'evict' }> => c.kind === 'evict');
  // A drain with nothing to evict still registers `evicted` (empty), as every other drain does.
  if (!evictions.length)
    return { msg: `node/${node} cordoned`, ...(args.state === 'drained' ? { data: { evicted: [] } } : {}) };
  const deadline = args.timeout > 0 ? ctx.now() + args.timeout * 1000 : Number.POSITIVE_INFINITY;
  const outcomes = new Map<string, Outcome>(evictions.map((e) => [podId(e.pod), { pod: e.pod, done: false }]));
  // Like kubectl: each pod in parallel, evicted (retrying while a budget refuses) then awaited.
  await Promise.all(
    evictions.map(async (e) => {
      const o = outcomes.get(podId(e.pod))!;
      await evictOne(ctx, kube, args, o, deadline, outcomes);
      if (!o.error && !o.done && !o.blockedBy) await waitGone(ctx, kube, o, deadline, outcomes);
    }),
  );
  const failed = [...outcomes.values()].filter((o) => o.error);
  if (failed.length) {
    return {
      failed: `drain of node/${node} failed: ${failed.map((o) => `${podId(o.pod)}: ${o.error}`).join('; ')}; node/${node} stays cordoned`,
      data: { remaining_pods: failed.map((o) => podId(o.pod)) },
    };
  }
  const left = [...outcomes.values()].filter((o) => !o.done);
  const evicted = [...outcomes.values()].filter((o) => o.done).map((o) => podId(o.pod));
  if (left.length) {
    const pdbs = await readPdbs(kube).catch(() => []);
    const blocking = [
      ...new Set(
        left.flatMap((o) =>
          pdbsFor(o.pod, pdbs)
            .filter((b) => b.disruptionsAllowed < 1)
            .map(
              (b) =>
                `pdb/${b.namespace}/${b.name} (${b.currentHealthy}/${b.desiredHealthy} healthy, ${b.disruptionsAllowed} disruptions allowed)`,
            ),
        ),
      ),
    ];
    return {
      failed: `drain of node/${node} timed out after ${args.timeout}s: ${left.length} pod${left.length === 1 ? '' : 's'} still there: ${left.map((o) => podId(o.pod)).join(', ')}${blocking.length ? `; blocked by ${blocking.join(', ')}` : ''}. node/${node} stays cordoned. Free the budget (scale up, or wait for pods to become ready), then run again; or uncordon it with state: uncordoned`,
      data: { evicted, remaining_pods: left.map((o) => podId(o.pod)), blocking_pdbs: blocking },
    };
  }
  return {
    msg: `node/${node} drained: ${evicted.length} pod${evicted.length === 1 ? '' : 's'} ${args.disable_eviction ? 'deleted' : 'evicted'}`,
    data: { evicted },
  };
}

async function evictOne(
  ctx: ModuleContext,
  kube: KubeClient,
  args: DrainArgs,
  o: Outcome,
  deadline: number,
  outcomes: Map<string, Outcome>,
): Promise<void> {
  const pod = o.pod;
  const grace = args.grace_period >= 0 ? args.grace_period : undefined;
  for (;;) {
    try {
      if (args.disable_eviction)
        await kube.core.deleteNamespacedPod({
          name: pod.name,
          namespace: pod.namespace,
          ...(grace !== undefined ? { gracePeriodSeconds: grace } : {}),
        });
      else {
        await kube.core.createNamespacedPodEviction({
          name: pod.name,
          namespace: pod.namespace,
          body: {
            apiVersion: 'policy/v1',
            kind: 'Eviction',
            metadata: { name: pod.name, namespace: pod.namespace },
            ...(grace !== undefined ? { deleteOptions: { gracePeriodSeconds: grace } } : {}),
          },
        });
      }
      o.blockedBy = undefined;
      return;
    } catch (e) {
      const code = statusCode(e);
      if (code === 404) {
        o.blockedBy = undefined;
        o.done = true;
        return;
      }
      if (code !== 429) {
        o.error = kubeErrorMessage(e, kube.server);
        return;
      }
      // A PodDisruptionBudget says not now: kubectl retries every 5 s until its timeout.
      o.blockedBy = budgetName(e) ?? 'a PodDisruptionBudget';
      report(ctx, outcomes);
      if (ctx.now() + args.retry_interval * 1000 > deadline || ctx.signal.aborted) return;
      await ctx.sleep(args.retry_interval * 1000);
    }
  }
}

async function waitGone(
  ctx: ModuleContext,
  kube: KubeClient,
  o: Outcome,
  deadline: number,
  outcomes: Map<string, Outcome>,
): Promise<void> {
  for (;;) {
    try {
      const p = await kube.core.readNamespacedPod({ name: o.pod.name, namespace: o.pod.namespace });
      // The same name with a new UID is a new pod (a StatefulSet recreated it): ours is gone.
      if (p.metadata?.uid !== o.pod.uid) o.done = true;
    } catch (e) {
      if (statusCode(e) === 404) o.done = true;
      else {
        o.error = kubeErrorMessage(e, kube.server);
        return;
      }
    }
    if (o.done || ctx.now() >= deadline || ctx.signal.aborted) return;
    report(ctx, outcomes);
    await ctx.sleep(Math.min(1000, Math.max(0, deadline - ctx.now())));
  }
}

function budgetName(e: unknown): string | undefined {
  const cause = statusOf(e)?.details?.causes?.find((c) => c.reason === 'DisruptionBudget');
  const m = cause?.message && /disruption budget (\S+)/.exec(cause.message);
  return m ? `pdb/${m[1].replace(/[".]/g, '')}` : undefined;
}

function report(ctx: ModuleContext, outcomes: Map<string, Outcome>): void {
  const waiting = [...outcomes.values()].filter((o) => !o.done);
  const blocked = [...new Set(waiting.map((o) => o.blockedBy).filter((b): b is string => !!b))];
  ctx.progress(
    `waiting for ${waiting.length} pod${waiting.length === 1 ? '' : 's'}${blocked.length ? `, blocked by ${blocked.join(', ')}` : ''}`,
  );
}
