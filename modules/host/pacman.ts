// pacman (community.general.pacman 6.6.2): Arch packages present, absent or latest, the sync
// databases refreshed, the whole system upgraded. Inspect reads pacman's database in one round
// trip and asks pacman itself what it would do (`--print-format` dry runs, dependencies
// included), so check mode and --diff show pacman's answer; apply runs pacman with --noconfirm,
// package names and extra_args as argv words after `--`/before it, never in a shell string.
import { defineModule, ModuleError, type ModuleContext, type Plan } from '../../engine/index-module.js';
import { splitWords } from '../../engine/shell-words.js';
import {
  namesOf,
  planPackages,
  planPacman,
  targetsOf,
  toInstall,
  toRemove,
  unknownNames,
  want,
  type PacmanArgs,
  type PacmanChange,
  type PacmanInventory,
  type PacmanState,
  type Resolved,
} from './pacman-plan.js';
import { parseGroups, parseNameVersion, parseSyncList, parseUpgrades, printedLines } from './pacman-query.js';

// Ansible runs pacman in the C locale (run_command_environ_update).
const ENV = { LC_ALL: 'C', LANG: 'C' };

// One round trip; the executable arrives as "$1", never inside the script. --query --upgrades
// exits 1 with nothing to upgrade, so its status is printed for the reader to judge.
const INVENTORY = `
P=$1
command -v "$P" >/dev/null 2>&1 || { echo "@missing"; exit 0; }
echo "@Q"; "$P" --query 2>/dev/null
echo "@Qe"; "$P" --query --explicit 2>/dev/null
echo "@Qd"; "$P" --query --deps 2>/dev/null
echo "@Sl"; "$P" --sync --list 2>/dev/null
echo "@Sgg"; "$P" --sync --groups --groups 2>/dev/null
u=$("$P" --query --upgrades 2>/dev/null); echo "@Qu $?"
printf '%s\\n' "$u"
exit 0
`;

function sections(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  let key = '';
  for (const line of text.split('\n')) {
    const head = /^@(\S+)(?: (\d+))?$/.exec(line);
    if (head) {
      key = head[1];
      out[key] = '';
      if (head[2] !== undefined) out[`${key}-rc`] = head[2];
    } else if (key) out[key] += `${line}\n`;
  }
  return out;
}

export function argvOf(extra: string | string[]): string[] {
  return Array.isArray(extra) ? extra.map(String) : splitWords(extra);
}

async function inventory(ctx: ModuleContext, args: PacmanArgs): Promise<PacmanInventory> {
  const r = await ctx.exec(['sh', '-c', INVENTORY, 'sh', args.executable], { env: ENV, idempotent: true });
  const s = sections(r.stdout);
  if ('missing' in s) throw new ModuleError(`Failed to find required executable "${args.executable}" in paths`);
  const upgrades = parseUpgrades(s.Qu ?? '');
  // Exit 1 with nothing printed: nothing to upgrade; anything else but 0 is a failure, as Ansible reads it.
  if (s['Qu-rc'] !== '0' && !(s['Qu-rc'] === '1' && !(s.Qu ?? '').trim()))
    throw new ModuleError("Couldn't get list of packages available for upgrade", { stdout: s.Qu, rc: s['Qu-rc'] });
  if (upgrades.invalid !== undefined) throw new ModuleError(`Invalid line: ${upgrades.invalid}`);
  const reasons: PacmanInventory['reasons'] = {};
  for (const n of Object.keys(parseNameVersion(s.Qe ?? ''))) reasons[n] = 'explicit';
  for (const n of Object.keys(parseNameVersion(s.Qd ?? ''))) reasons[n] = 'dependency';
  return {
    installed: parseNameVersion(s.Q ?? ''),
    reasons,
    available: parseSyncList(s.Sl ?? ''),
    groups: parseGroups(s.Sgg ?? ''),
    upgradable: upgrades.upgrades,
  };
}

/**
 * Ansible's last resort for a name the databases do not list: `repo/name`, then a file or URL.
 * Neither: pacman's answer to the last attempt, which the failure registers (as the reference).
 */
