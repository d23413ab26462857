// Keyword inheritance: the innermost of task → blocks → play that sets a keyword wins;
// `when` conditions and environments accumulate instead.
import { TemplateError, type SourcePos } from '../errors.js';
import type { Inheritable, Play, TaskNode } from '../load/model.js';
import { toBool } from '../template/helpers/encoding.js';
import type { Scope, Templater } from '../template/index.js';
import { asText } from '../text.js';

export type Chain = { play: Play; nodes: readonly TaskNode[] };

export function innermost<K extends keyof Inheritable>(
  chain: Chain,
  key: K,
): { value: Inheritable[K]; pos?: SourcePos } | undefined {
  for (let i = chain.nodes.length - 1; i >= 0; i--) {
    const n = chain.nodes[i];
    if (n[key] !== undefined) return { value: n[key], pos: n.fieldPos[keyName(key)] ?? n.pos };
  }
  if (chain.play[key] !== undefined)
    return { value: chain.play[key], pos: chain.play.fieldPos[keyName(key)] ?? chain.play.pos };
  return undefined;
}

function keyName(field: string): string {
  return field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

export function flag(t: Templater, chain: Chain, key: keyof Inheritable, scope: Scope): boolean | undefined {
  const found = innermost(chain, key);
  if (!found || found.value === undefined || found.value === null) return undefined;
  const v = typeof found.value === 'string' ? t.render(found.value, scope, found.pos) : found.value;
  return keywordBool(v, keyName(key), found.pos);
}

/** A keyword's (or a variable's) value as true or false; anything else is an error at its line. */
export function keywordBool(v: unknown, name: string, pos: SourcePos | undefined): boolean {
  try {
    return toBool(v);
  } catch {
    throw new TemplateError(`${name}: ${JSON.stringify(v)} is not true or false`, {
      pos,
      hint: 'write true or false (yes/no), or a template that renders to one',
    });
  }
}

/** A keyword's number of seconds (timeout, delay, loop_control.pause): a number of at least 0, else an error at its line. */
export function keywordSeconds(v: unknown, name: string, pos: SourcePos | undefined, whole = false): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  if (!Number.isFinite(n) || n < 0 || (whole && !Number.isInteger(n))) {
    throw new TemplateError(
      `${name}: ${JSON.stringify(v)} is not ${whole ? 'a whole number' : 'a number'} of at least 0`,
      { pos },
    );
  }
  return n;
}

export function text(t: Templater, chain: Chain, key: keyof Inheritable, scope: Scope): string | undefined {
  const found = innermost(chain, key);
  if (!found || found.value === undefined || found.value === null) return undefined;
  const v = t.render(asText(found.value), scope, found.pos);
  return v === undefined || v === null ? undefined : asText(v);
}

/**
 * Every `when` on the way down (blocks and the task): all must hold. An include_tasks' own
 * `when` is not among them: as in Ansible it decided once whether to include, and the
 * included tasks do not ask it again.
 */
export function conditions(chain: Chain): { expr: unknown; pos?: SourcePos }[] {
  return chain.nodes
    .filter((n) => n.kind !== 'include' && n.when !== undefined)
    .map((n) => ({ expr: n.when, pos: n.fieldPos.when ?? n.pos }));
}

export function environment(t: Templater, chain: Chain, scope: Scope): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of [chain.play, ...chain.nodes]) {
    if (n.environment === undefined) continue;
    const v = t.renderDeep(n.environment, scope, n.fieldPos.environment ?? n.pos);
    if (v && typeof v === 'object')
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) out[k] = String(x);
  }
  return out;
}

/** Tags of the task and everything around it. */
export function effectiveTags(chain: Chain): string[] {
  return [...new Set([...chain.play.tags, ...chain.nodes.flatMap((n) => n.tags)])];
}
