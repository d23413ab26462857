// Ansible host patterns: a:b or a,b union, a:&b intersection, a:!b exclusion, wildcards,
// ~regex, group[0:2] slices (end included). Unions apply first, then &, then !.
import type { GroupIndex } from './groups.js';
import type { Inventory } from './model.js';

export type PatternMatch = { hosts: string[]; unmatched: string[] };

export const IMPLICIT_LOCALHOST = new Set(['localhost', '127.0.0.1', '::1']);

export function splitPattern(pattern: string | readonly string[]): string[] {
  if (Array.isArray(pattern)) return pattern.flatMap((p) => splitPattern(p));
  const text = String(pattern).trim();
  if (text.includes(',')) return text.split(',').map((t) => t.trim()).filter(Boolean);
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

function globToRegExp(glob: string): RegExp {
  const re = glob.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${re}$`);
}

function matchNames(names: Iterable<string>, term: string): string[] {
  const out: string[] = [];
  if (term.startsWith('~')) {
    let re: RegExp;
    try {
      re = new RegExp(term.slice(1));
    } catch (e) {
      throw new Error(`invalid regular expression in host pattern '${term}': ${(e as Error).message}`);
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

function applySlice(hosts: string[], slice: string): string[] {
  const [a, b] = slice.split(':');
  const idx = (s: string, dflt: number) => (s === '' || s === undefined ? dflt : Number(s) < 0 ? hosts.length + Number(s) : Number(s));
  if (b === undefined) {
    const i = idx(a, 0);
    return hosts[i] !== undefined ? [hosts[i]] : [];
  }
  return hosts.slice(idx(a, 0), idx(b, hosts.length - 1) + 1);
}

function resolveTerm(inv: Inventory, idx: GroupIndex, term: string): string[] {
  let base = term;
  let slice: string | undefined;
  const m = /^(.+?)\[(-?\d*(?::-?\d*)?)\]$/.exec(term);
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
