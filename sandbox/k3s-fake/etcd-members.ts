// A k3s server's etcd identity and its cluster's member list, as files the sandbox can read from
// outside the node: the member name k3s keeps in server/db/etcd/name (setName in
// pkg/etcd/etcd.go), and the list the fake k3s keeps for the servers that share one
// (`<member name> <peer URL>` per line), from which MemberRemove takes a member out.
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Where a node's etcd identity and its cluster's member list are, as paths the controller can read. */
export type EtcdFiles = {
  /** server/db/etcd/name: the member name (setName in etcd.go). */
  nameFile: string;
  /** server/db/etcd/member/wal: etcd has started here (IsInitialized). */
  walDir: string;
  /** /etc/rancher/fake-etcd-cluster: names the shared member list file. */
  clusterFile: string;
  /** server/db/etcd/members: the list of a server that shares none. */
  localMembers: string;
};

/** The files of a node whose root is `nodeRoot` (its /, as the controller sees it). */
export function k3sEtcdFiles(nodeRoot: string): EtcdFiles {
  const db = path.join(nodeRoot, 'var/lib/rancher/k3s/server/db/etcd');
  return {
    nameFile: path.join(db, 'name'),
    walDir: path.join(db, 'member/wal'),
    clusterFile: path.join(nodeRoot, 'etc/rancher/fake-etcd-cluster'),
    localMembers: path.join(db, 'members'),
  };
}

export type EtcdMember = { name: string; peerURL: string };

/**
 * A file of a few bytes, read synchronously: the sandbox's controllers read these several times a
 * second, and an asynchronous read is four trips through libuv's thread pool (see command-source.ts).
 */
export async function readText(file: string): Promise<string | undefined> {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
const hostOf = (peerURL: string) => {
  try {
    return new URL(peerURL).hostname;
  } catch {
    return '';
  }
};

export async function membersFileOf(files: EtcdFiles): Promise<string> {
  const shared = (await readText(files.clusterFile))?.split('\n')[0]?.trim();
  return shared || files.localMembers;
}

export function parseMembers(text: string): EtcdMember[] {
  return text
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => {
      const [name, peerURL = ''] = l.trim().split(/\s+/);
      return { name, peerURL };
    });
}

/** MemberRemove of the member with this name and peer address (RemovePeer in etcd.go); true when one went. */
export async function removeEtcdMember(membersFile: string, name: string, address: string): Promise<boolean> {
  const text = await readText(membersFile);
  if (text === undefined) return false;
  const members = parseMembers(text);
  const kept = members.filter((m) => !(m.name === name && hostOf(m.peerURL) === address));
  if (kept.length === members.length) return false;
  await writeFile(membersFile, kept.map((m) => `${m.name} ${m.peerURL}\n`).join(''));
  return true;
}
