// kubectl's drain filters (k8s.io/kubectl pkg/drain/filters.go), in kubectl's order. Each is a
// pure function from a pod to a verdict; the first verdict that says "don't delete" decides, and
// any error refuses the whole drain before anything is evicted. Messages are kubectl's.
import { finished, type PodInfo } from './pods.js';

export type DrainOptions = {
  ignoreDaemonsets: boolean;
  deleteEmptydirData: boolean;
  force: boolean;
  /** Seconds; 0 = never skip terminating pods. */
  skipWaitForDeleteTimeout: number;
};

export type Verdict =
  | { delete: true; warning?: string }
  | { delete: false; skip: true; warning?: string }
  | { delete: false; error: string };

type Filter = (p: PodInfo, o: DrainOptions) => Verdict;

const OK: Verdict = { delete: true };

export const DAEMONSET_FATAL = 'DaemonSet-managed Pods (use --ignore-daemonsets to ignore)';
export const DAEMONSET_WARNING = 'ignoring DaemonSet-managed Pods';
export const LOCAL_STORAGE_FATAL = 'Pods with local storage (use --delete-emptydir-data to override)';
export const LOCAL_STORAGE_WARNING = 'deleting Pods with local storage';
export const UNMANAGED_FATAL = 'Pods that declare no controller (use --force to override)';
export const UNMANAGED_WARNING = 'deleting Pods that declare no controller';

export const skipDeleted: Filter = (p, o) =>
  o.skipWaitForDeleteTimeout > 0 && p.deletingFor !== undefined && p.deletingFor > o.skipWaitForDeleteTimeout
    ? { delete: false, skip: true }
    : OK;

export const daemonSet: Filter = (p, o) => {
  if (p.controller?.kind !== 'DaemonSet' || finished(p)) return OK;
  if (p.daemonSetExists === false) {
    // An orphan of a deleted DaemonSet: kubectl deletes it only with --force.
    const msg = `daemonsets.apps "${p.controller.name}" not found`;
    return o.force ? { delete: true, warning: msg } : { delete: false, error: msg };
  }
  if (!o.ignoreDaemonsets) return { delete: false, error: DAEMONSET_FATAL };
  return { delete: false, skip: true, warning: DAEMONSET_WARNING };
};

export const mirrorPod: Filter = (p) => (p.mirror ? { delete: false, skip: true } : OK);

export const localStorage: Filter = (p, o) => {
  if (!p.emptyDir || finished(p)) return OK;
  if (!o.deleteEmptydirData) return { delete: false, error: LOCAL_STORAGE_FATAL };
  return { delete: true, warning: LOCAL_STORAGE_WARNING };
};

export const unreplicated: Filter = (p, o) => {
  if (finished(p) || p.controller) return OK;
  if (o.force) return { delete: true, warning: UNMANAGED_WARNING };
  return { delete: false, error: UNMANAGED_FATAL };
};

/** The policy is the order of this list. */
export const FILTERS: Filter[] = [skipDeleted, daemonSet, mirrorPod, localStorage, unreplicated];

export function verdict(p: PodInfo, o: DrainOptions): Verdict {
  let warning: string | undefined;
  for (const f of FILTERS) {
    const v = f(p, o);
    if (!v.delete) return v;
    warning ??= v.warning;
  }
  return warning ? { delete: true, warning } : OK;
}

export type Classified = {
  evict: PodInfo[];
  skipped: { pod: PodInfo; reason?: string }[];
  /** kubectl groups errors and warnings by message: "cannot delete <msg>: ns/a, ns/b". */
  errors: Map<string, PodInfo[]>;
  warnings: Map<string, PodInfo[]>;
};

export function classify(pods: readonly PodInfo[], o: DrainOptions): Classified {
  const out: Classified = { evict: [], skipped: [], errors: new Map(), warnings: new Map() };
  const add = (m: Map<string, PodInfo[]>, k: string, p: PodInfo) => m.set(k, [...(m.get(k) ?? []), p]);
  for (const p of pods) {
    const v = verdict(p, o);
    if ('error' in v) add(out.errors, v.error, p);
    else {
      if (v.warning) add(out.warnings, v.warning, p);
      if (v.delete) out.evict.push(p);
      else out.skipped.push({ pod: p, reason: v.warning });
    }
  }
  return out;
}

const list = (pods: PodInfo[]) => pods.map((p) => `${p.namespace}/${p.name}`).join(', ');

export function errorText(errors: Map<string, PodInfo[]>): string {
  return [...errors].map(([msg, pods]) => `cannot delete ${msg}: ${list(pods)}`).join(', ');
}

export function warningText(warnings: Map<string, PodInfo[]>): string {
  return [...warnings].map(([msg, pods]) => `${msg}: ${list(pods)}`).join('; ');
}
