// Kubernetes' version-skew policy for a k3s cluster, as a pure function: servers within one
// minor of each other; no kubelet newer than the oldest server; kubelets at most three minors
// older. It explains every violation and the safe order of upgrades (seed 000's situation).
import { compareVersions, minorChannel, minorDistance, parseVersion } from '../../engine/versions.js';

export type SkewNode = { name: string; role: 'server' | 'agent'; version: string };

export type SkewReport = {
  ok: boolean;
  violations: string[];
  /** What to do, in order. */
  safe_order: string[];
  oldest_server?: string;
  newest_server?: string;
  newest?: string;
};

const sortByVersion = (a: SkewNode, b: SkewNode) => compareVersions(a.version, b.version);

export function skewReport(nodes: readonly SkewNode[]): SkewReport {
  const known = nodes.filter((n) => parseVersion(n.version));
  const servers = known.filter((n) => n.role === 'server').sort(sortByVersion);
  const agents = known.filter((n) => n.role === 'agent').sort(sortByVersion);
  const violations: string[] = [];
  const order: string[] = [];
  if (!servers.length)
    return { ok: true, violations: ['no server node found: the skew policy cannot be checked'], safe_order: [] };
  const oldest = servers[0];
  const newestServer = servers[servers.length - 1];
  const newest = [...known].sort(sortByVersion).at(-1)!;
  if (minorDistance(oldest.version, newestServer.version) > 1) {
    violations.push(
      `servers are more than one minor apart: ${oldest.name} runs ${oldest.version}, ${newestServer.name} runs ${newestServer.version} (kube-apiservers must be within one minor of each other)`,
    );
  }
  // The kubelet rules apply to agents: a server's own kubelet moves with its API server, and
  // during a rolling control-plane upgrade the servers are within one minor by the rule above.
  for (const a of agents) {
    const ahead = minorDistance(oldest.version, a.version);
    if (ahead >= 1)
      violations.push(
        `${a.name} (agent) runs ${a.version}, ${ahead} minor${ahead === 1 ? '' : 's'} newer than the oldest server ${oldest.name} (${oldest.version}): a kubelet must never be newer than the API server`,
      );
    const behind = minorDistance(a.version, newestServer.version);
    if (behind > 3)
      violations.push(
        `${a.name} (agent) runs ${a.version}, ${behind} minors older than ${newestServer.name} (${newestServer.version}): kubelets may be at most 3 minors older`,
      );
  }
  // The target every node must reach without breaking the rules on the way: the newest version present.
  const target = newest.version;
  const behindServers = servers.filter((s) => compareVersions(s.version, target) < 0);
  for (const s of behindServers) {
    const steps = minorDistance(s.version, target);
    const path: string[] = [];
    for (let i = 1; i < steps; i++) {
      const v = parseVersion(s.version)!;
      path.push(`v${v.major}.${v.minor + i}`);
    }
    order.push(
      `upgrade server ${s.name} from ${s.version} to ${target}${path.length ? ` one minor at a time (${[minorChannel(s.version), ...path, minorChannel(target)].join(' → ')}, each minor's latest patch)` : ''}`,
    );
  }
  if (behindServers.length) order.push('servers first, one at a time; then the agents');
  const behindAgents = agents.filter((a) => compareVersions(a.version, target) < 0);
  for (const a of behindAgents)
    order.push(`upgrade agent ${a.name} from ${a.version} to ${target} (drain, upgrade, wait Ready, uncordon)`);
  return {
    ok: violations.length === 0,
    violations,
    safe_order: order,
    oldest_server: oldest.version,
    newest_server: newestServer.version,
    newest: newest.version,
  };
}
