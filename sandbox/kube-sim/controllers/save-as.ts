// A controller's write through the API, as its client makes it: the field manager records
// it under the controller's name (kube-controller-manager's clients send that User-Agent).
import { resourceByKind } from '../api/resources.js';
import { recordWrite } from '../managed/record.js';
import { kindId } from '../openapi/index.js';
import type { KubeObject } from '../types.js';
import { copy, type ControllerEnv } from './env.js';

export const KCM = 'kube-controller-manager';

/** Saves `next` over `old` (the stored object) with managedFields updated; true when it changed. */
export function saveAs(
  env: ControllerEnv,
  kind: string,
  old: KubeObject,
  changed: KubeObject,
  manager: string,
  subresource?: 'status',
): boolean {
  const def = resourceByKind(kind);
  // Callers spread the stored object: its metadata must not be written through.
  const next = copy(changed);
  const apiVersion = def.group ? `${def.group}/${def.version}` : def.version;
  recordWrite(
    { t: 'ref', ref: kindId(apiVersion, kind)! },
    old,
    next,
    { manager, operation: 'Update', apiVersion, ...(subresource ? { subresource } : {}) },
    Boolean(def.subresources.status),
  );
  return env.store.save(def.group ? `${def.resource}.${def.group}` : def.resource, next);
}
