// package_facts (ansible.builtin.package_facts): the installed packages with Ansible's shape,
// { "nfs-common": [ { name, version, arch, category, source: "apt" } ] } from dpkg's database,
// or { name, version, release, epoch, arch, source: "rpm" } from rpm's. A host fact:
// ansible_facts.packages.
import { defineModule, type Change, ModuleError, type ModuleContext } from '../../engine/index-module.js';

type Args = { manager: string | string[]; strategy: 'first' | 'all' };
type Pkg = Record<string, string | number | null>;
type State = { packages: Record<string, Pkg[]> };

const QUERIES: Record<string, string[]> = {
  apt: [
    'dpkg-query',
    '-W',
    '-f',
    '${binary:Package}\\t${Version}\\t${Architecture}\\t${Section}\\t${db:Status-Abbrev}\\n',
  ],
  rpm: ['rpm', '-qa', '--qf', '%{NAME}\\t%{VERSION}\\t%{RELEASE}\\t%{EPOCH}\\t%{ARCH}\\n'],
};
const TOOL: Record<string, string> = { apt: 'dpkg-query', rpm: 'rpm' };

export function parsePackages(source: string, text: string): Record<string, Pkg[]> {
  const out: Record<string, Pkg[]> = {};
  for (const line of text.split('\n')) {
    const f = line.split('\t');
    if (!f[0]) continue;
    let p: Pkg;
    if (source === 'apt') {
      if (!f[4]?.startsWith('ii')) continue;
      p = { name: f[0], version: f[1], arch: f[2], category: f[3], source: 'apt' };
    } else {
      const epoch = f[3] === '(none)' || f[3] === undefined ? null : Number(f[3]);
      p = { name: f[0], version: f[1], release: f[2], epoch, arch: f[4], source: 'rpm' };
    }
    (out[f[0]] ??= []).push(p);
  }
  return out;
}

async function inspect(ctx: ModuleContext, args: Args): Promise<State> {
  const given = Array.isArray(args.manager) ? args.manager : [args.manager];
  const wanted = given.includes('auto') ? ['apt', 'rpm'] : given;
  const packages: Record<string, Pkg[]> = {};
  let found = false;
  for (const m of wanted) {
    const q = QUERIES[m];
    if (!q) throw new ModuleError(`package_facts: herdbook reads apt (dpkg) and rpm databases, not ${m}`);
    const has = await ctx.exec(['sh', '-c', 'command -v "$1" >/dev/null 2>&1', 'sh', TOOL[m]], { idempotent: true });
    if (has.rc !== 0) continue;
    const r = await ctx.exec(q, { env: { LANG: 'C', LC_ALL: 'C' }, idempotent: true });
    if (r.rc !== 0) throw new ModuleError(`${TOOL[m]} failed: ${r.stderr.trim()}`);
    for (const [name, list] of Object.entries(parsePackages(m, r.stdout))) (packages[name] ??= []).push(...list);
    found = true;
    if (args.strategy === 'first') break;
  }
  if (!found)
    throw new ModuleError(`Could not detect a supported package manager from the following list: ${wanted.join(', ')}`);
  return { packages };
}

export const packageFacts = defineModule<Args, State, Change>({
  name: 'package_facts',
  schema: 'package_facts',
  runsOn: 'host',
  predictable: true,
  hostFacts: true,
  inspect,
  plan: (state) => ({
    changes: [],
    noop: `${Object.keys(state.packages).length} packages`,
    data: { ansible_facts: { packages: state.packages } },
  }),
  apply: () => Promise.resolve({}),
});
