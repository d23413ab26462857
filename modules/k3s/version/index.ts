// k3s_version: install or upgrade k3s to a version or a channel's release, keeping the node's
// role and flags, guarded by the version-skew policy, then waiting for it to come back.
import { defineModule, ModuleError } from '../../../engine/index-module.js';
import { kubeError } from '../../../engine/kube/errors.js';
import { nodeFacts } from '../../../engine/kube/node-facts.js';
import { compareVersions, minorDistance, parseVersion } from '../../../engine/versions.js';
import { k3sSecrets, probeK3s, type K3sFacts } from '../facts.js';
import { kubeOrNone } from './api.js';
import { applyVersion } from './apply.js';
import { latestPerMinor, resolveChannel } from './channels.js';
import { planVersion, type InstallStep, type VersionArgs, type VersionState } from './plan.js';

export const k3sVersion = defineModule<VersionArgs, VersionState, InstallStep>({
  name: 'k3s_version',
  schema: 'k3s_version',
  runsOn: 'host',
  predictable: true,
  secretArgs: ['token'],
  async inspect(ctx, a) {
    if (!a.version === !a.channel)
      throw new ModuleError(
        'k3s_version needs exactly one of version: (v1.32.5+k3s1) or channel: (stable, latest, v1.32)',
      );
    if (a.version && !parseVersion(a.version))
      throw new ModuleError(`version '${a.version}' is not a k3s release (expected like v1.32.5+k3s1)`);
    const facts = await probeK3s(ctx);
    const target = a.version ?? (await resolveChannel(a.channel_url, a.channel!, ctx.signal));
    const via = a.channel ? `via ${a.channel} channel` : (a.resolved_from ?? 'pinned version');
    for (const v of k3sSecrets(a.install_env, a.flags ?? [])) ctx.secret(v);
    let otherServers: { name: string; version: string }[] = (a.servers ?? []).map((v, i) => ({
      name: `server ${i + 1}`,
      version: v,
    }));
    let apiAvailable = false;
    const kube = skewNeedsApi(facts, a, target) ? await kubeOrNone(ctx) : undefined;
    if (kube) {
      let nodes;
      try {
        nodes = (await kube.core.listNode({})).items.map(nodeFacts);
      } catch (e) {
        throw kubeError(e, 'listing nodes for the version-skew guard', kube.server);
      }
      apiAvailable = true;
      // In check mode a server the rehearsal already "upgraded" counts at its planned version.
      otherServers = nodes
        .filter((n) => n.k3s_role === 'server' && n.name !== ctx.nodeName && parseVersion(n.kubelet_version))
        .map((n) => ({
          name: n.name,
          version:
            (ctx.check ? (ctx.cluster.predicted(`k3s_version/${n.name}`) as string | undefined) : undefined) ??
            n.kubelet_version,
        }));
    }
    const needsWalk =
      facts.installed &&
      facts.role !== 'agent' &&
      parseVersion(facts.version!) &&
      compareVersions(target, facts.version!) > 0 &&
      minorDistance(facts.version!, target) > 1;
    const minors = needsWalk ? await latestPerMinor(a.channel_url, ctx.signal) : undefined;
    return { node: ctx.nodeName, facts, target, via, otherServers, minors, apiAvailable };
  },
  plan: (state, args) => planVersion(state, args),
  predict: (state, _args, plan) =>
    plan.changes.length ? { [`k3s_version/${state.node}`]: plan.changes[plan.changes.length - 1].version } : {},
  apply: (ctx, args, plan) => applyVersion(ctx, args, plan.changes),
});

/**
 * Whether the skew guard reads the other servers from the API. A server staying at or going down
 * to the target never looks at them (rollback-k3s installs with every server stopped, and a
 * ~/.kube/config pointing at that cluster must not fail it); agents, installs and upgrades do.
 */
function skewNeedsApi(f: K3sFacts, a: VersionArgs, target: string): boolean {
  const role = f.role ?? a.role ?? 'server';
  return !(f.installed && role === 'server' && compareVersions(target, f.version!) <= 0);
}
