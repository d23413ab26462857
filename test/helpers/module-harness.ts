// Run a module the way the engine does (inspect → plan → check-mode report or apply) against a
// real connection, without a playbook: for check-mode and idempotency tests of each module.
import type { Connection } from '../../engine/connection/types.js';
import { NoKubeApiError } from '../../engine/kube/errors.js';
import type { KubeClient } from '../../engine/kube/types.js';
import type { ModuleContext, ModuleDef } from '../../engine/module.js';
import { callModule } from '../../engine/run/module-call.js';
import type { HostResult } from '../../engine/run/task-result.js';
import { createTemplater, Scope } from '../../engine/template/index.js';
import { moduleArgs } from './plan-fixtures.js';

export type HarnessOptions = {
  host?: string;
  nodeName?: string;
  connection?: Connection;
  connectionKind?: 'local' | 'ssh' | 'pct';
  connections?: Record<string, Connection>;
  kube?: () => Promise<KubeClient>;
  vars?: Record<string, unknown>;
  become?: boolean;
  baseDir?: string;
  progress?: string[];
  cordoned?: Map<string, string>;
  predictions?: Map<string, unknown>;
};

export function moduleContext(opts: HarnessOptions, check: boolean, diff = true): ModuleContext {
  const t = createTemplater();
  const scope = new Scope([opts.vars ?? {}]);
  const conn = async (host?: string) => {
    if (host && opts.connections?.[host]) return opts.connections[host];
    if (!opts.connection) throw new Error('this test gave the module no connection');
    return opts.connection;
  };
  const abort = new AbortController();
  return {
    host: opts.host ?? 'test-host',
    nodeName: opts.nodeName ?? opts.host ?? 'test-host',
    check,
    diff,
    exec: async (cmd, o = {}) => (await conn()).exec(cmd, { become: opts.become, ...o }),
    put: async (data, dest, o = {}) => (await conn()).put(data, dest, { become: opts.become, ...o }),
    get: async (src, o = {}) => (await conn()).get(src, { become: opts.become, ...o }),
    connection: conn,
    connectionKind: () =>
      opts.connectionKind ?? (opts.connection?.kind as 'local' | 'ssh' | 'pct' | undefined) ?? 'local',
    // Like a run without kubeconfig: modules with an API-less fallback take it.
    kube:
      opts.kube ??
      (() =>
        Promise.reject(
          new NoKubeApiError('no Kubernetes API configured: this test gave the module no Kubernetes client'),
        )),
    hostVar: (name) => (scope.has(name) ? t.variable(name, scope) : undefined),
    render: (text) => String(t.render(text, scope)),
    evaluate: (expr) => t.render(`{{${expr}}}`, scope),
    condition: (expr) => t.condition(expr, scope),
    verbosity: 0,
    resolveSource: (_kind, p) => (opts.baseDir && !p.startsWith('/') ? `${opts.baseDir}/${p}` : p),
    progress: (m) => opts.progress?.push(m),
    warn: () => undefined,
    log: () => undefined,
    secret: () => undefined,
    signal: abort.signal,
    sleep: (ms) => new Promise((r) => setTimeout(r, Math.min(ms, 50))),
    now: () => performance.now(),
    wallTime: () => Date.now(),
    cluster: {
      cordoned: (node, reason) => opts.cordoned?.set(node, reason),
      uncordoned: (node) => opts.cordoned?.delete(node),
      predict: (key, value) => opts.predictions?.set(key, value),
      predicted: (key) => opts.predictions?.get(key),
    },
  };
}

/** One task run: check mode or real. Arguments get schema defaults like the engine gives them. */
export async function runModule<A>(
  mod: ModuleDef<A>,
  args: unknown,
  opts: HarnessOptions,
  mode: { check?: boolean; diff?: boolean } = {},
): Promise<HostResult> {
  return callModule(
    mod as ModuleDef,
    moduleArgs(mod, args),
    moduleContext(opts, mode.check ?? false, mode.diff ?? true),
  );
}
