// Bringing a sandbox into the state a test needs, the same way on both backends: steer, then
// poll until the API shows it (a real control plane acts in real seconds: a kubelet that stops
// is Unknown ~5 s later, its taints follow), never a fixed sleep.
import { eventually } from '../../helpers/real-kube.js';
import type { Sandbox } from './sandbox.js';

/** Long enough for a loaded 2-core machine running several real control planes. */
export const SETTLE_MS = 120_000;

export const until = (check: () => Promise<unknown>, what: string, ms = SETTLE_MS) => eventually(check, what, ms);

export async function readyOf(sb: Sandbox, name: string): Promise<string | undefined> {
  return (await sb.kube.core.readNode({ name })).status?.conditions?.find((c) => c.type === 'Ready')?.status;
}

/** Waits until the node's Ready condition is (or, with `not`, is no longer) `status`. */
export async function untilReady(
  sb: Sandbox,
  name: string,
  status: 'True' | 'False' | 'Unknown',
  not = false,
): Promise<void> {
  await until(
    async () => ((await readyOf(sb, name)) === status) !== not,
    `node ${name} Ready ${not ? '!=' : '=='} ${status}`,
  );
}

export const taintsOf = async (sb: Sandbox, name: string): Promise<string[]> =>
  ((await sb.kube.core.readNode({ name })).spec?.taints ?? []).map((t) => `${t.key}:${t.effect}`);

/** Steers a node's kubelet through the admin surface (kube-sim's /__sim on both backends). */
export const steer = (sb: Sandbox, node: string, change: Record<string, unknown>) =>
  sb.admin(`/__sim/nodes/${encodeURIComponent(node)}`, 'POST', change);

/** Every pod of the namespace Running and Ready, none on `avoid`: a steady state to start a test from. */
export async function untilPodsSettled(sb: Sandbox, namespace = 'default', avoid?: string): Promise<void> {
  await until(
    async () => {
      const pods = (await sb.kube.core.listNamespacedPod({ namespace })).items;
      return pods.every(
        (p) =>
          !p.metadata?.deletionTimestamp &&
          p.status?.phase === 'Running' &&
          p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') &&
          p.spec?.nodeName !== avoid,
      );
    },
    `every pod in ${namespace} Running and Ready${avoid ? `, none on ${avoid}` : ''}`,
  );
}

/**
 * Moves the namespace's pods off `node` (cordon, delete them, wait for their controllers to
 * place them elsewhere, uncordon): where a test needs them, not where the scheduler chose
 * (kube-sim's is deterministic, the real one picks at random among equals).
 */
export async function movePodsOff(sb: Sandbox, node: string, namespace = 'default'): Promise<void> {
  const merge = sb.kube.patchOptions('merge') as never;
  await sb.kube.core.patchNode({ name: node, body: { spec: { unschedulable: true } } }, merge);
  try {
    const pods = (await sb.kube.core.listNamespacedPod({ namespace })).items.filter((p) => p.spec?.nodeName === node);
    for (const p of pods) await sb.kube.core.deleteNamespacedPod({ name: p.metadata!.name!, namespace });
    await untilPodsSettled(sb, namespace, node);
  } finally {
    await sb.kube.core.patchNode({ name: node, body: { spec: { unschedulable: null } } }, merge);
  }
}

/**
 * Leaves `node` Ready with the unreachable taints of an outage (shared/seeds/003); resolves to
 * the function that undoes what it took. kube-sim has a knob for it. A real control plane has
 * none: its node lifecycle controller removes the taints as soon as the node is Ready, unless
 * the controller does not run, as when a k3s server's controller manager is wedged. So there
 * the controller manager is stopped while the node comes back, until the returned function.
 */
export async function readyWithStaleTaints(sb: Sandbox, node: string): Promise<() => Promise<void>> {
  const real = sb.backend === 'real';
  await steer(sb, node, real ? { reachable: false } : { reachable: false, keepUnreachableTaint: true });
  await until(
    async () => (await taintsOf(sb, node)).filter((t) => t.startsWith('node.kubernetes.io/unreachable:')).length === 2,
    `the unreachable taints on ${node}`,
  );
  if (real) await sb.admin('/__sim/controller-manager', 'POST', { running: false });
  const resume = async () => {
    if (real) await sb.admin('/__sim/controller-manager', 'POST', { running: true });
  };
  try {
    await steer(sb, node, { reachable: true, ready: true });
    await untilReady(sb, node, 'True');
  } catch (e) {
    await resume();
    throw e;
  }
  return resume;
}
