// Playbooks carry Python regular expressions (Ansible runs `re`). Most are valid JavaScript as
// they are; this translates the Python-only spellings and refuses what cannot be translated.
import { ModuleError } from '../../engine/index-module.js';

const FLAGS: Record<string, string> = { i: 'i', m: 'm', s: 's', a: '', u: '', L: '' };

/** A Python pattern as a JavaScript RegExp: (?P<n>…), (?P=n), \A, \Z and leading inline flags; `base`: flags the caller adds (re.MULTILINE → 'm'). */
export function pyRegex(pattern: string, what: string, base = ''): RegExp {
  let src = pattern;
  let flags = base;
  const lead = /^\(\?([aiLmsux]+)\)/.exec(src);
  if (lead) {
    for (const f of lead[1]) {
      if (f === 'x') throw new ModuleError(`${what}: verbose regular expressions ((?x)) are not supported: ${pattern}`);
      if (FLAGS[f] && !flags.includes(FLAGS[f])) flags += FLAGS[f];
    }
    src = src.slice(lead[0].length);
  }
  let out = '';
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '\\' && i + 1 < src.length) {
      const n = src[i + 1];
      // \A and \Z: the very start and end of the text, whatever the m flag.
      if (n === 'A') out += '(?<![\\s\\S])';
      else if (n === 'Z') out += '(?![\\s\\S])';
      else out += c + n;
      i++;
    } else if (src.startsWith('(?P<', i)) {
      out += '(?<';
      i += 3;
    } else if (src.startsWith('(?P=', i)) {
      const end = src.indexOf(')', i);
      out += `\\k<${src.slice(i + 4, end)}>`;
      i = end;
    } else {
      out += c;
    }
  }
  try {
    return new RegExp(out, flags);
  } catch (e) {
    throw new ModuleError(`${what} is not a valid regular expression: ${pattern} (${(e as Error).message})`);
  }
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', a: '\x07', f: '\f', v: '\v' };

/** Python's match.expand(template): \1, \g<1>, \g<name>; an unmatched group is empty. */
export function expandTemplate(template: string, m: RegExpExecArray): string {
  return template.replace(
    /\\(?:g<([^>]+)>|(\d{1,2})|(.))/gs,
    (all, g: string | undefined, d: string | undefined, other: string | undefined) => {
      if (g !== undefined) {
        const v = /^\d+$/.test(g) ? m[Number(g)] : m.groups?.[g];
        if (v === undefined && !(/^\d+$/.test(g) ? Number(g) < m.length : m.groups && g in m.groups))
          throw new ModuleError(`backrefs: the regexp has no group ${g}`);
        return v ?? '';
      }
      if (d !== undefined) {
        if (Number(d) >= m.length) throw new ModuleError(`backrefs: the regexp has no group ${d}`);
        return m[Number(d)] ?? '';
      }
      return ESCAPES[other!] ?? all;
    },
  );
}
