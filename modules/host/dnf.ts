// dnf (ansible.builtin.dnf; `yum` runs it too, as Ansible 2.14 does on hosts with dnf): RPM
// packages present, absent or latest. Inspect reads rpm's database and asks dnf itself what it
// would do (`dnf --assumeno`), so check mode shows dnf's answer; apply runs `dnf -y`, package
// names as argv words. A host with only yum gets yum's compatible CLI.
import { defineModule, ModuleError, type Change, type ModuleContext, type Plan } from '../../engine/index-module.js';
import { missingPackages, parseRpmQuery, parseTransaction, type Transaction } from './dnf-query.js';

export type DnfArgs = {
  name?: string | string[];
  state: 'present' | 'absent' | 'latest' | 'installed' | 'removed';
  update_cache: boolean;
};

export type DnfState = {
  bin: 'dnf' | 'yum';
  installed: Record<string, string>;
  /** dnf --assumeno's output for the package changes (absent when nothing to ask). */
  simulation?: string;
};

export type DnfChange = Change & { kind: Transaction['action']; name: string; spec?: string };

const QUERY = `
if command -v dnf >/dev/null 2>&1; then echo "@bin dnf"; else echo "@bin yum"; fi
[ $# -gt 0 ] && rpm -q --qf '%{NAME}\\t%{EPOCH}:%{VERSION}-%{RELEASE}\\n' -- "$@" 2>/dev/null
exit 0
`;

export function specsOf(args: Pick<DnfArgs, 'name'>): string[] {
  const raw = args.name === undefined ? [] : Array.isArray(args.name) ? args.name : args.name.split(',');
  return raw.map((s) => String(s).trim()).filter((s) => s !== '');
}

const want = (s: DnfArgs['state']) => (s === 'installed' ? 'present' : s === 'removed' ? 'absent' : s);
/** rpm's name of a spec: `nfs-utils`, `nfs-utils-2.5.4` → `nfs-utils` is not knowable; names only. */
const nameOf = (spec: string) => spec;

/** What to ask dnf: install the missing (present, latest), upgrade the installed (latest), remove (absent). */
export function requests(state: Pick<DnfState, 'installed'>, args: DnfArgs): { verb: string; specs: string[] }[] {
  const specs = specsOf(args);
  const w = want(args.state);
  if (w === 'absent') return [{ verb: 'remove', specs: specs.filter((s) => nameOf(s) in state.installed) }];
  const missing = specs.filter((s) => !(nameOf(s) in state.installed));
  const present = specs.filter((s) => nameOf(s) in state.installed);
  return [{ verb: 'install', specs: missing }, ...(w === 'latest' ? [{ verb: 'upgrade', specs: present }] : [])].filter(
    (r) => r.specs.length,
  );
}

export function planDnf(state: DnfState, args: DnfArgs): Plan<DnfChange> {
  for (const s of specsOf(args))
    if (s.startsWith('-') || /\s/.test(s)) return { changes: [], refuse: `invalid package name '${s}'` };
  const sim = state.simulation ?? '';
  const missing = missingPackages(sim);
  if (missing.length) return { changes: [], refuse: `No package ${missing.join(', ')} available.` };
  const named = new Set(specsOf(args).map(nameOf));
  const changes: DnfChange[] = parseTransaction(sim).map((t) => ({
    kind: t.action,
    name: t.name,
    ...(named.has(t.name) ? { spec: t.name } : {}),
    summary: `${t.action} ${t.name} ${t.version}${named.has(t.name) ? '' : ` (${state.bin}: a dependency)`}`,
  }));
  if (!changes.length) {
    const w = want(args.state);
    return { changes: [], noop: `${specsOf(args).join(', ')}: ${w === 'absent' ? 'not installed' : 'installed'}` };
  }
  return { changes, data: { results: [] } };
}

async function inspect(ctx: ModuleContext, args: DnfArgs): Promise<DnfState> {
  const names = specsOf(args).filter((n) => !n.startsWith('-'));
  const r = await ctx.exec(['sh', '-c', QUERY, 'sh', ...names], { env: { LANG: 'C', LC_ALL: 'C' }, idempotent: true });
  const bin = /^@bin yum$/m.test(r.stdout) ? 'yum' : 'dnf';
  const state: DnfState = { bin, installed: parseRpmQuery(r.stdout) };
  let simulation = '';
  for (const q of requests(state, args)) {
    const refresh = args.update_cache ? ['--refresh'] : [];
    // --assumeno answers "no" to the transaction: dnf prints its table and exits 1, having changed nothing.
    const sim = await ctx.exec([bin, '--assumeno', ...refresh, q.verb, '--', ...q.specs], {
      env: { LANG: 'C', LC_ALL: 'C' },
      idempotent: true,
    });
    simulation += `${sim.stdout}\n${sim.stderr}\n`;
  }
  return simulation ? { ...state, simulation } : state;
}

async function apply(ctx: ModuleContext, args: DnfArgs, plan: Plan<DnfChange>, state: DnfState) {
  const results: string[] = [];
  for (const q of requests(state, args)) {
    const refresh = args.update_cache ? ['--refresh'] : [];
    const r = await ctx.exec([state.bin, '-y', ...refresh, q.verb, '--', ...q.specs], {
      env: { LANG: 'C', LC_ALL: 'C' },
    });
    if (r.rc !== 0)
      throw new ModuleError(`${state.bin} ${q.verb} failed: ${r.stderr.trim() || r.stdout.trim()}`, {
        rc: r.rc,
        results,
      });
    results.push(
      ...plan.changes
        .filter((c) => c.spec && q.specs.includes(c.spec))
        .map((c) => `${c.kind === 'remove' ? 'Removed' : 'Installed'}: ${c.name}`),
    );
  }
  return { data: { results, rc: 0 } };
}

export const dnf = defineModule<DnfArgs, DnfState, DnfChange>({
  name: 'dnf',
  schema: 'dnf',
  runsOn: 'host',
  predictable: true,
  inspect,
  plan: planDnf,
  apply,
});
