// The ModuleContext a module receives: the host's connection with the task's become,
// environment and timeout already applied, the Kubernetes client, variables and progress.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Connection, ExecOptions } from '../connection/types.js';
import type { ModuleContext } from '../module.js';
import type { Scope } from '../template/index.js';
import type { KubeSpec, RunContext } from './context.js';
import { readVar } from './scope.js';
import type { TaskConnection } from './task-connection.js';
import { asText } from '../text.js';

export type TaskEnv = {
  host: string;
  /** The host whose connection is used (delegate_to), or the host itself. */
  target: string;
  nodeName: string;
  check: boolean;
  diff: boolean;
  /** The task's connection settings and become, resolved on first use (most controller tasks never ask). */
  connection: () => TaskConnection;
  environment: Record<string, string>;
  timeoutMs?: number;
  /** The run's abort, joined with this attempt's own (a task timeout): commands, waits and sleeps stop on it. */
  signal?: AbortSignal;
  kube: () => KubeSpec;
  role?: { dir: string };
  scope: Scope;
  hostScope: (host: string) => Scope;
  progress: (msg: string) => void;
  warn: (msg: string) => void;
  log: (level: number, msg: string) => void;
};

export function buildModuleContext(ctx: RunContext, env: TaskEnv): ModuleContext {
  const signal = env.signal ?? ctx.state.abort.signal;
  let conn: Promise<Connection> | undefined;
  const connection = (host?: string) => {
    if (host && host !== env.target) return ctx.deps.connection(host);
    conn ??= (async () => ctx.deps.connection(env.target, env.connection().settings))();
    return conn;
  };
  const become = () => env.connection().become;
  const becomeUser = () => env.connection().becomeUser;
  const withTask = (opts: ExecOptions = {}): ExecOptions => ({
    ...opts,
    become: opts.become ?? become(),
    becomeUser: opts.becomeUser ?? becomeUser(),
    env: { ...env.environment, ...(opts.env ?? {}) },
    timeout: opts.timeout ?? env.timeoutMs,
    signal: opts.signal ?? signal,
  });
  return {
    host: env.host,
    nodeName: env.nodeName,
    check: env.check,
    diff: env.diff,
    exec: async (cmd, opts) => (await connection()).exec(cmd, withTask(opts)),
    put: async (data, dest, opts = {}) =>
      (await connection()).put(data, dest, {
        ...opts,
        become: opts.become ?? become(),
        becomeUser: opts.becomeUser ?? becomeUser(),
      }),
    get: async (src, opts = {}) =>
      (await connection()).get(src, {
        ...opts,
        become: opts.become ?? become(),
        becomeUser: opts.becomeUser ?? becomeUser(),
      }),
    connection,
    connectionKind: () => env.connection().settings.kind,
    kube: async () => ctx.deps.kube(env.kube()),
    hostVar: (name, host) => readVar(ctx, host && host !== env.host ? env.hostScope(host) : env.scope, name),
    render: (text) => asText(ctx.deps.templater.render(text, env.scope) ?? ''),
    evaluate: (expr) => ctx.deps.templater.render(`{{${expr}}}`, env.scope),
    condition: (expr) => ctx.deps.templater.condition(expr, env.scope),
    verbosity: ctx.options.verbosity,
    resolveSource: (kind, p) => resolveSource(ctx, env.role?.dir, kind, p),
    progress: env.progress,
    warn: env.warn,
    log: (level, msg) => env.log(level, msg),
    secret: (value) => {
      if (value) ctx.state.secrets.add(value);
    },
    signal,
    sleep: (ms) => ctx.deps.clock.sleep(ms, signal),
    now: () => ctx.deps.clock.now(),
    wallTime: () => Date.now(),
    timeout: env.timeoutMs,
    cluster: {
      cordoned: (node, reason) => ctx.state.cordoned.set(node, reason),
      uncordoned: (node) => ctx.state.cordoned.delete(node),
      // Only a --check run rehearses: a check_mode: true task inside a real run (a preflight)
      // must neither record a change that did not happen nor read one back.
      predict: (key, value) => {
        if (ctx.options.check) ctx.state.predictions.set(key, value);
      },
      predicted: (key) => (ctx.options.check ? ctx.state.predictions.get(key) : undefined),
    },
  };
}

/** src files: the role's files/ (or templates/), then the playbook's, then the path as given. */
export function resolveSource(
  ctx: RunContext,
  roleDir: string | undefined,
  kind: 'files' | 'templates' | 'vars',
  p: string,
): string {
  if (path.isAbsolute(p)) return p;
  const candidates = [
    ...(roleDir ? [path.join(roleDir, kind, p), path.join(roleDir, p)] : []),
    path.join(ctx.playbookDir, kind, p),
    path.join(ctx.playbookDir, p),
  ];
  return candidates.find((c) => existsSync(c)) ?? candidates[candidates.length - 1];
}
