// yaml.dump as Ansible's to_yaml (default_flow_style=None: a collection of scalars in flow style)
// and to_nice_yaml (indent=4, block style) call it: PyYAML's layout (sorted keys, indentless
// sequences under a key, `-   k: v` items), its choice of plain, single- or double-quoted
// scalars (a string that would read as a number, boolean or null is quoted) and its folding of
// long scalars past 80 columns. Only what JSON-like data needs: no tags, anchors or block scalars.
import { LazyVars } from '../scope.js';
import { pyFloat } from './pyprint.js';
import { asText } from '../../text.js';

export type YamlOptions = { indent: number; flow: boolean | null; width?: number };

const RESOLVES = [
  /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/,
  /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/,
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/,
  /^(?:~|null|Null|NULL|)$/,
  /^(?:[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)$/,
  /^(?:<<|=)$/,
];

type Analysis = { multiline: boolean; flowPlain: boolean; blockPlain: boolean; single: boolean };

/** PyYAML's Emitter.analyze_scalar, with allow_unicode on. */
function analyze(s: string): Analysis {
  if (!s) return { multiline: false, flowPlain: false, blockPlain: true, single: true };
  let flowInd = false;
  let blockInd = false;
  let lineBreaks = false;
  let special = false;
  let [leadingSpace, leadingBreak, trailingSpace, trailingBreak, breakSpace, spaceBreak] =
    Array<boolean>(6).fill(false);
  if (s.startsWith('---') || s.startsWith('...')) blockInd = flowInd = true;
  let precededByWs = true;
  let prevSpace = false;
  let prevBreak = false;
  const chars = [...s];
  chars.forEach((ch, i) => {
    const next = chars[i + 1];
    const followedByWs = next === undefined || ' \t\r\n\x85\u2028\u2029'.includes(next);
    if (i === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(ch)) flowInd = blockInd = true;
      if ('?:'.includes(ch)) {
        flowInd = true;
        if (followedByWs) blockInd = true;
      }
      if (ch === '-' && followedByWs) flowInd = blockInd = true;
    } else {
      if (',?[]{}'.includes(ch)) flowInd = true;
      if (ch === ':') {
        flowInd = true;
        if (followedByWs) blockInd = true;
      }
      if (ch === '#' && precededByWs) flowInd = blockInd = true;
    }
    const isBreak = '\n\x85\u2028\u2029'.includes(ch);
    if (isBreak) lineBreaks = true;
    const c = ch.codePointAt(0)!;
    if (!(ch === '\n' || (c >= 0x20 && c <= 0x7e))) {
      const unicode =
        (c === 0x85 || (c >= 0xa0 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) || c >= 0x10000) && c !== 0xfeff;
      if (!unicode) special = true;
    }
    if (ch === ' ') {
      if (i === 0) leadingSpace = true;
      if (i === chars.length - 1) trailingSpace = true;
      if (prevBreak) breakSpace = true;
      prevSpace = true;
      prevBreak = false;
    } else if (isBreak) {
      if (i === 0) leadingBreak = true;
      if (i === chars.length - 1) trailingBreak = true;
      if (prevSpace) spaceBreak = true;
      prevBreak = true;
      prevSpace = false;
    } else prevSpace = prevBreak = false;
    precededByWs = ' \t\r\n\x85\u2028\u2029'.includes(ch);
  });
  let flowPlain = true;
  let blockPlain = true;
  let single = true;
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) flowPlain = blockPlain = false;
  if (breakSpace) flowPlain = blockPlain = single = false;
  if (spaceBreak || special) flowPlain = blockPlain = single = false;
  if (lineBreaks) flowPlain = blockPlain = false;
  if (flowInd) flowPlain = false;
  if (blockInd) blockPlain = false;
  return { multiline: lineBreaks, flowPlain, blockPlain, single };
}

const ESCAPES: Record<string, string> = {
  '\0': '0',
  '\x07': 'a',
  '\b': 'b',
  '\t': 't',
  '\n': 'n',
  '\v': 'v',
  '\f': 'f',
  '\r': 'r',
  '\x1b': 'e',
  '"': '"',
  '\\': '\\',
  '\x85': 'N',
  '\xa0': '_',
  '\u2028': 'L',
  '\u2029': 'P',
};

class Emitter {
  out = '';
  column = 0;
  constructor(readonly o: Required<YamlOptions>) {}

  write(s: string): void {
    this.out += s;
    const nl = s.lastIndexOf('\n');
    this.column = nl < 0 ? this.column + [...s].length : [...s.slice(nl + 1)].length;
  }
  newline(indent: number): void {
    this.write('\n' + ' '.repeat(indent));
  }

  /** A scalar; `indent` is where folded lines continue, `key` a mapping key (never folded). */
  scalar(v: unknown, indent: number, flow: boolean, key = false): void {
    if (v === null || v === undefined) return this.write('null');
    if (typeof v === 'boolean') return this.write(v ? 'true' : 'false');
    if (typeof v === 'number')
      return this.write(
        Number.isInteger(v) && Math.abs(v) < 2 ** 63
          ? String(v)
          : Number.isNaN(v)
            ? '.nan'
            : !Number.isFinite(v)
              ? v > 0
                ? '.inf'
                : '-.inf'
              : pyFloat(v),
      );
    if (typeof v === 'bigint') return this.write(String(v));
    const s = v instanceof Date ? v.toISOString() : asText(v);
    const a = analyze(s);
    const implicit = !RESOLVES.some((re) => re.test(s));
    if (implicit && !(key && (s === '' || a.multiline)) && (flow ? a.flowPlain : a.blockPlain))
      return this.folded(s, indent, !key, false);
    if (a.single && !(key && a.multiline)) return this.folded(s, indent, !key, true);
    this.write(
      '"' +
        [...s]
          .map((ch) => {
            const c = ch.codePointAt(0)!;
            if (ESCAPES[ch]) return '\\' + ESCAPES[ch];
            if (c < 0x20 || (c >= 0x7f && c < 0xa0) || c === 0xfeff || (c >= 0xd800 && c < 0xe000))
              return c < 0x100
                ? '\\x' + c.toString(16).padStart(2, '0').toUpperCase()
                : '\\u' + c.toString(16).padStart(4, '0').toUpperCase();
            return ch;
          })
          .join('') +
        '"',
    );
  }

