// What only a Proxmox host can do for its containers: an LXC container shares the host's kernel,
// so loading a kernel module or setting a system-wide sysctl from inside fails (or would change
// every container). Modules refuse there with the place the work belongs.
import { ModuleError, type ModuleContext } from '../../engine/index-module.js';

/** Throws when the task's host is a Proxmox container (`connection: pct`); `what` names the work. */
export async function refuseInContainer(ctx: ModuleContext, what: string): Promise<void> {
  const c = (await ctx.connection()).container;
  if (!c) return;
  throw new ModuleError(
    `${what} inside container ${c.vmid} (${ctx.host}): the kernel is the Proxmox host's, shared by all its containers: do this on Proxmox host ${c.proxmoxHost} for container ${c.vmid} (a task delegated to ${c.proxmoxHost}, or the container's config under /etc/pve/lxc/${c.vmid}.conf)`,
  );
}

/** Sysctls a container has its own copy of: the network namespace's (net.*); the rest are the host's. */
export function namespacedSysctl(name: string): boolean {
  return name.startsWith('net.');
}
