// Jinja's lexer in two steps, as pallets/jinja decides whitespace in its lexer: the template is
// cut into data, `{{ }}`, `{% %}` and `{# #}` pieces with whitespace control (`-`, `+`,
// trim_blocks, lstrip_blocks) already applied to the data, and an expression is cut into tokens.
// Offsets are kept into the whole template text so every node can be located.

export type TemplateOptions = {
  /** Remove the first newline after a block or comment tag. Ansible turns it on. */
  trimBlocks: boolean;
  /** Strip spaces and tabs before a block tag at the start of a line. Ansible leaves it off. */
  lstripBlocks: boolean;
  /**
   * Ansible's escape_backslashes (on for variables, off in the template module): it doubles the
   * backslashes of string literals inside {{ }} before Jinja reads them, so there a string means
   * exactly the characters between its quotes ('\\d' stays two characters); in {% %} Python's
   * escapes still apply.
   */
  escapeBackslashes: boolean;
  /** Jinja's keep_trailing_newline: off in Ansible, so the source's last newline is dropped (and re-added, see translate.ts). */
  keepTrailingNewline?: boolean;
  /** A whole file (the template module): even a lone {{ x }} prints as text, not a typed value. */
  file?: boolean;
};

/** What Ansible's Templar uses for variables and the `template` module by default. */
export const ANSIBLE_OPTIONS: TemplateOptions = { trimBlocks: true, lstripBlocks: false, escapeBackslashes: true };

/** `inner` is the expression or statement text between the delimiters (and their - or +). */
type TagPiece = { start: number; end: number; innerStart: number; innerEnd: number };
export type BlockPiece = TagPiece & { kind: 'block' };
export type Piece =
  { kind: 'data'; value: string; start: number; end: number } | (TagPiece & { kind: 'var' }) | BlockPiece;

export class JinjaSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
    readonly hint?: string,
  ) {
    super(message);
  }
}

/** Where the tag that starts at `open` ends (the index after its closing delimiter); strings skipped. */
function tagEnd(text: string, open: number, close: string): number {
  let quote = '';
  for (let i = open + 2; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (text.startsWith(close, i)) return i + 2;
  }
  throw new JinjaSyntaxError(`'${text.slice(open, open + 2)}' is never closed`, open, `add '${close}'`);
}

/** Cut a template into pieces; data pieces hold the exact text Jinja renders for them. */
export function splitTemplate(text: string, opts: TemplateOptions = ANSIBLE_OPTIONS): Piece[] {
  type Raw = { kind: Piece['kind'] | 'comment'; start: number; end: number; lstrip: string; rstrip: string };
  const raws: Raw[] = [];
  let i = 0;
  let dataStart = 0;
  const pushData = (end: number) => {
    if (end > dataStart) raws.push({ kind: 'data', start: dataStart, end, lstrip: '', rstrip: '' });
  };
  while (i < text.length) {
    const open = text.indexOf('{', i);
    if (open < 0 || open + 1 >= text.length) break;
    const next = text[open + 1];
    if (next !== '{' && next !== '%' && next !== '#') {
      i = open + 1;
      continue;
    }
    pushData(open);
    let end: number;
    if (next === '#') {
      end = text.indexOf('#}', open + 2);
      if (end < 0) throw new JinjaSyntaxError("a comment '{#' is never closed", open, "add '#}'");
      end += 2;
    } else end = tagEnd(text, open, next === '{' ? '}}' : '%}');
    const kind = next === '{' ? 'var' : next === '%' ? 'block' : 'comment';
    const lstrip = text[open + 2] === '-' || text[open + 2] === '+' ? text[open + 2] : '';
    const rstrip = text[end - 3] === '-' || text[end - 3] === '+' ? text[end - 3] : '';
    // `{% raw %}`: everything up to `{% endraw %}` is data.
    if (kind === 'block' && /^[-+]?\s*raw\s*[-+]?$/.test(text.slice(open + 2, end - 2))) {
      const close = /\{%([-+]?)\s*endraw\s*([-+]?)%\}/g;
      close.lastIndex = end;
      const m = close.exec(text);
      if (!m) throw new JinjaSyntaxError("'{% raw %}' is never closed", open, "add '{% endraw %}'");
      raws.push({ kind: 'comment', start: open, end, lstrip, rstrip: '' });
      raws.push({ kind: 'data', start: end, end: m.index, lstrip: '', rstrip: '' });
      if (rstrip === '-') raws[raws.length - 1].lstrip = 'strip-start';
      raws.push({ kind: 'comment', start: m.index, end: m.index + m[0].length, lstrip: m[1], rstrip: m[2] });
      i = dataStart = m.index + m[0].length;
      continue;
    }
    raws.push({ kind, start: open, end, lstrip, rstrip });
    i = dataStart = end;
  }
  dataStart = Math.max(dataStart, 0);
  pushData(text.length);
  return applyWhitespace(text, raws, opts);
}

