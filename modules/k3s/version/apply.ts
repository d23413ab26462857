// Running the install script for each planned step, the way get.k3s.io is meant to be run
// (`sh install.sh <role> <flags...>` with INSTALL_K3S_* and K3S_* in the environment), then
// waiting for the service and the node.
//
// Nothing secret goes on a command line, where sudo's log and `ps` would show it: K3S_TOKEN,
// K3S_DATASTORE_ENDPOINT and carried flags like `--token` are written, through stdin, to files
// in a directory that root creates with `mktemp -d` (0700; files 0600), next to the install
// script, which root downloads or copies there. A fixed runner sources them; the directory is
// removed afterwards, on failure too. The module does this itself rather than relying on the
// connection's `env` option: the flags are arguments, not env; the files make the install's
// environment the same on ssh, pct and local, with or without a sudo password (sudo's env_reset
// drops a caller's environment); and a private script path cannot be pre-created or swapped by
// another local user, as a fixed /tmp path could.
import { errorMessage, ModuleError } from '../../../engine/errors.js';
import { checkEnvNames } from '../../../engine/connection/env-stdin.js';
import { shellJoin, shellQuote } from '../../../engine/connection/quote.js';
import type { ApplyResult, ModuleContext } from '../../../engine/module.js';
import { kubeError, kubeErrorMessage, statusCode } from '../../../engine/kube/errors.js';
import { nodeFacts } from '../../../engine/kube/node-facts.js';
import type { KubeClient } from '../../../engine/kube/types.js';
import { compareVersions } from '../../../engine/versions.js';
import { kubeOrNone } from './api.js';
import type { InstallStep, VersionArgs } from './plan.js';

/** Sources the env file (exported) and the args file (`set -- ...`), then runs the script. */
export const INSTALL_RUNNER = 'set -a; . "$1"; set +a; s=$2; . "$3"; exec sh "$s" "$@"';
const WORKDIR = /^\/tmp\/herdbook-k3s\.[A-Za-z0-9]+$/;

type Workdir = { dir: string; env: string; args: string; script: string };

/** The env file: one `NAME='value'` line each, values single-quoted for `.`. */
export function envFileText(env: Record<string, string>): string {
  const bad = checkEnvNames(env);
  if (bad) throw new ModuleError(`${bad} for the install script`);
  return Object.entries(env)
    .map(([k, v]) => `${k}=${shellQuote(v)}\n`)
    .join('');
}

/** The args file: the install script's arguments as `set -- 'agent' '--node-label' ...`. */
export function argsFileText(args: readonly string[]): string {
  return `set --${args.length ? ` ${shellJoin(args)}` : ''}\n`;
}

/** `install_script_url` may name a file on the node (air-gapped): an absolute path or file:// URL. */
function localScript(a: VersionArgs): string | undefined {
  if (a.install_script) return a.install_script;
  if (a.install_script_url.startsWith('/')) return a.install_script_url;
  if (a.install_script_url.startsWith('file://')) return decodeURIComponent(new URL(a.install_script_url).pathname);
  return undefined;
}

const tail = (r: { stdout: string; stderr: string }, lines = 4) =>
  (r.stderr || r.stdout).trim().split('\n').slice(-lines).join(' | ');

async function makeWorkdir(ctx: ModuleContext): Promise<Workdir> {
  const r = await ctx.exec(['sh', '-c', 'umask 077 && mktemp -d /tmp/herdbook-k3s.XXXXXXXXXX'], { become: true });
  const dir = r.stdout.trim();
  if (r.rc !== 0 || !WORKDIR.test(dir))
    throw new ModuleError(
      `cannot create a private directory for the install script (mktemp -d, exit ${r.rc}): ${tail(r) || dir}`,
    );
  return { dir, env: `${dir}/install.env`, args: `${dir}/install.args`, script: `${dir}/install.sh` };
}

async function writePrivate(ctx: ModuleContext, file: string, text: string): Promise<void> {
  const r = await ctx.exec(['sh', '-c', 'umask 077 && cat > "$1" && chmod 600 "$1"', 'write', file], {
    become: true,
    stdin: text,
  });
  if (r.rc !== 0) throw new ModuleError(`cannot write ${file} (exit ${r.rc}): ${tail(r)}`);
}

async function fetchScript(ctx: ModuleContext, a: VersionArgs, dest: string): Promise<string | undefined> {
  const local = localScript(a);
  if (local) {
    const r = await ctx.exec(['cp', '--', local, dest], { become: true });
    return r.rc === 0 ? undefined : `cannot copy the install script ${local} on ${ctx.host} (exit ${r.rc}): ${tail(r)}`;
  }
  const r = await ctx.exec(
    [
      'sh',
      '-c',
      'if command -v curl >/dev/null 2>&1; then curl -sfL -o "$1" "$2"; else wget -qO "$1" "$2"; fi',
      'fetch',
      dest,
      a.install_script_url,
    ],
    { become: true },
  );
  return r.rc === 0
    ? undefined
    : `cannot download the install script ${a.install_script_url} (exit ${r.rc}): ${tail(r)}`;
}

