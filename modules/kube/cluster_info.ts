// cluster_info: everything a health check or a skew check needs, read once: server version,
// nodes, pods not Running/Succeeded, PVCs not Bound (but for those waiting for their first
// consumer), and the skew verdict. Changes nothing.
// The servers' version is read from the server Nodes' kubeletVersion, which k3s sets to its
// own version: on k3s /version says the same, but an API server that is not k3s (a managed or
// a test control plane) reports its own, which is not what a joining agent must match.
import type { V1Pod } from '@kubernetes/client-node';
import { defineModule } from '../../engine/index-module.js';
import { kubeError } from '../../engine/kube/errors.js';
import { isEtcdMember, nodeFacts, type NodeFacts } from '../../engine/kube/node-facts.js';
import { compareVersions, parseVersion } from '../../engine/versions.js';
import { skewReport, type SkewReport } from '../k3s/skew.js';
import { unboundClaims, type UnboundClaim } from './claims.js';

type Args = { ignore_namespaces: string[] };
type BadPod = { namespace: string; name: string; node?: string; phase: string; reason?: string };
type State = { server_version: string; api_version?: string; nodes: NodeFacts[]; pods: BadPod[]; pvcs: UnboundClaim[] };

/** A pod is unhealthy when not Running/Succeeded, or Running with a container stuck waiting. */
export function podProblem(p: V1Pod): BadPod | undefined {
  const phase = p.status?.phase ?? 'Unknown';
  const waiting = [...(p.status?.containerStatuses ?? []), ...(p.status?.initContainerStatuses ?? [])]
    .map((c) => c.state?.waiting?.reason)
    .find((r) => r && r !== 'ContainerCreating' && r !== 'PodInitializing');
  if ((phase === 'Running' || phase === 'Succeeded') && !waiting) return undefined;
  return {
    namespace: p.metadata?.namespace ?? '',
    name: p.metadata?.name ?? '',
    ...(p.spec?.nodeName ? { node: p.spec.nodeName } : {}),
    phase,
    ...((waiting ?? p.status?.reason) ? { reason: waiting ?? p.status?.reason } : {}),
  };
}

/** The oldest server's kubelet version (an agent must not be newer than any server); /version when no server Node answers. */
export function serverVersion(nodes: NodeFacts[], apiVersion: string): string {
  const servers = nodes.filter((n) => n.k3s_role === 'server' && parseVersion(n.kubelet_version));
  if (!servers.length) return apiVersion;
  return servers.map((n) => n.kubelet_version).sort(compareVersions)[0];
}

export type Health = {
  healthy: boolean;
  problems: string[];
  skew: SkewReport;
};

export function assessHealth(s: State): Health {
  const problems: string[] = [];
  for (const n of s.nodes)
    if (!n.ready) problems.push(`node ${n.name} is not Ready (${n.ready_reason ?? 'no status'})`);
  for (const n of s.nodes) if (n.unschedulable) problems.push(`node ${n.name} is cordoned`);
  const versions = new Set(s.nodes.map((n) => n.kubelet_version));
  if (versions.size > 1)
    problems.push(`nodes run different versions: ${s.nodes.map((n) => `${n.name} ${n.kubelet_version}`).join(', ')}`);
  for (const p of s.pods)
    problems.push(
      `pod ${p.namespace}/${p.name} is ${p.phase}${p.reason ? ` (${p.reason})` : ''}${p.node ? ` on ${p.node}` : ''}`,
    );
  for (const c of s.pvcs.filter((x) => !x.waiting_for_consumer))
    problems.push(`pvc ${c.namespace}/${c.name} is ${c.phase}`);
  const skew = skewReport(s.nodes.map((n) => ({ name: n.name, role: n.k3s_role, version: n.kubelet_version })));
  problems.push(...skew.violations.filter(() => !skew.ok));
  return { healthy: problems.length === 0, problems, skew };
}

