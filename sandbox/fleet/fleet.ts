// A fleet of real OpenSSH sshd processes on 127.0.0.1, each a separate "node" with its own
// k3s paths. Used by the ssh connection's tests, the k3s module tests and `herdbook sandbox`.
import { chmod, mkdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { hostToken, knownHostsLine } from '../../engine/connection/ssh/known-hosts.js';
import { installFakeModprobe } from './fake-modprobe.js';
import { installFakeSysctl } from './fake-sysctl.js';
import { installFakeSystemctl } from './fake-systemctl.js';
import { generateKey, readPublicKey } from './keys.js';
import { fleetPaths, nodeFiles, nodeRoot } from './layout.js';
import { writeManifest, type Manifest } from './manifest.js';
import { prepareNodeDirs, startSshd, stopSshd } from './node-process.js';
import { ensurePrerequisites } from './prerequisites.js';
import { descendants } from './processes.js';
import type { Fleet, FleetNode, FleetNodeOptions, FleetOptions } from './types.js';
import { ensureBecomeUsers, rootIsLocked, type BecomeUsers } from './users.js';

const DEFAULT_PASSPHRASE = 'herdbook fleet passphrase';

function nodeList(nodes: FleetOptions['nodes']): FleetNodeOptions[] {
  if (typeof nodes === 'number') return Array.from({ length: nodes }, (_, i) => ({ name: `node-${i + 1}` }));
  return nodes;
}

// Become users log in by reading authorized_keys below the state dir: every parent must be searchable.
async function checkSearchable(dir: string): Promise<void> {
  for (let d = path.dirname(path.resolve(dir)); ; d = path.dirname(d)) {
    const { mode } = await stat(d);
    if ((mode & 0o001) === 0)
      throw new Error(`fleet stateDir ${dir}: ${d} is not searchable by other users (chmod o+x ${d})`);
    if (d === '/') return;
  }
}

export async function startFleet(opts: FleetOptions): Promise<Fleet> {
  const stateDir = path.resolve(opts.stateDir);
  const specs = nodeList(opts.nodes);
  await ensurePrerequisites({ install: opts.install });
  await mkdir(stateDir, { recursive: true });
  await chmod(stateDir, 0o755);
  await checkSearchable(stateDir);
  const paths = fleetPaths(stateDir);
  await mkdir(paths.keysDir, { recursive: true, mode: 0o755 });
  const passphrase = opts.keyPassphrase ?? DEFAULT_PASSPHRASE;
  const client = await generateKey(paths.clientKey, 'herdbook-fleet-client');
  const encrypted = await generateKey(paths.passphraseKey, 'herdbook-fleet-passphrase', passphrase);
  await writeFile(paths.authorizedKeys, `${client.publicKey}\n${encrypted.publicKey}\n`, { mode: 0o644 });
  const users = await ensureBecomeUsers();
  const usePam = await rootIsLocked();

  const nodes: FleetNode[] = [];
  const started: Manifest['nodes'] = [];
  const fleet = makeFleet(stateDir, nodes, started, users, passphrase);
  // One write at a time, each with every node started so far, so the last one is complete.
  let saving = Promise.resolve();
  const saveManifest = () => (saving = saving.then(() => writeManifest(paths.manifest, started)));
  try {
    await Promise.all(
      specs.map(async (spec) => {
        await prepareNodeDirs(stateDir, spec.name);
        await installFakeSystemctl(stateDir, spec.name);
        await installFakeSysctl(stateDir, spec.name);
        await installFakeModprobe(stateDir, spec.name);
        const files = nodeFiles(stateDir, spec.name);
        const hostKey = await generateKey(files.hostKey, `herdbook-fleet-${spec.name}`);
        const { port, pid } = await startSshd({
          stateDir,
          name: spec.name,
          authorizedKeysFile: paths.authorizedKeys,
          maxSessions: spec.maxSessions ?? opts.maxSessions ?? 10,
          sftp: spec.sftp ?? opts.sftp ?? true,
          passwordAuthentication: spec.passwordAuthentication ?? true,
          usePam,
        });
        started.push({ name: spec.name, pid, port });
        await saveManifest();
        nodes.push(describeNode(stateDir, spec.name, port, pid, hostKey.fingerprint, client.path));
      }),
    );
  } catch (e) {
    await fleet.stop();
    throw e;
  }
  nodes.sort((a, b) => specs.findIndex((s) => s.name === a.name) - specs.findIndex((s) => s.name === b.name));
  await writeKnownHosts(stateDir, nodes);
  return fleet;
}

function describeNode(stateDir: string, name: string, port: number, pid: number, fp: string, key: string): FleetNode {
  const knownHostsFile = fleetPaths(stateDir).knownHosts;
  return {
    name,
    address: '127.0.0.1',
    port,
    root: nodeRoot(stateDir, name),
    pid,
    hostKeyFingerprint: fp,
    hostKeyPath: nodeFiles(stateDir, name).hostKey,
    vars: {
      ansible_host: '127.0.0.1',
      ansible_port: port,
      ansible_user: 'root',
      ansible_ssh_private_key_file: key,
      ansible_connection: 'ssh',
    },
    settings: {
      kind: 'ssh',
      host: name,
      address: '127.0.0.1',
      port,
      user: 'root',
      privateKeyFile: key,
      hostKeyChecking: 'strict',
      knownHostsFile,
    },
  };
}

async function writeKnownHosts(stateDir: string, nodes: FleetNode[]): Promise<void> {
  const paths = fleetPaths(stateDir);
  const plain: string[] = [];
  const hashed: string[] = [];
  for (const n of nodes) {
    const { blob } = await readPublicKey(n.hostKeyPath);
    plain.push(knownHostsLine(hostToken(n.address, n.port), blob));
    hashed.push(knownHostsLine(hostToken(n.address, n.port), blob, { hashed: true }));
  }
  await writeFile(paths.knownHosts, `${plain.join('\n')}\n`);
  await writeFile(paths.hashedKnownHosts, `${hashed.join('\n')}\n`);
}

function makeFleet(
  stateDir: string,
  nodes: FleetNode[],
  started: Manifest['nodes'],
  users: BecomeUsers,
  passphrase: string,
): Fleet {
  const paths = fleetPaths(stateDir);
  const node = (name: string): FleetNode => {
    const n = nodes.find((x) => x.name === name);
    if (!n) throw new Error(`no fleet node named ${name}`);
    return n;
  };
  return {
    stateDir,
    nodes,
    clientKeyPath: paths.clientKey,
    passphraseKey: { path: paths.passphraseKey, passphrase },
    knownHostsPath: paths.knownHosts,
    hashedKnownHostsPath: paths.hashedKnownHosts,
    users,
    node,
    async regenerateHostKey(name) {
      const n = node(name);
      const key = await generateKey(n.hostKeyPath, `herdbook-fleet-${name}-regenerated`);
      n.hostKeyFingerprint = key.fingerprint;
      return key.fingerprint;
    },
    async sessionPids(name) {
      return descendants(node(name).pid);
    },
    async stop() {
      await Promise.all(started.map((s) => stopSshd(stateDir, s.name, s.pid)));
      await writeManifest(paths.manifest, []).catch(() => undefined);
    },
  };
}
