// Which variables a template certainly needs: root names of paths outside default/defined
// and outside #each/#with bodies (there a name may be a field of the item) and inline partials.
import type * as AST from './ast.js';
import { compileCondition, compileTemplate, type Compiled } from './compile.js';
import { fastRequiredVariables } from './fast-names.js';
import { HELPER_NAMES } from './helpers/index.js';

export function requiredVariables(text: string, condition = false): string[] {
  const fast = fastRequiredVariables(text, condition);
  if (fast) return fast;
  return parsedRequiredVariables(text, condition);
}

/** The same answer from Handlebars' parse tree: every template shape, slower. */
export function parsedRequiredVariables(text: string, condition = false): string[] {
  const c: Compiled = condition ? compileCondition(text) : compileTemplate(text);
  const out = new Set<string>();
  if (c.kind === 'single') mustache(c.node, out);
  else if (c.kind === 'program') program(c.program, out);
  return [...out];
}

function program(p: AST.Program, out: Set<string>): void {
  for (const st of p.body) {
    if (st.type === 'MustacheStatement') mustache(st as AST.MustacheStatement, out);
    // A partial call's arguments are read where it stands; an inline partial's body reads its own
    // arguments (and @root), so it is not looked into.
    else if (st.type === 'PartialStatement')
      (st as AST.PartialStatement).hash?.pairs.forEach((p) => expr(p.value, out));
    else if (st.type === 'PartialBlockStatement') {
      // The block renders where it stands: its names are this template's.
      const b = st as AST.PartialBlockStatement;
      b.hash?.pairs.forEach((p) => expr(p.value, out));
      program(b.program, out);
    } else if (st.type === 'BlockStatement') {
      const b = st as AST.BlockStatement;
      b.params.forEach((e) => expr(e, out));
      // Inside #if/#unless/#ensure_newlines the context is unchanged; inside #each/#with names may be item fields.
      if (['if', 'unless', 'ensure_newlines'].includes(b.path.original)) {
        if (b.program) program(b.program, out);
        if (b.inverse) program(b.inverse, out);
      }
    }
  }
}

function mustache(m: AST.MustacheStatement, out: Set<string>): void {
  const hasArgs = m.params.length > 0 || (m.hash?.pairs.length ?? 0) > 0;
  if (m.path.type === 'PathExpression') {
    const p = m.path;
    if (hasArgs) return call(p.original, m.params, m.hash, out);
    if (p.parts.length === 1 && HELPER_NAMES.has(p.parts[0])) return;
  }
  expr(m.path, out);
}

function call(name: string, params: AST.Expression[], hash: AST.Hash | undefined, out: Set<string>): void {
  if (name === 'defined') return;
  params.forEach((e, i) => {
    if (!(name === 'default' && i === 0)) expr(e, out);
  });
  hash?.pairs.forEach((p) => expr(p.value, out));
}

function expr(e: AST.Expression, out: Set<string>): void {
  if (e.type === 'PathExpression') {
    if (!e.data && e.depth === 0 && e.parts.length) out.add(e.parts[0]);
  } else if (e.type === 'SubExpression') {
    call(e.path.original, e.params, e.hash, out);
  }
}
