// The validate stage: every playbook, imported file, role and inventory checked against the
// schemas and the semantic rules, every problem reported together, nothing contacted.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { TemplateError, type Diagnostic } from '../errors.js';
import { indexGroups } from '../inventory/groups.js';
import { inventoryVars } from '../inventory/host-vars.js';
import { loadInventory, mergeVarsFiles } from '../inventory/load.js';
import type { Inventory, VarsFiles } from '../inventory/model.js';
import { asPattern, HostPatternError, matchPattern, patternProblem } from '../inventory/patterns.js';
import { inventoryLevel, renderPlayKeywords, type InventoryLevel } from '../inventory/play-level.js';
import type { DocumentChecker, LoadContext } from '../load/context.js';
import type { Play, Playbook } from '../load/model.js';
import { loadPlaybookFile } from '../load/playbook.js';
import { ajvDiagnostics } from './ajv-errors.js';
import { checkModuleDefaults } from './module-defaults.js';
import { createSchemaRegistry, type SchemaRegistry } from './schemas.js';
import { semanticChecks } from './semantic.js';

export type ValidateOptions = {
  inventory?: readonly string[];
  extraVars?: Record<string, unknown>;
  registry?: SchemaRegistry;
  rolesPath?: string[];
};

export type Validated = {
  playbooks: Playbook[];
  inventory?: Inventory;
  /** group_vars/host_vars next to each playbook, by playbook file. */
  playbookVarsFiles: Map<string, VarsFiles>;
  diagnostics: Diagnostic[];
  registry: SchemaRegistry;
};

const SCHEMA_FOR: Record<string, string> = {
  playbook: 'playbook.json',
  tasks: 'playbook.json#/definitions/tasks',
  handlers: 'playbook.json#/definitions/tasks',
};

export function documentChecker(registry: SchemaRegistry): DocumentChecker {
  const modules = new Set(registry.modules.keys());
  return (kind, value, file, outerDefaults) => {
    if (kind === 'vars') {
      if (value === null || (typeof value === 'object' && !Array.isArray(value))) return [];
      return [
        {
          severity: 'error',
          message: 'a vars file must be a mapping of variable names to values',
          pos: { file, line: 1, col: 1 },
        },
      ];
    }
    const validate = registry.validator(SCHEMA_FOR[kind]);
    validate(value);
    const defaults = checkModuleDefaults(registry, kind, value, file, outerDefaults ?? []);
    // A task with module defaults is checked merged with them, instead of on its own arguments.
    const errors = validate.errors?.filter((e) => !defaults.replaced(e.instancePath));
    return [...ajvDiagnostics(errors, value, file, modules, registry.modules), ...defaults.diagnostics];
  };
}

export function validatePlaybooks(files: readonly string[], opts: ValidateOptions = {}): Validated {
  const registry = opts.registry ?? createSchemaRegistry();
  const diagnostics: Diagnostic[] = [];
  let inventory: Inventory | undefined;
  // A broken inventory is reported as such; checking names and patterns against what could be
  // read of it would only add false alarms.
  let inventoryBroken = false;
  if (opts.inventory?.length) {
    const invCheck = registry.validator('inventory.json');
    const loaded = loadInventory(opts.inventory, (doc, file) => {
      invCheck(doc);
      return ajvDiagnostics(invCheck.errors, doc, file, new Set());
    });
    inventory = loaded.inventory;
    diagnostics.push(...loaded.diagnostics);
    inventoryBroken = loaded.diagnostics.some((d) => d.severity === 'error');
  }
  const check = documentChecker(registry);
  const playbooks: Playbook[] = [];
  const playbookVarsFiles = new Map<string, VarsFiles>();
  for (const f of files) {
    const file = path.resolve(f);
    const ctx: LoadContext = {
      diagnostics: [],
      files: new Set(),
      check,
      modules: new Set(registry.modules.keys()),
      keywords: registry.keywords,
      freeForm: registry.freeForm,
      moduleSchemas: registry.modules,
      stack: [],
      playbookDir: path.dirname(file),
      rolesPath: opts.rolesPath ?? rolesPathFromEnv(),
    };
    if (!existsSync(file)) {
      diagnostics.push({
        severity: 'error',
        message: `playbook not found: ${f}`,
        hint: `no such file relative to ${process.cwd()}`,
      });
      continue;
    }
    const plays = loadPlaybookFile(file, ctx);
    const varsFiles: VarsFiles = { groups: new Map(), hosts: new Map() };
    mergeVarsFiles(varsFiles, path.dirname(file), ctx.diagnostics);
    playbookVarsFiles.set(file, varsFiles);
    const pb: Playbook = { file, dir: path.dirname(file), plays, files: [...ctx.files] };
    playbooks.push(pb);
    diagnostics.push(...ctx.diagnostics);
    const knownInventory = inventory && !inventoryBroken ? inventoryNames(inventory, varsFiles) : undefined;
    diagnostics.push(
      ...semanticChecks(plays, {
        inventory: knownInventory,
        extraVars: new Set(Object.keys(opts.extraVars ?? {})),
        inventoryUnreadable: inventoryBroken,
        moduleFacts: registry.moduleFacts,
      }),
    );
    if (inventory && !inventoryBroken)
      diagnostics.push(...patternDiagnostics(pb, inventory, opts.extraVars ?? {}, varsFiles));
  }
  return { playbooks, inventory, playbookVarsFiles, diagnostics: dedupe(diagnostics), registry };
}

