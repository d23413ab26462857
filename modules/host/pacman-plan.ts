// pacman's decisions, as community.general.pacman 6.6.2 makes them: names resolved through the
// sync databases and groups, what to install (missing, or upgradable with latest), remove or
// upgrade, the `packages` it registers and its diff; the package lists pacman's own dry run
// (`--print-format`) gave, so dependencies are in the plan. Pure.
import type { Change, Plan } from '../../engine/index-module.js';
import type { Upgrade } from './pacman-query.js';

export type PacmanArgs = {
  /** One name, a comma-separated string or a list (Ansible's list type): names, groups, `repo/name`, files, URLs. */
  name?: string | string[];
  state: 'present' | 'absent' | 'latest' | 'installed' | 'removed';
  update_cache?: boolean;
  upgrade?: boolean;
  force: boolean;
  remove_nosave: boolean;
  executable: string;
  extra_args: string | string[];
  update_cache_extra_args: string | string[];
  upgrade_extra_args: string | string[];
};

export type PacmanInventory = {
  /** Installed package → version (`pacman --query`). */
  installed: Record<string, string>;
  reasons: Record<string, 'explicit' | 'dependency'>;
  /** What the sync databases hold → version. */
  available: Record<string, string>;
  groups: Record<string, string[]>;
  upgradable: Record<string, Upgrade>;
};

/** A package as pacman is asked for it: `source` is what goes on its command line. */
export type Target = { name: string; source: string; url: boolean };

/** What pacman answered a command that failed: the reference registers these with its failure. */
export type PacmanAnswer = { cmd: string[]; rc: number; stdout: string; stderr: string };

/** A name pacman resolved to a package, or not (with its answer to the last attempt). */
export type Resolved = { target: Target | null; failure?: PacmanAnswer };

export type PacmanState = PacmanInventory & {
  /** Names neither the databases nor the host know, as pacman resolved them (`repo/name`, a file, a URL); null: none. */
  resolved: Record<string, Target | null>;
  /** For a name none resolved: pacman's answer to the last attempt (`--upgrade --print-format`). */
  unresolved?: Record<string, PacmanAnswer>;
  /** pacman's dry run of the plan's targets: `name version` to install, `name-version` to remove. */
  printed?: { install?: { name: string; version: string }[]; remove?: string[] };
};

export type PacmanChange = Change & { kind: 'update' | 'upgrade' | 'install' | 'remove'; name?: string };

export const want = (s: PacmanArgs['state']): 'present' | 'absent' | 'latest' =>
  s === 'installed' ? 'present' : s === 'removed' ? 'absent' : s;

/** The names, as Ansible reads a list argument (a string is split at commas); empty entries skipped. */
export function namesOf(args: Pick<PacmanArgs, 'name'>): string[] {
  const raw = args.name === undefined ? [] : Array.isArray(args.name) ? args.name : args.name.split(',');
  return raw.map((s) => String(s).trim()).filter((s) => s !== '');
}

/** Names the inventory does not know: inspect asks pacman to resolve these. */
export function unknownNames(inv: PacmanInventory, args: PacmanArgs): string[] {
  return namesOf(args).filter((n) => !(n in inv.groups) && !(n in inv.available) && !(n in inv.installed));
}

/** Ansible's package_list: groups expanded, known names as they are, the rest as pacman resolved them. */
export function targetsOf(state: PacmanState, args: PacmanArgs): { targets: Target[]; missing: string[] } {
  const targets: Target[] = [];
  const missing: string[] = [];
  for (const n of namesOf(args)) {
    if (n in state.groups) targets.push(...state.groups[n].map((m) => ({ name: m, source: m, url: false })));
    else if (n in state.available || n in state.installed) targets.push({ name: n, source: n, url: false });
    else if (state.resolved[n]) targets.push(state.resolved[n]);
    // Removing what does not exist is fine, as Ansible's is.
    else if (want(args.state) !== 'absent') missing.push(n);
  }
  return { targets, missing };
}

/** What the install asks pacman for: missing packages (and upgradable ones with latest), plus every file/URL. */
export function toInstall(state: PacmanState, args: PacmanArgs, targets: Target[]): { sync: Target[]; url: Target[] } {
  const latest = want(args.state) === 'latest';
  return {
    sync: targets.filter((t) => !t.url && (!(t.name in state.installed) || (latest && t.name in state.upgradable))),
    url: targets.filter((t) => t.url),
  };
}

export function toRemove(state: PacmanState, targets: Target[]): string[] {
  return targets.filter((t) => t.name in state.installed).map((t) => t.name);
}

