// Values printed as Ansible's Python prints them, for translated Jinja (engine/jinja): str() of a
// value inside text (`True`, `['a', 1]`, `{'k': 'v'}`, `1.0`), and json.dumps as to_json and
// to_nice_json call it (`', '` and `': '` separators, non-ASCII escaped as \uXXXX).
// herdbook's own helpers (string, to_json) keep herdbook's printing; only translations call these.
import type { HelperFn } from '../evaluate.js';
import { LazyVars } from '../scope.js';
import { asText } from '../../text.js';

const plain = (v: unknown) => (v instanceof LazyVars ? v.toJSON() : v);

const TUPLE = Symbol('python tuple');

/** A list Python would hold as a tuple (zip, dict.items(), splitext): it prints as ('a', 1). */
export function tuple(items: unknown[]): unknown[] {
  Object.defineProperty(items, TUPLE, { value: true });
  return items;
}

function isTuple(v: unknown[]): boolean {
  return (v as unknown as Record<symbol, unknown>)[TUPLE] === true;
}

/** Python's repr of a float: shortest digits, exponent from 1e16 and below 1e-4, always a dot or an e. */
export function pyFloat(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  const [mant, expText] = x.toExponential().split('e');
  const exp = Number(expText);
  if (exp < -4 || exp >= 16) {
    const m = mant.includes('.') ? mant : mant;
    return `${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  const s = String(x);
  return /[.e]/.test(s) ? s : `${s}.0`;
}

const NON_PRINTABLE = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}\p{Cs}]/u;

/** Python's repr of a str: single quotes unless the text has ' and no ". */
export function pyStrRepr(s: string): string {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = q;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '\\' || ch === q) out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch !== ' ' && NON_PRINTABLE.test(ch))
      out +=
        c < 0x100
          ? '\\x' + c.toString(16).padStart(2, '0')
          : c < 0x10000
            ? '\\u' + c.toString(16).padStart(4, '0')
            : '\\U' + c.toString(16).padStart(8, '0');
    else out += ch;
  }
  return out + q;
}

function pyNumber(x: number | bigint, float: boolean): string {
  if (typeof x === 'bigint') return String(x);
  return float || !Number.isInteger(x) || Math.abs(x) >= 2 ** 63 ? pyFloat(x) : String(x);
}

/** Python's repr(): how a value prints inside a list or a mapping. */
export function pyRepr(v: unknown): string {
  v = plain(v);
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number' || typeof v === 'bigint') return pyNumber(v, false);
  if (typeof v === 'string') return pyStrRepr(v);
  if (Array.isArray(v))
    return isTuple(v) ? `(${v.map(pyRepr).join(', ')}${v.length === 1 ? ',' : ''})` : `[${v.map(pyRepr).join(', ')}]`;
  if (v instanceof Date) return pyStrRepr(v.toISOString());
  if (typeof v === 'object')
    return `{${Object.entries(v)
      .map(([k, x]) => `${pyStrRepr(k)}: ${pyRepr(x)}`)
      .join(', ')}}`;
  return pyStrRepr(asText(v));
}

/** What a {{ }} inside text prints in Ansible: str(), with None as nothing (Ansible's finalize). */
export function pyStr(v: unknown, float = false): string {
  v = plain(v);
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint') return pyNumber(v, float);
  return pyRepr(v);
}

/** json.dumps' string: ASCII only (ensure_ascii), \uXXXX for the rest, UTF-16 code units as Python writes them. */
function jsonString(s: string, ascii: boolean): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    const c = s.charCodeAt(i);
    if (ch === '"' || ch === '\\') out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (c < 0x20 || (ascii && c > 0x7e)) out += '\\u' + c.toString(16).padStart(4, '0');
    else out += ch;
  }
  return out + '"';
}

export type JsonOptions = { indent?: number; sortKeys?: boolean; ascii?: boolean; separators?: [string, string] };

/** Python's json.dumps with the options Ansible's to_json / to_nice_json pass. */
export function pyJson(v: unknown, o: JsonOptions = {}, level = 0): string {
  v = plain(v);
  const ascii = o.ascii ?? true;
  const [item, key] = o.separators ?? (o.indent === undefined ? [', ', ': '] : [',', ': ']);
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return 'NaN';
    if (!Number.isFinite(v)) return v > 0 ? 'Infinity' : '-Infinity';
    return pyNumber(v, false);
  }
  if (typeof v === 'bigint') return String(v);
  if (typeof v === 'string') return jsonString(v, ascii);
  if (v instanceof Date) return jsonString(v.toISOString(), ascii);
  const nl = o.indent === undefined ? '' : '\n' + ' '.repeat(o.indent * (level + 1));
  const close = o.indent === undefined ? '' : '\n' + ' '.repeat(o.indent * level);
  if (Array.isArray(v)) {
    if (!v.length) return '[]';
    return `[${nl}${v.map((x) => pyJson(x, o, level + 1)).join(item + nl)}${close}]`;
  }
  if (typeof v === 'object') {
    let entries = Object.entries(v);
    if (!entries.length) return '{}';
    if (o.sortKeys) entries = entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const body = entries.map(([k, x]) => jsonString(k, ascii) + key + pyJson(x, o, level + 1));
    return `{${nl}${body.join(item + nl)}${close}}`;
  }
  return jsonString(asText(v), ascii);
}

function jsonOptions(h: Record<string, unknown>): JsonOptions {
  return {
    indent: h.indent === undefined || h.indent === null ? undefined : Number(h.indent),
    sortKeys: h.sort_keys === true,
    ascii: h.ensure_ascii !== false,
  };
}

/** Python's str() itself: None is 'None' (join, ~ and %s print it so; only a whole {{ }} prints it as nothing). */
export function pyStrOf(v: unknown): string {
  return v === null || v === undefined ? 'None' : pyStr(v);
}

export const pyprintHelpers: Record<string, HelperFn> = {
  pystr: ([v], h) => pyStr(v, h.float === true),
  // Jinja's ~: each operand as str() prints it.
  pyconcat: (args) => args.map(pyStrOf).join(''),
  // Python's shlex.quote, which Ansible's quote filter calls: ' inside becomes '"'"'.
  shlex_quote: ([v]) => {
    const s = pyStrOf(v);
    if (s === '') return "''";
    if (/^[\w@%+=:,./-]+$/.test(s)) return s;
    return `'${s.replace(/'/g, `'"'"'`)}'`;
  },
  // Jinja's to_json(indent=, sort_keys=, ensure_ascii=).
  pyjson: ([v], h) => pyJson(v, jsonOptions(h)),
  // Jinja's to_nice_json(indent=4): sorted keys, ',' and ': ' separators.
  pyjson_nice: ([v], h) =>
    pyJson(v, {
      ...jsonOptions(h),
      indent: h.indent === undefined ? 4 : Number(h.indent),
      sortKeys: h.sort_keys !== false,
    }),
};