export function nodeTable(nodes: NodeFacts[]): string {
  const w = Math.max(4, ...nodes.map((n) => n.name.length));
  const rows = nodes.map((n) =>
    `${n.name.padEnd(w)}  ${n.k3s_role.padEnd(6)}  ${(n.ready ? 'Ready' : 'NotReady').padEnd(8)}  ${n.kubelet_version.padEnd(16)}  ${n.unschedulable ? 'cordoned' : ''}${n.taints.length ? ` taints: ${n.taints.map((t) => `${t.key}:${t.effect}`).join(',')}` : ''}`.trimEnd(),
  );
  return [`${'NODE'.padEnd(w)}  ROLE    STATUS    VERSION`, ...rows].join('\n');
}

export const clusterInfo = defineModule<Args, State, never>({
  name: 'cluster_info',
  schema: 'cluster_info',
  runsOn: 'api',
  predictable: true,
  async inspect(ctx, args) {
    const kube = await ctx.kube();
    try {
      const [version, nodes, pods, pvcs, classes] = await Promise.all([
        kube.version.getCode(),
        kube.core.listNode({}),
        kube.core.listPodForAllNamespaces({}),
        kube.core.listPersistentVolumeClaimForAllNamespaces({}),
        // A user who may not read StorageClasses still gets a health report: every Pending claim counts.
        kube.storage.listStorageClass({}).then(
          (l) => l.items,
          () => undefined,
        ),
      ]);
      const facts = nodes.items.map(nodeFacts);
      return {
        server_version: serverVersion(facts, version.gitVersion),
        api_version: version.gitVersion,
        nodes: facts.sort((a, b) =>
          a.k3s_role === b.k3s_role ? a.name.localeCompare(b.name) : a.k3s_role === 'server' ? -1 : 1,
        ),
        pods: pods.items
          .filter((p) => !args.ignore_namespaces.includes(p.metadata?.namespace ?? ''))
          .map(podProblem)
          .filter((p): p is BadPod => !!p),
        pvcs: unboundClaims(pvcs.items, pods.items, classes),
      };
    } catch (e) {
      throw kubeError(e, 'reading the cluster', kube.server);
    }
  },
  plan(s) {
    const h = assessHealth(s);
    const summary = `${nodeTable(s.nodes)}\n${h.healthy ? 'healthy' : `${h.problems.length} problem${h.problems.length === 1 ? '' : 's'}:\n  ${h.problems.join('\n  ')}`}`;
    return {
      changes: [],
      noop: summary,
      data: {
        server_version: s.server_version,
        api_version: s.api_version ?? s.server_version,
        nodes: s.nodes,
        servers: s.nodes.filter((n) => n.k3s_role === 'server').map((n) => n.name),
        agents: s.nodes.filter((n) => n.k3s_role === 'agent').map((n) => n.name),
        versions: Object.fromEntries(s.nodes.map((n) => [n.name, n.kubelet_version])),
        not_ready: s.nodes.filter((n) => !n.ready).map((n) => n.name),
        // Voting members of k3s's embedded etcd, as k3s publishes them on the Nodes.
        etcd_members: s.nodes.filter(isEtcdMember).map((n) => n.name),
        cordoned: s.nodes.filter((n) => n.unschedulable).map((n) => n.name),
        // Ready nodes still carrying the unreachable taint: what LXC restarts leave behind (seed 003).
        stale_unreachable: s.nodes
          .filter((n) => n.ready && n.taints.some((t) => t.key === 'node.kubernetes.io/unreachable'))
          .map((n) => n.name),
        unhealthy_pods: s.pods,
        unbound_pvcs: s.pvcs.filter((c) => !c.waiting_for_consumer),
        waiting_pvcs: s.pvcs.filter((c) => c.waiting_for_consumer),
        skew: h.skew,
        healthy: h.healthy,
        problems: h.problems,
        table: nodeTable(s.nodes),
      },
    };
  },
  async apply() {
    return {};
  },
});
