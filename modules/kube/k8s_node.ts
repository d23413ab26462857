// k8s_node: a node's facts, labels and annotations, deletion, and waiting for Ready (at a
// kubelet version). Waiting changes nothing: it is planned (so --check says what it would wait
// for) and reported ok once the node is there.
import { defineModule, ModuleError } from '../../engine/index-module.js';
import { kubeError, statusCode } from '../../engine/kube/errors.js';
import { isEtcdMember, nodeFacts, type NodeFacts } from '../../engine/kube/node-facts.js';
import type { KubeClient } from '../../engine/kube/types.js';
import { compareVersions, parseVersion } from '../../engine/versions.js';

type Meta = Record<string, string | null>;
type Args = {
  node?: string;
  state: 'present' | 'absent';
  labels?: Meta;
  annotations?: Meta;
  wait?: 'ready' | 'etcd_member';
  kubelet_version?: string;
  wait_timeout: number;
  poll_interval: number;
};
type State = { name: string; facts?: NodeFacts };
type Change = { summary: string; kind: 'meta' | 'delete' | 'wait'; waitOnly?: boolean };

function sameVersion(a: string, b: string): boolean {
  return parseVersion(a) && parseVersion(b) ? compareVersions(a, b) === 0 : a === b;
}

export function isReadyAt(f: NodeFacts | undefined, version?: string): boolean {
  return !!f && f.ready && (!version || sameVersion(f.kubelet_version, version));
}

const voter = (f: NodeFacts) => f.conditions.find((c) => c.type === 'EtcdIsVoter');

function waitDone(f: NodeFacts | undefined, args: Args): boolean {
  return isReadyAt(f, args.kubelet_version) && (args.wait !== 'etcd_member' || isEtcdMember(f));
}

function metaChanges(
  kind: 'label' | 'annotation',
  current: Record<string, string>,
  wanted: Meta | undefined,
  node: string,
): Change[] {
  return Object.entries(wanted ?? {}).flatMap(([k, v]): Change[] => {
    if (v === null) return k in current ? [{ kind: 'meta', summary: `remove ${kind} ${k} from node/${node}` }] : [];
    return current[k] === v
      ? []
      : [
          {
            kind: 'meta',
            summary: `set ${kind} ${k}=${v} on node/${node}${k in current ? ` (was ${current[k]})` : ''}`,
          },
        ];
  });
}

async function read(kube: KubeClient, name: string): Promise<NodeFacts | undefined> {
  try {
    return nodeFacts(await kube.core.readNode({ name }));
  } catch (e) {
    if (statusCode(e) === 404) return undefined;
    throw kubeError(e, `reading node/${name}`, kube.server);
  }
}

function describeWait(f: NodeFacts | undefined, version?: string, etcd = false): string {
  if (!f) return 'the node has not registered';
  const ready = f.conditions.find((c) => c.type === 'Ready');
  const parts = [
    `Ready=${ready?.status ?? 'Unknown'}${ready?.reason ? ` (${ready.reason})` : ''}`,
    `kubelet ${f.kubelet_version}`,
  ];
  if (version && !sameVersion(f.kubelet_version, version)) parts.push(`wanted ${version}`);
  if (etcd) {
    const v = voter(f);
    parts.push(`EtcdIsVoter=${v?.status ?? 'unset'}${v?.reason ? ` (${v.reason})` : ''}`);
  }
  return parts.join(', ');
}

function waitGoal(args: Args): string {
  const version = args.kubelet_version ? ` with kubelet ${args.kubelet_version}` : '';
  return `Ready${version}${args.wait === 'etcd_member' ? ' and a voting etcd member' : ''}`;
}

/** What a freshly joined node looks like: Ready, no labels of ours yet. */
function registeredAs(name: string, version: string): NodeFacts {
  return {
    name,
    roles: [],
    k3s_role: 'agent',
    ready: true,
    kubelet_version: version,
    unschedulable: false,
    taints: [],
    labels: {},
    annotations: {},
    conditions: [{ type: 'Ready', status: 'True' }],
  };
}

