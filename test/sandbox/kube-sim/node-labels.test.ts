// The role labels k3s puts on the nodes it registers (transcript 03's rec-node-1 carries a
// server's): control-plane and master on servers, etcd only with embedded etcd, none on agents.
import { describe, expect, it } from 'vitest';
import { buildNode, type NodeInit } from '../../../sandbox/kube-sim/objects/node.js';

const roles = (init: Partial<NodeInit>) =>
  Object.keys(
    buildNode({
      name: 'n',
      role: 'agent',
      kubeletVersion: 'v1.32.5+k3s1',
      internalIP: '10.0.0.9',
      podCIDR: '10.42.9.0/24',
      ...init,
    }).metadata.labels ?? {},
  )
    .filter((k) => k.startsWith('node-role.kubernetes.io/'))
    .sort();

describe('k3s node role labels', () => {
  it('marks a server with embedded etcd control-plane, etcd and master', () => {
    expect(roles({ role: 'server' })).toEqual([
      'node-role.kubernetes.io/control-plane',
      'node-role.kubernetes.io/etcd',
      'node-role.kubernetes.io/master',
    ]);
  });

  it('leaves etcd off a server on an external datastore, and every role off an agent', () => {
    expect(roles({ role: 'server', etcd: false })).toEqual([
      'node-role.kubernetes.io/control-plane',
      'node-role.kubernetes.io/master',
    ]);
    expect(roles({ role: 'agent' })).toEqual([]);
  });
});
