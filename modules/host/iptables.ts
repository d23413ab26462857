// iptables (ansible.builtin.iptables): one rule present or absent in a chain (`iptables -C`
// decides), a chain's policy, a flushed table, or a chain deleted, as ansible-core 2.14 does it;
// the rule is built by iptables-rule.ts as Ansible builds it and passed as argv. Inside a Proxmox
// container (connection: pct) the rules are the container's own network namespace's: allowed.
import { defineModule, ModuleError, type ModuleContext, type Plan } from '../../engine/index-module.js';
import { constructRule, effectiveArgs, ruleArgv, type IptablesArgs } from './iptables-rule.js';

export type IptablesState = {
  /** `iptables --version`'s number (1.8.9). */
  version: string;
  /** What the task's mode needed to read: the rule (-C), the chain (-L), its policy. */
  rulePresent?: boolean;
  chainPresent?: boolean;
  policy?: string | null;
};

export type IptablesChange = {
  kind: 'flush' | 'policy' | 'add' | 'delete' | 'create-chain' | 'delete-chain' | 'none';
  summary: string;
};

const BINS = { ipv4: 'iptables', ipv6: 'ip6tables' } as const;
const LANG_C = { LC_ALL: 'C', LANG: 'C' };

/** A version as LooseVersion compares it (numbers only: iptables' are). */
const atLeast = (v: string, min: string) => {
  const [a, b] = [v.split('.').map(Number), min.split('.').map(Number)];
  for (let i = 0; i < Math.max(a.length, b.length); i++)
    if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  return true;
};

/** The arguments the commands get: `wait` as the installed iptables takes it (Ansible's version check). */
export function runArgs(args: IptablesArgs, version: string): IptablesArgs {
  const a = effectiveArgs(args);
  if (!atLeast(version, '1.4.20')) return { ...a, wait: undefined };
  if (!atLeast(version, '1.6.0')) return { ...a, wait: a.wait === undefined ? undefined : '' };
  return a;
}

function mode(args: IptablesArgs): 'flush' | 'policy' | 'chain' | 'rule' {
  if (args.flush) return 'flush';
  if (args.policy) return 'policy';
  return args.state === 'absent' && constructRule(args).length === 0 ? 'chain' : 'rule';
}

function checkArgs(args: IptablesArgs): void {
  if (args.flush && args.policy) throw new ModuleError('parameters are mutually exclusive: flush|policy');
  if (args.set_dscp_mark !== undefined && args.set_dscp_mark_class !== undefined)
    throw new ModuleError('parameters are mutually exclusive: set_dscp_mark|set_dscp_mark_class');
  if (args.jump?.toLowerCase() === 'tee' && args.gateway === undefined)
    throw new ModuleError(`jump is ${args.jump} but all of the following are missing: gateway`);
  if (!args.flush && args.chain === undefined)
    throw new ModuleError('Either chain or flush parameter must be specified.');
  if ((args.log_prefix || args.log_level) && args.jump !== undefined && args.jump !== 'LOG')
    throw new ModuleError('Logging options can only be used with the LOG jump target.');
}

async function inspect(ctx: ModuleContext, args: IptablesArgs): Promise<IptablesState> {
  checkArgs(args);
  const bin = BINS[args.ip_version];
  const v = await ctx.exec([bin, '--version'], { env: LANG_C, idempotent: true });
  if (v.rc === 127 || (v.rc !== 0 && /not found|No such file/.test(v.stderr)))
    throw new ModuleError(`Failed to find required executable ${bin} in paths: install the iptables package`);
  if (v.rc !== 0) throw new ModuleError(v.stderr.trim() || `${bin} --version: exit ${v.rc}`);
  const version = (/v(\d+(?:\.\d+)*)/.exec(v.stdout) ?? [])[1] ?? '0';
  const a = runArgs(args, version);
  const run = (argv: string[]) => ctx.exec([bin, ...argv], { env: LANG_C, idempotent: true });
  const chainPresent = async () => (await run(['-n', ...ruleArgv(a, '-L', false)])).rc === 0;
  switch (mode(args)) {
    case 'flush':
      return { version };
    case 'policy': {
      const r = await run(['-n', ...ruleArgv(a, '-L', false)]);
      if (r.rc !== 0) throw new ModuleError(r.stderr.trim(), { rc: r.rc, stdout: r.stdout, stderr: r.stderr });
      return { version, policy: /\(policy ([A-Z]+)\)/.exec(r.stdout.split('\n')[0])?.[1] ?? null };
    }
    case 'chain':
      return { version, chainPresent: await chainPresent() };
    case 'rule': {
      const rulePresent = (await run(ruleArgv(a, '-C'))).rc === 0;
      return { version, rulePresent, chainPresent: rulePresent || (await chainPresent()) };
    }
  }
}

