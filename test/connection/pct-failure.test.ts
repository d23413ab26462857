// What pct printed when it started no command, and what `pct status` said right after → the
// reason an operator reads. Outputs are pct's, lxc-attach's, sudo's and the shells' own words.
import { describe, expect, it } from 'vitest';
import { describePctFailure } from '../../engine/connection/pct-failure.js';
import type { ExecResult } from '../../engine/connection/types.js';

const r = (rc: number, stderr = '', stdout = ''): ExecResult => ({ rc, stdout, stderr });
const running = r(0, '', 'status: running\n');
const stopped = r(0, '', 'status: stopped\n');
const noConf = r(255, "Configuration file 'nodes/pve/lxc/102.conf' does not exist\n");

describe('describePctFailure', () => {
  it.each([
    [
      "pct's own refusal (exit 255)",
      r(255, "container '102' not running!\n"),
      stopped,
      'container',
      'container 102 (w-1) on pve is stopped: start it with `pct start 102`',
    ],
    // perl's die exits with errno when it is set: the status is not always 255.
    [
      'the same refusal with an errno exit status',
      r(2, "container '102' not running!\n"),
      stopped,
      'container',
      'container 102 (w-1) on pve is stopped: start it with `pct start 102`',
    ],
    // Older pct ran lxc-attach without checking: its failure is not pct's wording, status says why.
    [
      'an older pct: lxc-attach on a stopped container',
      r(1, 'lxc-attach: 102: attach.c: lxc_attach: 1136 Failed to get init pid\n'),
      stopped,
      'container',
      'container 102 (w-1) on pve is stopped: start it with `pct start 102`',
    ],
    [
      'an unknown container',
      noConf,
      noConf,
      'container',
      "container 102 (w-1) does not exist on pve: Configuration file 'nodes/pve/lxc/102.conf' does not exist (check pct_id; a container on another cluster node needs that node as pct_host)",
    ],
    [
      'a running container without /bin/sh',
      r(
        127,
        'lxc-attach: 102: attach.c: lxc_attach_run_command: 1841 No such file or directory - Failed to exec "/bin/sh"\n',
      ),
      running,
      'container',
      'container 102 (w-1) on pve is running, but pct exec failed (exit 127): lxc-attach: 102: attach.c: lxc_attach_run_command: 1841 No such file or directory - Failed to exec "/bin/sh"',
    ],
    [
      'a state pct calls unknown',
      r(255, 'lxc-attach: failed\n'),
      r(0, '', 'status: unknown\n'),
      'container',
      'container 102 (w-1) on pve is unknown: pct exec failed (exit 255): lxc-attach: failed',
    ],
    [
      'pct not installed (bash)',
      r(127, 'bash: line 1: pct: command not found\n'),
      r(127, 'bash: line 1: pct: command not found\n'),
      'config',
      'cannot run pct on pve for container 102 (w-1): bash: line 1: pct: command not found; pct_host must be a Proxmox VE node',
    ],
    [
      'pct not installed (dash)',
      r(127, 'sh: 1: pct: not found\n'),
      r(127, 'sh: 1: pct: not found\n'),
      'config',
      'cannot run pct on pve for container 102 (w-1): sh: 1: pct: not found; pct_host must be a Proxmox VE node',
    ],
    [
      'pct not installed (through sudo)',
      r(1, 'sudo: pct: command not found\n'),
      r(1, 'sudo: pct: command not found\n'),
      'config',
      'cannot run pct on pve for container 102 (w-1): sudo: pct: command not found; pct_host must be a Proxmox VE node',
    ],
    [
      'sudo wants a password',
      r(1, 'sudo: a password is required\n'),
      r(1, 'sudo: a password is required\n'),
      'config',
      'not permitted to run pct on pve for container 102 (w-1): sudo: a password is required; pct needs root there: log in as root, or allow the login user sudo without a password for /usr/sbin/pct',
    ],
    [
      'sudo allows other commands only',
      r(1, "Sorry, user ansible is not allowed to execute '/usr/sbin/pct exec 102 -- true' as root on pve.\n"),
      r(1, "Sorry, user ansible is not allowed to execute '/usr/sbin/pct status 102' as root on pve.\n"),
      'config',
      "not permitted to run pct on pve for container 102 (w-1): Sorry, user ansible is not allowed to execute '/usr/sbin/pct status 102' as root on pve.; pct needs root there: log in as root, or allow the login user sudo without a password for /usr/sbin/pct",
    ],
    [
      'a non-root login without sudo',
      r(255, 'please run as root\n'),
      r(255, 'please run as root\n'),
      'config',
      'not permitted to run pct on pve for container 102 (w-1): please run as root; set ansible_user for pve to root, or to a user with sudo for /usr/sbin/pct (herdbook then runs pct through sudo -n)',
    ],
    [
      'a vmid pct refuses',
      r(255, '400 Parameter verification failed.\nvmid: invalid format - value does not look like a valid VM ID\n'),
      r(255, '400 Parameter verification failed.\nvmid: invalid format - value does not look like a valid VM ID\n'),
      'container',
      'container 102 (w-1) on pve: pct exec and pct status failed (exit 255): 400 Parameter verification failed. | vmid: invalid format - value does not look like a valid VM ID',
    ],
    [
      'nothing printed at all',
      r(1),
      r(1),
      'container',
      'container 102 (w-1) on pve: pct exec and pct status failed (exit 1): no output',
    ],
    [
      'status fails differently',
      r(1, 'lxc-attach: failed\n'),
      r(2, 'cfs-lock timeout\n'),
      'container',
      'container 102 (w-1) on pve: pct exec failed (exit 1): lxc-attach: failed; pct status failed too (exit 2): cfs-lock timeout',
    ],
  ])('%s', (_title, exec, status, reason, message) => {
    expect(describePctFailure({ vmid: 102, host: 'w-1', node: 'pve', exec, status })).toEqual({ reason, message });
  });
});
