// Checks beyond the schemas, before any host is contacted: notify targets, templates that
// do not parse (or are Jinja), variables that are certainly undefined, vars_files that are missing.
import path from 'node:path';
import type { Diagnostic, SourcePos } from '../errors.js';
import { TemplateError } from '../errors.js';
import { loadYamlFile } from '../load/files.js';
import { fragmentPos, lineReader, variablePos, type LineReader } from './refine-pos.js';
import { collectUses, type Use } from './uses.js';
import type { Play, TaskNode } from '../load/model.js';
import { walkPlay } from '../load/walk.js';
import { FACT_VARIABLES, isInterfaceFact } from '../facts/names.js';
import { MAGIC_VARS } from '../magic-vars.js';
import { didYouMean } from '../suggest.js';
import { requiredVariables } from '../template/index.js';

export type KnownNames = {
  /** Variable names that exist somewhere in the inventory (all hosts, groups, vars files). */
  inventory?: ReadonlySet<string>;
  extraVars: ReadonlySet<string>;
  /** The inventory given could not be read: names cannot be checked against it. */
  inventoryUnreadable?: boolean;
  /** Host variables a module sets (its schema's x-sets-facts): k3s_facts sets `k3s`. */
  moduleFacts?: ReadonlyMap<string, readonly string[]>;
};

export function semanticChecks(plays: Play[], known: KnownNames): Diagnostic[] {
  const out: Diagnostic[] = [];
  const defined = new Set<string>([...MAGIC_VARS, ...FACT_VARIABLES, ...known.extraVars, ...(known.inventory ?? [])]);
  const uses: Use[] = [];
  // Registered results and facts live on across plays, so they count for every play.
  for (const play of plays) {
    collectPlayNames(play, defined, out);
    walkPlay(play, (n) => collectNodeNames(n, defined, known.moduleFacts));
  }
  for (const play of plays) {
    checkNotify(play, out);
    collectUses(play, uses);
  }
  const lines = lineReader();
  // Playbooks repeat the same strings ({{ inventory_hostname }}): scan each text once per run.
  const scanned = new Map<string, string[] | TemplateError>();
  for (const use of uses) {
    const key = `${use.condition ? 'c' : 't'}${use.text}`;
    let names = scanned.get(key);
    if (!names) {
      try {
        names = requiredVariables(use.text, use.condition);
      } catch (e) {
        if (!(e instanceof TemplateError)) throw e;
        names = e;
      }
      scanned.set(key, names);
    }
    if (names instanceof TemplateError) {
      out.push({ severity: 'error', message: names.message, pos: errorPos(names, use, lines), hint: names.hint });
      continue;
    }
    for (const name of names) {
      if (defined.has(name) || isInterfaceFact(name)) continue;
      if (defined.has('*include_vars*') || known.inventoryUnreadable) continue;
      const hint = didYouMean(name, [...defined]) ?? `set it in vars, group_vars, host_vars or with -e ${name}=...`;
      const pos = variablePos(use.pos, name, use.condition, lines);
      if (known.inventory)
        out.push({
          severity: 'error',
          message: `variable '${name}' is not defined anywhere (inventory, vars, vars_files, roles, register, set_fact or -e)`,
          pos,
          hint,
        });
      else
        out.push({
          severity: 'warning',
          message: `variable '${name}' is not defined in the playbook (pass -i to check it against your inventory)`,
          pos,
          hint,
        });
    }
  }
  return out;
}

/** A template error points at the mustache it quotes, or at the first {% or {{ of the value. */
function errorPos(e: TemplateError, use: Use, lines: LineReader): SourcePos {
  const quoted = /^(\{\{[\s\S]*?\}\})/.exec(e.message)?.[1];
  const fragment =
    quoted && use.text.includes(quoted) ? quoted : e.code === 'E_JINJA' && use.text.includes('{%') ? '{%' : undefined;
  return fragment ? fragmentPos(use.pos, fragment, lines) : use.pos;
}

function addKeys(v: unknown, into: Set<string>): void {
  if (v && typeof v === 'object' && !Array.isArray(v)) for (const k of Object.keys(v)) into.add(k);
}

function collectPlayNames(play: Play, defined: Set<string>, out: Diagnostic[]): void {
  addKeys(play.vars, defined);
  addKeys(play.roleDefaults, defined);
  addKeys(play.roleVars, defined);
  for (const entry of play.varsFiles) {
    const candidates = [entry].flat();
    if (candidates.some((c) => c.includes('{{'))) continue;
    const found = candidates
      .map((c) => path.resolve(play.baseDir, c))
      .map((f) => loadYamlFile(f, 'vars file'))
      .find((p) => p.value !== undefined || p.diagnostics.some((d) => d.pos));
    if (!found) {
      out.push({
        severity: 'error',
        message: `vars file not found: ${candidates.join(' or ')} (relative to the playbook that names it)`,
        pos: play.fieldPos.vars_files ?? play.pos,
      });
      continue;
    }
    out.push(...found.diagnostics);
    addKeys(found.value, defined);
  }
}

function collectNodeNames(
  n: TaskNode,
  defined: Set<string>,
  moduleFacts?: ReadonlyMap<string, readonly string[]>,
): void {
  addKeys(n.vars, defined);
  if (n.kind !== 'task') {
    if (n.kind === 'include' && n.loop !== undefined) defined.add(n.loopControl?.loopVar ?? 'item');
    return;
  }
  if (n.register) defined.add(n.register);
  if (n.loop !== undefined) {
    defined.add(n.loopControl?.loopVar ?? 'item');
    if (n.loopControl?.indexVar) defined.add(n.loopControl.indexVar);
  }
  if (n.module === 'set_fact') addKeys(n.args, defined);
  for (const name of moduleFacts?.get(n.module) ?? []) defined.add(name);
  if (n.module === 'include_vars') {
    const a = n.args as { name?: string } | string;
    if (typeof a === 'object' && a?.name) defined.add(a.name);
    // The file's names are unknown until it is read at run time: assume any name may come from it.
    else defined.add('*include_vars*');
  }
}

function checkNotify(play: Play, out: Diagnostic[]): void {
  const names = new Set([
    ...play.handlers.flatMap((h) => [h.name, ...h.listen].filter((x): x is string => !!x)),
    ...(play.declaredHandlers ?? []),
  ]);
  walkPlay(play, (n) => {
    const notify = n.kind === 'task' ? n.notify : n.kind === 'block' ? (n.notify ?? []) : [];
    for (const target of notify) {
      if (target.includes('{{') || names.has(target)) continue;
      out.push({
        severity: 'error',
        message: `notify names handler '${target}', which this play does not define`,
        pos: n.fieldPos.notify ?? n.pos,
        hint:
          didYouMean(target, [...names]) ??
          (names.size ? `handlers here: ${[...names].join(', ')}` : 'add it under handlers:'),
      });
    }
  });
}
