// Ansible's and Jinja's text and number filters with their meaning, for translated Jinja where
// herdbook's helper of the same name means something else (herdbook's `int` refuses 'abc',
// Jinja's gives 0): regex_findall, regex_escape, hash, splitext, format, round, and conversions.
import { createHash } from 'node:crypto';
import type { HelperFn } from '../evaluate.js';
import { truthy } from '../truthy.js';
import { asText } from '../../text.js';
import { deepEqual } from './compare.js';
import { pyRepr, pyStr, pyStrOf, tuple } from './pyprint.js';
import { pyYaml } from './pyyaml.js';

function regexFlags(h: Record<string, unknown>, global: boolean): string {
  return (global ? 'g' : '') + (h.ignorecase === true ? 'i' : '') + (h.multiline === true ? 'm' : '');
}

/** Jinja's int(): a number's or a numeric string's integer part, `default` (0) for anything else. */
function jinjaInt(v: unknown, dflt: unknown, base: unknown): unknown {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'number') return Number.isFinite(v) ? Math.trunc(v) : dflt;
  if (typeof v === 'string') {
    const s = v.trim().replace(/_/g, '');
    const b = Number(base ?? 10);
    const re =
      b === 16
        ? /^[-+]?(0x)?[0-9a-f]+$/i
        : b === 8
          ? /^[-+]?(0o)?[0-7]+$/i
          : b === 2
            ? /^[-+]?(0b)?[01]+$/i
            : /^[-+]?\d+$/;
    if (re.test(s)) return parseInt(s.replace(/^([-+]?)0[xob]/i, '$1'), b);
    // Jinja then tries float(): '3.7' → 3.
    if (b === 10 && /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s)) return Math.trunc(Number(s));
  }
  return dflt;
}

