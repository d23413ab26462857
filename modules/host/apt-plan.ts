// apt's decisions, as ansible.builtin.apt (2.14) makes them: which packages to install, upgrade
// or remove, whether the package lists are old enough to update, and what `changed` means (an
// update alone changes the host; with packages, only installing or removing does). Pure.
import type { Change, Plan } from '../../engine/index-module.js';
import { splitSpec, type Simulated } from './apt-query.js';

export type AptArgs = {
  /** One name, a comma-separated string or a list (Ansible's list type); absent: only the lists. */
  name?: string | string[];
  state: 'present' | 'absent' | 'latest' | 'installed' | 'removed';
  update_cache: boolean;
  cache_valid_time: number;
  lock_timeout: number;
  purge: boolean;
  install_recommends?: boolean;
  dpkg_options: string;
};

export type AptState = {
  /** /var/lib/dpkg/updates holds a half-done operation. */
  interrupted: boolean;
  /** Requested packages that are installed → version. */
  installed: Record<string, string>;
  /** Requested packages apt knows → candidate version (null: known, nothing installable). */
  candidates: Record<string, string | null>;
  /** When the lists were last updated, and the host's clock (epoch seconds). */
  cacheTime: number;
  now: number;
  /** `apt-get -s` for the package changes: what apt would really do, dependencies included. */
  simulation?: { output: string; actions: Simulated[] };
};

export type AptChange = Change & { kind: 'update' | 'install' | 'upgrade' | 'remove'; name?: string; spec?: string };

/** The package specs, as Ansible reads a list argument (a string is split at commas). */
export function specsOf(args: Pick<AptArgs, 'name'>): string[] {
  const raw = args.name === undefined ? [] : Array.isArray(args.name) ? args.name : args.name.split(',');
  return raw.map((s) => String(s).trim()).filter((s) => s !== '' && s !== '*');
}

export function wantsUpdate(args: AptArgs, state: Pick<AptState, 'cacheTime' | 'now'>): boolean {
  if (!args.update_cache && !args.cache_valid_time) return false;
  // Ansible: update unless mtime + cache_valid_time >= now (so cache_valid_time 0 always updates).
  return !(state.cacheTime + args.cache_valid_time >= state.now);
}

export function normalizedState(s: AptArgs['state']): 'present' | 'absent' | 'latest' {
  return s === 'installed' ? 'present' : s === 'removed' ? 'absent' : s;
}

/** The package part of the plan (also re-planned after an update, on fresh lists). */
export function planPackages(state: AptState, args: AptArgs, afterUpdate: boolean): Plan<AptChange> {
  const want = normalizedState(args.state);
  const changes: AptChange[] = [];
  for (const spec of specsOf(args)) {
    const { name, version } = splitSpec(spec);
    const have = state.installed[name];
    const cand = state.candidates[name];
    if (want === 'absent') {
      if (have !== undefined) changes.push({ kind: 'remove', name, spec, summary: `remove ${name} ${have}` });
      continue;
    }
    const target = version ?? cand ?? undefined;
    if (have !== undefined && (version === undefined || have === version)) {
      if (want === 'latest' && cand && cand !== have && version === undefined)
        changes.push({ kind: 'upgrade', name, spec, summary: `upgrade ${name} ${have} → ${cand}` });
      continue;
    }
    if (!(name in state.candidates) || (cand === null && version === undefined)) {
      // Unknown until the lists are updated: the run updates first, then decides on fresh lists.
      if (afterUpdate)
        changes.push({ kind: 'install', name, spec, summary: `install ${name} (once the package lists are updated)` });
      else return { changes: [], refuse: `No package matching '${name}' is available` };
      continue;
    }
    changes.push({
      kind: have === undefined ? 'install' : 'upgrade',
      name,
      spec,
      summary: have === undefined ? `install ${name} ${target}` : `change ${name} ${have} → ${target}`,
    });
  }
  // Dependencies apt would add, as its simulation says.
  const named = new Set(changes.map((c) => c.name));
  for (const a of state.simulation?.actions ?? [])
    if (!named.has(a.name) && changes.length)
      changes.push({ kind: a.action, name: a.name, summary: `${a.action} ${a.name} ${a.version} (apt: a dependency)` });
  return { changes };
}

export function planApt(state: AptState, args: AptArgs): Plan<AptChange> {
  if (state.interrupted)
    return {
      changes: [],
      refuse:
        'dpkg was interrupted (an earlier package operation stopped halfway): run `dpkg --configure -a` on this host as root, then run the task again',
    };
  for (const spec of specsOf(args)) {
    if (spec.startsWith('-') || spec.trim() === '' || /\s/.test(spec))
      return { changes: [], refuse: `invalid package name '${spec}': a Debian package name, optionally =version` };
    if (spec.split('=').length > 2) return { changes: [], refuse: `invalid package spec: ${spec}` };
  }
  const update = wantsUpdate(args, state);
  const pkgs = planPackages(state, args, update);
  if (pkgs.refuse) return pkgs;
  const changes: AptChange[] = [];
  // With packages named, Ansible reports changed only for what it installs or removes; the
  // update still runs (a wait-only change: ok on its own, as Ansible's status is).
  if (update)
    changes.push({
      kind: 'update',
      summary: 'update the package lists (apt-get update)',
      ...(specsOf(args).length ? { waitOnly: true } : {}),
    });
  changes.push(...pkgs.changes);
  const data = { cache_updated: update, cache_update_time: state.cacheTime };
  const prepared = state.simulation?.output;
  const diff =
    prepared !== undefined && pkgs.changes.length ? [{ path: 'apt', before: '', after: '', prepared }] : undefined;
  if (!changes.length) {
    const what = specsOf(args).join(', ');
    const noop =
      normalizedState(args.state) === 'absent'
        ? `${what}: not installed`
        : specsOf(args).length
          ? `${what}: installed${normalizedState(args.state) === 'latest' ? ', the newest apt has' : ''}`
          : 'the package lists are recent enough';
    return { changes: [], noop, data };
  }
  return { changes, data, ...(diff ? { diff } : {}) };
}
