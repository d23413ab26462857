// The variables a template needs, without Handlebars' parser, for the common shapes:
// `{{a.b}}`, `{{helper x "lit" 3}}`, `{{default (upper x) 'y'}}`. Validation asks this of
// every string of every task; the full parser costs ~40 µs a string from a cold start.
// Anything outside this small grammar (blocks, hashes, `this`, `@data`, `../`, literal
// segments, escapes) returns undefined, and references.ts uses the real parser instead.
import { conditionInner, precheckTemplate } from './compile.js';
import { HELPER_NAMES } from './helpers/index.js';

type Expr = { kind: 'path'; parts: string[] } | { kind: 'literal' } | { kind: 'call'; name: string; params: Expr[] };

const PATH = /^[A-Za-z_$][\w$-]*(?:\.[A-Za-z_$][\w$-]*)*$/;
const NUMBER = /^-?\d+(?:\.\d+)?$/;
const KEYWORDS = new Set(['true', 'false', 'null', 'undefined']);
const WORD = /^[^\s()"']+/;

/** Tokens of one mustache's inside: words, strings, parentheses; undefined for anything else. */
function tokenize(src: string): string[] | undefined {
  const out: string[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') i++;
    else if (c === '(' || c === ')') {
      // Handlebars wants blanks around sub-expressions: `eq(a)` and `(a)b` do not parse.
      if (c === '(' && i > 0 && !/[\s(]/.test(src[i - 1])) return undefined;
      if (c === ')' && i + 1 < src.length && !/[\s)]/.test(src[i + 1])) return undefined;
      out.push(src[i++]);
    } else if (c === '"' || c === "'") {
      const end = src.indexOf(c, i + 1);
      if (end < 0 || src.slice(i, end).includes('\\')) return undefined;
      // Like parentheses, strings stand apart: `a't'` and `"a"b` are left to the parser.
      if ((i > 0 && !/[\s(]/.test(src[i - 1])) || (end + 1 < src.length && !/[\s)]/.test(src[end + 1])))
        return undefined;
      out.push(src.slice(i, end + 1));
      i = end + 1;
    } else {
      // A word runs to the next space, tab, line break, parenthesis or quote.
      const m = WORD.exec(src.slice(i));
      const j = i + (m ? m[0].length : 0);
      // Other blanks (form feed, no-break space...) are left to the real parser.
      if (j === i) return undefined;
      out.push(src.slice(i, j));
      i = j;
    }
  }
  return out;
}

function parseCall(toks: string[], at: { i: number }, nested: boolean): Expr | undefined {
  const head = toks[at.i++];
  if (
    head === undefined ||
    !PATH.test(head) ||
    head === 'this' ||
    head.startsWith('this.') ||
    KEYWORDS.has(head.split('.')[0])
  )
    return undefined;
  const params: Expr[] = [];
  while (at.i < toks.length && toks[at.i] !== ')') {
    const t = toks[at.i++];
    if (t === '(') {
      const sub = parseCall(toks, at, true);
      if (!sub || sub.kind !== 'call' || toks[at.i++] !== ')') return undefined;
      params.push(sub);
    } else if (t[0] === '"' || t[0] === "'" || NUMBER.test(t) || KEYWORDS.has(t)) params.push({ kind: 'literal' });
    else if (PATH.test(t) && t !== 'this' && !t.startsWith('this.') && !KEYWORDS.has(t.split('.')[0]))
      params.push({ kind: 'path', parts: t.split('.') });
    else return undefined;
  }
  // A sub-expression is always a call, even without arguments: (now).
  if (nested) return { kind: 'call', name: head, params };
  return params.length ? { kind: 'call', name: head, params } : { kind: 'path', parts: head.split('.') };
}

function parseMustache(inner: string): Expr | undefined {
  const toks = tokenize(inner);
  if (!toks?.length) return undefined;
  const at = { i: 0 };
  const e = parseCall(toks, at, false);
  return e && at.i === toks.length ? e : undefined;
}

/** Exactly the names references.ts collects from the parsed template. */
function collect(e: Expr, out: Set<string>, top: boolean): void {
  if (e.kind === 'path') {
    if (!(top && e.parts.length === 1 && HELPER_NAMES.has(e.parts[0]))) out.add(e.parts[0]);
  } else if (e.kind === 'call' && e.name !== 'defined') {
    e.params.forEach((p, i) => {
      if (!(e.name === 'default' && i === 0)) collect(p, out, false);
    });
  }
}

export function fastRequiredVariables(text: string, condition: boolean): string[] | undefined {
  if (condition) {
    const inner = conditionInner(text);
    if (inner.includes('{{') || inner.includes('}}')) return undefined;
    const e = parseMustache(inner);
    if (!e) return undefined;
    const out = new Set<string>();
    collect(e, out, true);
    return [...out];
  }
  precheckTemplate(text);
  const out = new Set<string>();
  let i = 0;
  for (;;) {
    const open = text.indexOf('{{', i);
    if (open < 0) break;
    // Escapes (\{{), triple-stash, whitespace control, comments and blocks take the full parser.
    if (text[open - 1] === '\\' || /[{~!#/^>&]/.test(text[open + 2] ?? '')) return undefined;
    const close = text.indexOf('}}', open + 2);
    if (close < 0 || text[close - 1] === '~' || text[close + 2] === '}') return undefined;
    const inner = text.slice(open + 2, close);
    if (/^\s*else\b/.test(inner)) return undefined;
    const e = parseMustache(inner);
    if (!e) return undefined;
    collect(e, out, true);
    i = close + 2;
  }
  return [...out];
}
