// Why `pct exec` did not start a command in a container, in words an operator can act on, from
// what pct printed and what `pct status <vmid>` says. Pure: the connection runs the commands.
//
// pct's own errors, as pve-container's src/PVE/CLI/pct.pm (exec) and pve-guest-common's
// AbstractConfig::load_config word them: "Configuration file 'nodes/<node>/lxc/<vmid>.conf' does
// not exist", then "container '<vmid>' not running!"; `pct status` prints "status: running",
// "status: stopped" (or "unknown"). They are Perl `die`s that nothing catches, so pct exits 255
// unless errno happens to be set (perl's die exits with $! when non-zero): the exit status alone
// cannot tell them from a command's, which is why the connection looks for its marker instead.
import type { UnreachableReason } from '../errors.js';
import { printedLines } from './printed.js';
import type { ExecResult } from './types.js';

export type PctFailureInput = {
  vmid: number;
  /** The inventory host of the container. */
  host: string;
  /** The Proxmox node (its inventory host). */
  node: string;
  /** `pct exec`'s result: no marker, so pct (or sudo, or the login on the node) failed. */
  exec: ExecResult;
  /** `pct status <vmid>` run right after. */
  status: ExecResult;
};

/** Up to three lines of what was printed, on one line. */
export const printed = (r: ExecResult): string => printedLines(r.stderr, r.stdout);

// A shell's words, or setsid's when the persistent executor starts pct itself.
const NOT_FOUND = /\bpct: (command )?not found|failed to execute pct: No such file or directory/;
const SUDO = /^sudo: |is not allowed to execute|a password is required|is not in the sudoers file/m;
// pct run by a non-root user without sudo dies with this (pve-container's src/pct).
const NOT_ROOT = /please run as root/;
const NO_CONFIG = /Configuration file '[^']*' does not exist/;

/** The state `pct status` printed ("status: running" → running), or undefined when it printed none. */
export function pctState(stdout: string): string | undefined {
  return /^status:\s*(\S+)/m.exec(stdout)?.[1];
}

export function describePctFailure(f: PctFailureInput): { reason: UnreachableReason; message: string } {
  const ct = `container ${f.vmid} (${f.host})`;
  const execText = `pct exec failed (exit ${f.exec.rc}): ${printed(f.exec)}`;
  if (f.status.rc === 0) {
    const state = pctState(f.status.stdout) ?? 'in an unknown state';
    if (state === 'stopped')
      return { reason: 'container', message: `${ct} on ${f.node} is stopped: start it with \`pct start ${f.vmid}\`` };
    if (state === 'running') return { reason: 'container', message: `${ct} on ${f.node} is running, but ${execText}` };
    return { reason: 'container', message: `${ct} on ${f.node} is ${state}: ${execText}` };
  }
  // pct status failed too: the reason is the same for both, and status words it for the container.
  const text = `${f.status.stderr}\n${f.exec.stderr}`;
  const said = printed(f.status.stderr.trim() || f.status.stdout.trim() ? f.status : f.exec);
  if (f.status.rc === 127 || NOT_FOUND.test(text)) {
    return {
      reason: 'config',
      message: `cannot run pct on ${f.node} for ${ct}: ${said}; pct_host must be a Proxmox VE node`,
    };
  }
  if (NOT_ROOT.test(text)) {
    return {
      reason: 'config',
      message: `not permitted to run pct on ${f.node} for ${ct}: ${said}; set ansible_user for ${f.node} to root, or to a user with sudo for /usr/sbin/pct (herdbook then runs pct through sudo -n)`,
    };
  }
  if (SUDO.test(text)) {
    return {
      reason: 'config',
      message: `not permitted to run pct on ${f.node} for ${ct}: ${said}; pct needs root there: log in as root, or allow the login user sudo without a password for /usr/sbin/pct`,
    };
  }
  const noConfig = NO_CONFIG.exec(text)?.[0];
  if (noConfig) {
    return {
      reason: 'container',
      message: `${ct} does not exist on ${f.node}: ${noConfig} (check pct_id; a container on another cluster node needs that node as pct_host)`,
    };
  }
  if (said === printed(f.exec))
    return {
      reason: 'container',
      message: `${ct} on ${f.node}: pct exec and pct status failed (exit ${f.exec.rc}): ${said}`,
    };
  return {
    reason: 'container',
    message: `${ct} on ${f.node}: ${execText}; pct status failed too (exit ${f.status.rc}): ${said}`,
  };
}
