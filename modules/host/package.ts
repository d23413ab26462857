// package (ansible.builtin.package): the host's own package manager, as Ansible picks it:
// `use`, else the gathered ansible_facts.pkg_mgr, else the same probe setup makes. apt and
// dnf/yum do the work with their own inspect → plan → apply; the other arguments are at their
// schema defaults, as Ansible passes only name and state on.
import { defineModule, ModuleError, type Change, type ModuleContext, type Plan } from '../../engine/index-module.js';
import { parseAnsibleFacts } from '../../engine/facts/parse.js';
import { PKG_MGR_SCRIPT } from '../../engine/facts/script.js';
import { apt } from './apt.js';
import { dnf } from './dnf.js';
import { pacmanModule } from './pacman.js';
import { schemaDefaults } from './schema-defaults.js';

type Args = { name: string | string[]; state: string; use: string };
type BackendName = 'apt' | 'dnf' | 'pacman';
type Backend = typeof apt | typeof dnf | typeof pacmanModule;
type State = { manager: string; backend?: BackendName; inner?: unknown };

const BACKENDS: Record<string, BackendName> = { apt: 'apt', dnf: 'dnf', yum: 'dnf', pacman: 'pacman' };
const MODULES: Record<BackendName, Backend> = { apt, dnf, pacman: pacmanModule };

function backendArgs(backend: BackendName, args: Args): never {
  return { ...schemaDefaults(backend), name: args.name, state: args.state } as never;
}

async function manager(ctx: ModuleContext, args: Args): Promise<string> {
  if (args.use !== 'auto') return args.use;
  const facts = ctx.hostVar('ansible_facts') as { pkg_mgr?: unknown } | undefined;
  if (typeof facts?.pkg_mgr === 'string') return facts.pkg_mgr;
  const r = await ctx.exec(['sh', '-c', PKG_MGR_SCRIPT], { idempotent: true });
  return String(parseAnsibleFacts(r.stdout).ansible_pkg_mgr);
}

async function inspect(ctx: ModuleContext, args: Args): Promise<State> {
  const m = await manager(ctx, args);
  const backend = BACKENDS[m];
  if (!backend) return { manager: m };
  const mod = MODULES[backend] as { inspect(c: ModuleContext, a: never): Promise<unknown> };
  return { manager: m, backend, inner: await mod.inspect(ctx, backendArgs(backend, args)) };
}

function plan(state: State, args: Args): Plan<Change> {
  if (!state.backend)
    return {
      changes: [],
      refuse: `package: this host's package manager is '${state.manager}' (ansible_facts.pkg_mgr); herdbook drives apt, dnf/yum and pacman: set use: or write the manager's own module`,
    };
  const mod = MODULES[state.backend] as { plan(s: unknown, a: never): Plan<Change> };
  return mod.plan(state.inner, backendArgs(state.backend, args));
}

async function apply(ctx: ModuleContext, args: Args, p: Plan<Change>, state: State) {
  if (!state.backend) throw new ModuleError(`package: no backend for '${state.manager}'`);
  const mod = MODULES[state.backend] as {
    apply(c: ModuleContext, a: never, p: Plan<Change>, s: unknown): ReturnType<Backend['apply']>;
  };
  return mod.apply(ctx, backendArgs(state.backend, args), p, state.inner);
}

export const packageModule = defineModule<Args, State, Change>({
  name: 'package',
  schema: 'package',
  runsOn: 'host',
  predictable: true,
  inspect,
  plan,
  apply,
});
