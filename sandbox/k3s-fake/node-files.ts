// A node's k3s files as the controller sees them (under its node root), and the fake-only
// markers the sandbox sets: LXC without /dev/kmsg, the node's name, the kubeconfig to hand out.
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { buildFakeK3sBinary, type BinaryOptions } from './binary.js';

export type K3sRole = 'server' | 'agent';

/** Where things are on a node, as paths under its node root. */
export function k3sNodePaths(nodeRoot: string) {
  const at = (p: string) => path.join(nodeRoot, p);
  const data = '/var/lib/rancher/k3s';
  return {
    binDir: at('/usr/local/bin'),
    binary: at('/usr/local/bin/k3s'),
    unit: (service: string) => at(`/etc/systemd/system/${service}.service`),
    unitEnv: (service: string) => at(`/etc/systemd/system/${service}.service.env`),
    config: at('/etc/rancher/k3s/config.yaml'),
    kubeconfig: at('/etc/rancher/k3s/k3s.yaml'),
    token: at(`${data}/server/token`),
    nodeToken: at(`${data}/server/node-token`),
    db: at(`${data}/server/db`),
    stateDb: at(`${data}/server/db/state.db`),
    etcdDb: at(`${data}/server/db/etcd/member/snap/db`),
    snapshots: at(`${data}/server/db/snapshots`),
    fakeDir: at(`${data}/fake`),
    startsLog: at(`${data}/fake/starts.log`),
    lxcNoKmsg: at('/etc/rancher/fake-lxc-no-kmsg'),
    kmsgCreated: at('/run/fake-lxc-kmsg'),
    nodeName: at('/etc/rancher/fake-node-name'),
    seedKubeconfig: at('/etc/rancher/fake-kubeconfig.yaml'),
    etcdCluster: at('/etc/rancher/fake-etcd-cluster'),
    etcdName: at(`${data}/server/db/etcd/name`),
    seedClientCert: at('/etc/rancher/fake-client-admin.crt'),
    seedClientKey: at('/etc/rancher/fake-client-admin.key'),
    clientAdminCert: at(`${data}/server/tls/client-admin.crt`),
    clientAdminKey: at(`${data}/server/tls/client-admin.key`),
  };
}

/** Put the fake binary of `version` at /usr/local/bin/k3s (for INSTALL_K3S_SKIP_DOWNLOAD=true). */
export async function writeFakeK3sBinary(nodeRoot: string, version: string, opts?: BinaryOptions): Promise<string> {
  const p = k3sNodePaths(nodeRoot);
  await mkdir(p.binDir, { recursive: true });
  await writeFile(p.binary, await buildFakeK3sBinary(version, opts));
  await chmod(p.binary, 0o755);
  return p.binary;
}

async function writeMarker(file: string, content: string | null): Promise<void> {
  if (content === null) return rm(file, { force: true });
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, content);
}

/** Mark (or unmark) the node as an LXC container that boots without /dev/kmsg (shared/seeds/003). */
export function markLxcWithoutKmsg(nodeRoot: string, on = true): Promise<void> {
  return writeMarker(
    k3sNodePaths(nodeRoot).lxcNoKmsg,
    on ? 'LXC container: /dev/kmsg is missing after each boot\n' : null,
  );
}

/** The node's name for k3s when no --node-name is given (nodes share the machine's hostname). */
export function setFakeNodeName(nodeRoot: string, name: string): Promise<void> {
  if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(name)) throw new Error(`not a valid node name: ${name}`);
  return writeMarker(k3sNodePaths(nodeRoot).nodeName, `${name}\n`);
}

/**
 * The kubeconfig every server start writes as /etc/rancher/k3s/k3s.yaml (e.g. the API simulator's);
 * its client certificate and key become the admin identity a start issues when the server has none.
 */
export async function seedKubeconfig(nodeRoot: string, content: string): Promise<void> {
  const p = k3sNodePaths(nodeRoot);
  await writeMarker(p.seedKubeconfig, content);
  const data = (key: string) => {
    const b64 = new RegExp(`^\\s*${key}:\\s*(\\S+)`, 'm').exec(content)?.[1];
    return b64 === undefined ? null : Buffer.from(b64, 'base64').toString('utf8');
  };
  await writeMarker(p.seedClientCert, data('client-certificate-data'));
  await writeMarker(p.seedClientKey, data('client-key-data'));
}

/**
 * The file holding the etcd member list of the servers that share it (every member of an etcd
 * cluster sees the same list); without one, a server keeps its own in db/etcd/members.
 */
export function shareEtcdCluster(nodeRoot: string, membersFile: string): Promise<void> {
  return writeMarker(k3sNodePaths(nodeRoot).etcdCluster, `${membersFile}\n`);
}

/** The etcd member list (`<member name> <peer URL>` per line) as the fake keeps it. */
export async function readEtcdMembers(membersFile: string): Promise<{ name: string; peerURL: string }[]> {
  const text = await readFile(membersFile, 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const [name, peerURL] = l.split(' ');
      return { name, peerURL };
    });
}

export function writeK3sConfig(nodeRoot: string, yaml: string): Promise<void> {
  return writeMarker(k3sNodePaths(nodeRoot).config, yaml);
}

/** What the fake k3s recorded at its last start in `role` (args and env, secrets masked). */
export type FakeStart = {
  version: string;
  role: K3sRole;
  nodeName: string;
  datastore: 'etcd' | 'sqlite' | 'external' | 'none';
  args: string[];
  env: Record<string, string>;
  execStartPre: string[];
};

export async function readFakeStart(nodeRoot: string, role: K3sRole): Promise<FakeStart | undefined> {
  let text: string;
  try {
    text = await readFile(path.join(k3sNodePaths(nodeRoot).fakeDir, `${role}.args`), 'utf8');
  } catch {
    return undefined;
  }
  const start: FakeStart = { version: '', role, nodeName: '', datastore: 'none', args: [], env: {}, execStartPre: [] };
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    const key = line.slice(0, eq);
    const value = line.slice(eq + 1);
    if (key === 'version') start.version = value;
    else if (key === 'node_name') start.nodeName = value;
    else if (key === 'datastore') start.datastore = value as FakeStart['datastore'];
    else if (key === 'arg') start.args.push(value);
    else if (key === 'exec_start_pre') start.execStartPre.push(value);
    else if (key === 'env') start.env[value.slice(0, value.indexOf('='))] = value.slice(value.indexOf('=') + 1);
  }
  return start;
}

export type StartRecord = { role: K3sRole; version: string; result: 'ok' | 'failed' };

/** Every start attempt of k3s on the node, oldest first: counts restarts. */
export async function readStarts(nodeRoot: string): Promise<StartRecord[]> {
  let text = '';
  try {
    text = await readFile(k3sNodePaths(nodeRoot).startsLog, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter((l) => l.startsWith('start '))
    .map((l) => {
      const kv = Object.fromEntries(
        l
          .slice(6)
          .split(' ')
          .map((w) => w.split('=', 2) as [string, string]),
      );
      return { role: kv.role as K3sRole, version: kv.version, result: kv.result as StartRecord['result'] };
    });
}
