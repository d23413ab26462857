// Label selectors: the query-string grammar of k8s.io/apimachinery/pkg/labels
// (`a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a`) and metav1.LabelSelector.
import type { LabelSelector, Labels } from '../types.js';
import { badRequest } from './status.js';

export type Requirement =
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'exists' | '!exists' };

export type Selector = Requirement[];

export function matches(selector: Selector, labels: Labels | undefined): boolean {
  const l = labels ?? {};
  return selector.every((r) => {
    const has = Object.hasOwn(l, r.key);
    switch (r.op) {
      case 'exists':
        return has;
      case '!exists':
        return !has;
      case 'in':
        return has && r.values.includes(l[r.key]);
      case 'notin':
        return !has || !r.values.includes(l[r.key]);
    }
  });
}

/** Parses `?labelSelector=`; a malformed one is the API's 400. */
export function parseLabelSelector(text: string | undefined): Selector {
  if (!text || !text.trim()) return [];
  const out: Selector = [];
  for (const term of splitTerms(text)) {
    const t = term.trim();
    if (!t) throw badRequest(`unable to parse requirement: found '', expected: identifier`);
    out.push(parseTerm(t));
  }
  return out;
}

// Commas inside `in (a,b)` do not separate requirements.
function splitTerms(text: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')') depth--;
    else if (text[i] === ',' && depth === 0) {
      terms.push(text.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(text.slice(start));
  return terms;
}

const KEY = /^[A-Za-z0-9]([-A-Za-z0-9_./]*[A-Za-z0-9])?$/;
const VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;

function parseTerm(t: string): Requirement {
  if (t.startsWith('!')) return { key: checkKey(t.slice(1).trim()), op: '!exists' };
  const set = /^(\S+)\s+(in|notin)\s*\((.*)\)$/.exec(t);
  if (set) {
    const values = set[3].split(',').map((v) => checkValue(v.trim()));
    return { key: checkKey(set[1]), op: set[2] as 'in' | 'notin', values };
  }
  const eq = /^([^=!\s]+)\s*(==|=|!=)\s*(.*)$/.exec(t);
  if (eq) {
    const op = eq[2] === '!=' ? 'notin' : 'in';
    return { key: checkKey(eq[1]), op, values: [checkValue(eq[3].trim())] };
  }
  if (/\s/.test(t)) throw badRequest(`unable to parse requirement: found '${t.split(/\s+/)[1]}', expected: in, notin, =, ==, !=, gt, lt`);
  return { key: checkKey(t), op: 'exists' };
}

function checkKey(k: string): string {
  const name = k.includes('/') ? k.slice(k.indexOf('/') + 1) : k;
  if (!KEY.test(k) || name.length > 63) {
    throw badRequest(`unable to parse requirement: values[0][${k}]: Invalid value: "${k}": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`);
  }
  return k;
}

function checkValue(v: string): string {
  if (!VALUE.test(v) || v.length > 63) {
    throw badRequest(`unable to parse requirement: values[0][${v}]: Invalid value: "${v}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`);
  }
  return v;
}

/** metav1.LabelSelector as a Selector. An empty selector is empty: callers decide what it matches. */
export function fromLabelSelector(s: LabelSelector | undefined): Selector {
  const out: Selector = [];
  for (const [key, value] of Object.entries(s?.matchLabels ?? {})) out.push({ key, op: 'in', values: [value] });
  for (const e of s?.matchExpressions ?? []) {
    if (e.operator === 'In') out.push({ key: e.key, op: 'in', values: e.values ?? [] });
    else if (e.operator === 'NotIn') out.push({ key: e.key, op: 'notin', values: e.values ?? [] });
    else if (e.operator === 'Exists') out.push({ key: e.key, op: 'exists' });
    else out.push({ key: e.key, op: '!exists' });
  }
  return out;
}
