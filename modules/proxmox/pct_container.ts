// pct_container: the Proxmox preflight of seed 001 ("join and upgrade playbooks include `pct
// status` preflight checks; join playbooks auto-start stopped target containers"). It asks the
// Proxmox node `pct status <vmid>` for the task's host before anything runs inside it: running
// is ok; stopped is refused, naming the container, its vmid and its node (state: running), or
// started with `pct start` (state: started). A host not reached through pct has nothing to
// check (ok, without connecting), so a playbook runs it on every host of any inventory.
import { defineModule } from '../../engine/index-module.js';
import { PctConnection } from '../../engine/connection/pct.js';
import { pctState } from '../../engine/connection/pct-failure.js';
import { printedLines } from '../../engine/connection/printed.js';

type Args = { state: 'running' | 'started' };
type Container = { host: string; vmid: number; node: string };
type State =
  { kind: 'not-pct'; host: string; connection: string } | (Container & { kind: 'pct'; status: string; error?: string });
type Change = { summary: string; kind: 'start' };

// A real `pct start` waits for the container's init; the sandbox's is quick.
const START_TIMEOUT_MS = 120_000;

export const describeContainer = (c: Container): string => `container ${c.vmid} (${c.host}) on ${c.node}`;

/** `status: running` → running; what pct printed otherwise (pct status says stopped or unknown). */
export function parseStatus(stdout: string): string {
  return pctState(stdout) ?? 'unknown';
}

export const pctContainer = defineModule<Args, State, Change>({
  name: 'pct_container',
  schema: 'pct_container',
  runsOn: 'host',
  predictable: true,
  async inspect(ctx) {
    const kind = ctx.connectionKind();
    if (kind !== 'pct') return { kind: 'not-pct', host: ctx.host, connection: kind };
    const conn = await ctx.connection();
    if (!(conn instanceof PctConnection)) return { kind: 'not-pct', host: ctx.host, connection: conn.kind };
    const c = { host: ctx.host, vmid: conn.vmid, node: conn.proxmoxHost };
    const r = await conn.pctCommand('status', { signal: ctx.signal });
    if (r.rc !== 0) return { kind: 'pct', ...c, status: 'unknown', error: printedLines(r.stderr, r.stdout) };
    return { kind: 'pct', ...c, status: parseStatus(r.stdout) };
  },
  plan(s, a) {
    if (s.kind === 'not-pct')
      return { changes: [], noop: `${s.host} is not a Proxmox container (connection ${s.connection})`, data: {} };
    const data = { vmid: s.vmid, proxmox_node: s.node, status: s.status };
    const ct = describeContainer(s);
    if (s.error) return { changes: [], refuse: `${ct}: pct status failed: ${s.error}; nothing was changed`, data };
    if (s.status === 'running') return { changes: [], noop: `${ct} is running`, data };
    if (s.status !== 'stopped')
      return { changes: [], refuse: `${ct} is ${s.status} (pct status): nothing was changed`, data };
    if (a.state === 'running')
      return {
        changes: [],
        refuse: `${ct} is stopped: start it with \`pct start ${s.vmid}\` on ${s.node}, then run again; nothing was changed`,
        data,
      };
    return { changes: [{ kind: 'start', summary: `start ${ct} (pct start ${s.vmid})` }], data };
  },
  async apply(ctx, _a, _plan, s) {
    if (s.kind !== 'pct') return {};
    const conn = (await ctx.connection()) as PctConnection;
    const ct = describeContainer(s);
    const r = await conn.pctCommand('start', { signal: ctx.signal, timeout: START_TIMEOUT_MS });
    if (r.rc !== 0) return { failed: `pct start ${s.vmid} on ${s.node} failed: ${printedLines(r.stderr, r.stdout)}` };
    const after = await conn.pctCommand('status', { signal: ctx.signal });
    const status = after.rc === 0 ? parseStatus(after.stdout) : 'unknown';
    if (status !== 'running')
      return { failed: `${ct} is ${status} after pct start ${s.vmid}`, data: { status }, changed: true };
    return { msg: `${ct} started`, data: { vmid: s.vmid, proxmox_node: s.node, status } };
  },
});
