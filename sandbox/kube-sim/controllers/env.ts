// What every controller is given: the store, the API context (for graceful deletes),
// the kubelets' states, the timings, and the runtime bookkeeping that is not in objects.
import type { ApiContext } from '../api/context.js';
import type { SimTimings } from '../clock.js';
import type { ObjectStore } from '../store.js';
import type { Node, Pod } from '../types.js';
import type { Kubelets } from './kubelets.js';

export type Runtime = {
  /** Pod uid → when it was first seen bound to a node, waiting to start (ms). */
  boundAt: Map<string, number>;
  /** Pod uid → when its kubelet began stopping it, and with which grace period (ms, s). */
  stopping: Map<string, { since: number; grace: number }>;
  /** `node/taint-key` → when a NoExecute taint was first seen (ms). */
  taintSeen: Map<string, number>;
  /** While true (loading a scenario), pods start at once. */
  instant: boolean;
  /**
   * The earliest time (ms) a controller's timed work falls due (a pod to start or to finish
   * stopping, a NoExecute toleration to run out, an eviction to expire): the manager's tick
   * reconciles then, not on every tick. Lowered by `dueAt` during a reconcile, reset before it.
   */
  nextDue: number;
};

export type ControllerEnv = {
  store: ObjectStore;
  api: ApiContext;
  kubelets: Kubelets;
  timings: SimTimings;
  runtime: Runtime;
  now(): number;
};

export const newRuntime = (): Runtime => ({
  boundAt: new Map(),
  stopping: new Map(),
  taintSeen: new Map(),
  instant: false,
  nextDue: Infinity,
});

/** Timed work that is not due yet: the controllers must run again at `ms`. */
export function dueAt(env: ControllerEnv, ms: number): void {
  if (ms < env.runtime.nextDue) env.runtime.nextDue = ms;
}

// Controllers read the stored objects without copying them, and copy before they change one.
export const pods = (env: ControllerEnv) => env.store.scan('pods') as readonly Pod[];
export const nodes = (env: ControllerEnv) => env.store.scan('nodes') as readonly Node[];
export const copy = <T>(o: T): T => JSON.parse(JSON.stringify(o)) as T;

/** Objects grouped by the uid of their controlling owner. */
export function byController<
  T extends { metadata: { ownerReferences?: Array<{ uid: string; controller?: boolean }> } },
>(objects: readonly T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const o of objects) {
    const uid = o.metadata.ownerReferences?.find((r) => r.controller)?.uid;
    if (uid) out.set(uid, [...(out.get(uid) ?? []), o]);
  }
  return out;
}
