// etcd for one control plane: a single member on loopback ports, ready when /health says so.
import path from 'node:path';
import type { Component } from './component.js';

export type EtcdPorts = { client: number; peer: number };

export function etcdArgs(etcd: string, dataDir: string, ports: EtcdPorts): string[] {
  const client = `http://127.0.0.1:${ports.client}`;
  const peer = `http://127.0.0.1:${ports.peer}`;
  return [
    etcd,
    '--name',
    'default',
    '--data-dir',
    dataDir,
    '--listen-client-urls',
    client,
    '--advertise-client-urls',
    client,
    '--listen-peer-urls',
    peer,
    '--initial-advertise-peer-urls',
    peer,
    '--initial-cluster',
    `default=${peer}`,
    '--logger',
    'zap',
    '--log-outputs',
    'stderr',
  ];
}

/** What /health answers once the member serves: {"health":"true"}. */
export function etcdHealthy(body: string): boolean {
  try {
    return (JSON.parse(body) as { health?: unknown }).health === 'true';
  } catch {
    return false;
  }
}

export const etcdDataDir = (stateDir: string) => path.join(stateDir, 'etcd');

export type Etcd = Component & { url: string };
