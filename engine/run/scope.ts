// A host's variables for one task, as layers (strongest first) following the precedence in
// shared/reference/ansible.md: extra vars > magic > loop > set_fact/register > task vars >
// block vars > role vars > vars_files > play vars > gathered facts > inventory > role defaults >
// herdbook's defaults (k3s_server_group, k3s_agent_group).
import path from 'node:path';
import { ANSIBLE_VERSION } from '../facts/names.js';
import { inventoryVars } from '../inventory/host-vars.js';
import { IMPLICIT_LOCALHOST } from '../inventory/patterns.js';
import type { Play, TaskNode } from '../load/model.js';
import { LazyVars, MISSING, Scope, type Layer } from '../template/index.js';
import type { RunContext } from './context.js';

/** Per play and batch: what every host's scope shares. */
export type PlayFrame = {
  play: Play;
  playIndex: number;
  /** Loaded vars_files, in order (later ones win). */
  varsFiles: Layer[];
  playHosts: string[];
  batch: string[];
  batchIndex: number;
  batchCount: number;
  groups: Record<string, string[]>;
  omit: string;
};

export function hostInventoryVars(ctx: RunContext, host: string): Record<string, unknown> {
  let v = ctx.inventoryVarsCache.get(host);
  if (!v) {
    v = ctx.inventory.hosts.has(host) ? inventoryVars(ctx.inventory, ctx.groups, host, ctx.playbookVarsFiles) : {};
    ctx.inventoryVarsCache.set(host, v);
  }
  return v;
}

/**
 * Ansible's ansible_search_path: the task's roles (innermost first), then the folder of the file
 * that holds the task. The lookups (file, template, fileglob, first_found) search along it.
 */
function searchPath(chain: readonly TaskNode[]): string[] {
  const out: string[] = [];
  for (const n of [...chain].reverse()) if (n.role && !out.includes(n.role.dir)) out.push(n.role.dir);
  const task = chain[chain.length - 1];
  const dir = task ? path.dirname(task.pos.file) : undefined;
  if (dir && !out.includes(dir)) out.push(dir);
  return out;
}

function magic(ctx: RunContext, frame: PlayFrame, host: string, chain: readonly TaskNode[]): Layer {
  const role = [...chain].reverse().find((n) => n.role)?.role;
  // Getters: computed only when a template reads them (thousands of hosts × tasks otherwise).
  return {
    inventory_hostname: host,
    get inventory_hostname_short() {
      return host.split('.')[0];
    },
    get group_names() {
      return ctx.groups.groupsOf(host).filter((g) => g !== 'all' && g !== 'ungrouped');
    },
    groups: frame.groups,
    get hostvars() {
      return hostvarsOf(ctx, frame);
    },
    get ansible_play_hosts() {
      return frame.playHosts.filter((h) => !ctx.state.hosts.get(h)?.failed && !ctx.state.hosts.get(h)?.unreachable);
    },
    ansible_play_hosts_all: frame.playHosts,
    ansible_play_batch: frame.batch,
    play_hosts: frame.batch,
    ansible_check_mode: ctx.options.check,
    ansible_diff_mode: ctx.options.diff,
    ansible_play_name: frame.play.name,
    ansible_version: ANSIBLE_VERSION,
    playbook_dir: ctx.playbookDir,
    get ansible_search_path() {
      return chain.length ? searchPath(chain) : [ctx.playbookDir];
    },
    omit: frame.omit,
    herdbook_operator: ctx.deps.operator,
    ...(role ? { role_path: role.dir } : {}),
  };
}

/** The play-level scope of a host: everything but task, block and loop variables. */
export function playScope(ctx: RunContext, frame: PlayFrame, host: string): Scope {
  return taskScope(ctx, frame, host, [], undefined);
}

export function taskScope(
  ctx: RunContext,
  frame: PlayFrame,
  host: string,
  chain: readonly TaskNode[],
  loop: Layer | undefined,
): Scope {
  const hs = ctx.state.hosts.get(host);
  const play = frame.play;
  const layers: Layer[] = [ctx.options.extraVars, magic(ctx, frame, host, chain)];
  if (loop) layers.push(loop);
  if (hs) layers.push(hs.facts);
  for (let i = chain.length - 1; i >= 0; i--) if (chain[i].vars) layers.push(chain[i].vars!);
  layers.push(play.roleVars);
  for (let i = frame.varsFiles.length - 1; i >= 0; i--) layers.push(frame.varsFiles[i]);
  if (play.vars) layers.push(play.vars);
  if (hs?.factsLayer) layers.push(hs.factsLayer);
  layers.push(hostInventoryVars(ctx, host));
  layers.push(play.roleDefaults);
  if (ctx.level) layers.push(ctx.level.defaults);
  return new Scope(layers);
}

function hostvarsOf(ctx: RunContext, frame: PlayFrame): LazyVars {
  const names = () => [...ctx.inventory.hosts.keys()];
  return new LazyVars((h) => {
    if (!ctx.inventory.hosts.has(h) && !IMPLICIT_LOCALHOST.has(h)) return MISSING;
    const scope = playScope(ctx, frame, h);
    return new LazyVars(
      (k) => {
        if (!scope.has(k)) return MISSING;
        return ctx.deps.templater.variable(k, scope);
      },
      () => scope.names(),
    );
  }, names);
}

/** Read one variable of a host, rendered (undefined when unset). */
export function readVar(ctx: RunContext, scope: Scope, name: string): unknown {
  return scope.has(name) ? ctx.deps.templater.variable(name, scope) : undefined;
}