async function resolve(ctx: ModuleContext, args: PacmanArgs, name: string): Promise<Resolved> {
  // Without --nodeps twice pacman also prints the dependencies it would install, first.
  const sync = [args.executable, '--sync', '--nodeps', '--nodeps', '--print-format', '%n', '--', name];
  const s = await ctx.exec(sync, { env: ENV, idempotent: true });
  if (s.rc === 0) return { target: { name: s.stdout.trim(), source: name, url: false } };
  const file = [args.executable, '--upgrade', '--print-format', '%n', '--', name];
  const f = await ctx.exec(file, { env: ENV, idempotent: true });
  // pacman says "loading packages..." (and, for an unseen URL, that it downloads it) before the name.
  if (f.rc === 0) return { target: { name: f.stdout.trim().split('\n').at(-1)!.trim(), source: name, url: true } };
  return { target: null, failure: { cmd: file, rc: f.rc, stdout: f.stdout, stderr: f.stderr } };
}

// pacman puts the error on stderr and its reason (":: removing x breaks dependency ...") on stdout.
const said = (r: { stdout: string; stderr: string }) => [r.stderr.trim(), r.stdout.trim()].filter(Boolean).join('\n');

/** pacman's dry run of a target list: what it would install (`name version`) or remove (`name-version`). */
async function dryRun(ctx: ModuleContext, argv: string[], what: string): Promise<string[]> {
  return printedLines((await pacman(ctx, argv, what, true)).stdout);
}

const installBase = (args: PacmanArgs) => [
  args.executable,
  '--noconfirm',
  '--noprogressbar',
  '--needed',
  ...argvOf(args.extra_args),
];
const removeBase = (args: PacmanArgs) => [
  args.executable,
  '--remove',
  '--noconfirm',
  '--noprogressbar',
  ...argvOf(args.extra_args),
  ...(args.force ? ['--nodeps', '--nodeps'] : []),
];

async function inspectState(ctx: ModuleContext, args: PacmanArgs): Promise<PacmanState> {
  const inv = await inventory(ctx, args);
  const resolved: PacmanState['resolved'] = {};
  const unresolved: PacmanState['unresolved'] = {};
  if (!args.upgrade)
    for (const n of unknownNames(inv, args)) {
      const r = await resolve(ctx, args, n);
      resolved[n] = r.target;
      if (r.failure) unresolved[n] = r.failure;
    }
  const state: PacmanState = { ...inv, resolved, unresolved };
  if (args.upgrade || !namesOf(args).length) return state;
  const { targets, missing } = targetsOf(state, args);
  if (missing.length) return state;
  if (want(args.state) === 'absent') {
    const names = toRemove(state, targets);
    if (!names.length) return state;
    const remove = await dryRun(
      ctx,
      [...removeBase(args), '--print-format', '%n-%v', '--', ...names],
      'failed to list package(s) to remove',
    );
    return { ...state, printed: { remove: remove.flatMap((l) => l.split(/\s+/)) } };
  }
  const { sync, url } = toInstall(state, args, targets);
  const install: { name: string; version: string }[] = [];
  for (const [verb, list] of [
    ['--sync', sync],
    ['--upgrade', url],
  ] as const) {
    if (!list.length) continue;
    const argv = [...installBase(args), verb, '--print-format', '%n %v', '--', ...list.map((t) => t.source)];
    for (const l of await dryRun(ctx, argv, 'Failed to list package(s) to install')) {
      const [name, version] = l.split(/\s+/);
      if (name && version) install.push({ name, version });
    }
  }
  return { ...state, printed: { install } };
}

async function inspect(ctx: ModuleContext, args: PacmanArgs): Promise<PacmanState> {
  // A quoting mistake in extra_args is the plan's to refuse, before pacman is asked anything.
  for (const a of [args.extra_args, args.update_cache_extra_args, args.upgrade_extra_args])
    if (typeof a === 'string' && badWords(a)) return emptyState();
  return inspectState(ctx, args);
}

