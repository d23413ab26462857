// The variable layer gathered facts make, as Ansible injects them: every fact as `ansible_X`
// (and module-returned facts such as `services` by their own names), `ansible_facts` with the
// prefix removed, and herdbook's older `facts` object as an alias. Light: no parser loaded.
import type { Facts } from './parse.js';

/** What `ansible_facts` shows: setup's names without the `ansible_` prefix (Ansible's namespace_facts). */
export function namespaced(gathered: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(gathered).map(([k, v]) => [k.startsWith('ansible_') && k !== 'ansible_local' ? k.slice(8) : k, v]),
  );
}

export function factsLayer(gathered: Record<string, unknown>, alias: Facts | undefined): Record<string, unknown> {
  return { ...gathered, ansible_facts: namespaced(gathered), ...(alias ? { facts: alias } : {}) };
}
