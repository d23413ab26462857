// One YAML string through the translator: a template (a value with {{ }} or {% %}) or a condition
// (`when:` and friends, a bare expression). Text that is already herdbook's Handlebars
// ({{default x 'y'}}, (eq a b)) is no construct and stays as it is.
import { COLLECTION_FACTS } from '../facts/names.js';
import {
  detectJinja,
  mayBeJinja,
  parseExpression,
  translateExpression,
  translateTemplate,
  type JinjaNote,
} from '../jinja/index.js';

export type Outcome =
  /** Nothing to convert: no Jinja, or herdbook's own expression language already. */
  | { kind: 'none' }
  /** A Jinja construct with herdbook's spelling `text` (it may equal the input: `{{ x }}`). */
  | { kind: 'converted'; text: string }
  | { kind: 'left'; notes: JinjaNote[] };

export function convertTemplate(text: string): Outcome {
  if (!mayBeJinja(text)) return { kind: 'none' };
  const t = translateTemplate(text);
  switch (t.kind) {
    case 'plain':
    case 'not-jinja':
      return { kind: 'none' };
    case 'translated':
      return { kind: 'converted', text: t.text };
    case 'left':
      return { kind: 'left', notes: t.notes };
  }
}

/** The inside of a condition written `{{ expr }}` (Ansible warns about the braces but runs it). */
function unbrace(text: string): string {
  const m = /^\s*\{\{([\s\S]*)\}\}\s*$/.exec(text);
  return m && !m[1].includes('{{') && !m[1].includes('}}') ? m[1].trim() : text.trim();
}

/** A helper call written as README writes conditions: `(and a (eq b "x"))`, a name as it is. */
function parenthesized(expr: string): string {
  return /^[^\s()]+$/.test(expr) || (expr.startsWith('(') && closes(expr) === expr.length - 1) ? expr : `(${expr})`;
}

/** Where the parenthesis opening `s` closes (quotes skipped). */
function closes(s: string): number {
  let depth = 0;
  let quote = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (quote) {
      if (ch === quote) quote = '';
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) return i;
  }
  return -1;
}

function parses(expr: string): boolean {
  try {
    parseExpression(expr);
    return true;
  } catch {
    return false;
  }
}

/**
 * A condition. Jinja's `x is defined` and herdbook's `(defined x)` both live here: what does not
 * parse as Jinja and shows no Jinja sign is herdbook's already. What parses as both (`x`,
 * `not done`) prints the same either way, so converting stays a fixed point.
 */
export function convertCondition(text: string): Outcome {
  const expr = unbrace(text);
  if (!expr) return { kind: 'none' };
  if (!parses(expr)) {
    const found = detectJinja(expr);
    if (!found) return { kind: 'none' };
    const t = translateExpression(expr, true);
    return 'notes' in t ? { kind: 'left', notes: t.notes } : { kind: 'converted', text: parenthesized(t.text) };
  }
  const t = translateExpression(expr, true);
  if ('notes' in t) return { kind: 'left', notes: t.notes };
  if (COLLECTION_FACT.test(t.text)) return { kind: 'converted', text: `(gt (length ${t.text}) 0)` };
  // Printed the same as written (`upgrade.changed`): keep the user's text, braces and all.
  return { kind: 'converted', text: t.text === expr ? text : parenthesized(t.text) };
}

/**
 * A fact herdbook knows to be a list or a mapping, alone: Ansible 2.14 takes it as "not empty"
 * (k3s-ansible's `when: ansible_all_ipv6_addresses`), herdbook's condition must say so.
 */
const COLLECTION_FACT = new RegExp(`^ansible_(?:facts\\.)?(?:${COLLECTION_FACTS.join('|')})$`);

/** A Jinja expression this converter built (a loop), as a herdbook template `{{...}}`. */
export function convertBuilt(expr: string): { text: string } | { notes: JinjaNote[] } {
  const t = translateExpression(expr);
  return 'notes' in t ? t : { text: `{{${t.text}}}` };
}
