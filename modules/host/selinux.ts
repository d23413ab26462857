// selinux (ansible.posix.selinux): the SELinux mode and policy in the config file and, where
// SELinux runs, the running mode (setenforce), as ansible.posix 1.5.4 does it (selinux-plan.ts),
// including on a host without the config file (it fails: "Unable to find file
// /etc/selinux/config"). Read with a fixed script (no task value in it), written with put.
// Unlike the reference, no Python SELinux library is needed on the host.
import { defineModule, ModuleError, type ModuleContext, type Plan } from '../../engine/index-module.js';
import {
  decideSelinux,
  kernelEnabled,
  type SelinuxArgs,
  type SelinuxChange,
  type SelinuxState,
} from './selinux-plan.js';
import { probeFile } from './remote-file.js';
import { asText } from './text.js';

// $1: the policy whose directory must exist. Prints the running mode, then libselinux's config.
const PROBE = `
if [ -r /sys/fs/selinux/enforce ]; then printf 'enforce=%s\\n' "$(cat /sys/fs/selinux/enforce)"; fi
if [ -n "$1" ] && [ -e "/etc/selinux/$1/policy" ]; then echo installed; fi
echo @config; cat /etc/selinux/config 2>/dev/null
exit 0
`;

async function inspect(ctx: ModuleContext, args: SelinuxArgs): Promise<SelinuxState> {
  if (args.policy !== undefined && /[/\0]/.test(args.policy))
    throw new ModuleError(`Policy ${args.policy} does not exist in /etc/selinux/`);
  const r = await ctx.exec(['/bin/sh', '-c', PROBE, 'herdbook-selinux', args.policy ?? ''], { idempotent: true });
  const [head, system = ''] = r.stdout.split('@config\n');
  const enforce = /^enforce=(\d)/m.exec(head)?.[1];
  // libselinux's selinux_getpolicytype: SELINUXTYPE of /etc/selinux/config, else 'targeted'.
  const runtimePolicy = /^SELINUXTYPE=(.*)$/m.exec(system)?.[1].trim() || 'targeted';
  const file = await probeFile(ctx, args.configfile, { follow: true, readMax: 1024 * 1024 });
  const config = file.exists && file.type === 'file' ? (asText(file.content) ?? '') : undefined;
  const state: SelinuxState = { enforce, runtimePolicy, config, policyInstalled: /^installed$/m.test(head) };
  if (config !== undefined && file.exists) state.configMode = file.mode;
  if (args.update_kernel_param) {
    const g = await ctx.exec(['grubby', '--info=ALL'], { env: { LC_ALL: 'C' }, idempotent: true });
    if (g.rc === 127) state.grubby = 'missing';
    else if (g.rc !== 0) state.grubby = 'failed';
    else state.kernelEnabled = kernelEnabled(g.stdout);
  }
  return state;
}

function result(args: SelinuxArgs, policy: string | null, rebootRequired: boolean) {
  return { configfile: args.configfile, policy, state: args.state, reboot_required: rebootRequired };
}

function plan(state: SelinuxState, args: SelinuxArgs): Plan<SelinuxChange> {
  const d = decideSelinux(state, args);
  if (d.failed) return { changes: [], refuse: d.failed };
  const data = { ...result(args, d.policy, d.rebootRequired), msg: d.msgs.join(', '), warnings: d.warnings };
  if (!d.changes.length) return { changes: [], noop: d.warnings.join('; ') || `SELinux is ${args.state}`, data };
  return { changes: d.changes, data };
}

async function apply(ctx: ModuleContext, args: SelinuxArgs, p: Plan<SelinuxChange>, state: SelinuxState) {
  const d = decideSelinux(state, args);
  for (const w of d.warnings) ctx.warn(w);
  for (const c of p.changes) {
    if (c.kind === 'setenforce') {
      const r = await ctx.exec(['setenforce', c.value]);
      if (r.rc !== 0) throw new ModuleError(r.stderr.trim() || `setenforce ${c.value}: exit ${r.rc}`);
    } else if (c.kind === 'write') {
      await ctx.put(c.content, c.path, state.configMode ? { mode: state.configMode } : {});
    } else if (c.kind === 'kernel') {
      const argv = ['grubby', '--update-kernel=ALL', c.enable ? '--remove-args' : '--args', 'selinux=0'];
      const r = await ctx.exec(argv);
      if (r.rc !== 0)
        throw new ModuleError(
          c.enable ? 'unable to remove selinux=0 from kernel config' : 'unable to add selinux=0 to kernel config',
        );
    }
  }
  const msg = d.msgs.join(', ');
  return { msg, data: { ...result(args, d.policy, d.rebootRequired), msg } };
}

export const selinux = defineModule<SelinuxArgs, SelinuxState, SelinuxChange>({
  name: 'selinux',
  schema: 'selinux',
  runsOn: 'host',
  predictable: true,
  inspect,
  plan,
  apply,
});
