// The k3s_version plan, pure: install or upgrade steps with the exact environment and
// arguments each install will get, or a refusal from the skew guard (agents never newer than
// the oldest server, servers within one minor, no skipped minor on a server unless stepwise,
// no downgrade unless allowed).
import type { Plan } from '../../../engine/module.js';
import { compareVersions, minorChannel, minorDistance, mustParseVersion } from '../../../engine/versions.js';
import { maskArgs, maskEnv, type K3sFacts } from '../facts.js';

export type VersionArgs = {
  version?: string;
  channel?: string;
  channel_url: string;
  install_script_url: string;
  install_script?: string;
  skip_download: boolean;
  role?: 'server' | 'agent';
  server_url?: string;
  token?: string;
  flags?: string[];
  stepwise: boolean;
  allow_downgrade: boolean;
  wait: boolean;
  wait_timeout: number;
  install_env: Record<string, string>;
  servers?: string[];
  /** How `version` was chosen, for the plan's words ("stable channel"): playbooks resolve a channel once and pin it. */
  resolved_from?: string;
};

export type VersionState = {
  node: string;
  facts: K3sFacts;
  target: string;
  /** How the target was chosen: "via v1.32 channel", "pinned". */
  via: string;
  /** Other server nodes' versions (from the API, or given), without this node. */
  otherServers: { name: string; version: string }[];
  /** Each minor's latest release, read only when a server must walk minors. */
  minors?: Record<string, string>;
  apiAvailable: boolean;
};

export type InstallStep = {
  summary: string;
  version: string;
  role: 'server' | 'agent';
  /** The install script's arguments: the role word, then the flags (carried from the unit; may hold credentials: never shown, see data.steps). */
  args: string[];
  /** Environment for the install script (secrets in clear: never shown; see data.install_env). */
  env: Record<string, string>;
};

function oldest(list: { name: string; version: string }[]): { name: string; version: string } | undefined {
  return [...list].sort((a, b) => compareVersions(a.version, b.version))[0];
}

function stepEnv(s: VersionState, a: VersionArgs, version: string): Record<string, string> {
  const carried: Record<string, string> = {};
  // The install script regenerates the unit's .env from K3S_* variables: pass them again.
  for (const [k, v] of Object.entries(s.facts.env)) if (k.startsWith('K3S_')) carried[k] = v;
  if (a.server_url) carried.K3S_URL = a.server_url;
  if (a.token) carried.K3S_TOKEN = a.token;
  return {
    ...carried,
    ...a.install_env,
    INSTALL_K3S_VERSION: version,
    ...(a.skip_download ? { INSTALL_K3S_SKIP_DOWNLOAD: 'true' } : {}),
  };
}

