// The translator's entry points: a Jinja template or expression in, herdbook's Handlebars
// spelling and located notes about what was left out. Pure text in, text out.
import { JinjaSyntaxError, lineCol, ANSIBLE_OPTIONS, type TemplateOptions } from './lexer.js';
import { Untranslatable } from './left.js';
import { parseExpression, parseTemplate } from './parse-template.js';
import { emptyEnv, printExpr, unwrap } from './print-expr.js';
import { printTemplate } from './print-template.js';
import { looksLikeJinja } from './signs.js';

/** Something the translator left, located in the translated text (1-based line and column). */
export type JinjaNote = {
  line: number;
  col: number;
  /** The Jinja text it is about. */
  jinja: string;
  why: string;
  write?: string;
};

export type Translation =
  /** No Jinja delimiters at all. */
  | { kind: 'plain' }
  /** Does not parse as Jinja: herdbook's own Handlebars ({{default x 'y'}}), or broken either way. */
  | { kind: 'not-jinja'; error: JinjaNote }
  /** `text` means in herdbook what the Jinja meant in Ansible (it may equal the input: {{ x }}). */
  | { kind: 'translated'; text: string }
  | { kind: 'left'; notes: JinjaNote[] };

/** Whether a text holds Jinja delimiters at all (cheap; every inventory value goes through it). */
export function mayBeJinja(text: string): boolean {
  return text.includes('{{') || text.includes('{%') || text.includes('{#');
}

function note(text: string, start: number, end: number, why: string, write?: string): JinjaNote {
  const { line, col } = lineCol(text, start);
  return { line, col, jinja: text.slice(start, Math.max(end, start + 1)).trim(), why, write };
}

export function translateTemplate(text: string, opts: TemplateOptions = ANSIBLE_OPTIONS): Translation {
  if (!mayBeJinja(text)) return { kind: 'plain' };
  let tree;
  try {
    tree = parseTemplate(text, opts);
  } catch (e) {
    if (!(e instanceof JinjaSyntaxError)) throw e;
    const error = note(text, e.offset, e.offset + 1, e.message, e.hint);
    // Broken Jinja is still Jinja: left, with where it breaks; anything else may be Handlebars.
    return looksLikeJinja(text) ? { kind: 'left', notes: [error] } : { kind: 'not-jinja', error };
  }
  const printed = printTemplate(tree, emptyEnv());
  if (printed.lefts.length)
    return { kind: 'left', notes: printed.lefts.map((l) => note(text, l.start, l.end, l.why, l.write)) };
  return { kind: 'translated', text: printed.text };
}

/**
 * One Jinja expression (a condition, the inside of {{ }}) → its Handlebars expression, unbraced.
 * `condition`: only its truth is used (a `when:`), so `a and b` may be (and a b).
 */
export function translateExpression(expr: string, condition = false): { text: string } | { notes: JinjaNote[] } {
  try {
    return { text: unwrap(printExpr(parseExpression(expr), emptyEnv(), condition)) };
  } catch (e) {
    if (e instanceof JinjaSyntaxError) return { notes: [note(expr, e.offset, e.offset + 1, e.message, e.hint)] };
    if (e instanceof Untranslatable) return { notes: [note(expr, e.left.start, e.left.end, e.left.why, e.left.write)] };
    throw e;
  }
}
