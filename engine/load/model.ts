// The playbook model: what `run` executes. Values that may hold templates stay raw here
// (`unknown`); they are rendered per host at run time.
import type { SourcePos } from '../errors.js';

/** Keywords a play, block or task may set and that children inherit. */
export type Inheritable = {
  when?: unknown;
  tags: string[];
  vars?: Record<string, unknown>;
  become?: unknown;
  becomeUser?: unknown;
  environment?: unknown;
  ignoreErrors?: unknown;
  ignoreUnreachable?: unknown;
  noLog?: unknown;
  checkMode?: unknown;
  diff?: unknown;
  delegateTo?: unknown;
  runOnce?: unknown;
  anyErrorsFatal?: unknown;
  timeout?: unknown;
  /** Connection keywords: weaker than the ansible_* variables of every layer, as in Ansible. */
  connection?: unknown;
  remoteUser?: unknown;
  port?: unknown;
  kubeconfig?: unknown;
  kubeContext?: unknown;
  kubeconfigFrom?: unknown;
  kubeApiTunnel?: unknown;
  /** module_defaults as written: a mapping (or a list of them) of module name → arguments. Not inherited whole: see module-defaults.ts. */
  moduleDefaults?: unknown;
};

export type Located = {
  pos: SourcePos;
  /** Where each keyword's value is written, for errors about it. */
  fieldPos: Record<string, SourcePos>;
  /** The role a node came from: its folder resolves files/ and templates/. */
  role?: RoleInfo;
};

export type RoleInfo = { name: string; dir: string };

export type TaskDef = Inheritable &
  Located & {
    kind: 'task';
    name?: string;
    module: string;
    /** Arguments as written (templates unrendered); a free-form string for command/shell. */
    args: unknown;
    loop?: unknown;
    /** with_items flattens one level, like Ansible. */
    loopFlatten?: boolean;
    loopControl?: { loopVar?: string; indexVar?: string; label?: string; pause?: unknown; extended?: boolean };
    register?: string;
    until?: unknown;
    retries?: unknown;
    delay?: unknown;
    changedWhen?: unknown;
    failedWhen?: unknown;
    notify: string[];
    listen: string[];
  };

export type BlockDef = Inheritable &
  Located & {
    kind: 'block';
    name?: string;
    block: TaskNode[];
    rescue: TaskNode[];
    always: TaskNode[];
    notify?: string[];
  };

/** include_tasks: decided at run time; `preloaded` when the file name has no template. */
export type IncludeDef = Inheritable &
  Located & {
    kind: 'include';
    name?: string;
    file: string;
    baseDir: string;
    preloaded?: TaskNode[];
    loop?: unknown;
    loopFlatten?: boolean;
    loopControl?: TaskDef['loopControl'];
  };

export type TaskNode = TaskDef | BlockDef | IncludeDef;

export type Play = Inheritable &
  Located & {
    name: string;
    hosts: string | string[];
    varsFiles: (string | string[])[];
    serial?: unknown;
    order: 'inventory' | 'reverse_inventory' | 'sorted' | 'reverse_sorted' | 'shuffle';
    maxFailPercentage?: unknown;
    forceHandlers?: unknown;
    gatherFacts?: unknown;
    preTasks: TaskNode[];
    tasks: TaskNode[];
    postTasks: TaskNode[];
    handlers: TaskDef[];
    /** Every handler name and listen topic written in the play and its roles, even in entries that failed validation. */
    declaredHandlers?: string[];
    /** Role defaults (the weakest variables) and role vars (above vars_files), merged over the play's roles. */
    roleDefaults: Record<string, unknown>;
    roleVars: Record<string, unknown>;
    /** The directory of the playbook file that defines this play (vars_files, group_vars). */
    baseDir: string;
  };

export type Playbook = {
  file: string;
  dir: string;
  plays: Play[];
  /** Every file read to build this playbook (imports, roles, task files), for validation reports. */
  files: string[];
};

export const INHERITED_KEYS: Record<string, keyof Inheritable> = {
  when: 'when',
  tags: 'tags',
  vars: 'vars',
  become: 'become',
  become_user: 'becomeUser',
  environment: 'environment',
  ignore_errors: 'ignoreErrors',
  ignore_unreachable: 'ignoreUnreachable',
  no_log: 'noLog',
  check_mode: 'checkMode',
  diff: 'diff',
  delegate_to: 'delegateTo',
  run_once: 'runOnce',
  any_errors_fatal: 'anyErrorsFatal',
  timeout: 'timeout',
  connection: 'connection',
  remote_user: 'remoteUser',
  port: 'port',
  kubeconfig: 'kubeconfig',
  kube_context: 'kubeContext',
  kubeconfig_from: 'kubeconfigFrom',
  kube_api_tunnel: 'kubeApiTunnel',
  module_defaults: 'moduleDefaults',
};