function rolesPathFromEnv(): string[] {
  const v = process.env.HERDBOOK_ROLES_PATH ?? process.env.ANSIBLE_ROLES_PATH;
  return v ? v.split(':').filter(Boolean) : [];
}

function inventoryNames(inv: Inventory, playbookFiles: VarsFiles): Set<string> {
  const names = new Set<string>();
  const idx = indexGroups(inv);
  for (const h of inv.hosts.keys())
    for (const k of Object.keys(inventoryVars(inv, idx, h, playbookFiles))) names.add(k);
  for (const g of inv.groups.values()) for (const k of Object.keys(g.vars)) names.add(k);
  for (const files of [inv.varsFiles, playbookFiles])
    for (const m of [files.groups, files.hosts])
      for (const v of m.values()) for (const k of Object.keys(v)) names.add(k);
  return names;
}

function patternDiagnostics(
  pb: Playbook,
  inv: Inventory,
  extraVars: Record<string, unknown>,
  varsFiles: VarsFiles,
): Diagnostic[] {
  const idx = indexGroups(inv);
  const level = inventoryLevel(inv, idx, varsFiles);
  const out: Diagnostic[] = [];
  for (const play of pb.plays) {
    let hosts: string | string[] | undefined;
    try {
      hosts = renderedHosts(play, extraVars, level);
    } catch (e) {
      // A hosts: that renders to no pattern (a mapping): run refuses it at this line too.
      if (!(e instanceof HostPatternError)) throw e;
      out.push({ severity: 'error', message: e.message, pos: play.fieldPos.hosts ?? play.pos });
      continue;
    }
    if (hosts === undefined) continue;
    const why = patternProblem(hosts);
    if (why) {
      out.push({ severity: 'error', message: why, pos: play.fieldPos.hosts ?? play.pos });
      continue;
    }
    const m = matchPattern(inv, idx, hosts);
    // Only a pattern that matches nothing at all: playbooks name several groups on purpose
    // (k3s_servers:k3s_controllers) so that different inventory styles work unchanged.
    if (!m.hosts.length) {
      out.push({
        severity: 'warning',
        message: `host pattern '${[hosts].flat().join(',')}' matches no host in the inventory`,
        pos: play.fieldPos.hosts ?? play.pos,
        hint: 'this play will not run on any host',
      });
    }
  }
  return out;
}

/**
 * A play's hosts as run will render them (the same variables: -e, play vars, the inventory's
 * `all` vars, herdbook's defaults); undefined when they depend on something only a run knows.
 */
function renderedHosts(
  play: Play,
  extraVars: Record<string, unknown>,
  level: InventoryLevel,
): string | string[] | undefined {
  if (!JSON.stringify(play.hosts).includes('{{')) return play.hosts;
  try {
    return asPattern(renderPlayKeywords(play, extraVars, level).hosts);
  } catch (e) {
    if (e instanceof TemplateError) return undefined;
    throw e;
  }
}

function dedupe(list: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  const out = list.filter((d) => {
    const key = `${d.severity}|${d.pos?.file}|${d.pos?.line}|${d.pos?.col}|${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return out.sort(
    (a, b) =>
      (a.pos?.file ?? '').localeCompare(b.pos?.file ?? '') ||
      (a.pos?.line ?? 0) - (b.pos?.line ?? 0) ||
      (a.pos?.col ?? 0) - (b.pos?.col ?? 0),
  );
}
