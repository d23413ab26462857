// Jinja's expression grammar, one method per level as pallets/jinja's parser.py has them:
// condexpr > or > and > not > compare > + - > ~ > * / // % > ** > unary > primary, postfix
// (`.x`, `[i]`, `[a:b]`, calls) and then filters and tests, which bind tighter than arithmetic.
import { JinjaSyntaxError, type Tok } from './lexer.js';
import type { BinaryOp, CompareOp, Expr, Kwarg } from './nodes.js';

const COMPARE_OPS = new Set(['==', '!=', '<', '<=', '>', '>=']);
const CONSTANTS: Record<string, boolean | null> = {
  true: true,
  True: true,
  false: false,
  False: false,
  none: null,
  None: null,
};

export class ExprParser {
  i = 0;
  constructor(readonly toks: Tok[]) {}

  get cur(): Tok {
    return this.toks[this.i];
  }
  peek(n = 1): Tok {
    return this.toks[Math.min(this.i + n, this.toks.length - 1)];
  }
  isOp(v: string): boolean {
    return this.cur.t === 'op' && this.cur.v === v;
  }
  isName(v: string): boolean {
    return this.cur.t === 'name' && this.cur.v === v;
  }
  skipOp(v: string): boolean {
    if (!this.isOp(v)) return false;
    this.i++;
    return true;
  }
  expectOp(v: string): Tok {
    if (!this.isOp(v)) throw this.unexpected(`'${v}'`);
    return this.toks[this.i++];
  }
  expectName(): Tok {
    if (this.cur.t !== 'name') throw this.unexpected('a name');
    return this.toks[this.i++];
  }
  unexpected(wanted: string): JinjaSyntaxError {
    const got = this.cur.t === 'eof' ? 'the end of the expression' : `'${this.cur.v}'`;
    return new JinjaSyntaxError(`expected ${wanted}, got ${got}`, this.cur.start);
  }
  atEnd(): boolean {
    return this.cur.t === 'eof';
  }

  /** A whole expression; a bare tuple (`a, b`) only where Jinja allows one. */
  parseExpression(withCondexpr = true): Expr {
    return withCondexpr ? this.parseCondexpr() : this.parseOr();
  }

  parseCondexpr(): Expr {
    let node = this.parseOr();
    while (this.isName('if')) {
      this.i++;
      const test = this.parseOr();
      let otherwise: Expr | undefined;
      if (this.isName('else')) {
        this.i++;
        otherwise = this.parseCondexpr();
      }
      node = { type: 'CondExpr', test, then: node, otherwise, start: node.start, end: (otherwise ?? test).end };
    }
    return node;
  }

  parseOr(): Expr {
    let left = this.parseAnd();
    while (this.isName('or')) {
      this.i++;
      const right = this.parseAnd();
      left = { type: 'Binary', op: 'or', left, right, start: left.start, end: right.end };
    }
    return left;
  }

  parseAnd(): Expr {
    let left = this.parseNot();
    while (this.isName('and')) {
      this.i++;
      const right = this.parseNot();
      left = { type: 'Binary', op: 'and', left, right, start: left.start, end: right.end };
    }
    return left;
  }

  parseNot(): Expr {
    if (this.isName('not')) {
      const start = this.cur.start;
      this.i++;
      const node = this.parseNot();
      return { type: 'Unary', op: 'not', node, start, end: node.end };
    }
    return this.parseCompare();
  }

  parseCompare(): Expr {
    const left = this.parseMath1();
    const ops: { op: CompareOp; right: Expr }[] = [];
    for (;;) {
      let op: CompareOp | undefined;
      if (this.cur.t === 'op' && COMPARE_OPS.has(this.cur.v)) op = this.cur.v as CompareOp;
      else if (this.isName('in')) op = 'in';
      else if (this.isName('not') && this.peek().t === 'name' && this.peek().v === 'in') {
        this.i++;
        op = 'not in';
      }
      if (!op) break;
      this.i++;
      ops.push({ op, right: this.parseMath1() });
    }
    if (!ops.length) return left;
    return { type: 'Compare', left, ops, start: left.start, end: ops[ops.length - 1].right.end };
  }