  /** write_plain / write_single_quoted: a lone space past the width becomes a line break. */
  folded(s: string, indent: number, split: boolean, quoted: boolean): void {
    if (quoted) this.write("'");
    const chars = [...s];
    let start = 0;
    let spaces = false;
    let breaks = false;
    for (let end = 0; end <= chars.length; end++) {
      const ch = end < chars.length ? chars[end] : undefined;
      if (spaces) {
        if (ch !== ' ') {
          const foldable = !quoted || (start !== 0 && end !== chars.length);
          if (start + 1 === end && this.column > this.o.width && split && foldable) this.newline(indent);
          else this.write(chars.slice(start, end).join(''));
          start = end;
        }
      } else if (breaks) {
        if (ch === undefined || ch !== '\n') {
          if (chars[start] === '\n') this.write('\n');
          this.write(chars.slice(start, end).join('') + ' '.repeat(indent));
          start = end;
        }
      } else if (ch === undefined || ch === ' ' || ch === '\n' || (quoted && ch === "'")) {
        if (start < end) this.write(chars.slice(start, end).join(''));
        if (ch === "'") {
          this.write("''");
          start = end + 1;
        } else start = end;
      }
      if (ch !== undefined) {
        spaces = ch === ' ';
        breaks = ch === '\n';
      }
    }
    if (quoted) this.write("'");
  }

  isCollection(v: unknown): boolean {
    return v !== null && typeof v === 'object' && !(v instanceof Date);
  }
  entries(v: object): [string, unknown][] {
    const o = v instanceof LazyVars ? v.toJSON() : (v as Record<string, unknown>);
    return Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }
  /** default_flow_style=None: flow when every item is a scalar. */
  flowStyle(v: object): boolean {
    if (this.o.flow !== null) return this.o.flow;
    const items = Array.isArray(v) ? v : this.entries(v).map(([, x]) => x);
    return !items.some((x) => this.isCollection(x));
  }
  empty(v: object): boolean {
    return Array.isArray(v) ? !v.length : !this.entries(v).length;
  }

  /** A node at `indent` (the enclosing block's), in flow context or not. */
  node(v: unknown, indent: number, ctx: 'top' | 'map' | 'seq', inFlow: boolean): void {
    if (!this.isCollection(v)) {
      if (!inFlow && ctx !== 'top' && this.column > 0) this.write(' ');
      return this.scalar(v, indent + this.o.indent, inFlow);
    }
    const obj = v as object;
    if (inFlow || this.flowStyle(obj) || this.empty(obj)) {
      if (!inFlow && ctx !== 'top') this.write(' ');
      return this.flowNode(obj, indent + this.o.indent);
    }
    if (Array.isArray(obj)) {
      // Under a mapping key a sequence is not indented.
      const at = ctx === 'map' ? indent : ctx === 'top' ? 0 : indent + this.o.indent;
      obj.forEach((x, i) => {
        this.indentTo(at, ctx === 'seq' && i === 0);
        this.write('-');
        this.node(x, at, 'seq', false);
      });
      return;
    }
    const at = ctx === 'top' ? 0 : indent + this.o.indent;
    this.entries(obj).forEach(([k, x], i) => {
      this.indentTo(at, ctx === 'seq' && i === 0);
      this.scalar(k, at, false, true);
      this.write(':');
      this.node(x, at, 'map', false);
    });
  }

  /** write_indent: a new line unless the first item continues a `- ` line, then spaces to `at`. */
  indentTo(at: number, continues: boolean): void {
    if (!continues && this.out) this.write('\n');
    if (this.column < at) this.write(' '.repeat(at - this.column));
    else if (continues) this.write(' ');
  }

  flowNode(v: object, indent: number): void {
    const seq = Array.isArray(v);
    const items: [string | undefined, unknown][] = seq ? v.map((x) => [undefined, x]) : this.entries(v);
    this.write(seq ? '[' : '{');
    items.forEach(([k, x], i) => {
      if (i) this.write(',');
      if (this.column > this.o.width) this.newline(indent);
      else if (i) this.write(' ');
      if (k !== undefined) {
        this.scalar(k, indent, true, true);
        this.write(': ');
      }
      if (this.isCollection(x)) this.flowNode(x as object, indent + this.o.indent);
      else this.scalar(x, indent, true);
    });
    this.write(seq ? ']' : '}');
  }
}

export function pyYaml(v: unknown, o: YamlOptions): string {
  const e = new Emitter({ width: 80, ...o });
  e.node(v instanceof LazyVars ? v.toJSON() : v, 0, 'top', false);
  // A lone plain scalar document ends with '...', as PyYAML writes it.
  const open = !e.isCollection(v) && !e.out.startsWith("'") && !e.out.startsWith('"');
  return e.out + '\n' + (open ? '...\n' : '');
}