/** Python's %-formatting for the conversions templates use: %s %r %d %i %f %x %o %e %%. */
function percentFormat(fmt: string, args: unknown[]): string {
  let i = 0;
  const next = () => {
    if (i >= args.length) throw new Error('not enough arguments for format string');
    return args[i++];
  };
  const out = fmt.replace(
    /%([-+ 0#]*)(\d+)?(?:\.(\d+))?([sdirfxXoeEgG%])/g,
    (_m, flags: string, width: string | undefined, prec: string | undefined, conv: string) => {
      if (conv === '%') return '%';
      const v = next();
      let s: string;
      if (conv === 's') s = pyStrOf(v);
      else if (conv === 'r') s = pyRepr(v);
      else if ('dif'.includes(conv) || 'eEgGxXo'.includes(conv)) {
        const n = Number(v);
        if (Number.isNaN(n)) throw new Error(`%${conv} format: a number is required`);
        if (conv === 'd' || conv === 'i') s = String(Math.trunc(n));
        else if (conv === 'f') s = n.toFixed(prec === undefined ? 6 : Number(prec));
        else if (conv === 'x') s = Math.trunc(n).toString(16);
        else if (conv === 'X') s = Math.trunc(n).toString(16).toUpperCase();
        else if (conv === 'o') s = Math.trunc(n).toString(8);
        else s = n.toExponential(prec === undefined ? 6 : Number(prec)).replace(/e([-+])(\d)$/, 'e$10$2');
        if (flags.includes('+') && n >= 0) s = '+' + s;
      } else s = String(v);
      if (conv === 's' && prec !== undefined) s = s.slice(0, Number(prec));
      const w = width === undefined ? 0 : Number(width);
      if (s.length < w)
        s = flags.includes('-')
          ? s.padEnd(w)
          : flags.includes('0') && conv !== 's'
            ? s.padStart(w, '0')
            : s.padStart(w);
      return s;
    },
  );
  if (i < args.length) throw new Error('not all arguments converted during string formatting');
  return out;
}

/** Python's round(): halves go to the even neighbour (at precision 0, where halves are exact). */
function pyRound(x: number, precision: number, method: string): number {
  const f = 10 ** precision;
  if (method === 'ceil') return Math.ceil(x * f) / f;
  if (method === 'floor') return Math.floor(x * f) / f;
  if (precision === 0) {
    const r = Math.round(x);
    return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
  }
  return Number(x.toFixed(precision));
}

/** Python's str.format for the fields templates use: {}, {0}, {name}, {0[key]}-free; {{ and }} escape a brace. */
function strFormat(fmt: string, args: unknown[], kw: Record<string, unknown>): string {
  let auto = 0;
  return fmt.replace(
    /\{\{|\}\}|\{([^{}:!]*)(?:![rs])?(?::([^{}]*))?\}/g,
    (m, name: string | undefined, spec: string | undefined) => {
      if (m === '{{') return '{';
      if (m === '}}') return '}';
      const key = name ?? '';
      const v = key === '' ? args[auto++] : /^\d+$/.test(key) ? args[Number(key)] : kw[key];
      if (v === undefined) throw new Error(`str.format: no value for {${key}}`);
      if (spec) {
        const f = /^\.(\d+)f$/.exec(spec);
        if (f) return Number(v).toFixed(Number(f[1]));
        const w = /^([<>^])?(\d+)$/.exec(spec);
        if (!w) throw new Error(`str.format: the format spec '${spec}' is not supported`);
        const t = pyStr(v);
        const n = Number(w[2]);
        return w[1] === '>' || (!w[1] && typeof v === 'number') ? t.padStart(n) : t.padEnd(n);
      }
      return pyStr(v);
    },
  );
}

export const ansibleTextHelpers: Record<string, HelperFn> = {
  str_format: ([fmt, ...args], h) => strFormat(String(fmt), args, h),
  // Python's str.strip/lstrip/rstrip with a set of characters (null: whitespace).
  py_strip: ([s, chars], h) => {
    const set = chars === null || chars === undefined ? ' \t\n\r\v\f' : asText(chars);
    let t = String(s);
    let i = 0;
    let j = t.length;
    if (h.side !== 'right') while (i < j && set.includes(t[i])) i++;
    if (h.side !== 'left') while (j > i && set.includes(t[j - 1])) j--;
    t = t.slice(i, j);
    return t;
  },
  // str.index / list.index: the first position, an error when absent.
  index_of: ([v, x]) => {
    const i =
      typeof v === 'string' ? v.indexOf(String(x)) : Array.isArray(v) ? v.findIndex((y) => deepEqual(x, y)) : -1;
    if (i < 0) throw new Error(`${JSON.stringify(x)} is not in ${typeof v === 'string' ? 'the string' : 'the list'}`);
    return i;
  },
  regex_findall: ([s, re], h) => {
    const out: unknown[] = [];
    for (const m of String(s).matchAll(new RegExp(String(re), regexFlags(h, true))))
      out.push(m.length <= 1 ? m[0] : m.length === 2 ? (m[1] ?? '') : tuple(m.slice(1).map((g) => g ?? '')));
    return out;
  },
  // Python's re.escape.
  regex_escape: ([s]) => String(s).replace(/[()[\]{}?*+\-|^$\\.&~# \t\n\r\v\f]/g, (c) => '\\' + c),
  hash: ([s, algo]) => {
    const name = asText(algo ?? 'sha1');
    if (!['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512'].includes(name))
      throw new Error(`hash: unsupported algorithm ${name}`);
    return createHash(name).update(String(s)).digest('hex');
  },
  // os.path.splitext: the extension starts at the last dot that is not the name's first character.
  splitext: ([p]) => {
    const s = String(p);
    const slash = s.lastIndexOf('/');
    const dot = s.lastIndexOf('.');
    let start = slash + 1;
    while (s[start] === '.') start++;
    return tuple(dot > slash && dot >= start ? [s.slice(0, dot), s.slice(dot)] : [s, '']);
  },
  format: ([fmt, ...args]) => percentFormat(String(fmt), args),
  round: ([x, precision, method]) => pyRound(Number(x), Number(precision ?? 0), asText(method ?? 'common')),
  to_int: ([v, dflt, base]) => jinjaInt(v, dflt ?? 0, base),
  to_float: ([v, dflt]) => {
    if (typeof v === 'number') return v;
    if (typeof v === 'boolean') return v ? 1 : 0;
    const n = typeof v === 'string' && v.trim() !== '' ? Number(v.trim().replace(/_/g, '')) : NaN;
    return Number.isNaN(n) ? (dflt ?? 0) : n;
  },
  // Ansible's bool filter: true only for yes, on, 1, true (any case) and True; anything else is false.
  to_bool: ([v]) => {
    if (typeof v === 'boolean') return v;
    if (v === null || v === undefined) return false;
    const s = typeof v === 'string' ? v.toLowerCase() : v;
    return ['yes', 'on', '1', 'true', 1].includes(s as string | number);
  },
  // Jinja's join: each item as str() prints it.
  join_str: ([v, sep], h) =>
    (Array.isArray(v) ? v : [...String(v)])
      .map((x) => pyStrOf(h.attribute === undefined ? x : (x as Record<string, unknown>)?.[asText(h.attribute)]))
      .join(sep === undefined ? '' : asText(sep)),
  // to_yaml (flow where it fits) and to_nice_yaml (nice=true: block, indent 4), as PyYAML lays them out.
  pyyaml: ([v], h) =>
    pyYaml(v, {
      indent: h.indent === undefined ? (h.nice === true ? 4 : 2) : Number(h.indent),
      flow: h.nice === true ? false : null,
    }),
  // Ansible's ternary(true_val, false_val, none_val).
  ternary3: ([c, a, b, n]) => ((c === null || c === undefined) && n !== null ? n : truthy(c) ? a : b),
};
