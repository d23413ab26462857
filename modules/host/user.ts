// user (ansible.builtin.user) on Linux: useradd / usermod / userdel with Ansible's arguments and
// decisions (user-plan.ts), a missing home directory created from /etc/skel, an SSH key
// generated with ssh-keygen; registered with Ansible's fields. The password is a hash, as Ansible
// takes it: a secret, never in a summary, message or event.
import { defineModule, ModuleError, type ModuleContext, type Plan } from '../../engine/index-module.js';
import { checkAccountName, readAccounts } from './accounts.js';
import { decideUser, userPaths, wantedGroups, type UserArgs, type UserChange, type UserState } from './user-plan.js';

export type { UserArgs } from './user-plan.js';

// $1 home, $2 key file ('' when none): 1 or 0 for each; then whether usermod has --append.
const PATHS = `
if [ -d "$1" ]; then echo 1; else echo 0; fi
if [ -n "$2" ] && [ -e "$2" ]; then echo 1; else echo 0; fi
if usermod --help 2>&1 | grep -q '^ *-a, --append'; then echo 1; else echo 0; fi
`;

async function inspect(ctx: ModuleContext, args: UserArgs): Promise<UserState> {
  checkAccountName('user', args.name);
  // ssh-keygen takes a new passphrase only as an argument (-N, seen in ps) or from a terminal.
  if (args.ssh_key_passphrase !== undefined && args.generate_ssh_key)
    throw new ModuleError(
      'ssh_key_passphrase is not supported: ssh-keygen would get it on its command line, visible to every user of the host; generate the key without one, or on the controller and copy it',
    );
  if (args.password_lock && args.password !== undefined && args.password.startsWith('!'))
    throw new ModuleError('password_lock and a password that starts with ! say the same: drop one');
  const accounts = await readAccounts(ctx, args.name);
  if (args.state === 'absent') return accounts;
  const p = userPaths(accounts, args);
  const r = await ctx.exec(['/bin/sh', '-c', PATHS, 'herdbook-user', p.home, p.key ?? ''], { idempotent: true });
  const [home, key, append] = r.stdout.split('\n');
  return {
    ...accounts,
    homeExists: home === '1',
    keyExists: key === '1',
    usermodAppend: append === '1',
    check: ctx.check,
  };
}

/** Ansible's registered fields for a user that exists (uid, group as the gid, comment, home, shell). */
function userData(state: UserState, args: UserArgs): Record<string, unknown> {
  const out: Record<string, unknown> = { name: args.name, state: args.state };
  if (args.state === 'present' && args.password !== undefined) out.password = 'NOT_LOGGING_PASSWORD';
  const u = state.user;
  if (args.state !== 'present' || !u) return out;
  Object.assign(out, { uid: u.uid, group: u.gid, comment: u.comment, home: u.home, shell: u.shell });
  if (args.groups !== undefined) out.groups = wantedGroups(args.groups)!.join(',');
  return out;
}

function plan(state: UserState, args: UserArgs): Plan<UserChange> {
  const d = decideUser(state, args);
  if (d.refuse) return { changes: [], refuse: d.refuse };
  const data = userData(state, args);
  if (!d.changes.length)
    return {
      changes: [],
      noop: args.state === 'absent' ? `user ${args.name} does not exist` : `user ${args.name} is as wanted`,
      data: { ...data, ...(state.user ? { append: args.append, move_home: args.move_home } : {}) },
    };
  // Ansible's check mode for a user it would create or remove returns nothing but `changed`.
  const creates = d.changes.some((c) => c.kind === 'useradd' || c.kind === 'userdel');
  return { changes: d.changes, data: creates ? {} : { ...data, append: args.append, move_home: args.move_home } };
}

async function must(ctx: ModuleContext, argv: string[], what: string): Promise<{ stdout: string; stderr: string }> {
  const r = await ctx.exec(argv, { env: { LC_ALL: 'C' } });
  if (r.rc !== 0) throw new ModuleError(r.stderr.trim() || `${what}: exit ${r.rc}`, { name: argv.at(-1), rc: r.rc });
  return r;
}

