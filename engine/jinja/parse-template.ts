// Templates: the pieces from the lexer into statements (`if`/`elif`/`else`, `for` with `else`
// and a filter, `set` and block `set`, `macro`, `call`); statements the tree does not model
// (include, with, ...) are kept as located `Unsupported` nodes so the printer can say so.
import { ExprParser } from './parse-expr.js';
import {
  ANSIBLE_OPTIONS,
  JinjaSyntaxError,
  splitTemplate,
  tokenize,
  type BlockPiece,
  type Piece,
  type TemplateOptions,
} from './lexer.js';
import type { Expr, MacroParam, Stmt, Template } from './nodes.js';

/** Statements with a body that ends in `end<keyword>`. */
const BLOCK_KEYWORDS = new Set(['filter', 'block', 'with', 'autoescape', 'trans']);
const SINGLE_KEYWORDS = new Set(['include', 'import', 'from', 'extends', 'do', 'break', 'continue', 'print']);

/** One expression on its own (a condition, the inside of `{{ }}`), offsets from `base`. */
export function parseExpression(text: string, opts: TemplateOptions = ANSIBLE_OPTIONS): Expr {
  const p = new ExprParser(tokenize(text, 0, text.length, opts.escapeBackslashes));
  const e = p.parseExpression();
  if (!p.atEnd()) throw p.unexpected('the end of the expression');
  return e;
}

export function parseTemplate(text: string, opts: TemplateOptions = ANSIBLE_OPTIONS): Template {
  const pieces = splitTemplate(text, opts);
  const state = { k: 0 };
  const { body, end } = parseBody(text, pieces, state, opts, []);
  if (end) throw new JinjaSyntaxError(`unexpected '{% ${end.keyword} %}'`, end.piece.start);
  return { body, text };
}

type Tag = { keyword: string; parser: ExprParser; piece: BlockPiece };

function tagOf(text: string, piece: BlockPiece): Tag {
  const parser = new ExprParser(tokenize(text, piece.innerStart, piece.innerEnd));
  const kw = parser.expectName();
  return { keyword: kw.v, parser, piece };
}

function parseBody(
  text: string,
  pieces: Piece[],
  state: { k: number },
  opts: TemplateOptions,
  ends: string[],
): { body: Stmt[]; end?: Tag } {
  const body: Stmt[] = [];
  while (state.k < pieces.length) {
    const piece = pieces[state.k++];
    if (piece.kind === 'data') {
      body.push({ type: 'Text', value: piece.value, start: piece.start, end: piece.end });
      continue;
    }
    if (piece.kind === 'var') {
      const p = new ExprParser(tokenize(text, piece.innerStart, piece.innerEnd, opts.escapeBackslashes));
      const expr = p.parseExpression();
      if (!p.atEnd()) throw p.unexpected("'}}'");
      body.push({ type: 'Output', expr, start: piece.start, end: piece.end });
      continue;
    }
    const tag = tagOf(text, piece);
    if (ends.includes(tag.keyword)) return { body, end: tag };
    body.push(parseStatement(text, pieces, state, tag, opts));
  }
  if (ends.length) {
    const last = pieces[pieces.length - 1];
    throw new JinjaSyntaxError(
      `the template ends before '{% ${ends[ends.length - 1]} %}'`,
      last?.end ?? 0,
      `close the block with {% ${ends[ends.length - 1]} %}`,
    );
  }
  return { body };
}

function endOfTag(tag: Tag): void {
  if (!tag.parser.atEnd()) throw tag.parser.unexpected("'%}'");
}

