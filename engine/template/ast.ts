// The subset of Handlebars' AST types we evaluate (handlebars ships them under `hbs.AST`).
export type { } from 'handlebars';
export declare namespace AST {
  type Node = { type: string; loc?: { start: { line: number; column: number } } };
  type Program = Node & { type: 'Program'; body: Statement[]; blockParams?: string[] };
  type Statement = MustacheStatement | BlockStatement | ContentStatement | Node;
  type MustacheStatement = Node & { type: 'MustacheStatement'; path: Expression; params: Expression[]; hash?: Hash };
  type BlockStatement = Node & {
    type: 'BlockStatement';
    path: PathExpression;
    params: Expression[];
    hash?: Hash;
    program?: Program;
    inverse?: Program;
  };
  type ContentStatement = Node & { type: 'ContentStatement'; value: string; original: string };
  type SubExpression = Node & { type: 'SubExpression'; path: PathExpression; params: Expression[]; hash?: Hash };
  type PathExpression = Node & { type: 'PathExpression'; data: boolean; depth: number; parts: string[]; original: string };
  type Literal = Node & { type: 'StringLiteral' | 'NumberLiteral' | 'BooleanLiteral' | 'UndefinedLiteral' | 'NullLiteral'; value?: unknown; original?: unknown };
  type Expression = PathExpression | SubExpression | Literal;
  type Hash = Node & { type: 'Hash'; pairs: { key: string; value: Expression }[] };
}