const lines = (xs: string[]) => (xs.length ? `${[...xs].sort().join('\n')}\n` : '');

function planInstall(state: PacmanState, args: PacmanArgs, targets: Target[]): Plan<PacmanChange> {
  const { sync, url } = toInstall(state, args, targets);
  const printed = sync.length || url.length ? (state.printed?.install ?? []) : [];
  if (!printed.length) return { changes: [], noop: 'package(s) already installed', data: { packages: [] } };
  const asked = new Set(targets.map((t) => t.name));
  const before: string[] = [];
  const after: string[] = [];
  const changes: PacmanChange[] = printed.map(({ name, version }) => {
    const have = state.installed[name];
    const reason = state.reasons[name];
    if (have !== undefined) before.push(`${name}-${have}-${reason}`);
    after.push(reason ? `${name}-${version}-${reason}` : `${name}-${version}`);
    const dep = asked.has(name) ? '' : ' (pacman: a dependency)';
    return have === undefined
      ? { kind: 'install', name, summary: `install ${name} ${version}${dep}` }
      : { kind: 'upgrade', name, summary: `upgrade ${name} ${have} → ${version}${dep}` };
  });
  return {
    changes,
    data: { packages: printed.map((p) => p.name).sort() },
    diff: [{ path: 'pacman', before: lines(before), after: lines(after) }],
  };
}

function planRemove(state: PacmanState, targets: Target[]): Plan<PacmanChange> {
  const removed = toRemove(state, targets).length ? (state.printed?.remove ?? []) : [];
  if (!removed.length) return { changes: [], noop: 'package(s) already absent', data: { packages: [] } };
  return {
    changes: removed.map((p) => ({ kind: 'remove', name: p, summary: `remove ${p}` })),
    data: { packages: removed },
    diff: [{ path: 'pacman', before: `${removed.join('\n')}\n`, after: '' }],
  };
}

function planUpgrade(state: PacmanState): Plan<PacmanChange> {
  const up = Object.entries(state.upgradable);
  if (!up.length) return { changes: [], noop: 'Nothing to upgrade' };
  return {
    changes: up.map(([n, v]) => ({ kind: 'upgrade', name: n, summary: `upgrade ${n} ${v.current} → ${v.latest}` })),
    data: { packages: up.map(([n]) => n) },
    diff: [
      {
        path: 'pacman',
        before: up.map(([n, v]) => `${n}-${v.current}\n`).join(''),
        after: up.map(([n, v]) => `${n}-${v.latest}\n`).join(''),
      },
    ],
  };
}

/** The package part of the plan (also re-planned after the databases are updated, on the fresh ones). */
export function planPackages(state: PacmanState, args: PacmanArgs, afterUpdate: boolean): Plan<PacmanChange> {
  if (args.upgrade) return planUpgrade(state);
  if (!namesOf(args).length) return { changes: [] };
  const { targets, missing } = targetsOf(state, args);
  if (missing.length && !afterUpdate)
    return {
      changes: [],
      refuse: `Failed to list package ${missing[0]}`,
      ...(state.unresolved?.[missing[0]] ? { data: { ...state.unresolved[missing[0]] } } : {}),
    };
  const p = want(args.state) === 'absent' ? planRemove(state, targets) : planInstall(state, args, targets);
  // Unknown until the databases are updated: the run updates first, then decides on the fresh ones.
  const later: PacmanChange[] = missing.map((n) => ({
    kind: 'install',
    name: n,
    summary: `install ${n} (once the package databases are updated)`,
  }));
  return later.length ? { ...p, changes: [...p.changes, ...later], noop: undefined } : p;
}

export function planPacman(state: PacmanState, args: PacmanArgs): Plan<PacmanChange> {
  for (const n of namesOf(args))
    if (n.startsWith('-') || /\s/.test(n))
      return { changes: [], refuse: `invalid package name '${n}': a package, group, repo/package, file or URL` };
  const update = args.update_cache === true;
  const pkgs = planPackages(state, args, update);
  if (pkgs.refuse) return pkgs;
  const changes: PacmanChange[] = [
    ...(update ? [{ kind: 'update' as const, summary: 'update the package databases (pacman --sync --refresh)' }] : []),
    ...pkgs.changes,
  ];
  const data = { ...(pkgs.data ?? {}), ...(update ? { cache_updated: true } : {}) };
  if (!changes.length) return { changes, noop: pkgs.noop, data };
  return { changes, data, ...(pkgs.diff ? { diff: pkgs.diff } : {}) };
}
