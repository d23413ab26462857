// apt (ansible.builtin.apt): Debian packages present, absent or latest, the package lists
// updated when older than cache_valid_time. Inspect reads dpkg's database and apt's candidates in
// one round trip and asks apt itself what it would do (`apt-get -s`), so check mode and --diff
// show apt's own answer; apply runs apt-get non-interactively, package names as argv words,
// waiting up to lock_timeout for a lock another apt holds (unattended-upgrades at boot).
import { defineModule, ModuleError, type ModuleContext, type Plan } from '../../engine/index-module.js';
import {
  DPKG_INTERRUPTED,
  LOCK_HELD,
  parseDpkgQuery,
  parsePolicy,
  parseSimulation,
  preparedDiff,
  splitSpec,
} from './apt-query.js';
import {
  normalizedState,
  planApt,
  planPackages,
  type AptArgs,
  type AptChange,
  type AptState,
  specsOf,
} from './apt-plan.js';

// Ansible's APT_ENV_VARS, with the C locale it screen-scrapes in.
const APT_ENV = {
  DEBIAN_FRONTEND: 'noninteractive',
  DEBIAN_PRIORITY: 'critical',
  LANG: 'C',
  LC_ALL: 'C',
  LC_MESSAGES: 'C',
  LC_CTYPE: 'C',
};

// One round trip; the package names arrive as "$@", never inside the script.
const QUERY = `
echo "@interrupted $(ls /var/lib/dpkg/updates 2>/dev/null | grep -E '^[0-9]+$' | head -n 1)"
t=0
for f in /var/lib/apt/periodic/update-success-stamp /var/lib/apt/lists; do
  if [ -e "$f" ]; then t=$(stat -c %Y "$f"); break; fi
done
echo "@cache $t $(date +%s)"
echo "@dpkg"
[ $# -gt 0 ] && dpkg-query -W -f '\${Package}\\t\${db:Status-Abbrev}\\t\${Version}\\n' -- "$@" 2>/dev/null
echo "@policy"
[ $# -gt 0 ] && apt-cache policy -- "$@" 2>/dev/null
exit 0
`;

function section(text: string, from: string, to?: string): string {
  const a = text.indexOf(`${from}\n`);
  if (a < 0) return '';
  const b = to ? text.indexOf(`${to}\n`, a) : -1;
  return text.slice(a + from.length + 1, b < 0 ? undefined : b);
}

async function query(ctx: ModuleContext, args: AptArgs): Promise<AptState> {
  const names = specsOf(args)
    .map((s) => splitSpec(s).name)
    .filter((n) => n && !n.startsWith('-'));
  const r = await ctx.exec(['sh', '-c', QUERY, 'sh', ...names], { env: APT_ENV, idempotent: true });
  if (r.rc !== 0) throw new ModuleError(`reading the package database failed: ${r.stderr.trim()}`);
  const interrupted = /^@interrupted \S/m.test(r.stdout);
  const cache = /^@cache (\d+) (\d+)$/m.exec(r.stdout);
  return {
    interrupted,
    installed: parseDpkgQuery(section(r.stdout, '@dpkg', '@policy')),
    candidates: parsePolicy(section(r.stdout, '@policy')),
    cacheTime: Number(cache?.[1] ?? 0),
    now: Number(cache?.[2] ?? 0),
  };
}

function commonOptions(args: AptArgs): string[] {
  const dpkg = args.dpkg_options
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean)
    .flatMap((o) => ['-o', `Dpkg::Options::=--${o}`]);
  return ['-y', ...dpkg, '-o', `DPkg::Lock::Timeout=${args.lock_timeout}`];
}

function packageArgv(args: AptArgs, changes: AptChange[], simulate: boolean): string[] | undefined {
  const specs = changes.filter((c) => c.spec !== undefined).map((c) => c.spec!);
  if (!specs.length) return undefined;
  const sim = simulate ? ['-s'] : [];
  if (normalizedState(args.state) === 'absent')
    return [
      'apt-get',
      '-q',
      ...commonOptions(args),
      ...(args.purge ? ['--purge'] : []),
      ...sim,
      'remove',
      '--',
      ...specs,
    ];
  const rec =
    args.install_recommends === undefined
      ? []
      : ['-o', `APT::Install-Recommends=${args.install_recommends ? 'yes' : 'no'}`];
  return ['apt-get', ...commonOptions(args), ...sim, ...rec, 'install', '--', ...specs];
}

