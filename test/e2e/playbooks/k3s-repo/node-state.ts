// What a playbook left on the sandbox's nodes, as one comparable map: every file under each
// node's own paths (NODE_PATHS) and its /etc and /home overlays (type, mode, owner, content),
// the shared etcd member list, and the API's Node objects. And putting the nodes back as they
// were before the first run, so a second tool starts from the same machines.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, lstatSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { NODE_OVERLAYS, NODE_PATHS, nodeOverlay, nodeRoot } from '../../../../sandbox/fleet/index.js';
import type { FileEntry } from '../../../conformance/harness/outcome.js';
import type { Sandbox } from '../sandbox.js';

/**
 * Content that differs between any two installs, whichever tool ran them, with the reason.
 * Compared by presence, type and mode only.
 */
export const RANDOM_CONTENT: { pattern: RegExp; why: string }[] = [
  { pattern: /\/server\/tls\/server-ca\.crt$/, why: 'k3s makes a new cluster CA at its first start' },
  { pattern: /\/server\/token$/, why: "the full token is K10<hash of the new CA>::server:<the inventory's token>" },
  { pattern: /\/server\/db\/etcd\/(name|config|member\/snap\/db)$/, why: 'an etcd member is <node>-<8 random hex>' },
];

/** Not the node's state but the tools' own: Ansible's remote temporary directory. */
const TOOL_FILES = /^\/home\/[^/]+\/\.ansible(\/|$)/;

// Unix seconds (the fake systemd's and sysctl's logs), RFC 3339 times (k3s's log lines), etcd member names.
const normalize = (s: string) =>
  s
    .replace(/\b1[6-9]\d{8}\b/g, '<time>')
    .replace(/\b\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)/g, '<time>')
    .replace(/\b([a-z]-\d+)-[0-9a-f]{8}\b/g, '$1-<member>');

const owners = new Map<number, string>();
function owner(uid: number, gid: number): string {
  const name = (id: number, db: string) => {
    const key = db === 'passwd' ? id : -1 - id;
    if (!owners.has(key)) {
      const line = readFileSync(`/etc/${db}`, 'utf8')
        .split('\n')
        .find((l) => l.split(':')[2] === String(id));
      owners.set(key, line?.split(':')[0] ?? String(id));
    }
    return owners.get(key)!;
  };
  return `${name(uid, 'passwd')}:${name(gid, 'group')}`;
}

function entry(file: string, remote: string): FileEntry {
  const st = lstatSync(file);
  const mode = (st.mode & 0o7777).toString(8).padStart(4, '0');
  const who = owner(st.uid, st.gid);
  if (st.isSymbolicLink()) return { type: 'link', mode, owner: who, content: readlinkSync(file) };
  if (st.isDirectory()) return { type: 'dir', mode, owner: who };
  const random = RANDOM_CONTENT.find((r) => r.pattern.test(remote));
  if (!st.isFile()) return { type: 'file', mode, owner: who, content: `(special ${st.mode.toString(8)})` };
  const data = readFileSync(file);
  const content = random
    ? `(random: ${random.why})`
    : data.length > 65536
      ? `sha256 ${createHash('sha256').update(data).digest('hex')}`
      : normalize(data.toString('utf8'));
  return { type: 'file', mode, owner: who, content };
}

function walk(dir: string, remote: string, out: Record<string, FileEntry>, key: (p: string) => string): void {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir).sort()) {
    const file = path.join(dir, name);
    const r = path.posix.join(remote, name);
    if (TOOL_FILES.test(r)) continue;
    out[key(r)] = entry(file, r);
    if (lstatSync(file).isDirectory()) walk(file, r, out, key);
  }
}

const fleetDir = (sb: Sandbox) => path.join(sb.state.stateDir, 'fleet');
const members = (sb: Sandbox) => path.join(sb.state.stateDir, 'k3s-etcd-members');

