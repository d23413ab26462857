// Template text → a parsed Handlebars program, cached by text (playbooks repeat the same
// strings across thousands of hosts). Jinja habits are refused here with their Handlebars spelling.
import { createRequire } from 'node:module';
import type * as AST from './ast.js';
import { TemplateError } from '../errors.js';
import { detectJinja } from '../jinja/index.js';
import { explainParseError, templateSlip } from './syntax.js';

// Only Handlebars' parser is loaded, not its compiler and runtime: we evaluate the AST ourselves.
const require = createRequire(import.meta.url);
let parseFn: ((text: string) => AST.Program) | undefined;
function hbsParse(text: string): AST.Program {
  parseFn ??= (require('handlebars/dist/cjs/handlebars/compiler/base.js') as { parse: (t: string) => AST.Program })
    .parse;
  return parseFn(text);
}

export type Compiled =
  | { kind: 'literal'; text: string }
  /** Exactly one {{expression}}: evaluates to the typed value (a list stays a list). */
  | { kind: 'single'; node: AST.MustacheStatement; text: string }
  | { kind: 'program'; program: AST.Program; text: string };

const cache = new Map<string, Compiled>();
const conditionCache = new Map<string, Compiled>();

export function isTemplate(text: unknown): text is string {
  return typeof text === 'string' && text.includes('{{');
}

export function compileTemplate(text: string): Compiled {
  let c = cache.get(text);
  if (!c) {
    c = compileUncached(text);
    cache.set(text, c);
  }
  return c;
}

/** The refusals every template goes through before it is parsed: Jinja statements and expressions. */
export function precheckTemplate(text: string): void {
  if (/\{%[\s\S]*%\}/.test(text)) {
    throw new TemplateError('Jinja statements ({% ... %}) are not supported: templates are Handlebars', {
      hint: 'write {{#if cond}}...{{else}}...{{/if}} and {{#each list}}{{this}}{{/each}}',
      code: 'E_JINJA',
    });
  }
  if (!text.includes('{{')) return;
  for (const m of text.matchAll(/\{\{(?!\{)(?![#/^!>])([\s\S]*?)\}\}/g)) rejectJinja(m[1], m[0]);
}

function compileUncached(text: string): Compiled {
  precheckTemplate(text);
  if (!text.includes('{{')) return { kind: 'literal', text };
  const program = parseOrExplain(text);
  const body = program.body;
  if (body.length === 1 && body[0].type === 'MustacheStatement') {
    return { kind: 'single', node: body[0] as AST.MustacheStatement, text };
  }
  return { kind: 'program', program, text };
}

function rejectJinja(inner: string, whole: string): void {
  const found = detectJinja(inner);
  if (!found) return;
  const hb = found.suggestion;
  throw new TemplateError(`${whole.trim()} uses ${found.what}; herdbook templates are Handlebars`, {
    hint: hb ? `write {{${hb}}}` : 'see README "Expressions" for the Handlebars helpers',
    code: 'E_JINJA',
  });
}

function parseOrExplain(text: string): AST.Program {
  try {
    return hbsParse(text);
  } catch (e) {
    const slip = templateSlip(text);
    const message = slip?.message ?? explainParseError(e instanceof Error ? e.message : String(e));
    throw new TemplateError(message, {
      hint: slip?.hint ?? 'templates are Handlebars: {{name}}, {{helper arg "literal"}}, {{#if cond}}..{{/if}}',
      code: 'E_TEMPLATE_SYNTAX',
    });
  }
}

/**
 * A condition (`when`, `changed_when`, `failed_when`, `until`) with or without braces:
 * `upgrade.changed`, `(and a (eq b "x"))`, `eq a b`, `{{not done}}`.
 */
export function compileCondition(expr: string): Compiled {
  let c = conditionCache.get(expr);
  if (c) return c;
  c = compileTemplate(`{{${conditionInner(expr)}}}`);
  if (c.kind !== 'single') throw new TemplateError(`'${expr}' is not one expression`, { code: 'E_CONDITION' });
  conditionCache.set(expr, c);
  return c;
}

/** A condition's one expression, without its braces or outer parentheses; Jinja refused. */
export function conditionInner(expr: string): string {
  let inner = expr.trim();
  const braced = /^\{\{([\s\S]*)\}\}$/.exec(inner);
  if (braced && !braced[1].includes('{{')) inner = braced[1].trim();
  if (inner.startsWith('(') && matchingParen(inner) === inner.length - 1) inner = inner.slice(1, -1).trim();
  if (!inner) throw new TemplateError('empty condition', { code: 'E_CONDITION' });
  rejectJinja(inner, inner);
  return inner;
}

function matchingParen(s: string): number {
  let depth = 0;
  let quote = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (quote) {
      if (ch === quote) quote = '';
      continue;
    }
    if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) return i;
  }
  return -1;
}