export function planVersion(s: VersionState, a: VersionArgs): Plan<InstallStep> {
  const f = s.facts;
  const target = s.target;
  mustParseVersion(target);
  const servers = [
    ...s.otherServers,
    ...(f.installed && f.role === 'server' ? [{ name: s.node, version: f.version! }] : []),
  ];
  const data: Record<string, unknown> = {
    node: s.node,
    current: f.version ?? null,
    target,
    via: s.via,
    role: f.role ?? a.role ?? null,
  };
  if (!f.installed) {
    const role = a.role;
    if (!role)
      return {
        changes: [],
        refuse: `k3s is not installed on ${s.node}; to install it, say role: server or role: agent`,
        data,
      };
    if (role === 'agent' && !a.server_url && !f.env.K3S_URL)
      return { changes: [], refuse: `installing an agent on ${s.node} needs server_url (K3S_URL) and token`, data };
    const refused = role === 'agent' ? agentGuard(s, target, servers) : serverDrift(s, target);
    if (refused) return { changes: [], refuse: refused, data };
    return steps(s, a, role, [target], 'install', data);
  }
  const current = f.version!;
  const cmp = compareVersions(target, current);
  if (cmp === 0) return { changes: [], noop: `already at ${current} (${f.role}, ${s.via})`, data };
  if (cmp < 0 && !a.allow_downgrade) {
    return {
      changes: [],
      refuse: `refusing to downgrade ${s.node} from ${current} to ${target} (set allow_downgrade: true, as rollback-k3s.yaml does)`,
      data,
    };
  }
  const role = f.role ?? a.role ?? 'server';
  if (role === 'agent') {
    const refused = agentGuard(s, target, servers);
    return refused
      ? { changes: [], refuse: refused, data }
      : steps(s, a, role, [target], cmp > 0 ? 'upgrade' : 'downgrade', data);
  }
  // A server: one minor at a time, never more than one minor ahead of the oldest other server.
  const gap = cmp > 0 ? minorDistance(current, target) : 0;
  let path = [target];
  if (gap > 1) {
    if (!a.stepwise) {
      const walk = minorWalk(current, target, s.minors);
      return {
        changes: [],
        refuse: `refusing to skip minors on server ${s.node}: ${minorChannel(current)} → ${minorChannel(target)} is ${gap} upgrades (set stepwise: true to go ${walk.join(', ')} in turn)`,
        data,
      };
    }
    if (!s.minors)
      return { changes: [], refuse: "stepwise needs the channel list to find each minor's latest release", data };
    path = minorWalk(current, target, s.minors);
    const missing = path.find((v) => !/^v\d/.test(v));
    if (missing) return { changes: [], refuse: `stepwise: the channel server lists no release for ${missing}`, data };
  }
  const walked = path.length;
  const other = oldest(s.otherServers);
  if (other && cmp > 0) {
    const allowed = path.filter((v) => minorDistance(other.version, v) <= 1);
    if (!allowed.length)
      return {
        changes: [],
        refuse: `refusing to upgrade server ${s.node} to ${path[0]}: server ${other.name} is at ${other.version}, and servers must stay within one minor; upgrade ${other.name} first`,
        data,
      };
    if (allowed.length < path.length)
      data.partial = `stopped at ${allowed.at(-1)}: server ${other.name} is at ${other.version}; run again once the other servers have caught up`;
    path = allowed;
  }
  return steps(s, a, role, path, cmp > 0 ? 'upgrade' : 'downgrade', data, walked);
}

function agentGuard(s: VersionState, target: string, servers: { name: string; version: string }[]): string | undefined {
  const o = oldest(servers);
  if (!o)
    return `cannot check the version skew for agent ${s.node}: no server version is known (the API is ${s.apiAvailable ? 'reachable but lists no server' : 'not configured'}; set kubeconfig/kubeconfig_from, or pass servers:)`;
  if (minorDistance(o.version, target) >= 1) {
    return `refusing to make agent ${s.node} newer than the oldest server: ${o.name} runs ${o.version}, the agent would run ${target}; upgrade the servers first`;
  }
  return undefined;
}

function serverDrift(s: VersionState, target: string): string | undefined {
  const o = oldest(s.otherServers);
  if (o && Math.abs(minorDistance(o.version, target)) > 1)
    return `refusing to install server ${s.node} at ${target}: server ${o.name} runs ${o.version}, and servers must stay within one minor`;
  return undefined;
}

/** v1.28.15 → v1.32.5: [latest v1.29, latest v1.30, latest v1.31, v1.32.5]. */
export function minorWalk(current: string, target: string, minors: Record<string, string> | undefined): string[] {
  const c = mustParseVersion(current);
  const t = mustParseVersion(target);
  const out: string[] = [];
  for (let m = c.minor + 1; m < t.minor; m++) out.push(minors?.[`v${c.major}.${m}`] ?? `v${c.major}.${m}.x`);
  out.push(target);
  return out;
}

function steps(
  s: VersionState,
  a: VersionArgs,
  role: 'server' | 'agent',
  path: string[],
  verb: string,
  data: Record<string, unknown>,
  walked = path.length,
): Plan<InstallStep> {
  const flags = s.facts.installed ? s.facts.args : (a.flags ?? []);
  let from = s.facts.version;
  const changes = path.map((version, i) => {
    const env = stepEnv(s, a, version);
    const how = walked > 1 ? `step ${i + 1}/${walked} towards ${s.target}` : s.via;
    const summary = from
      ? `${verb} ${from} → ${version} (${role}, ${how})`
      : `install k3s ${version} as ${role} (${how})`;
    from = version;
    return { summary, version, role, args: [role, ...flags], env };
  });
  // Carried flags can hold credentials (--token, --datastore-endpoint): shown masked.
  const shown = changes.map((c) => ({ version: c.version, args: maskArgs(c.args), env: maskEnv(c.env) }));
  return { changes, data: { ...data, steps: shown, carried_flags: maskArgs(flags), install_env: shown[0]?.env } };
}
