// String helpers: (upper s), (replace s "a" "b"), (regex_replace s "re" "x"), (split s ","), (quote s).
import { shellQuote } from '../../connection/quote.js';
import type { HelperFn } from '../evaluate.js';
import { asText } from '../../text.js';

function str(v: unknown, helper: string): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw new Error(
    `(${helper} ...) needs a string, got ${v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v}`,
  );
}

function regex(pattern: unknown, flags: unknown, helper: string): RegExp {
  try {
    return new RegExp(str(pattern, helper), typeof flags === 'string' ? flags : '');
  } catch (e) {
    throw new Error(`invalid regular expression ${JSON.stringify(pattern)}: ${(e as Error).message}`);
  }
}

export const stringHelpers: Record<string, HelperFn> = {
  upper: ([s]) => str(s, 'upper').toUpperCase(),
  lower: ([s]) => str(s, 'lower').toLowerCase(),
  trim: ([s]) => str(s, 'trim').trim(),
  replace: ([s, a, b]) =>
    str(s, 'replace')
      .split(str(a, 'replace'))
      .join(b === undefined ? '' : str(b, 'replace')),
  regex_replace: ([s, re, rep], h) =>
    str(s, 'regex_replace').replace(
      regex(re, h.flags ?? 'g', 'regex_replace'),
      rep === undefined ? '' : str(rep, 'regex_replace'),
    ),
  // Like Ansible's regex_search: the match (or its first group), or null when nothing matches.
  // Translated Jinja passes whole=true (the whole match even with groups) or groups= (a list of them).
  regex_search: ([s, re], h) => {
    const flags = `${typeof h.flags === 'string' ? h.flags : ''}${h.ignorecase === true ? 'i' : ''}${h.multiline === true ? 'm' : ''}`;
    const m = regex(re, flags, 'regex_search').exec(str(s, 'regex_search'));
    if (!m) return null;
    if (Array.isArray(h.groups))
      return h.groups.map((g) => (typeof g === 'number' ? m[g] : m.groups?.[String(g)]) ?? null);
    return m.length > 1 && h.whole !== true ? m[1] : m[0];
  },
  regex_match: ([s, re], h) => regex(re, h.flags, 'regex_match').test(str(s, 'regex_match')),
  // Without a separator, like Python's str.split(): runs of whitespace, no empty words ('' → []).
  split: ([s, sep]) =>
    sep === undefined
      ? str(s, 'split')
          .split(/\s+/)
          .filter((x) => x !== '')
      : str(s, 'split').split(str(sep, 'split')),
  startswith: ([s, p]) => str(s, 'startswith').startsWith(str(p, 'startswith')),
  endswith: ([s, p]) => str(s, 'endswith').endsWith(str(p, 'endswith')),
  concat: (args) => args.map((a) => (a === null || a === undefined ? '' : asText(a))).join(''),
  indent: ([s, n]) =>
    str(s, 'indent')
      .split('\n')
      .map((l, i) => (i === 0 || !l ? l : ' '.repeat(Number(n ?? 2)) + l))
      .join('\n'),
  // Shell-quote a value inside a template file or a shell: argument.
  quote: ([s]) => shellQuote(str(s, 'quote')),
  lines: ([s]) =>
    str(s, 'lines')
      .split('\n')
      .filter((l, i, all) => !(i === all.length - 1 && l === '')),
};
