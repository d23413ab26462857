// firewalld (ansible.posix.firewalld): a port, service, protocol, source, interface, rich rule
// or masquerade of a zone, or the zone itself, in the permanent configuration and/or the running
// firewall, as ansible.posix 1.5.4 decides it (firewalld-plan.ts). With the daemon running,
// through firewall-cmd; without one, through firewall-offline-cmd on the permanent configuration,
// as the reference works offline (immediate is then refused, as it refuses it). Every command is
// argv. Inside a Proxmox container (connection: pct) the firewall is the container's own.
import { defineModule, ModuleError, type ModuleContext, type Plan } from '../../engine/index-module.js';
import {
  argsError,
  decideFirewalld,
  firewalldMsg,
  itemOf,
  operation,
  targets,
  type FirewalldArgs,
  type FirewalldChange,
  type FirewalldState,
  type Item,
} from './firewalld-plan.js';

const LANG_C = { LANG: 'C', LC_ALL: 'C' };
// Is the daemon running, its default zone, and is firewall-offline-cmd there. Fixed text.
// Without a system bus socket nothing can answer. With one, dbus-send (a few ms) asks what
// firewall-cmd --state and --get-default-zone ask (the daemon's state property; getDefaultZone,
// under the same polkit action), where each firewall-cmd costs a Python start-up (0.2 s on an
// idle machine); firewall-cmd --state where dbus-send is missing.
const PROBE = `
if [ -S /run/dbus/system_bus_socket ] || [ -S /var/run/dbus/system_bus_socket ]; then
  if command -v dbus-send >/dev/null 2>&1; then
    fw() { dbus-send --system --print-reply --dest=org.fedoraproject.FirewallD1 /org/fedoraproject/FirewallD1 "$@" 2>/dev/null; }
    if fw org.freedesktop.DBus.Properties.Get string:org.fedoraproject.FirewallD1 string:state | grep -q '"RUNNING"'; then
      echo running
      fw org.fedoraproject.FirewallD1.getDefaultZone | sed -n 's/^ *string "\\(.*\\)"$/default-zone \\1/p'
    fi
  else
    firewall-cmd --state 2>/dev/null
  fi
fi
command -v firewall-offline-cmd >/dev/null 2>&1 && echo offline-cmd
exit 0
`;

/** firewall-cmd (or firewall-offline-cmd) with --permanent when asked and the daemon runs. */
function cmd(state: { offline: boolean }, where: 'permanent' | 'immediate'): string[] {
  if (state.offline) return ['firewall-offline-cmd'];
  return where === 'permanent' ? ['firewall-cmd', '--permanent'] : ['firewall-cmd'];
}

/**
 * The reference's error words, `ERROR: Exception caught: <exception> <msgs>`: the exception as
 * Python prints it (a D-Bus error named org.fedoraproject.FirewallD1.Exception when the daemon
 * raised it; firewalld's own FirewallError when raised in the reference's process: offline, or
 * a rich rule it parses before asking), then the msgs gathered so far, which hold the operation
 * phrase once the reference has read the state (`during`: a failure while changing it) and its
 * hint for an unknown service.
 */
function failure(r: { rc: number; stdout: string; stderr: string }, fromDaemon: boolean, during?: string): ModuleError {
  const text = (r.stderr.trim() || r.stdout.trim()).replace(/^Error: /, '');
  const msgs = [
    ...(during ? [during] : []),
    ...(/INVALID_SERVICE/.test(text)
      ? ['Services are defined by port/tcp relationship and named as they are in /etc/services (on most systems)']
      : []),
  ];
  const exception = fromDaemon ? `org.fedoraproject.FirewallD1.Exception: ${text}` : text;
  return new ModuleError(`ERROR: Exception caught: ${[exception, msgs.join(', ')].filter(Boolean).join(' ')}`, {
    rc: r.rc,
  });
}

// What the reference adds for `timeout` seconds (its addService, addPort, addProtocol and
// addRichRule take it; addMasquerade, addSource and changeZoneOfInterface do not). A removal
// takes none: firewall-cmd refuses --timeout there ("Wrong --timeout usage").
const TIMED = new Set<Item['kind']>(['service', 'port', 'protocol', 'rich-rule']);

function itemFlag(item: Item, op: 'query' | 'add' | 'remove'): string[] {
  if (item.kind === 'masquerade') return [`--${op}-masquerade`];
  if (item.kind === 'interface' && op === 'add') return [`--change-interface=${item.value}`];
  return [`--${op}-${item.kind}=${item.value}`];
}

