// Ansible's INI inventory: [group], [group:vars], [group:children], host ranges, inline
// key=value vars read as Python literals (like Ansible, in both host lines and :vars).
import type { Diagnostic } from '../errors.js';
import { addChild, addHostToGroup, ensureGroup, ensureHost, type Inventory } from './model.js';
import { pyLiteral } from './py-literal.js';
import { expandHostRange } from './ranges.js';
import { translateValue } from './jinja-values.js';
import { splitWords } from '../shell-words.js';
import { HerdbookError } from '../errors.js';
import { didYouMean } from '../suggest.js';

type Section = { group: string; kind: 'hosts' | 'vars' | 'children' };

export function parseIniInventory(inv: Inventory, file: string, text: string): Diagnostic[] {
  const diags: Diagnostic[] = [];
  let section: Section = { group: 'ungrouped', kind: 'hosts' };
  const declaredChildren: { parent: string; child: string; line: number; col: number }[] = [];
  const varsSections: { group: string; line: number }[] = [];
  text.split(/\r?\n/).forEach((raw, idx) => {
    const lineNo = idx + 1;
    const line = raw.trim();
    const at = (col = 1) => ({ file, line: lineNo, col });
    if (!line || line.startsWith('#') || line.startsWith(';')) return;
    const header = /^\[([^\]:]+)(?::(\w+))?\]\s*(?:[#;].*)?$/.exec(line);
    if (header) {
      const [, group, kind] = header;
      if (kind && kind !== 'vars' && kind !== 'children') {
        diags.push({
          severity: 'error',
          message: `unknown section type ':${kind}' (use [${group}], [${group}:vars] or [${group}:children])`,
          pos: at(),
        });
        section = { group, kind: 'hosts' };
        return;
      }
      section = { group, kind: (kind as Section['kind']) ?? 'hosts' };
      if (section.kind === 'hosts') ensureGroup(inv, group, at()).pos ??= at();
      if (section.kind === 'vars') varsSections.push({ group, line: lineNo });
      return;
    }
    if (line.startsWith('[')) {
      diags.push({ severity: 'error', message: `malformed section header '${line}'`, pos: at() });
      return;
    }
    const indent = raw.length - raw.trimStart().length;
    try {
      if (section.kind === 'vars') {
        const eq = line.indexOf('=');
        if (eq <= 0)
          throw new IniLineError(
            `expected key=value in [${section.group}:vars], got '${line}'`,
            indent + 1,
            `write ${line.split(/\s/)[0]}=VALUE`,
          );
        const key = line.slice(0, eq).trim();
        const eqRaw = raw.indexOf('=');
        const valueCol = eqRaw + 2 + (/^\s*/.exec(raw.slice(eqRaw + 1))?.[0].length ?? 0);
        ensureGroup(inv, section.group).vars[key] = translateValue(
          pyLiteral(line.slice(eq + 1)),
          key,
          at(valueCol),
          inv.translations,
        );
      } else if (section.kind === 'children') {
        const child = splitWords(line)[0];
        declaredChildren.push({ parent: section.group, child, line: lineNo, col: indent + 1 });
      } else {
        parseHostLine(inv, section.group, line, at(indent + 1), raw);
      }
    } catch (e) {
      const le = e instanceof IniLineError ? e : undefined;
      diags.push({ severity: 'error', message: (e as Error).message, pos: at(le?.col ?? indent + 1), hint: le?.hint });
    }
  });
  for (const d of declaredChildren) {
    // Like Ansible, a child group may be declared by its own [child] or [child:children] section.
    const declared = inv.groups.get(d.child)?.pos || declaredChildren.some((o) => o.parent === d.child);
    if (!declared) {
      // Groups already listed in the same section are not what the user meant.
      const others = definedGroups(inv).filter(
        (g) => g !== d.parent && !declaredChildren.some((o) => o.parent === d.parent && o.child === g),
      );
      const hint =
        didYouMean(d.child, others) ??
        `declare it with a [${d.child}] section listing its hosts, or remove it from [${d.parent}:children]`;
      diags.push({
        severity: 'error',
        message: `section [${d.parent}:children] includes undefined group '${d.child}'`,
        pos: { file, line: d.line, col: d.col },
        hint,
      });
      continue;
    }
    addChild(inv, d.parent, d.child);
  }
  for (const v of varsSections) {
    const defined =
      v.group === 'all' ||
      v.group === 'ungrouped' ||
      inv.groups.get(v.group)?.pos ||
      declaredChildren.some((d) => d.child === v.group || d.parent === v.group);
    if (!defined) {
      const hint =
        didYouMean(v.group, definedGroups(inv)) ?? `add a [${v.group}] section with its hosts, or fix the group name`;
      diags.push({
        severity: 'error',
        message: `section [${v.group}:vars] is not valid for undefined group '${v.group}'`,
        pos: { file, line: v.line, col: 2 },
        hint,
      });
    }
  }
  return diags;
}

/** A problem on one line, with the column of the word at fault. */
class IniLineError extends HerdbookError {
  constructor(
    message: string,
    readonly col?: number,
    readonly hint?: string,
  ) {
    super('E_INVENTORY', message);
  }
}

/** Groups written in the file (with a section of their own), for did-you-mean. */
function definedGroups(inv: Inventory): string[] {
  return [...inv.groups.values()].filter((g) => g.pos).map((g) => g.name);
}

function parseHostLine(
  inv: Inventory,
  group: string,
  line: string,
  pos: { file: string; line: number; col: number },
  raw: string,
): void {
  const [first, ...rest] = splitWords(line);
  let name = first;
  const vars: Record<string, unknown> = {};
  // host:port (w-[1:3]:2222 too), but not an IPv6 address
  const port = /^(.*):(\d+)$/.exec(first);
  if (port && !port[1].replace(/\[[^\]]*\]/g, '').includes(':')) {
    name = port[1];
    vars.ansible_port = Number(port[2]);
  }
  for (const word of rest) {
    const eq = word.indexOf('=');
    if (eq <= 0) {
      const col = raw.indexOf(word, raw.indexOf(first) + first.length) + 1;
      throw new IniLineError(
        `host variable '${word}' has no value: expected key=value`,
        col || undefined,
        `write ${word}=VALUE (host lines are: name key=value key=value ...)`,
      );
    }
    // The value's column: after `key=` (the word itself has lost its quotes).
    const col = raw.indexOf(word.slice(0, eq + 1), raw.indexOf(first) + first.length) + eq + 2;
    vars[word.slice(0, eq)] = translateValue(
      pyLiteral(word.slice(eq + 1)),
      word.slice(0, eq),
      { ...pos, col },
      inv.translations,
    );
  }
  for (const n of expandHostRange(name)) {
    const h = ensureHost(inv, n, pos);
    Object.assign(h.vars, vars);
    addHostToGroup(inv, group, n);
  }
}