async function removeWorkdir(ctx: ModuleContext, dir: string): Promise<void> {
  try {
    // After an interrupt or a task timeout too: a signal and a time limit of its own.
    const r = await ctx.exec(['rm', '-rf', '--', dir], {
      become: true,
      signal: new AbortController().signal,
      timeout: 30_000,
    });
    if (r.rc === 0) return;
    ctx.warn(
      `could not remove ${dir} on ${ctx.host} (exit ${r.rc}): it holds the install environment (root-only); remove it by hand`,
    );
  } catch (e) {
    ctx.warn(
      `could not remove ${dir} on ${ctx.host} (${errorMessage(e)}): it holds the install environment (root-only); remove it by hand`,
    );
  }
}

async function waitActive(ctx: ModuleContext, service: string, deadline: number): Promise<string | undefined> {
  for (;;) {
    const r = await ctx.exec(['systemctl', 'is-active', service], { idempotent: true });
    const state = r.stdout.trim();
    if (state === 'active') return undefined;
    if (state === 'failed' || ctx.now() >= deadline) {
      const log = await ctx.exec(
        [
          'sh',
          '-c',
          'journalctl -u "$1" -n 5 --no-pager 2>/dev/null || systemctl status "$1" 2>/dev/null | tail -5',
          'log',
          service,
        ],
        { idempotent: true },
      );
      return `${service} is ${state || 'not active'}${log.stdout.trim() ? `:\n${log.stdout.trim()}` : ''}`;
    }
    ctx.progress(`waiting for ${service} to be active (${state})`);
    await ctx.sleep(1000);
  }
}

async function waitNode(
  ctx: ModuleContext,
  kube: KubeClient,
  version: string,
  deadline: number,
): Promise<string | undefined> {
  let seen = 'not registered';
  for (;;) {
    try {
      const f = nodeFacts(await kube.core.readNode({ name: ctx.nodeName }));
      if (f.ready && f.kubelet_version && compareVersions(f.kubelet_version, version) === 0) return undefined;
      seen = `${f.ready ? 'Ready' : 'NotReady'}, kubelet ${f.kubelet_version}`;
    } catch (e) {
      const code = statusCode(e);
      if (code === 404) seen = 'not registered';
      // While a server restarts, its own API is briefly unreachable or unavailable: keep waiting.
      else if (code === undefined || code === 429 || code >= 500) seen = kubeErrorMessage(e, kube.server);
      else throw kubeError(e, `reading node/${ctx.nodeName}`, kube.server);
    }
    if (ctx.now() >= deadline || ctx.signal.aborted) return `node/${ctx.nodeName} is not Ready at ${version} (${seen})`;
    ctx.progress(`waiting for node/${ctx.nodeName} Ready at ${version} (${seen})`);
    await ctx.sleep(2000);
  }
}

export async function applyVersion(ctx: ModuleContext, a: VersionArgs, changes: InstallStep[]): Promise<ApplyResult> {
  // Before anything is installed: a configured API that cannot be used fails here, not after.
  const kube = a.wait ? await kubeOrNone(ctx) : undefined;
  if (a.wait && !kube)
    ctx.warn(
      `no Kubernetes API configured: waiting for the service only, not for node/${ctx.nodeName} to report Ready`,
    );
  const w = await makeWorkdir(ctx);
  try {
    const fetchFailed = await fetchScript(ctx, a, w.script);
    if (fetchFailed) return { failed: fetchFailed };
    return await runSteps(ctx, a, changes, w, kube);
  } finally {
    await removeWorkdir(ctx, w.dir);
  }
}

async function runSteps(
  ctx: ModuleContext,
  a: VersionArgs,
  changes: InstallStep[],
  w: Workdir,
  kube: KubeClient | undefined,
): Promise<ApplyResult> {
  const done: string[] = [];
  const stop = (msg: string, step: InstallStep): ApplyResult => ({
    failed: `${step.summary}: ${msg}. The node did not come back; fix it before going on (the rollout stops here)`,
    data: { done, stopped_at: step.version },
  });
  for (const step of changes) {
    ctx.progress(step.summary);
    await writePrivate(ctx, w.env, envFileText(step.env));
    await writePrivate(ctx, w.args, argsFileText(step.args));
    const r = await ctx.exec(['sh', '-c', INSTALL_RUNNER, 'sh', w.env, w.script, w.args], { become: true });
    if (r.rc !== 0) return stop(`the install script failed (exit ${r.rc}): ${tail(r)}`, step);
    if (a.wait) {
      const deadline = ctx.now() + a.wait_timeout * 1000;
      const service = step.role === 'server' ? 'k3s' : 'k3s-agent';
      let down: string | undefined;
      try {
        down =
          (await waitActive(ctx, service, deadline)) ??
          (kube ? await waitNode(ctx, kube, step.version, deadline) : undefined);
      } catch (e) {
        return stop(`cannot wait for node/${ctx.nodeName} to be Ready: ${errorMessage(e)}`, step);
      }
      if (down) return stop(`${down} after ${a.wait_timeout}s`, step);
    }
    done.push(step.version);
  }
  return { msg: changes.map((c) => c.summary).join('; '), data: { done, version: done.at(-1) } };
}
