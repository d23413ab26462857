// The garbage collectors: objects whose controlling owner is gone (background
// propagation), pods bound to a node that no longer exists (pod GC), and objects left in
// a namespace that was deleted.
import { gracefulDelete } from '../api/pods.js';
import { RESOURCES, tableOf } from '../api/resources.js';
import { controllerOf } from '../objects/meta.js';
import type { KubeObject, Pod } from '../types.js';
import { nodes, pods, type ControllerEnv } from './env.js';

const OWNER_TABLES: Record<string, string> = {
  ReplicaSet: 'replicasets.apps',
  Deployment: 'deployments.apps',
  DaemonSet: 'daemonsets.apps',
};

function ownerGone(env: ControllerEnv, o: KubeObject): boolean {
  const ref = controllerOf(o);
  const table = ref && OWNER_TABLES[ref.kind];
  if (!ref || !table) return false;
  return env.store.peek(table, o.metadata.namespace, ref.name)?.metadata.uid !== ref.uid;
}

export function garbageCollector(env: ControllerEnv): void {
  const namespaces = new Set(env.store.scan('namespaces').map((n) => n.metadata.name));
  for (const def of RESOURCES.filter((r) => r.namespaced)) {
    const table = tableOf(def);
    for (const o of env.store.scan(table)) {
      if (!ownerGone(env, o) && namespaces.has(o.metadata.namespace)) continue;
      if (def.kind === 'Pod') {
        if (!o.metadata.deletionTimestamp) gracefulDelete(env.api, o as Pod, { dryRun: false });
      } else env.store.remove(table, o.metadata.namespace, o.metadata.name!);
    }
  }
}

export function podGc(env: ControllerEnv): void {
  const names = new Set(nodes(env).map((n) => n.metadata.name));
  for (const p of pods(env)) {
    if (p.spec.nodeName && !names.has(p.spec.nodeName))
      env.store.remove('pods', p.metadata.namespace, p.metadata.name!);
  }
}
