// Label selectors: the query-string grammar of k8s.io/apimachinery/pkg/labels
// (`a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a`, `a gt 1`; label-parser.ts)
// and metav1.LabelSelector.
import type { LabelSelector, Labels } from '../types.js';
import { badRequest } from './status.js';
import { Parser, SelectorError, type Requirement } from './label-parser.js';

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
      case 'gt':
      case 'lt': {
        const n = /^-?\d+$/.test(l[r.key] ?? '') ? Number(l[r.key]) : NaN;
        return has && Number.isFinite(n) && (r.op === 'gt' ? n > Number(r.values[0]) : n < Number(r.values[0]));
      }
    }
  });
}

/** Parses `?labelSelector=` with labels.Parse's grammar and error texts (transcript 14); an error is the API's 400. */
export function parseLabelSelector(text: string | undefined): Selector {
  if (!text) return [];
  try {
    return new Parser(text).parse();
  } catch (e) {
    if (e instanceof SelectorError) throw badRequest(e.message);
    throw e;
  }
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
