// Proxmox for the sandbox: the fake `pct` on a "Proxmox" node, and the container registry it
// reads. A container is another sandbox node: its config on the Proxmox node names that node
// and the PID whose mount namespace `pct exec` enters (the node's sshd in the fleet).
import { chmod, mkdir, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { nodeRoot } from '../fleet/layout.js';
import { readAsset } from './assets.js';

/** Where the fake pct goes: /usr/local/bin is per-node in the fleet, /usr/sbin is not. */
export const PCT_PATH = '/usr/local/bin/pct';

export async function installFakePct(pveNodeRoot: string): Promise<string> {
  const target = path.join(pveNodeRoot, PCT_PATH);
  await mkdir(path.dirname(target), { recursive: true });
  await writeFile(target, await readAsset('pct.sh'));
  await chmod(target, 0o755);
  return target;
}

export type ContainerStatus = 'running' | 'stopped';
export type ContainerOptions = { hostname?: string; status?: ContainerStatus; unprivileged?: boolean };

function lxcDir(stateDir: string, pveNode: string): string {
  return path.join(nodeRoot(stateDir, pveNode), 'etc/pve/nodes', pveNode, 'lxc');
}

function checkIds(pveNode: string, vmid: number): void {
  if (!Number.isInteger(vmid) || vmid < 100) throw new Error(`not a Proxmox VMID: ${vmid}`);
  if (!/^[a-z0-9][-a-z0-9]*$/.test(pveNode)) throw new Error(`not a Proxmox node name: ${pveNode}`);
}

/**
 * Make `vmid` a container on Proxmox node `pveNode` backed by sandbox node `containerNodeName`
 * whose mount namespace is that of `pid`. Installs the fake pct on the Proxmox node, and the
 * /etc/pve/local and /etc/pve/lxc links pmxcfs provides.
 */
export async function registerContainer(
  stateDir: string,
  pveNode: string,
  vmid: number,
  containerNodeName: string,
  pid: number,
  opts: ContainerOptions = {},
): Promise<string> {
  checkIds(pveNode, vmid);
  const root = nodeRoot(stateDir, pveNode);
  const dir = lxcDir(stateDir, pveNode);
  await mkdir(dir, { recursive: true });
  for (const [link, target] of [
    ['local', `nodes/${pveNode}`],
    ['lxc', `nodes/${pveNode}/lxc`],
  ]) {
    await rm(path.join(root, 'etc/pve', link), { force: true });
    await symlink(target, path.join(root, 'etc/pve', link));
  }
  const conf = [
    `#fake-node: ${containerNodeName}`,
    `#fake-pid: ${pid}`,
    'arch: amd64',
    'cores: 2',
    `hostname: ${opts.hostname ?? containerNodeName}`,
    'memory: 4096',
    `net0: name=eth0,bridge=vmbr0,ip=dhcp,type=veth`,
    'ostype: debian',
    `rootfs: local-lvm:vm-${vmid}-disk-0,size=8G`,
    'swap: 512',
    `unprivileged: ${opts.unprivileged === false ? 0 : 1}`,
    '',
  ].join('\n');
  const file = path.join(dir, `${vmid}.conf`);
  await writeFile(file, conf);
  await setContainerStatus(stateDir, pveNode, vmid, opts.status ?? 'running');
  await installFakePct(root);
  return file;
}

/** A process's start time (field 22 of /proc/PID/stat), which tells it from a later one with its pid. */
async function startedAt(pid: string): Promise<string | undefined> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  return stat?.slice(stat.lastIndexOf(') ') + 2).split(' ')[19];
}

/**
 * Kills what `pct exec` started in the container (pct.sh records each such pid with its start
 * time) and every descendant, collected before any is killed (a killed parent's children are
 * reparented): a stopped container keeps no process attached to it.
 */
async function killAttached(statusDir: string, vmid: number): Promise<void> {
  const file = path.join(statusDir, `${vmid}.attached`);
  const lines = (await readFile(file, 'utf8').catch(() => '')).split('\n').filter(Boolean);
  let found: string[] = [];
  for (const line of lines) {
    const [pid, t] = line.split(' ');
    if ((await startedAt(pid)) === t) found.push(pid);
  }
  const all = new Set(found);
  const parents = new Map<string, string>();
  for (const p of await readdir('/proc')) {
    if (!/^\d+$/.test(p)) continue;
    const stat = await readFile(`/proc/${p}/stat`, 'utf8').catch(() => undefined);
    if (stat) parents.set(p, stat.slice(stat.lastIndexOf(') ') + 2).split(' ')[1]);
  }
  while (found.length) {
    const next = [...parents].filter(([p, pp]) => found.includes(pp) && !all.has(p)).map(([p]) => p);
    next.forEach((p) => all.add(p));
    found = next;
  }
  for (const p of all) {
    try {
      process.kill(Number(p), 'SIGKILL');
    } catch {
      // Gone already.
    }
  }
  await rm(file, { force: true });
}

/**
 * Flip a container's status without booting or halting its services. Stopping it ends what is
 * attached to it through `pct exec` (a persistent executor's shell), as a real stop would.
 */
export async function setContainerStatus(
  stateDir: string,
  pveNode: string,
  vmid: number,
  status: ContainerStatus,
): Promise<void> {
  checkIds(pveNode, vmid);
  const dir = path.join(nodeRoot(stateDir, pveNode), 'run/fake-pct');
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, `${vmid}.status`), `${status}\n`);
  if (status === 'stopped') await killAttached(dir, vmid);
}
