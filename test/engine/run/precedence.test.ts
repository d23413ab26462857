// Variable precedence, as shared/reference/ansible.md writes it (weakest first): role defaults <
// inventory `all` group vars < parent group < child group < group_vars/ files < inventory host
// vars < host_vars/ files < play vars < vars_files < role vars < block vars < task vars <
// set_fact/register < loop item < extra vars (-e). Each level defines every variable from its
// rank up; the variable v<rank> must therefore come from exactly that level. Read through the
// scope the run engine builds for a task (engine/run/scope.ts taskScope).
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { indexGroups } from '../../../engine/inventory/groups.js';
import { loadYamlFile } from '../../../engine/load/files.js';
import type { BlockDef, TaskNode } from '../../../engine/load/model.js';
import { parseExtraVars } from '../../../engine/load/extra-vars.js';
import type { RunContext, RunDeps } from '../../../engine/run/context.js';
import { newRunState } from '../../../engine/run/index.js';
import { taskScope, type PlayFrame } from '../../../engine/run/scope.js';
import { createTemplater, type Layer } from '../../../engine/template/index.js';
import { validatePlaybooks } from '../../../engine/validate/index.js';
import { createSchemaRegistry } from '../../../engine/validate/schemas.js';
import { tempTree } from '../../helpers/tmp.js';

/** Weakest first. */
const LEVELS = [
  'role defaults',
  'inventory all vars',
  'inventory parent group vars',
  'inventory child group vars',
  'group_vars/all next to the inventory',
  'group_vars/all next to the playbook',
  'group_vars/parent next to the inventory',
  'group_vars/parent next to the playbook',
  'group_vars/child next to the inventory',
  'group_vars/child next to the playbook',
  'inventory host vars',
  'host_vars next to the inventory',
  'host_vars next to the playbook',
  'play vars',
  'first vars_files entry',
  'second vars_files entry',
  'role vars',
  'outer block vars',
  'inner block vars',
  'task vars',
  'set_fact and register',
  'loop item variable',
  'extra vars (-e)',
] as const;

const name = (rank: number) => `v${String(rank).padStart(2, '0')}`;
/** The variables a level defines: its own and every stronger level's, each saying where it came from. */
const varsOf = (level: (typeof LEVELS)[number]): Record<string, string> => {
  const rank = LEVELS.indexOf(level);
  return Object.fromEntries(LEVELS.slice(rank).map((_, i) => [name(rank + i), level]));
};
const yaml = (vars: Record<string, string>) =>
  Object.entries(vars)
    .map(([k, v]) => `${k}: "${v}"`)
    .join('\n') + '\n';
const flow = (vars: Record<string, string>) =>
  `{ ${Object.entries(vars)
    .map(([k, v]) => `${k}: "${v}"`)
    .join(', ')} }`;

const dir = tempTree({
  'inventory/hosts.yaml': [
    'all:',
    `  vars: ${flow(varsOf('inventory all vars'))}`,
    '  children:',
    '    parent:',
    `      vars: ${flow(varsOf('inventory parent group vars'))}`,
    '      children:',
    '        child:',
    `          vars: ${flow(varsOf('inventory child group vars'))}`,
    '          hosts:',
    `            node-1: ${flow(varsOf('inventory host vars'))}`,
    '',
  ].join('\n'),
  'inventory/group_vars/all.yaml': yaml(varsOf('group_vars/all next to the inventory')),
  'inventory/group_vars/parent.yaml': yaml(varsOf('group_vars/parent next to the inventory')),
  'inventory/group_vars/child/main.yaml': yaml(varsOf('group_vars/child next to the inventory')),
  'inventory/host_vars/node-1.yaml': yaml(varsOf('host_vars next to the inventory')),
  'site/group_vars/all.yaml': yaml(varsOf('group_vars/all next to the playbook')),
  'site/group_vars/parent.yml': yaml(varsOf('group_vars/parent next to the playbook')),
  'site/group_vars/child.yaml': yaml(varsOf('group_vars/child next to the playbook')),
  'site/host_vars/node-1/vars.yaml': yaml(varsOf('host_vars next to the playbook')),
  'site/vars/one.yaml': yaml(varsOf('first vars_files entry')),
  'site/vars/two.yaml': yaml(varsOf('second vars_files entry')),
  'site/roles/r/defaults/main.yaml': yaml(varsOf('role defaults')),
  'site/roles/r/vars/main.yaml': yaml(varsOf('role vars')),
  'site/roles/r/tasks/main.yaml': '- debug: { msg: from the role }\n',
  'site/extra.yaml': yaml(varsOf('extra vars (-e)')),
  'site/playbook.yaml': [
    '- hosts: all',
    `  vars: ${flow(varsOf('play vars'))}`,
    '  vars_files: [vars/one.yaml, vars/two.yaml]',
    '  roles: [r]',
    '  tasks:',
    `    - vars: ${flow(varsOf('outer block vars'))}`,
    '      block:',
    `        - vars: ${flow(varsOf('inner block vars'))}`,
    '          block:',
    '            - debug: { msg: "{{ v00 }}" }',
    `              vars: ${flow(varsOf('task vars'))}`,
    '',
  ].join('\n'),
});