  private binaryLevel(ops: string[], next: () => Expr): Expr {
    let left = next();
    while (this.cur.t === 'op' && ops.includes(this.cur.v)) {
      const op = this.cur.v as BinaryOp;
      this.i++;
      const right = next();
      left = { type: 'Binary', op, left, right, start: left.start, end: right.end };
    }
    return left;
  }

  parseMath1(): Expr {
    return this.binaryLevel(['+', '-'], () => this.parseConcat());
  }
  parseConcat(): Expr {
    return this.binaryLevel(['~'], () => this.parseMath2());
  }
  parseMath2(): Expr {
    return this.binaryLevel(['*', '/', '//', '%'], () => this.parsePow());
  }
  parsePow(): Expr {
    return this.binaryLevel(['**'], () => this.parseUnary());
  }

  parseUnary(withFilter = true): Expr {
    let node: Expr;
    if (this.isOp('-') || this.isOp('+')) {
      const start = this.cur.start;
      const op = this.cur.v as '-' | '+';
      this.i++;
      const inner = this.parseUnary(false);
      node = { type: 'Unary', op, node: inner, start, end: inner.end };
    } else node = this.parsePrimary();
    node = this.parsePostfix(node);
    return withFilter ? this.parseFilterExpr(node) : node;
  }

  parsePrimary(): Expr {
    const t = this.cur;
    if (t.t === 'name') {
      this.i++;
      if (t.v in CONSTANTS) return { type: 'Const', value: CONSTANTS[t.v], start: t.start, end: t.end };
      return { type: 'Name', name: t.v, start: t.start, end: t.end };
    }
    if (t.t === 'string') {
      // Adjacent strings are one, as in Python: 'a' 'b'
      let value = String(t.value);
      let end = t.end;
      this.i++;
      while (this.cur.t === 'string') {
        value += String(this.cur.value);
        end = this.cur.end;
        this.i++;
      }
      return { type: 'Const', value, start: t.start, end };
    }
    if (t.t === 'int' || t.t === 'float') {
      this.i++;
      return { type: 'Const', value: Number(t.value), float: t.t === 'float', start: t.start, end: t.end };
    }
    if (this.isOp('(')) {
      this.i++;
      if (this.isOp(')')) {
        const end = this.toks[this.i++].end;
        return { type: 'Tuple', items: [], start: t.start, end };
      }
      const first = this.parseExpression();
      if (this.isOp(',')) {
        const items = [first];
        while (this.skipOp(',') && !this.isOp(')')) items.push(this.parseExpression());
        const end = this.expectOp(')').end;
        return { type: 'Tuple', items, start: t.start, end };
      }
      this.expectOp(')');
      return first;
    }
    if (this.isOp('[')) {
      this.i++;
      const items: Expr[] = [];
      while (!this.isOp(']')) {
        if (items.length) this.expectOp(',');
        if (this.isOp(']')) break;
        items.push(this.parseExpression());
      }
      const end = this.expectOp(']').end;
      return { type: 'List', items, start: t.start, end };
    }
    if (this.isOp('{')) {
      this.i++;
      const pairs: { key: Expr; value: Expr }[] = [];
      while (!this.isOp('}')) {
        if (pairs.length) this.expectOp(',');
        if (this.isOp('}')) break;
        const key = this.parseExpression();
        this.expectOp(':');
        pairs.push({ key, value: this.parseExpression() });
      }
      const end = this.expectOp('}').end;
      return { type: 'Dict', pairs, start: t.start, end };
    }
    throw this.unexpected('a value');
  }

  parsePostfix(node: Expr): Expr {
    for (;;) {
      if (this.isOp('.')) {
        this.i++;
        const t = this.cur;
        if (t.t === 'name') {
          this.i++;
          node = { type: 'Getattr', node, attr: t.v, start: node.start, end: t.end };
        } else if (t.t === 'int') {
          this.i++;
          const arg: Expr = { type: 'Const', value: Number(t.value), start: t.start, end: t.end };
          node = { type: 'Getitem', node, arg, start: node.start, end: t.end };
        } else throw this.unexpected('a name after "."');
      } else if (this.isOp('[')) node = this.parseSubscript(node);
      else if (this.isOp('(')) node = this.parseCall(node);
      else return node;
    }
  }