export const k8sNode = defineModule<Args, State, Change>({
  name: 'k8s_node',
  schema: 'k8s_node',
  runsOn: 'api',
  predictable: true,
  async inspect(ctx, args) {
    const name = args.node ?? ctx.nodeName;
    const facts = await read(await ctx.kube(), name);
    // In check mode, a node the rehearsal just installed k3s on would have registered, Ready.
    const joined =
      ctx.check && !facts ? (ctx.cluster.predicted(`k3s_version/${name}`) as string | undefined) : undefined;
    return { name, facts: joined ? registeredAs(name, joined) : facts };
  },
  plan(s, args) {
    const data = { node: s.facts ?? null, exists: !!s.facts };
    if (args.state === 'absent') {
      return s.facts
        ? { changes: [{ kind: 'delete', summary: `delete node/${s.name}` }], data }
        : { changes: [], noop: `node/${s.name} already absent`, data };
    }
    if (!s.facts && (args.labels || args.annotations))
      return { changes: [], refuse: `nodes "${s.name}" not found`, data };
    const changes = s.facts
      ? [
          ...metaChanges('label', s.facts.labels, args.labels, s.name),
          ...metaChanges('annotation', s.facts.annotations, args.annotations, s.name),
        ]
      : [];
    if (args.wait && !waitDone(s.facts, args)) {
      changes.push({
        kind: 'wait',
        waitOnly: true,
        summary: `wait until node/${s.name} is ${waitGoal(args)} (now: ${describeWait(s.facts, args.kubelet_version, args.wait === 'etcd_member')})`,
      });
    }
    if (!changes.length) {
      const f = s.facts;
      return {
        changes,
        noop: f
          ? `node/${s.name}: ${f.ready ? 'Ready' : 'NotReady'}, ${f.k3s_role}, kubelet ${f.kubelet_version}${f.unschedulable ? ', cordoned' : ''}`
          : `node/${s.name} does not exist`,
        data,
      };
    }
    return { changes, data };
  },
  async apply(ctx, args, plan, s) {
    const kube = await ctx.kube();
    const kinds = new Set(plan.changes.map((c) => c.kind));
    if (kinds.has('delete')) {
      try {
        await kube.core.deleteNode({ name: s.name });
      } catch (e) {
        if (statusCode(e) !== 404) throw kubeError(e, `deleting node/${s.name}`, kube.server);
      }
      // A deleted node is no longer one this run left cordoned.
      ctx.cluster.uncordoned(s.name);
      return { msg: `node/${s.name} deleted`, data: { node: null, exists: false } };
    }
    if (kinds.has('meta')) {
      try {
        await kube.core.patchNode(
          {
            name: s.name,
            body: {
              metadata: {
                ...(args.labels ? { labels: args.labels } : {}),
                ...(args.annotations ? { annotations: args.annotations } : {}),
              },
            },
          },
          kube.patchOptions('merge') as never,
        );
      } catch (e) {
        throw kubeError(e, `patching node/${s.name}`, kube.server);
      }
    }
    let facts = kinds.has('meta') ? await read(kube, s.name) : s.facts;
    if (kinds.has('wait')) {
      const deadline = ctx.now() + args.wait_timeout * 1000;
      for (;;) {
        facts = await read(kube, s.name);
        if (waitDone(facts, args)) break;
        const now = describeWait(facts, args.kubelet_version, args.wait === 'etcd_member');
        if (ctx.now() >= deadline || ctx.signal.aborted) {
          return {
            failed: `node/${s.name} is not ${waitGoal(args)} after ${args.wait_timeout}s (${now})`,
            data: { node: facts ?? null, exists: !!facts },
          };
        }
        ctx.progress(`waiting for node/${s.name}: ${now}`);
        await ctx.sleep(args.poll_interval * 1000);
      }
    }
    if (!facts) throw new ModuleError(`node/${s.name} disappeared`);
    // A wait alone changed nothing on the cluster.
    return {
      changed: kinds.has('meta'),
      msg: plan.changes.map((c) => c.summary.replace(/ \(now: .*\)$/, '')).join('; '),
      data: { node: facts, exists: true },
    };
  },
});