/** Every node's files, the etcd member list and the Nodes: `<node>:<path>`, `etcd:members`, `api:<node>`. */
export async function captureState(sb: Sandbox): Promise<Record<string, FileEntry>> {
  const out: Record<string, FileEntry> = {};
  for (const n of sb.state.nodes) {
    const root = nodeRoot(fleetDir(sb), n.name);
    for (const p of NODE_PATHS) walk(path.join(root, p), p, out, (r) => `${n.name}:${r}`);
    for (const o of NODE_OVERLAYS) walk(nodeOverlay(fleetDir(sb), n.name, o).upper, o, out, (r) => `${n.name}:${r}`);
  }
  if (existsSync(members(sb))) out['etcd:members'] = entry(members(sb), '/etcd-members');
  for (const node of (await sb.kube.core.listNode({})).items) {
    const sorted = (o: Record<string, string> = {}) => Object.fromEntries(Object.entries(o).sort());
    const view = {
      labels: sorted(node.metadata?.labels),
      annotations: sorted(node.metadata?.annotations),
      taints: node.spec?.taints ?? [],
      unschedulable: node.spec?.unschedulable ?? false,
      kubeletVersion: node.status?.nodeInfo?.kubeletVersion,
      ready: node.status?.conditions?.find((c) => c.type === 'Ready')?.status,
    };
    out[`api:${node.metadata!.name!}`] = {
      type: 'file',
      mode: '',
      owner: '',
      content: normalize(JSON.stringify(view)),
    };
  }
  return out;
}

export type Baseline = { dir: string; uppers: Record<string, Set<string>>; members?: Buffer };

/** A copy of every node's own paths and the names in its overlays, before anything ran. */
export function takeBaseline(sb: Sandbox, dir: string): Baseline {
  const uppers: Record<string, Set<string>> = {};
  for (const n of sb.state.nodes) {
    mkdirSync(dir, { recursive: true });
    // cp -a: links as they are (the fleet's lsmod → modprobe), owners and modes too.
    execFileSync('cp', ['-a', nodeRoot(fleetDir(sb), n.name), path.join(dir, n.name)]);
    const names = new Set<string>();
    for (const o of NODE_OVERLAYS) {
      const seen: Record<string, FileEntry> = {};
      walk(nodeOverlay(fleetDir(sb), n.name, o).upper, o, seen, (r) => r);
      for (const k of Object.keys(seen)) names.add(k);
    }
    uppers[n.name] = names;
  }
  return { dir, uppers, members: existsSync(members(sb)) ? readFileSync(members(sb)) : undefined };
}

/** Runs argv in the node's mount namespace (its overlays are mounted there, and only there). */
function onNode(sb: Sandbox, node: string, argv: string[], input?: Buffer): void {
  const manifest = JSON.parse(readFileSync(path.join(fleetDir(sb), 'fleet.json'), 'utf8')) as {
    nodes: { name: string; pid: number }[];
  };
  const pid = manifest.nodes.find((n) => n.name === node)!.pid;
  execFileSync('nsenter', ['-t', String(pid), '-m', '--', ...argv], { input });
}

/**
 * The nodes as the baseline had them: their own paths copied back (into the same directories,
 * which are bind-mounted), their overlay writes undone inside the node (an overlay's upper
 * directory must not change under it: new entries removed, a file of this machine's /etc given
 * its content back), the etcd member list, and the API's Nodes (they register again when k3s starts).
 */
export async function resetNodes(sb: Sandbox, base: Baseline): Promise<void> {
  for (const n of sb.state.nodes) {
    const root = nodeRoot(fleetDir(sb), n.name);
    for (const p of NODE_PATHS) {
      const live = path.join(root, p);
      for (const name of readdirSync(live)) rmSync(path.join(live, name), { recursive: true, force: true });
      execFileSync('cp', ['-a', `${path.join(base.dir, n.name, p)}/.`, `${live}/`]);
    }
    for (const o of NODE_OVERLAYS) undoOverlay(sb, n.name, nodeOverlay(fleetDir(sb), n.name, o).upper, o, base);
  }
  if (base.members) execFileSync('cp', ['/dev/stdin', members(sb)], { input: base.members });
  else rmSync(members(sb), { force: true });
  for (const n of sb.state.nodes) await sb.admin(`/__sim/nodes/${encodeURIComponent(n.name)}`, 'DELETE');
}

function undoOverlay(sb: Sandbox, node: string, upper: string, remote: string, base: Baseline): void {
  if (!existsSync(upper)) return;
  for (const name of readdirSync(upper)) {
    const r = path.posix.join(remote, name);
    if (base.uppers[node].has(r)) continue;
    const lower = existsSync(r) ? statSync(r) : undefined;
    if (lower?.isDirectory()) undoOverlay(sb, node, path.join(upper, name), r, base);
    else if (lower?.isFile()) onNode(sb, node, ['sh', '-c', 'cat > "$1"', 'sh', r], readFileSync(r));
    else onNode(sb, node, ['rm', '-rf', '--', r]);
  }
}