async function query(ctx: ModuleContext, state: FirewalldState, item: Item, where: 'permanent' | 'immediate') {
  const base = cmd(state, where);
  if (item.kind === 'zone') {
    const r = await ctx.exec([...base, '--get-zones'], { env: LANG_C, idempotent: true });
    if (r.rc !== 0) throw failure(r, !state.offline);
    return r.stdout.split(/\s+/).includes(state.zone);
  }
  const r = await ctx.exec([...base, `--zone=${state.zone}`, ...itemFlag(item, 'query')], {
    env: LANG_C,
    idempotent: true,
  });
  // --query-*: 0 yes, 1 no; anything else is firewalld's error (INVALID_ZONE, INVALID_PORT...).
  if (r.rc === 0 || r.rc === 1) return r.rc === 0;
  const text = r.stderr.trim() || r.stdout.trim();
  if (listed(item, where) && INVALID_VALUE.test(text)) return false;
  throw failure(r, !state.offline && !(item.kind === 'rich-rule' && /INVALID_RULE/.test(text)));
}

// The reference reads these as membership of the zone's lists (a service, protocol, source or
// interface; a port in the permanent configuration), where a value firewalld refuses is simply
// not there: disabling it is ok, enabling it fails when the add is refused (with the operation in
// its msg). firewall-cmd's --query-* refuses the value at once; read that as "not there" too.
// A running port (the reference asks the daemon) and a rich rule (it parses the rule first) fail
// in the reference's query as well, so their errors stand.
const INVALID_VALUE = /^(Error: )?INVALID_(SERVICE|PROTOCOL|ADDR|IPSET|INTERFACE|PORT):/m;
function listed(item: Item, where: 'permanent' | 'immediate'): boolean {
  return (
    ['service', 'protocol', 'source', 'interface'].includes(item.kind) ||
    (item.kind === 'port' && where === 'permanent')
  );
}

async function inspect(ctx: ModuleContext, args: FirewalldArgs): Promise<FirewalldState & { item?: Item }> {
  const probe = await ctx.exec(['/bin/sh', '-c', PROBE], { env: LANG_C, idempotent: true });
  const offline = !/^running$/m.test(probe.stdout);
  if (offline && !/^offline-cmd$/m.test(probe.stdout))
    throw new ModuleError(
      'Failed to import the required Python library (firewall): install firewalld (firewall-cmd and firewall-offline-cmd)',
    );
  const bad = argsError(args, offline);
  if (bad) throw new ModuleError(bad);
  let zone = args.zone ?? (offline ? undefined : /^default-zone (.+)$/m.exec(probe.stdout)?.[1]);
  if (!zone) {
    const r = await ctx.exec([...cmd({ offline }, 'immediate'), '--get-default-zone'], {
      env: LANG_C,
      idempotent: true,
    });
    if (r.rc !== 0) throw failure(r, !offline);
    zone = r.stdout.trim();
  }
  const state: FirewalldState & { item?: Item } = { offline, zone, item: itemOf(args) };
  if (!state.item) return state;
  const t = targets(args);
  if (t.permanent) state.permanent = await query(ctx, state, state.item, 'permanent');
  if (t.immediate && !offline) state.immediate = await query(ctx, state, state.item, 'immediate');
  return state;
}

function plan(state: FirewalldState & { item?: Item }, args: FirewalldArgs): Plan<FirewalldChange> {
  const changes = state.item ? decideFirewalld(state, args, state.item) : [];
  const msg = firewalldMsg(state, args, state.item, changes.length > 0);
  if (!changes.length) return { changes: [], noop: msg || 'nothing to do', data: { msg } };
  return { changes };
}

async function apply(
  ctx: ModuleContext,
  args: FirewalldArgs,
  p: Plan<FirewalldChange>,
  state: FirewalldState & { item?: Item },
) {
  const item = state.item!;
  for (const c of p.changes) {
    const base = cmd(state, c.where);
    const argv =
      item.kind === 'zone'
        ? [...base, c.action === 'add' ? `--new-zone=${state.zone}` : `--delete-zone=${state.zone}`]
        : [
            ...base,
            `--zone=${state.zone}`,
            ...itemFlag(item, c.action),
            ...(c.where === 'immediate' && c.action === 'add' && args.timeout > 0 && TIMED.has(item.kind)
              ? [`--timeout=${args.timeout}`]
              : []),
          ];
    const r = await ctx.exec(argv, { env: LANG_C });
    if (r.rc !== 0) throw failure(r, !state.offline, operation(targets(args)));
  }
  return { msg: firewalldMsg(state, args, item, true), data: { msg: firewalldMsg(state, args, item, true) } };
}

export const firewalld = defineModule<FirewalldArgs, FirewalldState & { item?: Item }, FirewalldChange>({
  name: 'firewalld',
  schema: 'firewalld',
  runsOn: 'host',
  predictable: true,
  inspect,
  plan,
  apply,
});
