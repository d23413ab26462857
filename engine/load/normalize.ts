// Before schema checks: Ansible spellings users already have become ours, in place, keeping
// positions: ansible.builtin.copy or ansible.posix.sysctl → copy or sysctl, `file: path=/x
// state=touch` → a mapping. A collection name herdbook does not implement stays as written, for
// the schema check to report by that name.
import { splitWords } from '../shell-words.js';
import { moduleNames } from './fqcn.js';
import { infoOf } from './positions.js';

const SECTIONS = ['pre_tasks', 'tasks', 'post_tasks', 'handlers'] as const;

export type NormalizeOptions = {
  modules: ReadonlySet<string>;
  freeForm: ReadonlySet<string>;
  /** Module name → its argument schema: its collection names, and types for `key=value` words as Ansible's argument specs give them. */
  moduleSchemas: ReadonlyMap<string, Record<string, unknown>>;
};

const isMap = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

export function normalizePlaybook(doc: unknown, opts: NormalizeOptions): void {
  if (!Array.isArray(doc)) return;
  for (const play of doc) {
    if (!isMap(play)) continue;
    for (const s of SECTIONS) normalizeTasks(play[s], opts);
  }
}

export function normalizeTasks(list: unknown, opts: NormalizeOptions): void {
  if (!Array.isArray(list)) return;
  for (const task of list) {
    if (!isMap(task)) continue;
    if ('block' in task) {
      for (const s of ['block', 'rescue', 'always']) normalizeTasks(task[s], opts);
      continue;
    }
    const { byFqcn } = moduleNames(opts.moduleSchemas);
    for (const key of Object.keys(task)) {
      const short = byFqcn.get(key);
      if (short && !(short in task)) renameKey(task, key, short);
    }
    for (const key of Object.keys(task)) {
      // `cluster_info:` with nothing after it means "no arguments", as in Ansible.
      if (opts.modules.has(key) && task[key] === null) task[key] = {};
      if (
        opts.modules.has(key) &&
        !opts.freeForm.has(key) &&
        typeof task[key] === 'string' &&
        /^\s*[\w.-]+=/.test(task[key])
      ) {
        task[key] = typeArgs(keyValueArgs(task[key]), opts.moduleSchemas.get(key));
      }
    }
  }
}

/** `path=/x state="a b"` → { path: '/x', state: 'a b' } (Ansible's legacy free-form arguments). */
export function keyValueArgs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const word of splitWords(text)) {
    const eq = word.indexOf('=');
    if (eq > 0) out[word.slice(0, eq)] = word.slice(eq + 1);
  }
  return out;
}

/**
 * `key=value` words are text; like Ansible's argument specs, a module's schema says when one is
 * a number or a flag (verbosity=1, force=yes). Arguments that accept text stay text (mode=0644).
 */
export function typeArgs(
  args: Record<string, string>,
  schema: Record<string, unknown> | undefined,
): Record<string, unknown> {
  const props = (schema?.properties ?? {}) as Record<string, { type?: string | string[] }>;
  const out: Record<string, unknown> = { ...args };
  for (const [k, v] of Object.entries(args)) {
    const types = [props[k]?.type ?? []].flat();
    if (!types.length || types.includes('string')) continue;
    if ((types.includes('integer') && /^-?\d+$/.test(v)) || (types.includes('number') && /^-?\d+(\.\d+)?$/.test(v)))
      out[k] = Number(v);
    else if (types.includes('boolean') && /^(yes|no|true|false|on|off)$/i.test(v)) out[k] = /^(yes|true|on)$/i.test(v);
  }
  return out;
}

function renameKey(obj: Record<string, unknown>, from: string, to: string): void {
  // Rebuild in order so the renamed key keeps its place and its position.
  const entries = Object.entries(obj);
  for (const [k] of entries) delete obj[k];
  for (const [k, v] of entries) obj[k === from ? to : k] = v;
  const info = infoOf(obj);
  if (info?.keys?.[from]) info.keys[to] = info.keys[from];
  if (info?.values?.[from]) info.values[to] = info.values[from];
}
