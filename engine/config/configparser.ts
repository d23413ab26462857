// Python configparser's file syntax, as ansible.cfg is read by Ansible
// (`ConfigParser(inline_comment_prefixes=(';',))`): `[section]`, `key = value` or `key: value`
// (the first `=` or `:` splits), keys lower-cased, whole-line `#`/`;` comments, an inline comment
// only after whitespace and `;`, indented continuation lines (blank lines inside kept), `%%` for a
// literal `%` and `%(key)s` from the same section or [DEFAULT]. No npm INI parser reads this
// grammar (ini, configparser, config-ini-parser lack continuation lines, `;` inline comments or
// line numbers), so it is written here, with every entry's position for error messages.
import type { Diagnostic, SourcePos } from '../errors.js';

export type ConfigEntry = { section: string; key: string; value: string; pos: SourcePos };
export type ParsedConfig = { entries: ConfigEntry[]; diagnostics: Diagnostic[] };

const SECTION = /^\[(.+)\]/;
const OPTION = /^(.*?)\s*([=:])\s*(.*)$/;

function stripInline(line: string): string {
  const m = /\s;/.exec(line);
  return m ? line.slice(0, m.index) : line;
}

export function parseConfig(text: string, file: string): ParsedConfig {
  const diagnostics: Diagnostic[] = [];
  const entries: ConfigEntry[] = [];
  const seenSections = new Set<string>();
  let section: string | undefined;
  let current: { entry: ConfigEntry; indent: number; lines: string[] } | undefined;
  const finish = () => {
    if (!current) return;
    // Trailing blank lines of a multi-line value are not part of it.
    while (current.lines.length > 1 && current.lines[current.lines.length - 1] === '') current.lines.pop();
    current.entry.value = current.lines.join('\n');
    current = undefined;
  };
  const lines = text.split(/\r\n|\n|\r/);
  lines.forEach((raw, i) => {
    const pos = (col: number): SourcePos => ({ file, line: i + 1, col });
    const trimmedStart = raw.trimStart();
    if (trimmedStart.startsWith('#') || trimmedStart.startsWith(';')) return;
    const value = stripInline(raw).trim();
    const indent = raw.length - trimmedStart.length;
    if (!value) {
      // A blank line inside a value is kept; one after it is dropped by finish().
      if (current) current.lines.push('');
      return;
    }
    if (current && indent > current.indent) {
      current.lines.push(value);
      return;
    }
    finish();
    const header = SECTION.exec(value);
    if (header) {
      section = header[1];
      if (seenSections.has(section))
        diagnostics.push({
          severity: 'error',
          message: `section [${section}] appears twice`,
          pos: pos(indent + 1),
          hint: 'merge the two sections into one (Python configparser, and so Ansible, refuses this file)',
        });
      seenSections.add(section);
      return;
    }
    if (section === undefined) {
      diagnostics.push({
        severity: 'error',
        message: `'${value}' comes before any [section]`,
        pos: pos(indent + 1),
        hint: 'put it under a section such as [defaults]',
      });
      return;
    }
    const option = OPTION.exec(value);
    if (!option || !option[1]) {
      diagnostics.push({
        severity: 'error',
        message: `'${value}' is not 'key = value'`,
        pos: pos(indent + 1),
        hint: 'write key = value (or key: value); a continuation line must be indented',
      });
      return;
    }
    const key = option[1].toLowerCase();
    if (entries.some((e) => e.section === section && e.key === key))
      diagnostics.push({
        severity: 'error',
        message: `'${key}' appears twice in [${section}]`,
        pos: pos(indent + 1),
        hint: 'keep one of them (Python configparser, and so Ansible, refuses this file)',
      });
    const entry: ConfigEntry = { section, key, value: option[3], pos: pos(indent + 1) };
    entries.push(entry);
    current = { entry, indent, lines: [option[3]] };
  });
  finish();
  // Interpolated from the raw values: a referenced key is expanded once, not twice.
  const raw = entries.map((e) => ({ ...e }));
  for (const e of entries) {
    const v = interpolate(e, raw, 0);
    if (typeof v === 'string') e.value = v;
    else diagnostics.push({ severity: 'error', message: v.error, pos: e.pos, hint: "write '%%' for a literal '%'" });
  }
  return { entries, diagnostics };
}

/** BasicInterpolation: `%%` → `%`, `%(key)s` → that key of the same section or [DEFAULT]. */
function interpolate(e: ConfigEntry, all: readonly ConfigEntry[], depth: number): string | { error: string } {
  if (depth > 10) return { error: `'${e.key}': interpolation nested too deep` };
  let out = '';
  const v = e.value;
  for (let i = 0; i < v.length; i++) {
    if (v[i] !== '%') {
      out += v[i];
      continue;
    }
    if (v[i + 1] === '%') {
      out += '%';
      i++;
      continue;
    }
    const ref = /^%\(([^)]+)\)s/.exec(v.slice(i));
    if (!ref) return { error: `'${e.key}': a lone '%' in its value` };
    const name = ref[1].toLowerCase();
    const target =
      all.find((x) => x.section === e.section && x.key === name) ??
      all.find((x) => x.section === 'DEFAULT' && x.key === name);
    if (!target) return { error: `'${e.key}' refers to %(${name})s, which [${e.section}] does not set` };
    const sub = interpolate(target, all, depth + 1);
    if (typeof sub !== 'string') return sub;
    out += sub;
    i += ref[0].length - 1;
  }
  return out;
}