const registry = createSchemaRegistry();
const extra = parseExtraVars(['@extra.yaml'], path.join(dir, 'site'));
const v = validatePlaybooks([path.join(dir, 'site/playbook.yaml')], {
  inventory: [path.join(dir, 'inventory/hosts.yaml')],
  extraVars: extra.vars,
  registry,
});
const play = v.playbooks[0].plays[0];
const inventory = v.inventory!;
const groups = indexGroups(inventory);
const templater = createTemplater();

/** Only what taskScope reads; anything else a scope asked for would be a surprise, so it throws. */
const unused = (what: string) => () => {
  throw new Error(`precedence test: ${what} is not part of variable lookup`);
};
const deps: RunDeps = {
  reporter: { emit: unused('reporter'), close: unused('reporter') },
  connection: unused('connection'),
  kube: unused('kube'),
  loadModule: unused('loadModule'),
  templater,
  registry,
  clock: { now: () => 0, sleep: unused('sleep') },
  operator: 'tester@test',
  loadTasks: unused('loadTasks'),
};
const options = { check: false, diff: false, forceHandlers: false, verbosity: 0, extraVars: extra.vars };
const ctx: RunContext = {
  options,
  deps,
  state: newRunState(options),
  inventory,
  groups,
  playbookVarsFiles: v.playbookVarsFiles.get(path.join(dir, 'site/playbook.yaml')),
  playbookDir: path.join(dir, 'site'),
  inventoryVarsCache: new Map(),
};
ctx.state.hosts.set('node-1', {
  name: 'node-1',
  facts: varsOf('set_fact and register'),
  failed: false,
  unreachable: false,
  ended: false,
  notified: new Set(),
  counts: { ok: 0, changed: 0, failed: 0, skipped: 0, unreachable: 0, rescued: 0, ignored: 0 },
} as never);
const varsFiles: Layer[] = play.varsFiles.map(
  (f) => loadYamlFile(path.resolve(play.baseDir, String(f))).value as Layer,
);
const frame: PlayFrame = {
  play,
  playIndex: 0,
  varsFiles,
  playHosts: ['node-1'],
  batch: ['node-1'],
  batchIndex: 0,
  batchCount: 1,
  groups: {},
  omit: '__omit__',
};
const outer = play.tasks[1] as BlockDef;
const inner = outer.block[0] as BlockDef;
const chain: TaskNode[] = [outer, inner, inner.block[0]];
const scope = taskScope(ctx, frame, 'node-1', chain, varsOf('loop item variable'));

describe('variable precedence (weakest first)', () => {
  it('loads the fixture without a problem', () => {
    expect([...extra.diagnostics, ...v.diagnostics]).toEqual([]);
    expect(outer.kind).toBe('block');
    expect(inner.kind).toBe('block');
  });

  it.each(LEVELS.map((level, rank) => [rank, level] as const))('%i: %s beats every weaker level', (rank, level) => {
    expect(templater.variable(name(rank), scope)).toBe(level);
  });
});
