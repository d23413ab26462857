// pct_exec: a command inside a Proxmox LXC container, run on the Proxmox host (the task's
// host) with `pct exec <vmid> -- argv...`. Unknown or stopped containers fail with pct's own
// message; start_if_stopped starts them first. Free-form: predictable only with creates/removes.
// `env` values are read from stdin inside the container: plans and messages show the names only.
import { defineModule, ModuleError } from '../../engine/index-module.js';
import type { ModuleContext } from '../../engine/module.js';
import { checkEnvNames, envFromStdin, envNames } from '../../engine/connection/env-stdin.js';
import { shellJoin } from '../../engine/connection/quote.js';

type Args = {
  vmid: number;
  command?: string | string[];
  cmd?: string;
  creates?: string;
  removes?: string;
  start_if_stopped: boolean;
  env: Record<string, string>;
  sudo?: boolean;
};
type State = { status: 'running' | 'stopped' | 'unknown' | 'missing'; message?: string; skip?: string };
type Change = { summary: string; kind: 'start' | 'run'; argv?: string[] };

// The command without its env: env values never reach a plan, a message or an argv.
function inner(a: Args): string[] {
  const c = a.command ?? a.cmd;
  if (c === undefined || (Array.isArray(c) ? !c.length : !c.trim()))
    throw new ModuleError('pct_exec needs a command (a string or a list of words)');
  return Array.isArray(c) ? c.map(String) : ['/bin/sh', '-c', c];
}

function pct(ctx: ModuleContext, a: Args, args: string[], stdin?: Buffer) {
  // pct needs root on the Proxmox node: sudo unless we log in as root (or sudo: false).
  const sudo = a.sudo ?? (ctx.hostVar('ansible_user') ?? ctx.hostVar('user') ?? 'root') !== 'root';
  return ctx.exec([...(sudo ? ['sudo', '-n'] : []), 'pct', ...args], {
    idempotent: args[0] === 'status',
    ...(stdin ? { stdin } : {}),
  });
}

/** `pct exec` of argv with the task's env: the values on stdin, out of the Proxmox host's `ps`. */
function execIn(ctx: ModuleContext, a: Args, argv: string[]) {
  if (!Object.keys(a.env).length) return pct(ctx, a, ['exec', String(a.vmid), '--', ...argv]);
  const withEnv = envFromStdin(a.env, argv);
  return pct(ctx, a, ['exec', String(a.vmid), '--', ...withEnv.argv], withEnv.stdin);
}

export const pctExec = defineModule<Args, State, Change>({
  name: 'pct_exec',
  schema: 'pct_exec',
  runsOn: 'host',
  predictable: (a) => Boolean(a.creates || a.removes),
  async inspect(ctx, a) {
    const st = await pct(ctx, a, ['status', String(a.vmid)]);
    if (st.rc !== 0) return { status: 'missing', message: (st.stderr || st.stdout).trim().split('\n')[0] };
    const status = (/status:\s*(\w+)/.exec(st.stdout)?.[1] ?? 'unknown') as State['status'];
    if (status === 'running' && (a.creates || a.removes)) {
      const p = (a.creates ?? a.removes)!;
      const r = await pct(ctx, a, ['exec', String(a.vmid), '--', 'test', '-e', p]);
      if (a.creates && r.rc === 0) return { status, skip: `skipped, since ${p} exists in container ${a.vmid}` };
      if (a.removes && r.rc !== 0) return { status, skip: `skipped, since ${p} does not exist in container ${a.vmid}` };
    }
    return { status };
  },
  plan(s, a) {
    if (s.status === 'missing') return { changes: [], refuse: `container ${a.vmid}: ${s.message}` };
    if (s.status === 'unknown') return { changes: [], refuse: `container ${a.vmid}: pct status says unknown` };
    if (s.skip)
      return { changes: [], noop: s.skip, data: { rc: 0, stdout: '', stderr: '', stdout_lines: [], stderr_lines: [] } };
    if (s.status === 'stopped' && !a.start_if_stopped)
      return {
        changes: [],
        refuse: `container '${a.vmid}' not running! (set start_if_stopped: true to start it first)`,
      };
    const badEnv = checkEnvNames(a.env);
    if (badEnv) return { changes: [], refuse: `pct_exec env: ${badEnv}` };
    const argv = inner(a);
    const env = Object.keys(a.env).length ? ` (env: ${envNames(a.env)})` : '';
    return {
      changes: [
        ...(s.status === 'stopped' ? [{ kind: 'start' as const, summary: `start container ${a.vmid}` }] : []),
        { kind: 'run', argv, summary: `run in container ${a.vmid}: ${shellJoin(argv)}${env}` },
      ],
    };
  },
  async apply(ctx, a, plan) {
    const started = plan.changes.some((c) => c.kind === 'start');
    if (started) {
      const r = await pct(ctx, a, ['start', String(a.vmid)]);
      if (r.rc !== 0) return { failed: `pct start ${a.vmid}: ${(r.stderr || r.stdout).trim()}` };
    }
    const run = plan.changes.find((c) => c.kind === 'run')!;
    const r = await execIn(ctx, a, run.argv!);
    const lines = (t: string) => (t ? t.replace(/\n$/, '').split('\n') : []);
    const data = {
      rc: r.rc,
      stdout: r.stdout.replace(/\n$/, ''),
      stderr: r.stderr.replace(/\n$/, ''),
      stdout_lines: lines(r.stdout),
      stderr_lines: lines(r.stderr),
      started,
    };
    if (r.rc !== 0)
      return {
        data,
        changed: true,
        failed: `non-zero return code ${r.rc}${r.stderr.trim() ? `: ${r.stderr.trim().split('\n').slice(-2).join(' | ')}` : ''}`,
      };
    return { data };
  },
  unknownResult: () => ({ rc: null, stdout: '', stderr: '', stdout_lines: [], stderr_lines: [] }),
});