function applyWhitespace(
  text: string,
  raws: { kind: Piece['kind'] | 'comment'; start: number; end: number; lstrip: string; rstrip: string }[],
  opts: TemplateOptions,
): Piece[] {
  const out: Piece[] = [];
  raws.forEach((r, k) => {
    if (r.kind !== 'data') {
      if (r.kind === 'comment') return;
      const delim = 2 + (r.lstrip ? 1 : 0);
      out.push({
        kind: r.kind,
        start: r.start,
        end: r.end,
        innerStart: r.start + delim,
        innerEnd: r.end - 2 - (r.rstrip ? 1 : 0),
      });
      return;
    }
    let value = text.slice(r.start, r.end);
    const prev = raws[k - 1];
    const next = raws[k + 1];
    const isTag = (x: typeof prev) => x && x.kind !== 'data' && x.kind !== 'var';
    if (r.lstrip === 'strip-start' || prev?.rstrip === '-') value = value.replace(/^\s+/, '');
    else if (opts.trimBlocks && isTag(prev) && prev.rstrip !== '+') value = value.replace(/^\r?\n/, '');
    if (next?.lstrip === '-') value = value.replace(/\s+$/, '');
    else if (opts.lstripBlocks && isTag(next) && next.lstrip !== '+') value = value.replace(/(^|\n)[ \t]+$/, '$1');
    if (value) out.push({ kind: 'data', value, start: r.start, end: r.end });
  });
  return out;
}

export type Tok = {
  t: 'name' | 'string' | 'int' | 'float' | 'op' | 'eof';
  v: string;
  value?: string | number;
  start: number;
  end: number;
};

const OPERATORS = ['//', '**', '==', '!=', '<=', '>=', ...'+-*/%~<>=()[]{},.:|'];

/** The tokens of one expression or statement: text[start, end). */
/** `raw`: string literals keep their backslashes (Ansible's escape_backslashes, inside {{ }}). */
export function tokenize(text: string, start: number, end: number, raw = false): Tok[] {
  const out: Tok[] = [];
  let i = start;
  while (i < end) {
    const c = text[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '"' || c === "'") {
      const [value, after] = readString(text, i, end, raw);
      out.push({ t: 'string', v: text.slice(i, after), value, start: i, end: after });
      i = after;
      continue;
    }
    const num = /^(\d[\d_]*)(\.\d[\d_]*)?([eE][+-]?\d+)?/.exec(text.slice(i, end));
    if (num && !(num[2] === undefined && /^[A-Za-z_]/.test(text.slice(i + num[0].length, end)))) {
      const float = num[2] !== undefined || num[3] !== undefined;
      const value = Number(num[0].replace(/_/g, ''));
      out.push({ t: float ? 'float' : 'int', v: num[0], value, start: i, end: i + num[0].length });
      i += num[0].length;
      continue;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i, end));
    if (name) {
      out.push({ t: 'name', v: name[0], start: i, end: i + name[0].length });
      i += name[0].length;
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (!op) throw new JinjaSyntaxError(`unexpected character '${c}'`, i);
    out.push({ t: 'op', v: op, start: i, end: i + op.length });
    i += op.length;
  }
  out.push({ t: 'eof', v: '', start: end, end });
  return out;
}

const ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  v: '\v',
  '\n': '',
};

/** A Python string literal at text[i]: its value and the index after it. */
function readString(text: string, i: number, end: number, raw: boolean): [string, number] {
  const q = text[i];
  let out = '';
  for (let k = i + 1; k < end; k++) {
    const c = text[k];
    if (c === q) return [out, k + 1];
    if (raw && c === '\\' && text[k + 1] === q)
      // Ansible doubles the backslash, and Jinja then reads the quote as the string's end.
      throw new JinjaSyntaxError(
        'a quote escaped with a backslash inside {{ }} does not work in Ansible',
        k,
        `use the other quote: "it's"`,
      );
    if (raw) {
      out += c;
      continue;
    }
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = text[k + 1];
    const octal = /^[0-7]{1,3}/.exec(text.slice(k + 1, Math.min(k + 4, end)));
    const hex = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
    if (octal) {
      // Jinja decodes strings with Python's unicode-escape: '\1' is chr(1), write '\\1' for \1.
      out += String.fromCharCode(parseInt(octal[0], 8));
      k += octal[0].length;
    } else if (hex && /^[0-9a-fA-F]+$/.test(text.slice(k + 2, k + 2 + hex)) && k + 2 + hex <= end) {
      out += String.fromCodePoint(parseInt(text.slice(k + 2, k + 2 + hex), 16));
      k += 1 + hex;
    } else if (e !== undefined && e in ESCAPES) {
      out += ESCAPES[e];
      k++;
    } else out += c; // Python keeps an unknown escape as written
  }
  throw new JinjaSyntaxError(`a string opened with ${q} is never closed`, i, `add the closing ${q}`);
}

/** 1-based line and column of an offset. */
export function lineCol(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let lineStart = 0;
  for (let k = 0; k < offset && k < text.length; k++) {
    if (text[k] === '\n') {
      line++;
      lineStart = k + 1;
    }
  }
  return { line, col: offset - lineStart + 1 };
}