async function inspect(ctx: ModuleContext, args: AptArgs): Promise<AptState> {
  const state = await query(ctx, args);
  if (state.interrupted) return state;
  const pkgs = planPackages(state, args, false);
  const argv = pkgs.refuse ? undefined : packageArgv(args, pkgs.changes, true);
  if (!argv) return state;
  // apt's own answer to "what would you do": dependencies included, and the --diff Ansible shows.
  const sim = await ctx.exec(argv, { env: APT_ENV, idempotent: true });
  if (sim.rc !== 0) {
    if (DPKG_INTERRUPTED.test(sim.stdout + sim.stderr)) return { ...state, interrupted: true };
    throw new ModuleError(`apt-get -s failed: ${sim.stderr.trim() || sim.stdout.trim()}`, {
      stdout: sim.stdout,
      stderr: sim.stderr,
      rc: sim.rc,
    });
  }
  return { ...state, simulation: { output: preparedDiff(sim.stdout), actions: parseSimulation(sim.stdout) } };
}

/** Runs apt-get; a held lock is waited for until lock_timeout, as Ansible's retry loop does. */
async function aptGet(ctx: ModuleContext, args: AptArgs, argv: string[]): Promise<{ stdout: string; stderr: string }> {
  const deadline = ctx.now() + args.lock_timeout * 1000;
  for (;;) {
    const r = await ctx.exec(argv, { env: APT_ENV });
    if (r.rc === 0) return r;
    const said = `${r.stdout}\n${r.stderr}`;
    if (DPKG_INTERRUPTED.test(said))
      throw new ModuleError(
        'dpkg was interrupted (an earlier package operation stopped halfway): run `dpkg --configure -a` on this host as root, then run the task again',
        { stdout: r.stdout, stderr: r.stderr, rc: r.rc },
      );
    if (LOCK_HELD.test(said) && ctx.now() < deadline) {
      ctx.progress(`waiting for the apt lock (another apt or dpkg holds it), up to ${args.lock_timeout} s`);
      await ctx.sleep(1000);
      continue;
    }
    if (LOCK_HELD.test(said))
      throw new ModuleError(`Failed to lock apt for exclusive operation: ${r.stderr.trim()}`, { rc: r.rc });
    throw new ModuleError(`'${argv.join(' ')}' failed: ${r.stderr.trim()}`, {
      stdout: r.stdout,
      stderr: r.stderr,
      rc: r.rc,
    });
  }
}

async function apply(ctx: ModuleContext, args: AptArgs, plan: Plan<AptChange>, state: AptState) {
  let changes = plan.changes;
  let cacheTime = state.cacheTime;
  const updated = changes.some((c) => c.kind === 'update');
  if (updated) {
    try {
      await aptGet(ctx, args, ['apt-get', '-q', '-o', `DPkg::Lock::Timeout=${args.lock_timeout}`, 'update']);
    } catch (e) {
      if (e instanceof ModuleError && !/lock|interrupted/.test(e.message))
        throw new ModuleError(`Failed to update apt cache: ${e.message.replace(/^'[^']*' failed: /, '')}`, e.data);
      throw e;
    }
    // Inspect again on the fresh lists: what to install is decided on them, as Ansible does.
    const fresh = await query(ctx, args);
    cacheTime = fresh.cacheTime;
    const again = planPackages(fresh, args, false);
    if (again.refuse) throw new ModuleError(again.refuse, { cache_updated: true, cache_update_time: cacheTime });
    changes = again.changes;
  }
  const data: Record<string, unknown> = { cache_updated: updated, cache_update_time: cacheTime };
  const argv = packageArgv(args, changes, false);
  if (!argv) return { changed: updated && !specsOf(args).length, data: { ...data, stdout: '', stderr: '' } };
  const r = await aptGet(ctx, args, argv);
  const prepared = preparedDiff(r.stdout);
  return {
    changed: true,
    data: { ...data, stdout: r.stdout, stderr: r.stderr, ...(ctx.diff ? { diff: { prepared } } : {}) },
    msg: changes.map((c) => c.summary).join('; '),
    ...(ctx.diff ? { diff: [{ path: 'apt', before: '', after: '', prepared }] } : {}),
  };
}

export const apt = defineModule<AptArgs, AptState, AptChange>({
  name: 'apt',
  schema: 'apt',
  runsOn: 'host',
  predictable: true,
  inspect,
  plan: planApt,
  apply,
  unknownResult: () => ({ stdout: '', stderr: '', cache_updated: false, cache_update_time: 0 }),
});