function parseStatement(text: string, pieces: Piece[], state: { k: number }, tag: Tag, opts: TemplateOptions): Stmt {
  const { parser, piece } = tag;
  switch (tag.keyword) {
    case 'if': {
      const branches: { test: Expr; body: Stmt[] }[] = [];
      let test = parser.parseExpression();
      endOfTag(tag);
      for (;;) {
        const r = parseBody(text, pieces, state, opts, ['elif', 'else', 'endif']);
        branches.push({ test, body: r.body });
        const end = r.end!;
        if (end.keyword === 'elif') {
          test = end.parser.parseExpression();
          endOfTag(end);
          continue;
        }
        if (end.keyword === 'else') {
          endOfTag(end);
          const rest = parseBody(text, pieces, state, opts, ['endif']);
          return { type: 'If', branches, otherwise: rest.body, start: piece.start, end: rest.end!.piece.end };
        }
        return { type: 'If', branches, start: piece.start, end: end.piece.end };
      }
    }
    case 'for': {
      const targets = [parser.expectName().v];
      while (parser.skipOp(',')) targets.push(parser.expectName().v);
      if (!parser.isName('in')) throw parser.unexpected("'in'");
      parser.i++;
      const iter = parser.parseExpression(false);
      let filter: Expr | undefined;
      if (parser.isName('if')) {
        parser.i++;
        filter = parser.parseExpression();
      }
      const recursive = parser.isName('recursive');
      if (recursive) parser.i++;
      endOfTag(tag);
      const r = parseBody(text, pieces, state, opts, ['else', 'endfor']);
      if (r.end!.keyword === 'else') {
        endOfTag(r.end!);
        const rest = parseBody(text, pieces, state, opts, ['endfor']);
        return {
          type: 'For',
          targets,
          iter,
          filter,
          body: r.body,
          otherwise: rest.body,
          recursive,
          start: piece.start,
          end: rest.end!.piece.end,
        };
      }
      return { type: 'For', targets, iter, filter, body: r.body, recursive, start: piece.start, end: r.end!.piece.end };
    }
    case 'set': {
      const targets = [parser.expectName().v];
      while (parser.skipOp(',')) targets.push(parser.expectName().v);
      if (parser.skipOp('=')) {
        const value = parser.parseExpression();
        endOfTag(tag);
        return { type: 'Set', targets, value, start: piece.start, end: piece.end };
      }
      endOfTag(tag);
      const r = parseBody(text, pieces, state, opts, ['endset']);
      return { type: 'SetBlock', target: targets[0], body: r.body, start: piece.start, end: r.end!.piece.end };
    }
    case 'macro': {
      const name = parser.expectName().v;
      const params = parseSignature(parser);
      endOfTag(tag);
      const r = parseBody(text, pieces, state, opts, ['endmacro']);
      const at = { start: piece.start, end: piece.end };
      return { type: 'Macro', name, params, body: r.body, tag: at, start: piece.start, end: r.end!.piece.end };
    }
    case 'call': {
      const params = parser.isOp('(') ? parseSignature(parser) : [];
      const call = parser.parseExpression();
      if (call.type !== 'Call') throw new JinjaSyntaxError('{% call %} takes a call: {% call m(x) %}', call.start);
      endOfTag(tag);
      const r = parseBody(text, pieces, state, opts, ['endcall']);
      const at = { start: piece.start, end: piece.end };
      return { type: 'CallBlock', call, params, body: r.body, tag: at, start: piece.start, end: r.end!.piece.end };
    }
    default: {
      if (BLOCK_KEYWORDS.has(tag.keyword)) {
        const r = parseBody(text, pieces, state, opts, [`end${tag.keyword}`]);
        return { type: 'Unsupported', keyword: tag.keyword, start: piece.start, end: r.end!.piece.end };
      }
      if (SINGLE_KEYWORDS.has(tag.keyword))
        return { type: 'Unsupported', keyword: tag.keyword, start: piece.start, end: piece.end };
      if (/^(end\w+|elif|else)$/.test(tag.keyword))
        throw new JinjaSyntaxError(`unexpected '{% ${tag.keyword} %}': no open block here`, piece.start);
      throw new JinjaSyntaxError(`unknown statement '{% ${tag.keyword} %}'`, piece.start);
    }
  }
}

/** `(a, b=default)`, as Jinja's parse_signature reads it: no default may be followed by none. */
function parseSignature(parser: ExprParser): MacroParam[] {
  const params: MacroParam[] = [];
  parser.expectOp('(');
  while (!parser.isOp(')')) {
    if (params.length) parser.expectOp(',');
    const t = parser.expectName();
    const param: MacroParam = { name: t.v, start: t.start, end: t.end };
    if (parser.skipOp('=')) param.default = parser.parseExpression();
    else if (params.some((p) => p.default))
      throw new JinjaSyntaxError('non-default argument follows default argument', t.start);
    params.push(param);
  }
  parser.expectOp(')');
  return params;
}