/** What Ansible registers: `rule` is the rule as given (before the implicit LOG jump). */
function resultData(args: IptablesArgs) {
  return {
    ip_version: args.ip_version,
    table: args.table,
    chain: args.chain ?? null,
    flush: args.flush,
    rule: constructRule(args).join(' '),
    state: args.state,
    chain_management: args.chain_management,
  };
}

function plan(state: IptablesState, args: IptablesArgs): Plan<IptablesChange> {
  const data = resultData(args);
  const where = `${args.table} ${args.chain ?? ''}`.trim();
  const rule = constructRule(runArgs(args, state.version)).join(' ');
  switch (mode(args)) {
    case 'flush':
      // Ansible reports a flush as changed whatever the table held.
      return { changes: [{ kind: 'flush', summary: `flush ${where}` }], data };
    case 'policy':
      if (state.policy === null) return { changes: [], refuse: "Can't detect current policy", data };
      if (state.policy === args.policy) return { changes: [], noop: `${where} policy is ${args.policy}`, data };
      return { changes: [{ kind: 'policy', summary: `${where} policy ${state.policy} → ${args.policy}` }], data };
    case 'chain':
      if (!state.chainPresent) return { changes: [], noop: `chain ${where} does not exist`, data };
      // Ansible reports an existing chain as changed even when chain_management leaves it.
      return {
        changes: [
          args.chain_management
            ? { kind: 'delete-chain', summary: `delete chain ${where}` }
            : { kind: 'none', summary: `chain ${where} exists (kept: chain_management is off)` },
        ],
        data,
      };
    case 'rule': {
      const want = args.state === 'present';
      if (state.rulePresent === want)
        return { changes: [], noop: `${where}: ${rule} is ${want ? '' : 'not '}there`, data };
      if (!want) return { changes: [{ kind: 'delete', summary: `delete from ${where}: ${rule}` }], data };
      const changes: IptablesChange[] = [];
      if (!state.chainPresent && args.chain_management)
        changes.push({ kind: 'create-chain', summary: `create chain ${where}` });
      const at =
        args.action === 'insert'
          ? `insert into ${where}${args.rule_num ? ` at ${args.rule_num}` : ''}`
          : `append to ${where}`;
      changes.push({ kind: 'add', summary: `${at}: ${rule}` });
      return { changes, data };
    }
  }
}

const ACTION: Record<IptablesChange['kind'], string | undefined> = {
  flush: '-F',
  policy: '-P',
  'create-chain': '-N',
  'delete-chain': '-X',
  delete: '-D',
  add: undefined,
  none: undefined,
};

async function apply(ctx: ModuleContext, args: IptablesArgs, p: Plan<IptablesChange>, state: IptablesState) {
  const bin = BINS[args.ip_version];
  const a = runArgs(args, state.version);
  for (const c of p.changes) {
    if (c.kind === 'none') continue;
    const action = c.kind === 'add' ? (args.action === 'insert' ? '-I' : '-A') : ACTION[c.kind]!;
    const withRule = c.kind === 'add' || c.kind === 'delete';
    const argv = [bin, ...ruleArgv(a, action, withRule), ...(c.kind === 'policy' ? [args.policy!] : [])];
    const r = await ctx.exec(argv, { env: LANG_C });
    if (r.rc !== 0)
      throw new ModuleError(r.stderr.trim() || `${argv.join(' ')}: exit ${r.rc}`, {
        cmd: argv.join(' '),
        rc: r.rc,
        stdout: r.stdout,
        stderr: r.stderr,
      });
  }
  return { data: resultData(args) };
}

export const iptables = defineModule<IptablesArgs, IptablesState, IptablesChange>({
  name: 'iptables',
  schema: 'iptables',
  runsOn: 'host',
  predictable: true,
  inspect,
  plan,
  apply,
});
