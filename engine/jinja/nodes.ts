// The Jinja syntax tree: one small type per construct, as pallets/jinja's nodes.py has. Every
// node keeps the offsets of its source text (`start`, `end` into the template), so whatever the
// printer cannot translate is reported at its line and column.

export type Span = { start: number; end: number };

export type Expr =
  | (Span & { type: 'Name'; name: string })
  | (Span & { type: 'Const'; value: string | number | boolean | null; float?: boolean })
  | (Span & { type: 'List'; items: Expr[] })
  | (Span & { type: 'Tuple'; items: Expr[] })
  | (Span & { type: 'Dict'; pairs: { key: Expr; value: Expr }[] })
  /** `x.y` */
  | (Span & { type: 'Getattr'; node: Expr; attr: string })
  /** `x[y]` */
  | (Span & { type: 'Getitem'; node: Expr; arg: Expr })
  /** `x[a:b:c]` */
  | (Span & { type: 'Slice'; node: Expr; lower?: Expr; upper?: Expr; step?: Expr })
  | (Span & { type: 'Call'; node: Expr; args: Expr[]; kwargs: Kwarg[]; dyn?: boolean })
  | (Span & { type: 'Filter'; node: Expr; name: string; args: Expr[]; kwargs: Kwarg[]; nameStart: number })
  | (Span & { type: 'Test'; node: Expr; name: string; args: Expr[]; kwargs: Kwarg[]; negated: boolean })
  | (Span & { type: 'Unary'; op: 'not' | '-' | '+'; node: Expr })
  | (Span & { type: 'Binary'; op: BinaryOp; left: Expr; right: Expr })
  /** `a < b < c`: one left operand and a chain of comparisons, as Python reads them. */
  | (Span & { type: 'Compare'; left: Expr; ops: { op: CompareOp; right: Expr }[] })
  /** `then if test else otherwise` */
  | (Span & { type: 'CondExpr'; test: Expr; then: Expr; otherwise?: Expr });

export type Kwarg = { name: string; value: Expr };
export type BinaryOp = '+' | '-' | '*' | '/' | '//' | '%' | '**' | '~' | 'and' | 'or';
export type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>=' | 'in' | 'not in';

export type Stmt =
  | (Span & { type: 'Text'; value: string })
  | (Span & { type: 'Output'; expr: Expr })
  | (Span & { type: 'If'; branches: { test: Expr; body: Stmt[] }[]; otherwise?: Stmt[] })
  | (Span & {
      type: 'For';
      targets: string[];
      iter: Expr;
      filter?: Expr;
      body: Stmt[];
      otherwise?: Stmt[];
      recursive: boolean;
    })
  | (Span & { type: 'Set'; targets: string[]; value: Expr })
  /** `{% set x %}...{% endset %}` */
  | (Span & { type: 'SetBlock'; target: string; body: Stmt[] })
  /** `{% macro name(a, b=default) %}...{% endmacro %}`; `tag` locates the `{% macro %}` tag alone. */
  | (Span & { type: 'Macro'; name: string; params: MacroParam[]; body: Stmt[]; tag: Span })
  /** `{% call(params) m(args) %}...{% endcall %}`: `m` runs with the body as its caller(). */
  | (Span & { type: 'CallBlock'; call: Expr; params: MacroParam[]; body: Stmt[]; tag: Span })
  /** A statement the parser recognises but the tree does not model (include, with, filter, ...). */
  | (Span & { type: 'Unsupported'; keyword: string });

/** A macro's parameter; `start`/`end` locate its name. */
export type MacroParam = Span & { name: string; default?: Expr };

export type Template = { body: Stmt[]; text: string };
