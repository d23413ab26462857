// Every expression and statement of a template, for the questions asked of it as a whole before
// printing (which macros a macro calls, how often a name is set).
import type { Expr, Stmt } from './nodes.js';

function exprChildren(e: Expr): Expr[] {
  switch (e.type) {
    case 'Name':
    case 'Const':
      return [];
    case 'List':
    case 'Tuple':
      return e.items;
    case 'Dict':
      return e.pairs.flatMap((p) => [p.key, p.value]);
    case 'Getattr':
      return [e.node];
    case 'Getitem':
      return [e.node, e.arg];
    case 'Slice':
      return [e.node, e.lower, e.upper, e.step].filter((x) => x !== undefined);
    case 'Call':
    case 'Filter':
    case 'Test':
      return [e.node, ...e.args, ...e.kwargs.map((k) => k.value)];
    case 'Unary':
      return [e.node];
    case 'Binary':
      return [e.left, e.right];
    case 'Compare':
      return [e.left, ...e.ops.map((o) => o.right)];
    case 'CondExpr':
      return [e.test, e.then, e.otherwise].filter((x) => x !== undefined);
  }
}

/** The statement's own expressions and its nested statements. */
function stmtChildren(st: Stmt): { exprs: Expr[]; bodies: Stmt[][] } {
  switch (st.type) {
    case 'Text':
    case 'Unsupported':
      return { exprs: [], bodies: [] };
    case 'Output':
      return { exprs: [st.expr], bodies: [] };
    case 'If':
      return { exprs: st.branches.map((b) => b.test), bodies: [...st.branches.map((b) => b.body), st.otherwise ?? []] };
    case 'For':
      return { exprs: [st.iter, ...(st.filter ? [st.filter] : [])], bodies: [st.body, st.otherwise ?? []] };
    case 'Set':
      return { exprs: [st.value], bodies: [] };
    case 'SetBlock':
      return { exprs: [], bodies: [st.body] };
    case 'CallBlock':
      return { exprs: [st.call], bodies: [st.body] };
    case 'Macro':
      return { exprs: st.params.flatMap((p) => (p.default ? [p.default] : [])), bodies: [st.body] };
  }
}

/** Calls `onStmt` for every statement and `onExpr` for every expression under `body`, outside in. */
export function walk(body: Stmt[], onExpr: (e: Expr) => void, onStmt: (st: Stmt) => void = () => {}): void {
  const expr = (e: Expr) => {
    onExpr(e);
    exprChildren(e).forEach(expr);
  };
  for (const st of body) {
    onStmt(st);
    const { exprs, bodies } = stmtChildren(st);
    exprs.forEach(expr);
    bodies.forEach((b) => walk(b, onExpr, onStmt));
  }
}
