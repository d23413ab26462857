// Users arrive from Ansible with Jinja habits. We do not run Jinja; we recognise it and show
// the Handlebars spelling of the same expression, translated when we can.

type Tok = { t: 'id' | 'str' | 'num' | 'op' | 'punct'; v: string };

const OPS = ['==', '!=', '>=', '<=', '>', '<', '|', '(', ')', '[', ']', ',', '~', '+', '-', '*', '/', '.'];

function tokenize(src: string): Tok[] | undefined {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '"' || c === "'") {
      const end = src.indexOf(c, i + 1);
      if (end < 0) return undefined;
      out.push({ t: 'str', v: src.slice(i + 1, end) });
      i = end + 1;
      continue;
    }
    const num = /^\d+(\.\d+)?/.exec(src.slice(i));
    if (num) {
      out.push({ t: 'num', v: num[0] });
      i += num[0].length;
      continue;
    }
    const id = /^[A-Za-z_@][\w.@-]*/.exec(src.slice(i));
    if (id) {
      out.push({ t: 'id', v: id[0].replace(/\.$/, '') });
      i += id[0].length;
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (!op) return undefined;
    out.push({ t: op.length > 1 || '<>'.includes(op) ? 'op' : 'punct', v: op });
    i += op.length;
  }
  return out;
}

const COMPARE: Record<string, string> = { '==': 'eq', '!=': 'ne', '>=': 'gte', '<=': 'lte', '>': 'gt', '<': 'lt' };
const TESTS: Record<string, string> = {
  defined: 'defined',
  undefined: 'defined',
  none: 'eq',
  string: 'is_string',
  number: 'is_number',
};

/** A tiny Pratt parser over Jinja expressions that prints Handlebars. */
class Translator {
  private i = 0;
  constructor(private toks: Tok[]) {}
  private peek(): Tok | undefined {
    return this.toks[this.i];
  }
  private next(): Tok {
    const t = this.toks[this.i++];
    if (!t) throw new Error('eof');
    return t;
  }
  private isWord(w: string): boolean {
    const t = this.peek();
    return !!t && t.t === 'id' && t.v === w;
  }
  private accept(v: string): boolean {
    const t = this.peek();
    if (t && t.v === v && t.t !== 'str') {
      this.i++;
      return true;
    }
    return false;
  }

