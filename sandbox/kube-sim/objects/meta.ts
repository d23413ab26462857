// ObjectMeta rules shared by every kind: names, generated names, owner references.
import { randomInt } from 'node:crypto';
import { invalid, required, type FieldError } from '../api/field-errors.js';
import type { KubeObject, OwnerReference } from '../types.js';

const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const SUBDOMAIN_MESSAGE =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

export function validateMeta(obj: KubeObject): FieldError[] {
  const name = obj.metadata.name;
  if (!name) return [required('metadata.name', 'name or generateName is required')];
  if (name.length > 253 || !SUBDOMAIN.test(name)) return [invalid('metadata.name', name, SUBDOMAIN_MESSAGE)];
  return [];
}

// rand.String in apimachinery: no vowels, no look-alike digits, so names never spell words.
const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export function randomSuffix(n = 5): string {
  let s = '';
  for (let i = 0; i < n; i++) s += ALPHABET[randomInt(ALPHABET.length)];
  return s;
}

/** A stable short hash in the same alphabet (pod-template-hash, controller-revision-hash). */
export function safeHash(text: string, n = 10): string {
  let h = 0x811c9dc5;
  let s = '';
  for (let round = 0; s.length < n; round++) {
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
    h = Math.imul(h ^ round, 0x01000193) >>> 0;
    s += ALPHABET[h % ALPHABET.length];
  }
  return s;
}

export function controllerRef(owner: KubeObject): OwnerReference {
  return {
    apiVersion: owner.apiVersion!,
    kind: owner.kind!,
    name: owner.metadata.name!,
    uid: owner.metadata.uid!,
    controller: true,
    blockOwnerDeletion: true,
  };
}

export function controllerOf(obj: KubeObject): OwnerReference | undefined {
  return obj.metadata.ownerReferences?.find((r) => r.controller);
}

/** Go's %#v of a map[string]string, which the workload validation messages print. */
export function goMap(m: Record<string, string> | undefined): string {
  const entries = Object.keys(m ?? {})
    .sort()
    .map((k) => `${JSON.stringify(k)}:${JSON.stringify(m![k])}`);
  return `map[string]string{${entries.join(', ')}}`;
}
