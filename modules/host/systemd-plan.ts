// systemd's plan, pure: from the unit's properties (one `systemctl show` call) and the wanted
// state to the systemctl verbs to run, in systemd's order: daemon-reload, (un)mask, enable or
// disable, then start/stop/restart/reload.
import type { Plan } from '../../engine/index-module.js';
import { pendingNote } from './check-note.js';

export type SystemdArgs = {
  name?: string;
  state?: 'started' | 'stopped' | 'restarted' | 'reloaded';
  enabled?: boolean;
  masked?: boolean;
  daemon_reload: boolean;
  no_block: boolean;
};

/** `systemctl show -p ...` as key → value (absent when no name was given). */
export type UnitProps = Record<string, string>;

export type SystemdState = { unit?: string; props?: UnitProps; check?: boolean };

export type SystemdChange = { summary: string; verb: string };

export const SHOW_PROPERTIES = ['Id', 'LoadState', 'ActiveState', 'SubState', 'UnitFileState', 'NeedDaemonReload'];

/** systemctl's own rule: a name without a type suffix is a .service. */
export function unitName(name: string): string {
  return /\.(service|socket|timer|target|mount|automount|path|slice|scope|swap|device)$/.test(name)
    ? name
    : `${name}.service`;
}

export function parseShow(stdout: string): UnitProps {
  const props: UnitProps = {};
  for (const line of stdout.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) props[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return props;
}

const RUNNING = new Set(['active', 'activating', 'reloading']);
const ENABLED = new Set(['enabled', 'enabled-runtime', 'alias', 'indirect', 'generated', 'linked', 'linked-runtime']);
// Units without an [Install] section: nothing to enable or disable.
const FIXED = new Set(['static', 'transient']);

export function describeUnit(p: UnitProps): string {
  const fileState = p.UnitFileState ? `, ${p.UnitFileState}` : '';
  return `${p.ActiveState ?? 'unknown'} (${p.SubState ?? '?'})${fileState}`;
}

export function planSystemd(st: SystemdState, args: SystemdArgs): Plan<SystemdChange> {
  const changes: SystemdChange[] = [];
  const add = (verb: string, summary = `${verb} ${st.unit}`) => changes.push({ verb, summary });
  const p = st.props ?? {};
  const data = st.unit ? { name: st.unit, status: p } : {};
  if (!st.unit) {
    if (args.state || args.enabled !== undefined || args.masked !== undefined)
      return { changes: [], refuse: 'name is required with state, enabled or masked', data };
    // Nothing to ask systemd about: asked explicitly, so always reload.
    if (args.daemon_reload) add('daemon-reload', 'daemon-reload');
    return { changes, noop: 'nothing asked', data };
  }
  const notFound = p.LoadState === 'not-found';
  const stale = p.NeedDaemonReload === 'yes';
  if (args.daemon_reload && (stale || notFound))
    add('daemon-reload', `daemon-reload (${st.unit} ${notFound ? 'is not loaded yet' : 'changed on disk'})`);
  const wantsRunning = args.state === 'started' || args.state === 'restarted' || args.state === 'reloaded';
  const needsUnit = wantsRunning || args.enabled === true;
  // In check mode the unit file may be one an earlier task would install: with daemon_reload
  // too, unless a rehearsed task here wrote it (inspect marks that unit stale), say it is not there yet.
  const pending = notFound && needsUnit && st.check && (!args.daemon_reload || !stale);
  if (notFound && needsUnit && !args.daemon_reload && !pending)
    return {
      changes: [],
      refuse: `Could not find the requested service ${st.unit}: host has no such unit (daemon_reload: true loads a unit file written just before)`,
      data,
    };
  const masked = p.UnitFileState === 'masked' || p.LoadState === 'masked';
  if (args.masked === true && (args.enabled === true || wantsRunning)) {
    return {
      changes: [],
      refuse: `${st.unit} cannot be masked and ${args.enabled ? 'enabled' : args.state} at once`,
      data,
    };
  }
  if (args.masked === true && !masked) add('mask');
  if (args.masked === false && masked) add('unmask');
  const willBeMasked = args.masked ?? masked;
  // A unit loaded only by the planned daemon-reload counts as disabled: enabling it twice is harmless.
  if (args.enabled !== undefined && (!notFound || args.daemon_reload || pending) && !FIXED.has(p.UnitFileState ?? '')) {
    const on = ENABLED.has(p.UnitFileState ?? '');
    if (args.enabled && willBeMasked)
      return { changes: [], refuse: `${st.unit} is masked: unmask it (masked: false) to enable it`, data };
    if (args.enabled && !on) add('enable');
    if (!args.enabled && on) add('disable');
  }
  const running = RUNNING.has(p.ActiveState ?? '');
  const note =
    stale && !args.daemon_reload ? ` (its unit files changed on disk: daemon_reload: true would load them first)` : '';
  switch (args.state) {
    case 'started':
      if (!running) add('start', `start ${st.unit} (now ${describeUnit(p)})${note}`);
      break;
    case 'stopped':
      if (running || p.ActiveState === 'deactivating') add('stop', `stop ${st.unit} (now ${describeUnit(p)})`);
      break;
    case 'restarted':
      // Always a change, as in Ansible: the point is the restart itself.
      add('restart', `restart ${st.unit}${note}`);
      break;
    case 'reloaded':
      if (running) add('reload', `reload ${st.unit}`);
      else add('start', `start ${st.unit} (reloaded asked, but it is ${describeUnit(p)})${note}`);
      break;
    case undefined:
      // No state asked: only enabled, masked or daemon_reload.
      break;
  }
  if (pending && changes.length) changes[0].summary += pendingNote(`${st.unit} is not on the host`);
  return { changes, noop: changes.length ? undefined : `${st.unit} is ${describeUnit(p)}`, data };
}