function badWords(text: string): string | undefined {
  try {
    splitWords(text);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

const emptyState = (): PacmanState => ({
  installed: {},
  reasons: {},
  available: {},
  groups: {},
  upgradable: {},
  resolved: {},
});

function plan(state: PacmanState, args: PacmanArgs): Plan<PacmanChange> {
  for (const [k, a] of Object.entries({
    extra_args: args.extra_args,
    update_cache_extra_args: args.update_cache_extra_args,
    upgrade_extra_args: args.upgrade_extra_args,
  })) {
    const bad = typeof a === 'string' ? badWords(a) : undefined;
    if (bad) return { changes: [], refuse: `${k}: ${bad}: close the quote, or give a list of words` };
  }
  return planPacman(state, args);
}

type Step = { stdout: string; stderr: string };

/** Runs pacman; a non-zero exit fails the task with pacman's own words. `idempotent`: a read or dry run. */
async function pacman(ctx: ModuleContext, argv: string[], failMsg: string, idempotent = false): Promise<Step> {
  const r = await ctx.exec(argv, { env: ENV, ...(idempotent ? { idempotent } : {}) });
  if (r.rc !== 0)
    throw new ModuleError(`${failMsg}: ${said(r)}`, {
      cmd: argv,
      stdout: r.stdout,
      stderr: r.stderr,
      rc: r.rc,
    });
  return r;
}

async function syncList(ctx: ModuleContext, args: PacmanArgs): Promise<string> {
  const r = await ctx.exec([args.executable, '--sync', '--list'], { env: ENV, idempotent: true });
  return r.stdout.split('\n').sort().join('\n');
}

async function apply(ctx: ModuleContext, args: PacmanArgs, first: Plan<PacmanChange>, state: PacmanState) {
  const msgs: string[] = [];
  const steps: Step[] = [];
  const data: Record<string, unknown> = {};
  let changed = false;
  let p = first;
  let st = state;
  if (p.changes.some((c) => c.kind === 'update')) {
    const before = args.force ? '' : await syncList(ctx, args);
    const argv = [
      args.executable,
      '--sync',
      '--refresh',
      ...argvOf(args.update_cache_extra_args),
      ...(args.force ? ['--refresh'] : []),
    ];
    steps.push(await pacman(ctx, argv, 'could not update package db'));
    data.cache_updated = args.force || before !== (await syncList(ctx, args));
    changed = data.cache_updated as boolean;
    msgs.push('Updated package db');
    // Decide on the fresh databases, as Ansible builds its inventory after the update.
    st = await inspectState(ctx, args);
    p = planPackages(st, args, false);
    if (p.refuse) throw new ModuleError(p.refuse, { ...p.data, cache_updated: data.cache_updated });
  }
  const work = p.changes.filter((c) => c.kind !== 'update');
  if (args.upgrade || namesOf(args).length) data.packages = p.data?.packages ?? [];
  if (!work.length && p.noop) msgs.push(p.noop);
  if (work.length && args.upgrade) {
    const argv = [
      args.executable,
      '--sync',
      '--sysupgrade',
      '--quiet',
      '--noconfirm',
      ...argvOf(args.upgrade_extra_args),
    ];
    steps.push(await pacman(ctx, argv, 'Could not upgrade'));
    msgs.push('System upgraded');
  } else if (work.length && want(args.state) === 'absent') {
    const names = toRemove(st, targetsOf(st, args).targets);
    const nosave = args.remove_nosave ? ['--nosave'] : [];
    steps.push(await pacman(ctx, [...removeBase(args), ...nosave, '--', ...names], 'failed to remove package(s)'));
    msgs.push(`Removed ${work.length} package(s)`);
  } else if (work.length) {
    const { sync, url } = toInstall(st, args, targetsOf(st, args).targets);
    for (const [verb, list] of [
      ['--sync', sync],
      ['--upgrade', url],
    ] as const)
      if (list.length)
        steps.push(
          await pacman(
            ctx,
            [...installBase(args), verb, '--', ...list.map((t) => t.source)],
            'Failed to install package(s)',
          ),
        );
    msgs.push(`Installed ${work.length} package(s)`);
  }
  changed ||= work.length > 0;
  const stdout = steps.map((s) => s.stdout).filter(Boolean);
  const stderr = steps.map((s) => s.stderr).filter(Boolean);
  return {
    changed,
    msg: msgs.join('\n'),
    data: {
      ...data,
      ...(stdout.length ? { stdout: stdout.join('\n') } : {}),
      ...(stderr.length ? { stderr: stderr.join('\n') } : {}),
    },
    ...(work.length && p.diff ? { diff: p.diff } : {}),
  };
}

export const pacmanModule = defineModule<PacmanArgs, PacmanState, PacmanChange>({
  name: 'pacman',
  schema: 'pacman',
  runsOn: 'host',
  predictable: true,
  inspect,
  plan,
  apply,
});
