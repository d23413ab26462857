// cluster_info's servers' version: what join-node installs on a new agent. It comes from the
// server Nodes' kubeletVersion (k3s sets it to its own version); an API server that is not
// k3s answers /version with its own, which a joining agent must not follow.
import { describe, expect, it } from 'vitest';
import type { NodeFacts } from '../../engine/kube/node-facts.js';
import { serverVersion } from '../../modules/kube/cluster_info.js';

const node = (name: string, k3s_role: 'server' | 'agent', kubelet_version: string) =>
  ({ name, k3s_role, kubelet_version }) as NodeFacts;

describe('cluster_info server_version', () => {
  it('is the oldest server kubelet, not /version and not an agent', () => {
    const nodes = [
      node('s-1', 'server', 'v1.31.4+k3s1'),
      node('s-2', 'server', 'v1.30.14+k3s1'),
      node('a-1', 'agent', 'v1.29.15+k3s1'),
    ];
    expect(serverVersion(nodes, 'v1.32.13')).toBe('v1.30.14+k3s1');
  });

  it('orders k3s revisions (+k3s2 is newer than +k3s1)', () => {
    expect(
      serverVersion([node('s-1', 'server', 'v1.31.4+k3s2'), node('s-2', 'server', 'v1.31.4+k3s1')], 'v1.32.13'),
    ).toBe('v1.31.4+k3s1');
  });

  it('falls back to /version when no server Node reports a version', () => {
    expect(serverVersion([node('a-1', 'agent', 'v1.31.4+k3s1'), node('s-1', 'server', '')], 'v1.31.4+k3s1')).toBe(
      'v1.31.4+k3s1',
    );
  });
});
