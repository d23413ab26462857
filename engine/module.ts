// The module contract: inspect (read-only) → plan (pure) → apply (exactly the plan).
// Check mode runs inspect and plan and reports the plan; there is no second code path,
// so check mode cannot lie.
import type { Connection, CommandSpec, ExecOptions, ExecResult, GetOptions, PutOptions } from './connection/types.js';
import type { KubeClient } from './kube/types.js';

export type RunsOn = 'host' | 'api' | 'controller';

/** One planned change; `summary` is what check mode prints ("would upgrade v1.31.4+k3s1 → v1.32.5+k3s1"). */
export type Change = {
  summary: string;
  /** Only waits (for a node to be Ready...): nothing on the target changes, so the task is `ok`, in check mode too. */
  waitOnly?: boolean;
};

export type FileDiff = {
  path: string;
  before: string;
  after: string;
  /** Ansible's `prepared` diff (apt: what apt-get says it will do), printed as it is instead of a patch. */
  prepared?: string;
};

export type Plan<C extends Change = Change> = {
  changes: C[];
  /** Why nothing needs doing, shown as the ok message. */
  noop?: string;
  /** The module refuses (a drain blocked by filters, a skew violation): failed, nothing changed. */
  refuse?: string;
  diff?: FileDiff[];
  /** Registered fields (facts, the state seen), in check mode and when nothing is applied. */
  data?: Record<string, unknown>;
};

export type ApplyResult = {
  data?: Record<string, unknown>;
  msg?: string;
  /** A failure found while applying; the message says what happened and what to do. */
  failed?: string;
  /** Override of "changed = the plan was not empty", for modules whose effect is only known afterwards. */
  changed?: boolean;
  diff?: FileDiff[];
};

export type ModuleContext = {
  /** Inventory hostname. */
  host: string;
  /** The Kubernetes node this host is: the host var `node_name`, else the inventory hostname. */
  nodeName: string;
  check: boolean;
  diff: boolean;
  /** Run on the host with the task's become, environment and timeout applied. */
  exec(cmd: CommandSpec, opts?: ExecOptions): Promise<ExecResult>;
  put(data: Buffer | string, dest: string, opts?: PutOptions): Promise<void>;
  get(src: string, opts?: GetOptions): Promise<Buffer>;
  /** The raw connection of this host (or of another inventory host, e.g. a Proxmox node). */
  connection(host?: string): Promise<Connection>;
  /** How the task reaches this host, resolved without connecting (a preflight must not fail on the way in). */
  connectionKind(): 'local' | 'ssh' | 'pct';
  kube(): Promise<KubeClient>;
  /** Host variables, templated (undefined when not set). */
  hostVar(name: string, host?: string): unknown;
  /** Render a Handlebars text with this host's variables (the `template` module). */
  render(text: string, file?: string): string;
  /** An expression's typed value (`result.stdout`), for debug var=. */
  evaluate(expr: string): unknown;
  /** A condition with or without braces (assert's `that`). */
  condition(expr: unknown): boolean;
  /** -v count: debug's verbosity and modules' own detail. */
  verbosity: number;
  /** Find a controller file: the role's files/, templates/ or vars/, then the playbook's, then as given. */
  resolveSource(kind: 'files' | 'templates' | 'vars', path: string): string;
  /** Shown live under the host's row while the task runs ("waiting for 2 pods, blocked by pdb/web"). */
  progress(msg: string): void;
  warn(msg: string): void;
  /** Verbose output for -v (level 1..3). */
  log(level: 1 | 2 | 3, msg: string): void;
  /** A value that must never be printed (tokens); masked in every message and event. */
  secret(value: string): void;
  signal: AbortSignal;
  sleep(ms: number): Promise<void>;
  /** Monotonic milliseconds, for durations and deadlines (never a date). */
  now(): number;
  /** The wall clock in epoch milliseconds, for what names a moment: backup file names. */
  wallTime(): number;
  /** The task's timeout in ms, if any. */
  timeout?: number;
  /**
   * What the run must report if it stops: nodes cordoned by this run and not yet uncordoned.
   * In check mode, what earlier tasks would have changed (predict/predicted): a later task's
   * plan must see the server the rehearsal "upgraded", or --check would not tell the truth.
   */
  cluster: {
    cordoned(node: string, reason: string): void;
    uncordoned(node: string): void;
    predict(key: string, value: unknown): void;
    predicted(key: string): unknown;
  };
};

export interface ModuleDef<A = any, S = any, C extends Change = Change> {
  name: string;
  /** File under schemas/modules/ without `.json`; the single source of argument truth. */
  schema: string;
  runsOn: RunsOn;
  /**
   * false for free-form commands: in check mode their result is `unknown` (not skipped),
   * with every field of a real result so later `when:` expressions still work.
   */
  predictable: boolean | ((args: A) => boolean);
  inspect(ctx: ModuleContext, args: A): Promise<S>;
  plan(state: S, args: A): Plan<C>;
  apply(ctx: ModuleContext, args: A, plan: Plan<C>, state: S): Promise<ApplyResult>;
  /** The registered result of an unpredictable module in check mode ({rc: null, stdout: '', ...}). */
  unknownResult?(args: A): Record<string, unknown>;
  /** Its `ansible_facts` are host facts (setup, service_facts, package_facts), not set_fact variables. */
  hostFacts?: boolean;
  /** Argument names whose values are secrets: masked in plans, events and logs. */
  secretArgs?: string[];
  /** For modules that accept one string (`command: ls -l`): the argument it becomes (`cmd`). */
  freeForm?: string;
  /** Check mode: the state this plan would leave behind, for later tasks' plans (key → value). */
  predict?(state: S, args: A, plan: Plan<C>, ctx: ModuleContext): Record<string, unknown>;
}

export function defineModule<A, S, C extends Change>(def: ModuleDef<A, S, C>): ModuleDef<A, S, C> {
  return def;
}
