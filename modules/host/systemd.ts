// systemd (and its alias service): a unit's state, enablement and mask, planned from one
// `systemctl show` call. restarted/reloaded are always a change (as in Ansible);
// daemon_reload runs only when systemd says the unit needs it (NeedDaemonReload=yes, or the unit
// is not loaded yet), or always when no unit is named — and counts as a change only when it runs.
import { unitPredictedChanged } from './predictions.js';
import { defineModule, ModuleError, type ModuleContext, type ModuleDef } from '../../engine/index-module.js';
import {
  parseShow,
  planSystemd,
  SHOW_PROPERTIES,
  unitName,
  type SystemdArgs,
  type SystemdChange,
  type SystemdState,
  type UnitProps,
} from './systemd-plan.js';

async function show(ctx: ModuleContext, unit: string): Promise<UnitProps> {
  const r = await ctx.exec(['systemctl', 'show', '-p', SHOW_PROPERTIES.join(','), unit], { idempotent: true });
  if (r.rc !== 0)
    throw new ModuleError(`systemctl show ${unit} failed (exit ${r.rc}): ${r.stderr.trim()}`, {
      rc: r.rc,
      stderr: r.stderr,
    });
  return parseShow(r.stdout);
}

function defineSystemd(name: 'systemd' | 'service'): ModuleDef<SystemdArgs, SystemdState, SystemdChange> {
  return defineModule<SystemdArgs, SystemdState, SystemdChange>({
    name,
    schema: name,
    runsOn: 'host',
    predictable: true,
    async inspect(ctx, args) {
      if (!args.name) return {};
      const unit = unitName(args.name);
      const props = await show(ctx, unit);
      // A unit file an earlier rehearsed task would have written needs a daemon-reload.
      if (unitPredictedChanged(ctx, unit)) props.NeedDaemonReload = 'yes';
      return { unit, props, check: ctx.check };
    },
    plan: planSystemd,
    async apply(ctx, args, plan, st) {
      for (const c of plan.changes) {
        const argv = [
          'systemctl',
          ...(args.no_block && ['start', 'stop', 'restart', 'reload'].includes(c.verb) ? ['--no-block'] : []),
          c.verb,
          ...(c.verb === 'daemon-reload' ? [] : [st.unit!]),
        ];
        const r = await ctx.exec(argv);
        if (r.rc !== 0) {
          const why = (r.stderr.trim() || r.stdout.trim() || `exit ${r.rc}`).split('\n').slice(-4).join(' | ');
          const status = st.unit ? await show(ctx, st.unit).catch(() => undefined) : undefined;
          return {
            failed: `${argv.slice(1).join(' ')} failed: ${why}`,
            data: { rc: r.rc, stderr: r.stderr, ...(status ? { status } : {}) },
          };
        }
      }
      if (!st.unit) return {};
      const status = await show(ctx, st.unit);
      return { data: { name: st.unit, state: status.ActiveState, enabled: status.UnitFileState, status } };
    },
  });
}

export const systemd = defineSystemd('systemd');
export const service = defineSystemd('service');
