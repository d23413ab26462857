// ufw (community.general.ufw): the firewall enabled, disabled, reloaded or reset, a default
// policy, a rule added or deleted, the logging level, as community.general 6.6.2 does them
// (decisions in ufw-plan.ts). Every command is argv (the reference builds a string, so a quote in
// a comment breaks it). herdbook refuses to enable ufw with a deny incoming policy and no rule
// allowing the SSH port the task's connection uses: it would cut the controller off. Inside a
// Proxmox container (connection: pct) ufw works on the container's own network namespace.
import { defineModule, ModuleError, type ModuleContext, type Plan } from '../../engine/index-module.js';
import { shellJoin } from '../../engine/connection/quote.js';
import {
  argsError,
  decideUfw,
  parseDefaults,
  parseLogLevel,
  ruleArgv,
  tupleLines,
  type UfwArgs,
  type UfwChange,
  type UfwState,
} from './ufw-plan.js';

const LANG_C = { LANG: 'C', LC_ALL: 'C' };
// The reference's rules files (the first two are older ufw's), then the two settings files.
// A fixed script: no value of the task is in it.
const READ_FILES = `
grep -h '^### tuple' /lib/ufw/user.rules /lib/ufw/user6.rules /etc/ufw/user.rules /etc/ufw/user6.rules /var/lib/ufw/user.rules /var/lib/ufw/user6.rules 2>/dev/null
echo @defaults; cat /etc/default/ufw 2>/dev/null
echo @conf; cat /etc/ufw/ufw.conf 2>/dev/null
exit 0
`;

async function ufw(ctx: ModuleContext, argv: string[], idempotent = false) {
  const r = await ctx.exec(['ufw', ...argv], { env: LANG_C, idempotent });
  if (r.rc === 127) throw new ModuleError('Failed to find required executable ufw in paths: install the ufw package');
  return r;
}

async function inspect(ctx: ModuleContext, args: UfwArgs): Promise<UfwState> {
  const bad = argsError(args);
  if (bad) throw new ModuleError(bad);
  const status = await ufw(ctx, ['status', 'verbose'], true);
  if (status.rc !== 0) throw new ModuleError(status.stderr.trim() || status.stdout.trim());
  const files = await ctx.exec(['/bin/sh', '-c', READ_FILES], { env: LANG_C, idempotent: true });
  const [rules, rest = ''] = files.stdout.split('@defaults\n');
  const [defaults, conf = ''] = rest.split('@conf\n');
  const state: UfwState = {
    // "active" would also match "inactive", hence the space (the reference's test).
    active: status.stdout.includes(' active'),
    status: status.stdout,
    defaults: parseDefaults(defaults),
    logLevel: parseLogLevel(conf),
    rules: tupleLines(rules),
  };
  if (args.rule) {
    const dry = await ufw(ctx, ['--dry-run', ...ruleArgv(args)], true);
    if (dry.rc !== 0) throw new ModuleError(dry.stderr.trim() || dry.stdout.trim(), { rc: dry.rc });
    state.dryRun = dry.stdout;
  }
  // The session's own SSH port, as the login user sees it (sudo drops SSH_CONNECTION).
  const ssh = await ctx.exec(['/bin/sh', '-c', 'printf %s "$SSH_CONNECTION"'], { become: false, idempotent: true });
  const [, , server = '', port] = ssh.stdout.trim().split(/\s+/);
  if (Number.isInteger(Number(port)) && Number(port) > 0) {
    state.sshPort = Number(port);
    state.sshIpv6 = server.includes(':');
  }
  return state;
}

function plan(state: UfwState, args: UfwArgs): Plan<UfwChange> {
  const d = decideUfw(state, args);
  if (d.refuse) return { changes: [], refuse: d.refuse };
  if (d.changes.length)
    return { changes: d.changes, data: { commands: d.changes.map((c) => shellJoin(['ufw', ...c.argv])) } };
  return {
    changes: [],
    // The reference's msg is `ufw status verbose` after the task: on a noop, the status now.
    noop: state.status.trimEnd(),
    data: { commands: [] },
  };
}

async function apply(ctx: ModuleContext, _args: UfwArgs, p: Plan<UfwChange>) {
  const commands: string[] = [];
  for (const c of p.changes) {
    commands.push(shellJoin(['ufw', ...c.argv]));
    const r = await ufw(ctx, c.argv);
    if (r.rc !== 0) throw new ModuleError(r.stderr.trim() || r.stdout.trim(), { commands });
  }
  const post = await ufw(ctx, ['status', 'verbose'], true);
  return { data: { commands }, msg: post.stdout.trimEnd() };
}

export const ufwModule = defineModule<UfwArgs, UfwState, UfwChange>({
  name: 'ufw',
  schema: 'ufw',
  runsOn: 'host',
  predictable: true,
  inspect,
  plan,
  apply,
});
