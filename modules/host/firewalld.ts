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
  targets,
  type FirewalldArgs,
  type FirewalldChange,
  type FirewalldState,
  type Item,
} from './firewalld-plan.js';

const LANG_C = { LANG: 'C', LC_ALL: 'C' };
// Is the daemon running (firewall-cmd answers only over the system bus: without its socket,
// skip the second of Python start-up it costs), and is firewall-offline-cmd there. Fixed text.
const PROBE = `
if [ -S /run/dbus/system_bus_socket ] || [ -S /var/run/dbus/system_bus_socket ]; then firewall-cmd --state 2>/dev/null; fi
command -v firewall-offline-cmd >/dev/null 2>&1 && echo offline-cmd
exit 0
`;

/** firewall-cmd (or firewall-offline-cmd) with --permanent when asked and the daemon runs. */
function cmd(state: { offline: boolean }, where: 'permanent' | 'immediate'): string[] {
  if (state.offline) return ['firewall-offline-cmd'];
  return where === 'permanent' ? ['firewall-cmd', '--permanent'] : ['firewall-cmd'];
}

/** The reference's error words: `ERROR: Exception caught: INVALID_PORT: ...`. */
function failure(r: { rc: number; stdout: string; stderr: string }): ModuleError {
  const text = (r.stderr.trim() || r.stdout.trim()).replace(/^Error: /, '');
  const hint = /INVALID_SERVICE/.test(text)
    ? ' Services are defined by port/tcp relationship and named as they are in /etc/services (on most systems)'
    : '';
  return new ModuleError(`ERROR: Exception caught: ${text}${hint}`, { rc: r.rc });
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
    if (r.rc !== 0) throw failure(r);
    return r.stdout.split(/\s+/).includes(state.zone);
  }
  const r = await ctx.exec([...base, `--zone=${state.zone}`, ...itemFlag(item, 'query')], {
    env: LANG_C,
    idempotent: true,
  });
  // --query-*: 0 yes, 1 no; anything else is firewalld's error (INVALID_ZONE, INVALID_PORT...).
  if (r.rc === 0 || r.rc === 1) return r.rc === 0;
  throw failure(r);
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
  let zone = args.zone;
  if (!zone) {
    const r = await ctx.exec([...cmd({ offline }, 'immediate'), '--get-default-zone'], {
      env: LANG_C,
      idempotent: true,
    });
    if (r.rc !== 0) throw failure(r);
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
    if (r.rc !== 0) throw failure(r);
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