  private parseSubscript(node: Expr): Expr {
    this.expectOp('[');
    const part = (): Expr | undefined => (this.isOp(':') || this.isOp(']') ? undefined : this.parseExpression());
    const lower = part();
    if (!this.isOp(':')) {
      if (!lower) throw this.unexpected('a subscript');
      const end = this.expectOp(']').end;
      return { type: 'Getitem', node, arg: lower, start: node.start, end };
    }
    this.i++;
    const upper = part();
    const step = this.skipOp(':') ? part() : undefined;
    const end = this.expectOp(']').end;
    return { type: 'Slice', node, lower, upper, step, start: node.start, end };
  }

  /** Arguments in parentheses: positional, then `name=value`; `*args`/`**kw` are noted as dynamic. */
  parseArgs(): { args: Expr[]; kwargs: Kwarg[]; dyn: boolean; end: number } {
    this.expectOp('(');
    const args: Expr[] = [];
    const kwargs: Kwarg[] = [];
    let dyn = false;
    while (!this.isOp(')')) {
      if (args.length || kwargs.length || dyn) this.expectOp(',');
      if (this.isOp(')')) break;
      if (this.isOp('*') || this.isOp('**')) {
        this.i++;
        dyn = true;
        this.parseExpression();
        continue;
      }
      if (this.cur.t === 'name' && this.peek().t === 'op' && this.peek().v === '=') {
        const name = this.cur.v;
        this.i += 2;
        kwargs.push({ name, value: this.parseExpression() });
        continue;
      }
      if (kwargs.length) throw new JinjaSyntaxError('a positional argument after a keyword argument', this.cur.start);
      args.push(this.parseExpression());
    }
    const end = this.expectOp(')').end;
    return { args, kwargs, dyn, end };
  }

  private parseCall(node: Expr): Expr {
    const { args, kwargs, dyn, end } = this.parseArgs();
    return { type: 'Call', node, args, kwargs, dyn, start: node.start, end };
  }

  /** A dotted name: `default`, `ansible.builtin.default`, `community.general.json_query`. */
  private dottedName(): { name: string; start: number; end: number } {
    const first = this.expectName();
    let name = first.v;
    let end = first.end;
    while (this.isOp('.') && this.peek().t === 'name') {
      this.i++;
      const t = this.expectName();
      name += '.' + t.v;
      end = t.end;
    }
    return { name, start: first.start, end };
  }

  parseFilterExpr(node: Expr): Expr {
    for (;;) {
      if (this.isOp('|')) {
        this.i++;
        const n = this.dottedName();
        let args: Expr[] = [];
        let kwargs: Kwarg[] = [];
        let end = n.end;
        if (this.isOp('(')) ({ args, kwargs, end } = this.parseArgs());
        node = { type: 'Filter', node, name: n.name, args, kwargs, nameStart: n.start, start: node.start, end };
      } else if (this.isName('is')) {
        this.i++;
        const negated = this.isName('not');
        if (negated) this.i++;
        const n = this.dottedName();
        let args: Expr[] = [];
        let kwargs: Kwarg[] = [];
        let end = n.end;
        if (this.isOp('(')) ({ args, kwargs, end } = this.parseArgs());
        else if (startsArgument(this.cur)) {
          // `x is divisibleby 3`, `x is sameas false`: one argument without parentheses
          const arg = this.parsePrimary();
          args = [this.parsePostfix(arg)];
          end = args[0].end;
        }
        node = { type: 'Test', node, name: n.name, args, kwargs, negated, start: node.start, end };
      } else if (this.isOp('(')) node = this.parseCall(node);
      else return node;
    }
  }
}

function startsArgument(t: Tok): boolean {
  if (t.t === 'string' || t.t === 'int' || t.t === 'float') return true;
  if (t.t === 'name') return !['else', 'or', 'and', 'is', 'in', 'if', 'not'].includes(t.v);
  return false;
}
