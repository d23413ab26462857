// cluster_lock: a Lease in kube-system that says who is changing the cluster, so two upgrades
// cannot overlap. The holder may take it again (a re-run after a stop); anyone else is refused
// with who holds it and since when; a stale lock (not renewed within its duration) is reported
// and can be broken explicitly, a live one never. Long runs renew it (state: acquired again by
// the holder) so that it does not look stale while they work.
import type { V1Lease } from '@kubernetes/client-node';
import { defineModule, ModuleError } from '../../engine/index-module.js';
import { kubeError, statusCode } from '../../engine/kube/errors.js';
import { asText } from '../../engine/text.js';

type Args = {
  name: string;
  namespace: string;
  state: 'acquired' | 'released';
  holder?: string;
  duration: number;
  break: boolean;
  purpose?: string;
};
type Held = {
  holder: string;
  acquired?: string;
  renewed?: string;
  duration: number;
  purpose?: string;
  resourceVersion?: string;
};
type State = { held?: Held; me: string; now: number };
type Change = { summary: string; kind: 'create' | 'take' | 'renew' | 'release' };

const ANNOTATION = 'herdbook.dev/purpose';

function readLease(l: V1Lease): Held {
  return {
    holder: l.spec?.holderIdentity ?? '',
    acquired: l.spec?.acquireTime ? new Date(l.spec.acquireTime).toISOString() : undefined,
    renewed: l.spec?.renewTime ? new Date(l.spec.renewTime).toISOString() : undefined,
    duration: l.spec?.leaseDurationSeconds ?? 0,
    purpose: l.metadata?.annotations?.[ANNOTATION],
    resourceVersion: l.metadata?.resourceVersion,
  };
}

export function staleFor(h: Held, now: number): number {
  const last = Date.parse(h.renewed ?? h.acquired ?? '');
  if (!Number.isFinite(last) || !h.duration) return 0;
  return Math.max(0, Math.round((now - last) / 1000 - h.duration));
}

export const clusterLock = defineModule<Args, State, Change>({
  name: 'cluster_lock',
  schema: 'cluster_lock',
  runsOn: 'api',
  predictable: true,
  async inspect(ctx, a) {
    const kube = await ctx.kube();
    const me = a.holder ?? asText(ctx.hostVar('herdbook_operator') ?? 'herdbook');
    // In check mode a lock taken (or released) earlier in the rehearsal counts as such.
    const key = `cluster_lock/${a.namespace}/${a.name}`;
    const predicted = ctx.check ? ctx.cluster.predicted(key) : undefined;
    if (predicted !== undefined)
      return { held: predicted ? { holder: asText(predicted), duration: a.duration } : undefined, me, now: Date.now() };
    try {
      return {
        held: readLease(await kube.coordination.readNamespacedLease({ name: a.name, namespace: a.namespace })),
        me,
        now: Date.now(),
      };
    } catch (e) {
      if (statusCode(e) === 404) return { me, now: Date.now() };
      throw kubeError(e, `reading lease ${a.namespace}/${a.name}`, kube.server);
    }
  },
  plan(s, a) {
    const where = `lease ${a.namespace}/${a.name}`;
    const data = { lock: s.held ?? null, holder: s.me };
    if (a.state === 'released') {
      if (!s.held || !s.held.holder) return { changes: [], noop: `${where} is not held`, data };
      if (s.held.holder === s.me)
        return { changes: [{ kind: 'release', summary: `release ${where} (held by ${s.held.holder})` }], data };
      // Someone else's lock is only broken when it is stale: a live one means a run is going on.
      const stale = staleFor(s.held, s.now);
      if (a.break && stale > 0)
        return {
          changes: [
            { kind: 'release', summary: `break the stale ${where} (held by ${s.held.holder}, expired ${stale}s ago)` },
          ],
          data,
        };
      return {
        changes: [],
        noop: `${where} is held by ${s.held.holder}, not by ${s.me}${a.break ? ', and is not stale' : ''}: left alone`,
        data,
      };
    }
    if (!s.held) return { changes: [{ kind: 'create', summary: `take ${where} for ${s.me}` }], data };
    if (!s.held.holder) return { changes: [{ kind: 'take', summary: `take ${where} for ${s.me}` }], data };
    if (s.held.holder === s.me) return { changes: [{ kind: 'renew', summary: `renew ${where} for ${s.me}` }], data };
    const stale = staleFor(s.held, s.now);
    const since = `held by ${s.held.holder} since ${s.held.acquired ?? 'an unknown time'}${s.held.purpose ? ` (${s.held.purpose})` : ''}`;
    if (a.break && stale > 0)
      return {
        changes: [
          {
            kind: 'take',
            summary: `break the stale ${where} (${since}, expired ${stale}s ago) and take it for ${s.me}`,
          },
        ],
        data,
      };
    if (stale > 0)
      return {
        changes: [],
        refuse: `${where} is ${since} and expired ${stale}s ago: a run that stopped without releasing it? If nothing else is changing the cluster, break it with break: true (-e k3s_lock_break=true)`,
        data,
      };
    return {
      changes: [],
      refuse: `${where} is ${since}: another operation is changing the cluster; wait for it to finish`,
      data,
    };
  },
  predict: (s, a, plan) => ({
    [`cluster_lock/${a.namespace}/${a.name}`]: plan.changes[0]?.kind === 'release' ? null : s.me,
  }),
  async apply(ctx, a, plan, s) {
    const kube = await ctx.kube();
    const c = plan.changes[0];
    const now = new Date();
    try {
      if (c.kind === 'release') {
        await kube.coordination.deleteNamespacedLease({ name: a.name, namespace: a.namespace });
        return { msg: c.summary, data: { lock: null } };
      }
      // MicroTime: a plain Date serialises with milliseconds, which the API server refuses (400).
      const acquired = c.kind === 'renew' && s.held?.acquired ? new Date(s.held.acquired) : now;
      const body: V1Lease = {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: {
          name: a.name,
          namespace: a.namespace,
          ...(c.kind !== 'create' ? { resourceVersion: s.held?.resourceVersion } : {}),
          annotations: a.purpose ? { [ANNOTATION]: a.purpose } : {},
        },
        spec: {
          holderIdentity: s.me,
          leaseDurationSeconds: a.duration,
          acquireTime: kube.microTime(acquired),
          renewTime: kube.microTime(now),
        },
      };
      const written =
        c.kind === 'create'
          ? await kube.coordination.createNamespacedLease({ namespace: a.namespace, body })
          : await kube.coordination.replaceNamespacedLease({ name: a.name, namespace: a.namespace, body });
      // What the server stored, not what we sent: its times are the ones a later reader compares.
      const held = readLease(written);
      return {
        msg: c.summary,
        data: {
          lock: { holder: held.holder, acquired: held.acquired, renewed: held.renewed, duration: held.duration },
        },
      };
    } catch (e) {
      // 409: someone else created or changed the lease between our read and our write.
      if (statusCode(e) === 409)
        throw new ModuleError(
          `lease ${a.namespace}/${a.name} changed while we took it: another operation just started; not going on`,
        );
      throw kubeError(e, `writing lease ${a.namespace}/${a.name}`, kube.server);
    }
  },
});
