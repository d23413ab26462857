// PATCH bodies by content type, with the API server's answers for the wrong ones:
// 415 for an unknown type, 400 for a body of the wrong shape, 422 for one that does not apply.
import { parse as parseYaml } from 'yaml';
import { badRequest, patchNotApplicable, unsupportedMediaType } from '../api/status.js';
import type { KubeObject } from '../types.js';
import { applyJsonPatch, PatchApplyError, type JsonPatchOp } from './json-patch.js';
import { applyMergePatch, isPlainObject } from './merge-patch.js';
import { applyStrategicPatch, type PatchMeta } from './strategic.js';

export const JSON_PATCH = 'application/json-patch+json';
export const MERGE_PATCH = 'application/merge-patch+json';
export const STRATEGIC_PATCH = 'application/strategic-merge-patch+json';
export const APPLY_PATCH = 'application/apply-patch+yaml';

/** In the order kube-apiserver lists them in its 415 message for built-in resources. */
export const PATCH_TYPES = [JSON_PATCH, MERGE_PATCH, STRATEGIC_PATCH, APPLY_PATCH] as const;

export type PatchType = (typeof PATCH_TYPES)[number];

export function patchTypeOf(contentType: string | undefined): PatchType {
  const bare = (contentType ?? '').split(';')[0].trim();
  if (!(PATCH_TYPES as readonly string[]).includes(bare)) throw unsupportedMediaType();
  return bare as PatchType;
}

// encoding/json's wording for a value of the wrong kind.
function goKind(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  if (typeof v === 'object') return 'object';
  if (typeof v === 'boolean') return 'bool';
  return typeof v;
}

function decode(body: string, yaml: boolean): unknown {
  try {
    return yaml ? parseYaml(body) : JSON.parse(body);
  } catch (e) {
    throw badRequest(`error decoding patch: ${(e as Error).message}`);
  }
}

export function applyPatch(current: KubeObject, type: PatchType, body: string, meta: PatchMeta): KubeObject {
  const patch = decode(body, type === APPLY_PATCH);
  try {
    switch (type) {
      case JSON_PATCH: {
        if (patch !== null && !Array.isArray(patch)) {
          throw badRequest(
            `error decoding patch: json: cannot unmarshal ${goKind(patch)} into Go value of type []handlers.jsonPatchOp`,
          );
        }
        return applyJsonPatch(current, (patch ?? []) as JsonPatchOp[]) as KubeObject;
      }
      case MERGE_PATCH:
      case STRATEGIC_PATCH:
      case APPLY_PATCH: {
        if (!isPlainObject(patch)) {
          throw badRequest(
            `error decoding patch: json: cannot unmarshal ${goKind(patch)} into Go value of type map[string]interface {}`,
          );
        }
        // Server-side apply is approximated by a strategic merge of the applied configuration (no field ownership).
        const out = type === MERGE_PATCH ? applyMergePatch(current, patch) : applyStrategicPatch(current, patch, meta);
        return out as KubeObject;
      }
    }
  } catch (e) {
    if (e instanceof PatchApplyError) throw patchNotApplicable();
    throw e;
  }
}
