// What the expression and call printers share: the printing environment and how Handlebars
// literals and helper calls are spelled.
import { leave } from './left.js';
import type { Expr } from './nodes.js';

/**
 * A `{% set %}` name, inlined where it is used: `value` as printed where it was set, `rooted` with
 * every free name read from the root (@root.x), for use inside a loop opened after `depth` loops.
 */
export type SetVar = { value: string; rooted: string; depth: number };

/** What a name means while printing: set variables inline their value, loop variables are block params. */
export type PrintEnv = {
  vars: Map<string, SetVar>;
  /** Inside a translated {% for %}: free names are read from the root scope (the loop item is the context). */
  loops: { iter: string; params: Set<string> }[];
  /** Print free names as @root.x even outside a loop (a {% set %} value used in a later loop). */
  root?: boolean;
  /** Names that are no variable here (a macro, or what a macro body cannot read): why, what to write. */
  hidden?: ReadonlyMap<string, Hidden>;
  /** Inside this macro's body: its calls of other macros run when it runs, not where they are written. */
  macro?: string;
};

export type Hidden = { why: string; write?: string };

export const emptyEnv = (): PrintEnv => ({ vars: new Map(), loops: [] });

export const SIMPLE_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
export const HBS_RESERVED = new Set(['this', 'true', 'false', 'null', 'undefined', 'else', 'as']);

export function isCall(printed: string): boolean {
  return printed.startsWith('(');
}

/** The expression without its outer parentheses: the inside of {{ }}. */
export function unwrap(printed: string): string {
  return isCall(printed) ? printed.slice(1, -1) : printed;
}

export function call(helper: string, ...args: string[]): string {
  return `(${[helper, ...args].join(' ')})`;
}

/** A Handlebars string literal: Handlebars only unescapes \' or \" (the quote in use). */
export function str(value: string, span: { start: number; end: number }): string {
  // The quote the text does not contain first: 'a' and "it's" need no escape.
  const quotes = value.includes("'") && !value.includes('"') ? ['"', "'"] : ["'", '"'];
  for (const q of quotes) {
    if (value.endsWith('\\') || value.includes('\\' + q)) continue;
    return q + value.split(q).join('\\' + q) + q;
  }
  return leave(span, 'a string with a backslash before a quote or at its end has no Handlebars literal');
}

/** How the call printers print their arguments (print-expr's printExpr, passed in to avoid a cycle). */
export type Print = (e: Expr, env: PrintEnv, bool?: boolean) => string;
