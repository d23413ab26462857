// labels.Parse (k8s.io/apimachinery/pkg/labels/selector.go): the recursive-descent parser
// over label-lexer's tokens, NewRequirement's checks, and their error texts, e.g.
// "found '==', expected: !, identifier, or 'end of string'" (transcript 14).
import { isQualifiedName, isValidLabelValue } from '../objects/names.js';
import { lex, type Scanned, type Token } from './label-lexer.js';

/** One term of a selector, as the parser produces it and label-selector.ts matches it. */
export type Requirement =
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'gt' | 'lt'; values: string[] }
  | { key: string; op: 'exists' | '!exists' };

export class SelectorError extends Error {}

type Operator = 'in' | 'notin' | '=' | '==' | '!=' | 'gt' | 'lt' | 'exists' | '!exists';

const BINARY = 'in, notin, =, ==, !=, gt, lt';
const OPERATOR: Partial<Record<Token, Operator>> = {
  in: 'in',
  '=': '=',
  '==': '==',
  '>': 'gt',
  '<': 'lt',
  notin: 'notin',
  '!=': '!=',
};

/** field.Error's text for a value of the selector; the parser's own path is nil, which Go prints "<nil>". */
const invalid = (path: string, value: string, detail: string) =>
  `${path}: Invalid value: ${JSON.stringify(value)}: ${detail}`;

export class Parser {
  private readonly items: Scanned[];
  private pos = 0;

  constructor(text: string) {
    this.items = lex(text);
  }

  // In a values context the keywords in/notin are plain identifiers.
  private look(values = true): Scanned {
    const s = this.items[Math.min(this.pos, this.items.length - 1)];
    return values && (s.tok === 'in' || s.tok === 'notin') ? { tok: 'identifier', lit: s.lit } : s;
  }

  private take(values = true): Scanned {
    const s = this.look(values);
    this.pos++;
    return s;
  }

  parse(): Requirement[] {
    const out: Requirement[] = [];
    for (;;) {
      const { tok, lit } = this.look();
      if (tok === 'end') return out;
      if (tok !== 'identifier' && tok !== '!')
        throw new SelectorError(`found '${lit}', expected: !, identifier, or 'end of string'`);
      try {
        out.push(this.requirement());
      } catch (e) {
        if (e instanceof SelectorError) throw new SelectorError(`unable to parse requirement: ${e.message}`);
        throw e;
      }
      const next = this.take();
      if (next.tok === 'end') return out;
      if (next.tok !== ',') throw new SelectorError(`found '${next.lit}', expected: ',' or 'end of string'`);
      const after = this.look();
      if (after.tok !== 'identifier' && after.tok !== '!')
        throw new SelectorError(`found '${after.lit}', expected: identifier after ','`);
    }
  }

  private requirement(): Requirement {
    let op: Operator | undefined;
    let t = this.take();
    if (t.tok === '!') {
      op = '!exists';
      t = this.take();
    }
    if (t.tok !== 'identifier') throw new SelectorError(`found '${t.lit}', expected: identifier`);
    const key = t.lit;
    const keyErrs = isQualifiedName(key);
    if (keyErrs.length) throw new SelectorError(invalid('<nil>', key, keyErrs.join('; ')));
    const ahead = this.look().tok;
    if (op === '!exists' || ahead === 'end' || ahead === ',')
      return { key, op: op === '!exists' ? '!exists' : 'exists' };
    const o = this.take(false);
    const binary = OPERATOR[o.tok];
    if (!binary) throw new SelectorError(`found '${o.lit}', expected: ${BINARY}`);
    const values = binary === 'in' || binary === 'notin' ? this.valueSet() : this.exactValue();
    return requirement(key, binary, [...new Set(values)].sort());
  }

  private valueSet(): string[] {
    const open = this.take();
    if (open.tok !== '(') throw new SelectorError(`found '${open.lit}' expected: '('`);
    const first = this.look();
    if (first.tok === ')') return (this.take(), ['']);
    if (first.tok !== 'identifier' && first.tok !== ',')
      throw new SelectorError(`found '${first.lit}', expected: ',', ')' or identifier`);
    const values = this.identifiers();
    if (this.take().tok !== ')') throw new SelectorError(`found '${first.lit}', expected: ')'`);
    return values;
  }

  private identifiers(): string[] {
    const s: string[] = [];
    for (;;) {
      const t = this.take();
      if (t.tok === 'identifier') {
        s.push(t.lit);
        const next = this.look();
        if (next.tok === ',') continue;
        if (next.tok === ')') return s;
        throw new SelectorError(`found '${next.lit}', expected: ',' or ')'`);
      }
      if (t.tok !== ',') throw new SelectorError(`found '${t.lit}', expected: ',', or identifier`);
      if (s.length === 0) s.push('');
      const next = this.look();
      if (next.tok === ')') return [...s, ''];
      if (next.tok === ',') {
        this.take();
        s.push('');
      }
    }
  }

  private exactValue(): string[] {
    const ahead = this.look();
    if (ahead.tok === 'end' || ahead.tok === ',') return [''];
    const t = this.take();
    if (t.tok === 'identifier') return [t.lit];
    throw new SelectorError(`found '${t.lit}', expected: identifier`);
  }
}

/** NewRequirement: the operator's arity and the values' validity, as one aggregate. */
function requirement(key: string, op: Operator, values: string[]): Requirement {
  const errs: string[] = [];
  if ((op === 'gt' || op === 'lt') && values.some((v) => !/^[+-]?\d+$/.test(v))) {
    values.forEach(
      (v, i) =>
        /^[+-]?\d+$/.test(v) ||
        errs.push(invalid(`values[${i}]`, v, "for 'Gt', 'Lt' operators, the value must be an integer")),
    );
  }
  values.forEach((v, i) => {
    const e = isValidLabelValue(v);
    if (e.length) errs.push(invalid(`values[${i}][${key}]`, v, e.join('; ')));
  });
  if (errs.length) throw new SelectorError(errs.length === 1 ? errs[0] : `[${errs.join(', ')}]`);
  if (op === 'gt' || op === 'lt') return { key, op, values };
  return { key, op: op === 'notin' || op === '!=' ? 'notin' : 'in', values };
}
