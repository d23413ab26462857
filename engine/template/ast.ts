// The subset of Handlebars' AST types we evaluate (handlebars ships them under `hbs.AST`).
// Imported as a namespace, `import type * as AST from './ast.js'`, to read as AST.PathExpression.
export type Node = { type: string; loc?: { start: { line: number; column: number } } };
export type Program = Node & { type: 'Program'; body: Statement[]; blockParams?: string[] };
export type Statement = MustacheStatement | BlockStatement | ContentStatement | Node;
export type MustacheStatement = Node & {
  type: 'MustacheStatement';
  path: Expression;
  params: Expression[];
  hash?: Hash;
};
export type BlockStatement = Node & {
  type: 'BlockStatement';
  path: PathExpression;
  params: Expression[];
  hash?: Hash;
  program?: Program;
  inverse?: Program;
};
/** `{{#*inline "name" k=v}}...{{/inline}}`: Handlebars' decorator block; herdbook knows only `inline`. */
export type DecoratorBlock = Node & {
  type: 'DecoratorBlock';
  path: PathExpression;
  params: Expression[];
  hash?: Hash;
  program: Program;
};
/** `{{> name k=v}}`; `indent` is the line's leading blanks when Handlebars found the call standalone. */
export type PartialStatement = Node & {
  type: 'PartialStatement';
  name: PathExpression | SubExpression;
  params: Expression[];
  hash?: Hash;
  indent: string;
};
/** `{{#> name k=v}}block{{/name}}`: the partial renders the block where it says `{{> @partial-block}}`. */
export type PartialBlockStatement = Node & {
  type: 'PartialBlockStatement';
  name: PathExpression | SubExpression;
  params: Expression[];
  hash?: Hash;
  program: Program;
};
export type ContentStatement = Node & { type: 'ContentStatement'; value: string; original: string };
export type SubExpression = Node & { type: 'SubExpression'; path: PathExpression; params: Expression[]; hash?: Hash };
export type PathExpression = Node & {
  type: 'PathExpression';
  data: boolean;
  depth: number;
  parts: string[];
  original: string;
};
export type Literal = Node & {
  type: 'StringLiteral' | 'NumberLiteral' | 'BooleanLiteral' | 'UndefinedLiteral' | 'NullLiteral';
  value?: unknown;
  original?: unknown;
};
export type Expression = PathExpression | SubExpression | Literal;
export type Hash = Node & { type: 'Hash'; pairs: { key: string; value: Expression }[] };
