// The translator's entry points: a Jinja template or expression in, herdbook's Handlebars
// spelling and located notes about what was left out. Pure text in, text out.
import { JinjaSyntaxError, lineCol, ANSIBLE_OPTIONS, type TemplateOptions } from './lexer.js';
import { Untranslatable } from './left.js';
import { parseExpression, parseTemplate } from './parse-template.js';
import { emptyEnv, printExpr, unwrap } from './print-expr.js';
import { printTemplate } from './print-template.js';
import { HEADER, readHeader } from './settings.js';
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

/**
 * A Jinja template (a YAML value, or a .j2 file with TEMPLATE_MODULE_OPTIONS / templateModuleOptions)
 * → a herdbook template that renders the same bytes.
 */
export function translateTemplate(text: string, opts: TemplateOptions = ANSIBLE_OPTIONS): Translation {
  if (!mayBeJinja(text)) return { kind: 'plain' };
  // Notes are located in the text as written: the header's line is counted back in.
  const header = text.startsWith(HEADER) ? 1 : 0;
  const at = (n: JinjaNote): JinjaNote => ({ ...n, line: n.line + header });
  let tree;
  let source = text;
  try {
    const read = readHeader(text, opts);
    source = read.text;
    opts = read.opts;
    // Jinja reads every newline as \n, and drops the source's last one (keep_trailing_newline off).
    if (source.includes('\r')) source = source.replace(/\r\n?/g, '\n');
    tree = parseTemplate(opts.keepTrailingNewline ? source : source.replace(/\n$/, ''), opts);
  } catch (e) {
    if (!(e instanceof JinjaSyntaxError)) throw e;
    const error = note(source, e.offset, e.offset + 1, e.message, e.hint);
    // Broken Jinja is still Jinja: left, with where it breaks; anything else may be Handlebars.
    return looksLikeJinja(text) ? { kind: 'left', notes: [at(error)] } : { kind: 'not-jinja', error: at(error) };
  }
  // Ansible adds back the newlines the source ends with that the output lacks (preserve_trailing_newlines).
  const newlines = /\n*$/.exec(source)![0].length;
  const printed = printTemplate(tree, emptyEnv(), { file: !!opts.file, newlines });
  if (printed.lefts.length)
    return { kind: 'left', notes: printed.lefts.map((l) => at(note(source, l.start, l.end, l.why, l.write))) };
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
