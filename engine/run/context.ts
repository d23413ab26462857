// What a run carries: options, injected dependencies (connections, Kubernetes, clock,
// reporter) and the mutable state of hosts. Passed explicitly, never global.
import type { Facts } from '../facts/parse.js';
import type { InventoryLevel } from './resolve-play.js';
import type { Connection, ConnectionSettings } from '../connection/types.js';
import type { Inventory } from '../inventory/model.js';
import type { ConnectionDefaults } from '../inventory/connection-vars.js';
import type { GroupIndex } from '../inventory/groups.js';
import type { VarsFiles } from '../inventory/model.js';
import type { KubeClient } from '../kube/types.js';
import type { TaskNode } from '../load/model.js';
import type { ModuleDef } from '../module.js';
import type { HostCounts, Reporter } from '../report/events.js';
import type { Templater } from '../template/index.js';
import type { SchemaRegistry } from '../validate/schemas.js';

export type RunOptions = {
  check: boolean;
  diff: boolean;
  forks?: number;
  limit?: string[];
  tags?: string[];
  skipTags?: string[];
  startAtTask?: string;
  forceHandlers: boolean;
  verbosity: number;
  extraVars: Record<string, unknown>;
  /** -u, --private-key, -c, -T, -b, ... and ansible.cfg: weaker than every keyword and variable. */
  connectionDefaults?: ConnectionDefaults;
};

export type Clock = {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
};

export type KubeSpec = {
  kubeconfig?: string;
  context?: string;
  /** An inventory host whose /etc/rancher/k3s/k3s.yaml is read over its connection. */
  from?: string;
  tunnel?: boolean;
};

export type RunDeps = {
  reporter: Reporter;
  /** A host's connection: with `settings`, those a task resolved (pooled by them); without, as the inventory and -e say. */
  connection(host: string, settings?: ConnectionSettings): Promise<Connection>;
  kube(spec: KubeSpec): Promise<KubeClient>;
  loadModule(name: string): Promise<ModuleDef>;
  templater: Templater;
  /** Runtime argument checks: defaults applied and types coerced after templating. */
  registry: SchemaRegistry;
  clock: Clock;
  /** Who runs this (for the upgrade lock and reports). */
  operator: string;
  /** include_tasks with a templated name: load, check and build the file at run time. */
  /** `moduleDefaults`: those in effect at the include (outer → inner), for checking the file's tasks with them. */
  loadTasks(
    file: string,
    baseDir: string,
    role?: { name: string; dir: string },
    moduleDefaults?: readonly unknown[],
  ): Promise<TaskNode[]>;
  /** --step: asked before each task; false skips it. */
  step?: (title: string) => Promise<boolean>;
};

export type HostState = {
  name: string;
  /** set_fact and register results: stronger than inventory, play and task vars. */
  facts: Record<string, unknown>;
  /** Facts by Ansible's names (gather_facts, service_facts, package_facts): `ansible_hostname`, `services`. */
  gathered?: Record<string, unknown>;
  /** herdbook's first fact names (`facts.os.id`), kept as an alias. */
  factsAlias?: Facts;
  /** The variables `gathered` makes (factsLayer), rebuilt when facts change, not per task. */
  factsLayer?: Record<string, unknown>;
  failed: boolean;
  unreachable: boolean;
  /** meta: end_host, or removed by a stop. */
  ended: boolean;
  notified: Set<string>;
  counts: HostCounts;
};

export type RunState = {
  hosts: Map<string, HostState>;
  /** Set on the first Ctrl-C: no new task or host starts. */
  interrupted: boolean;
  abort: AbortController;
  stopped?: string;
  /** Nodes a task cordoned and no later task uncordoned: reported on every stop. */
  cordoned: Map<string, string>;
  /** Values never printed. */
  secrets: Set<string>;
  /** Check mode: what earlier tasks would have changed (a server's new version), by key. */
  predictions: Map<string, unknown>;
  /** --start-at-task not reached yet. */
  startAt?: string;
  /** force_handlers: true on the play being run. */
  forceHandlersPlay?: boolean;
  changesPending: boolean;
};

export type RunContext = {
  options: RunOptions;
  deps: RunDeps;
  state: RunState;
  inventory: Inventory;
  groups: GroupIndex;
  /** group_vars/host_vars next to the playbook being run. */
  playbookVarsFiles?: VarsFiles;
  playbookDir: string;
  /** Inventory variables per host, computed once per playbook. */
  inventoryVarsCache: Map<string, Record<string, unknown>>;
  /** The inventory's `all` vars and herdbook's defaults, for play keywords and (defaults) every scope. */
  level?: InventoryLevel;
};
