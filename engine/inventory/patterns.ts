// Ansible host patterns: a:b or a,b union, a:&b intersection, a:!b exclusion, wildcards,
// ~regex, group[0:2] slices (end included). Unions apply first, then &, then !.
import { HerdbookError } from '../errors.js';
import type { GroupIndex } from './groups.js';
import type { Inventory } from './model.js';
import { fnmatchSource } from '../fnmatch.js';

export type PatternMatch = { hosts: string[]; unmatched: string[] };

export const IMPLICIT_LOCALHOST = new Set(['localhost', '127.0.0.1', '::1']);

/**
 * A play's `hosts:` after templating, as a pattern: text, or a list of texts. A number is its
 * text (a host may be named 1); a mapping, or a list holding one, is no pattern.
 */
export function asPattern(v: unknown): string | string[] {
  const one = (x: unknown, where: string): string => {
    if (typeof x === 'string') return x;
    if (typeof x === 'number' || typeof x === 'boolean') return String(x);
    const got = x === null || x === undefined ? 'nothing' : Array.isArray(x) ? 'a list' : 'a mapping';
    throw new HostPatternError(`hosts${where} must be a host pattern (text), got ${got}`);
  };
  return Array.isArray(v) ? v.map((x, i) => one(x, `[${i}]`)) : one(v, '');
}

export function splitPattern(pattern: string | readonly string[]): string[] {
  if (typeof pattern !== 'string') return pattern.flatMap((p) => splitPattern(p));
  const text = pattern.trim();
  if (text.includes(','))
    return text
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean);
  // Split on ':' outside [..] and not inside a ~regex term.
  const out: string[] = [];
  let cur = '';
  let depth = 0;
  for (const ch of text) {
    if (ch === '[') depth++;
    if (ch === ']') depth--;
    if (ch === ':' && depth === 0 && !cur.startsWith('~')) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map((t) => t.trim()).filter(Boolean);
}

/** A pattern no host can be matched against (a ~regex that does not compile); the caller says where it came from. */
export class HostPatternError extends HerdbookError {
  constructor(message: string) {
    super('E_PATTERN', message);
  }
}

/** fnmatch (engine/fnmatch.ts) as a RegExp; a set JavaScript refuses is a host pattern error. */
function globToRegExp(glob: string): RegExp {
  const re = fnmatchSource(glob);
  try {
    return new RegExp(`^${re}$`);
  } catch (e) {
    // A set Python accepts and JavaScript does not: a range out of order, [z-a].
    throw new HostPatternError(`invalid character set in host pattern '${glob}': ${(e as Error).message}`);
  }
}

function matchNames(names: Iterable<string>, term: string): string[] {
  const out: string[] = [];
  if (term.startsWith('~')) {
    let re: RegExp;
    try {
      re = new RegExp(term.slice(1));
    } catch (e) {
      throw new HostPatternError(`invalid regular expression in host pattern '${term}': ${(e as Error).message}`);
    }
    for (const n of names) if (re.test(n)) out.push(n);
    return out;
  }
  if (!/[*?[]/.test(term)) {
    for (const n of names) if (n === term) return [n];
    return out;
  }
  const re = globToRegExp(term);
  for (const n of names) if (re.test(n)) out.push(n);
  return out;
}

/** `group[1]`, `group[0:2]`, `group[-1]`: a subscript, not a character set. */
const SUBSCRIPT = /^(.+?)\[(-?\d*(?::-?\d*)?)\]$/;

function applySlice(hosts: string[], slice: string): string[] {
  const [a, b] = slice.split(':');
  const idx = (s: string, dflt: number) =>
    s === '' || s === undefined ? dflt : Number(s) < 0 ? hosts.length + Number(s) : Number(s);
  if (b === undefined) {
    const i = idx(a, 0);
    return hosts[i] !== undefined ? [hosts[i]] : [];
  }
  return hosts.slice(idx(a, 0), idx(b, hosts.length - 1) + 1);
}

function resolveTerm(inv: Inventory, idx: GroupIndex, term: string): string[] {
  let base = term;
  let slice: string | undefined;
  const m = SUBSCRIPT.exec(term);
  if (!term.startsWith('~') && m) {
    base = m[1];
    slice = m[2];
  }
  const out = new Set<string>();
  const groups = matchNames(inv.groups.keys(), base);
  for (const g of groups) for (const h of idx.hostsOf(g)) out.add(h);
  if (!groups.length || base.startsWith('~') || /[.?*[]/.test(base)) {
    for (const h of matchNames(inv.hosts.keys(), base)) out.add(h);
  }
  if (!out.size && IMPLICIT_LOCALHOST.has(base)) out.add(base);
  const list = [...out];
  return slice !== undefined ? applySlice(list, slice) : list;
}

/** Why no host could be matched against `pattern`, or undefined: for checking a pattern before anything runs. */
export function patternProblem(pattern: string | readonly string[]): string | undefined {
  for (const t of splitPattern(pattern)) {
    const term = t.replace(/^[!&]/, '');
    try {
      if (term.startsWith('~')) matchNames([], term);
      else globToRegExp(SUBSCRIPT.exec(term)?.[1] ?? term);
    } catch (e) {
      if (e instanceof HostPatternError) return e.message;
      throw e;
    }
  }
  return undefined;
}

export function matchPattern(inv: Inventory, idx: GroupIndex, pattern: string | readonly string[]): PatternMatch {
  const terms = splitPattern(pattern);
  const unmatched: string[] = [];
  const unions = terms.filter((t) => !t.startsWith('!') && !t.startsWith('&'));
  if (!unions.length && terms.length) unions.push('all');
  const hosts = new Set<string>();
  for (const t of unions) {
    const r = resolveTerm(inv, idx, t);
    if (!r.length) unmatched.push(t);
    r.forEach((h) => hosts.add(h));
  }
  let list = [...hosts];
  for (const t of terms.filter((t) => t.startsWith('&'))) {
    const r = new Set(resolveTerm(inv, idx, t.slice(1)));
    if (!r.size) unmatched.push(t);
    list = list.filter((h) => r.has(h));
  }
  for (const t of terms.filter((t) => t.startsWith('!'))) {
    const r = new Set(resolveTerm(inv, idx, t.slice(1)));
    if (!r.size) unmatched.push(t);
    list = list.filter((h) => !r.has(h));
  }
  return { hosts: list, unmatched };
}
