// Running the install script for each planned step, the way get.k3s.io is meant to be run
// (`sh install.sh <role> <flags...>` with INSTALL_K3S_* and K3S_* in the environment, never a
// command line built from strings), then waiting for the service and the node.
import type { ApplyResult, ModuleContext } from '../../../engine/module.js';
import { kubeError, statusCode } from '../../../engine/kube/errors.js';
import { nodeFacts } from '../../../engine/kube/node-facts.js';
import { compareVersions } from '../../../engine/versions.js';
import type { InstallStep, VersionArgs } from './plan.js';

const SCRIPT = '/tmp/herdbook-k3s-install.sh';

async function fetchScript(ctx: ModuleContext, a: VersionArgs): Promise<string | undefined> {
  if (a.install_script) return undefined;
  const r = await ctx.exec(['sh', '-c', 'if command -v curl >/dev/null; then curl -sfL -o "$1" "$2"; else wget -qO "$1" "$2"; fi', 'fetch', SCRIPT, a.install_script_url]);
  if (r.rc !== 0) return `cannot download the install script ${a.install_script_url} (exit ${r.rc}): ${r.stderr.trim()}`;
  return undefined;
}

async function waitActive(ctx: ModuleContext, service: string, deadline: number): Promise<string | undefined> {
  for (;;) {
    const r = await ctx.exec(['systemctl', 'is-active', service], { idempotent: true });
    const state = r.stdout.trim();
    if (state === 'active') return undefined;
    if (state === 'failed' || ctx.now() >= deadline) {
      const log = await ctx.exec(['sh', '-c', 'journalctl -u "$1" -n 5 --no-pager 2>/dev/null || systemctl status "$1" 2>/dev/null | tail -5', 'log', service], { idempotent: true });
      return `${service} is ${state || 'not active'}${log.stdout.trim() ? `:\n${log.stdout.trim()}` : ''}`;
    }
    ctx.progress(`waiting for ${service} to be active (${state})`);
    await ctx.sleep(1000);
  }
}

async function waitNode(ctx: ModuleContext, version: string, deadline: number): Promise<string | undefined> {
  let kube;
  try {
    kube = await ctx.kube();
  } catch {
    ctx.warn(`no Kubernetes API configured: not waiting for node/${ctx.nodeName} to report Ready at ${version}`);
    return undefined;
  }
  let seen = 'not registered';
  for (;;) {
    try {
      const f = nodeFacts(await kube.core.readNode({ name: ctx.nodeName }));
      if (f.ready && f.kubelet_version && compareVersions(f.kubelet_version, version) === 0) return undefined;
      seen = `${f.ready ? 'Ready' : 'NotReady'}, kubelet ${f.kubelet_version}`;
    } catch (e) {
      const code = statusCode(e);
      // While a server restarts, its own API is briefly unreachable: keep waiting.
      if (code === undefined) seen = 'API not answering';
      else if (code === 404) seen = 'not registered';
      else throw kubeError(e, `reading node/${ctx.nodeName}`, kube.server);
    }
    if (ctx.now() >= deadline || ctx.signal.aborted) return `node/${ctx.nodeName} is not Ready at ${version} (${seen})`;
    ctx.progress(`waiting for node/${ctx.nodeName} Ready at ${version} (${seen})`);
    await ctx.sleep(2000);
  }
}

export async function applyVersion(ctx: ModuleContext, a: VersionArgs, changes: InstallStep[]): Promise<ApplyResult> {
  const fetchFailed = await fetchScript(ctx, a);
  if (fetchFailed) return { failed: fetchFailed };
  const done: string[] = [];
  for (const step of changes) {
    ctx.progress(step.summary);
    const script = a.install_script ?? SCRIPT;
    const r = await ctx.exec(['sh', script, ...step.args], { env: step.env, become: true });
    if (r.rc !== 0) {
      return { failed: `${step.summary}: the install script failed (exit ${r.rc}): ${(r.stderr || r.stdout).trim().split('\n').slice(-4).join(' | ')}. The node did not come back; fix it before going on (the rollout stops here)`, data: { done, stopped_at: step.version } };
    }
    if (a.wait) {
      const deadline = ctx.now() + a.wait_timeout * 1000;
      const service = step.role === 'server' ? 'k3s' : 'k3s-agent';
      const down = (await waitActive(ctx, service, deadline)) ?? (await waitNode(ctx, step.version, deadline));
      if (down) return { failed: `${step.summary}: ${down} after ${a.wait_timeout}s. The node did not come back; fix it before going on (the rollout stops here)`, data: { done, stopped_at: step.version } };
    }
    done.push(step.version);
  }
  return { msg: changes.map((c) => c.summary).join('; '), data: { done, version: done.at(-1) } };
}