  run(): string {
    const e = this.or();
    if (this.i < this.toks.length) throw new Error('trailing');
    return e;
  }
  private or(): string {
    let l = this.and();
    while (this.isWord('or')) {
      this.i++;
      l = `(or ${l} ${this.and()})`;
    }
    return l;
  }
  private and(): string {
    let l = this.not();
    while (this.isWord('and')) {
      this.i++;
      l = `(and ${l} ${this.not()})`;
    }
    return l;
  }
  private not(): string {
    if (this.isWord('not')) {
      this.i++;
      return `(not ${this.not()})`;
    }
    return this.compare();
  }
  private compare(): string {
    let l = this.filtered();
    for (;;) {
      const t = this.peek();
      if (t && t.t === 'op' && COMPARE[t.v]) {
        this.i++;
        l = `(${COMPARE[t.v]} ${l} ${this.filtered()})`;
        continue;
      }
      if (this.isWord('in')) {
        this.i++;
        l = `(in ${l} ${this.filtered()})`;
        continue;
      }
      if (this.isWord('not') && this.toks[this.i + 1]?.v === 'in') {
        this.i += 2;
        l = `(not (in ${l} ${this.filtered()}))`;
        continue;
      }
      if (this.isWord('is')) {
        this.i++;
        l = this.test(l);
        continue;
      }
      return l;
    }
  }
  private test(subject: string): string {
    const negate = this.isWord('not') ? (this.i++, true) : false;
    const name = this.next().v;
    let out: string;
    if (name === 'version' || name === 'version_compare') {
      const args = this.args();
      out = `(version_compare ${subject} ${args[1] ?? "'>='"} ${args[0]})`;
    } else if (name === 'none') out = `(eq ${subject} null)`;
    else if (name === 'undefined') out = `(not (defined ${subject}))`;
    else out = `(${TESTS[name] ?? name} ${subject}${this.peek()?.v === '(' ? ' ' + this.args().join(' ') : ''})`;
    return negate ? `(not ${out})` : out;
  }
  private filtered(): string {
    let v = this.primary();
    while (this.accept('|')) {
      const name = this.next().v;
      const args = this.peek()?.v === '(' ? this.args() : [];
      v = `(${name} ${[v, ...args].join(' ')})`;
    }
    return v;
  }
  private args(): string[] {
    const out: string[] = [];
    if (!this.accept('(')) return out;
    while (!this.accept(')')) {
      const save = this.i;
      const kw = this.peek();
      if (kw?.t === 'id' && this.toks[this.i + 1]?.v === '=') {
        this.i = save;
      }
      out.push(this.or());
      this.accept(',');
    }
    return out;
  }
  private primary(): string {
    const t = this.next();
    if (t.v === '(' && t.t === 'punct') {
      const e = this.or();
      this.accept(')');
      return e;
    }
    if (t.t === 'str') return `'${t.v.replace(/'/g, "\\'")}'`;
    if (t.t === 'num') return t.v;
    if (t.t !== 'id') throw new Error('primary');
    if (t.v === 'True' || t.v === 'true') return 'true';
    if (t.v === 'False' || t.v === 'false') return 'false';
    if (t.v === 'None') return 'null';
    let path = t.v;
    // x['key'] and x[0] become x.[key] / x.[0]
    for (;;) {
      if (this.accept('[')) {
        const k = this.next();
        this.accept(']');
        path += `.[${k.v}]`;
      } else if (this.peek()?.v === '.' && this.toks[this.i + 1]?.t === 'id') {
        this.i++;
        path += `.${this.next().v}`;
      } else break;
    }
    if (this.peek()?.v === '(') {
      const args = this.args();
      const dot = path.lastIndexOf('.');
      // a method call (x.split(',')) or a function (lookup('env', 'HOME'))
      return dot > 0
        ? `(${path.slice(dot + 1)} ${path.slice(0, dot)}${args.length ? ' ' + args.join(' ') : ''})`
        : `(${path}${args.length ? ' ' + args.join(' ') : ''})`;
    }
    return path;
  }
}

function stripParens(e: string): string {
  return e.startsWith('(') && e.endsWith(')') ? e.slice(1, -1) : e;
}

/** The Handlebars spelling of a Jinja expression, or undefined when we cannot tell. */
export function translateJinja(expr: string): string | undefined {
  const toks = tokenize(expr);
  if (!toks || !toks.length) return undefined;
  try {
    return stripParens(new Translator(toks).run());
  } catch {
    return undefined;
  }
}

const JINJA_SIGNS: [RegExp, string][] = [
  [/\|\s*[A-Za-z_]/, 'a Jinja filter (`x | f`)'],
  [
    /\bis\s+(not\s+)?(defined|undefined|none|version|match|search|string|number|mapping|iterable|sameas|in|truthy|falsy)\b/,
    'a Jinja test (`x is defined`)',
  ],
  [/(==|!=|>=|<=)/, 'a Jinja comparison (`a == b`)'],
  [/\S\s+(and|or)\s+\S/, 'Jinja `and`/`or` between values'],
  [/\S\s+(not\s+)?in\s+\S/, 'Jinja `in`'],
  [/[\w\]]\[\s*['"\d]/, "Jinja subscripts (`x['key']`)"],
  [
    /[A-Za-z_]\w*\.(split|strip|lower|upper|startswith|endswith|replace|get|keys|values|items)\(/,
    'a Python method call',
  ],
];

export type JinjaFinding = { what: string; suggestion?: string };

/** Recognise Jinja in the text of one expression (the inside of {{ }}, or a bare condition). */
export function detectJinja(expr: string): JinjaFinding | undefined {
  const text = expr.trim();
  if (/^\s*(if|for|set|endif|endfor)\b/.test(text)) return { what: 'a Jinja statement' };
  // Outside string literals only: a '|' or '==' inside quotes is data.
  const bare = text.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""');
  for (const [re, what] of JINJA_SIGNS) {
    if (re.test(bare)) return { what, suggestion: translateJinja(text) };
  }
  return undefined;
}