// Ansible's create_homedir: a copy of the skeleton (or an empty directory), then chown -R.
const MKHOME = `
home=$1 skel=$2 owner=$3
if [ -d "$skel" ]; then mkdir -p -- "$(dirname -- "$home")" && cp -a -- "$skel" "$home"; else mkdir -p -- "$home"; fi || exit 1
m=$(sed -n 's/^UMASK[[:space:]]\\{1,\\}\\([0-7]\\{1,\\}\\)$/\\1/p' /etc/login.defs 2>/dev/null | tail -n 1)
[ -z "$m" ] || chmod "$(printf '%o' $((0777 & ~0$m)))" -- "$home" || exit 1
chown -R -- "$owner" "$home"
`;

async function keygen(ctx: ModuleContext, args: UserArgs, key: string, host: string): Promise<void> {
  const owner = (await readAccounts(ctx, args.name)).user;
  if (!owner) throw new ModuleError(`user ${args.name} does not exist`);
  const ids = `${owner.uid}:${owner.gid}`;
  const dir = key.slice(0, key.lastIndexOf('/')) || '/';
  if ((await ctx.exec(['test', '-d', dir])).rc !== 0) {
    await must(ctx, ['mkdir', '-m', '0700', '--', dir], `creating ${dir}`);
    await must(ctx, ['chown', ids, '--', dir], `chown ${dir}`);
  }
  const bits = args.ssh_key_bits > 0 ? ['-b', String(args.ssh_key_bits)] : [];
  const comment = args.ssh_key_comment ?? `ansible-generated on ${host}`;
  await must(
    ctx,
    ['ssh-keygen', '-q', '-t', args.ssh_key_type, ...bits, '-C', comment, '-f', key, '-N', ''],
    'ssh-keygen',
  );
  await must(ctx, ['chown', ids, '--', key, `${key}.pub`], `chown ${key}`);
}

async function apply(ctx: ModuleContext, args: UserArgs, p: Plan<UserChange>, state: UserState) {
  const out: Record<string, unknown> = {};
  for (const c of p.changes) {
    if (c.kind === 'useradd' && args.home !== undefined && args.create_home)
      await must(ctx, ['mkdir', '-p', '--', args.home.slice(0, args.home.lastIndexOf('/')) || '/'], 'home parent');
    if (c.kind === 'useradd' || c.kind === 'usermod' || c.kind === 'userdel') {
      const r = await must(ctx, c.argv, c.argv[0]);
      if (r.stdout) out.stdout = r.stdout;
      if (r.stderr) out.stderr = r.stderr;
    } else if (c.kind === 'mkhome') {
      const skel = args.skeleton ?? '/etc/skel';
      const r = await ctx.exec(['/bin/sh', '-c', MKHOME, 'herdbook-mkhome', c.path, skel, args.name]);
      if (r.rc !== 0) throw new ModuleError(r.stderr.trim() || `creating ${c.path}: exit ${r.rc}`);
    } else if (c.kind === 'sshkey') await keygen(ctx, args, c.path, state.hostname);
  }
  if (args.state === 'absent')
    return { data: { ...out, name: args.name, state: args.state, force: args.force, remove: args.remove } };
  const after = await readAccounts(ctx, args.name);
  const data = { ...userData({ ...state, ...after }, args), ...out };
  if (state.user) Object.assign(data, { append: args.append, move_home: args.move_home });
  else Object.assign(data, { system: args.system, create_home: args.create_home });
  const key = userPaths(after, args).key;
  if (key) Object.assign(data, await keyFacts(ctx, key));
  return { data };
}

async function keyFacts(ctx: ModuleContext, key: string): Promise<Record<string, unknown>> {
  const fp = await ctx.exec(['ssh-keygen', '-l', '-f', key], { idempotent: true });
  const pub = await ctx.exec(['cat', '--', `${key}.pub`], { idempotent: true });
  return {
    ssh_fingerprint: (fp.rc === 0 ? fp.stdout : fp.stderr).trim(),
    ssh_key_file: key,
    ssh_public_key: pub.rc === 0 ? pub.stdout.trim() : null,
  };
}

export const user = defineModule<UserArgs, UserState, UserChange>({
  name: 'user',
  schema: 'user',
  runsOn: 'host',
  predictable: true,
  secretArgs: ['password', 'ssh_key_passphrase'],
  inspect,
  plan,
  apply,
});
