// The user module's decisions, as ansible-core 2.14's User class (Linux, useradd/usermod) makes
// them (pure): the useradd, usermod or userdel argv, a home directory to create, an SSH key to
// generate. Summaries never carry the password hash.
import path from 'node:path';
import { findGroup, type Accounts, type PasswdEntry } from './accounts.js';
import { pendingNote } from './check-note.js';

export type UserArgs = {
  name: string;
  state: 'present' | 'absent';
  uid?: number;
  non_unique: boolean;
  /** A list, or names separated by commas (Ansible's list type). */
  groups?: string[] | string;
  /** A name or a gid. */
  group?: string | number;
  append: boolean;
  comment?: string;
  home?: string;
  shell?: string;
  password?: string;
  update_password: 'always' | 'on_create';
  password_lock?: boolean;
  create_home: boolean;
  move_home: boolean;
  skeleton?: string;
  system: boolean;
  force: boolean;
  remove: boolean;
  generate_ssh_key?: boolean;
  ssh_key_type: string;
  ssh_key_bits: number;
  ssh_key_file?: string;
  ssh_key_comment?: string;
  ssh_key_passphrase?: string;
};

export type UserState = Accounts & {
  /** Whether the home directory the user ends up with exists, and the SSH key file (absolute paths probed). */
  homeExists?: boolean;
  keyExists?: boolean;
  /** `-a, --append` in `usermod --help` (shadow has it everywhere Ansible runs today). */
  usermodAppend?: boolean;
  /** Check mode: a group an earlier task would create is not there yet (see check-note.ts). */
  check?: boolean;
};

export type UserChange =
  | { kind: 'useradd' | 'usermod' | 'userdel'; summary: string; argv: string[] }
  | { kind: 'mkhome'; summary: string; path: string }
  | { kind: 'sshkey'; summary: string; path: string };

/** Ansible's groups argument: joined with ',', split again, stripped, empty names dropped. */
export function wantedGroups(groups: readonly string[] | string | undefined): string[] | undefined {
  if (groups === undefined) return undefined;
  const out: string[] = [];
  for (const g of (typeof groups === 'string' ? [groups] : groups).join(',').split(',')) {
    const t = g.trim();
    if (t && !out.includes(t)) out.push(t);
  }
  return out;
}

export type Decision = { changes: UserChange[]; refuse?: string };

function missingGroup(state: UserState, args: UserArgs): string | undefined {
  for (const g of [...(args.group !== undefined ? [String(args.group)] : []), ...(wantedGroups(args.groups) ?? [])])
    if (!findGroup(state.groups, g)) return `Group ${g} does not exist`;
  return undefined;
}

const pw = (args: UserArgs) => (args.password_lock ? `!${args.password}` : args.password!);

function useradd(state: UserState, args: UserArgs): string[] {
  const argv = ['useradd'];
  if (args.uid !== undefined) argv.push('-u', String(args.uid), ...(args.non_unique ? ['-o'] : []));
  if (args.group !== undefined) argv.push('-g', String(args.group));
  // A group named like the user exists: useradd would refuse to create it (USERGROUPS_ENAB).
  else if (findGroup(state.groups, args.name)) argv.push('-N');
  const groups = wantedGroups(args.groups);
  if (groups?.length) argv.push('-G', groups.join(','));
  if (args.comment !== undefined) argv.push('-c', args.comment);
  if (args.home !== undefined) argv.push('-d', args.home);
  if (args.shell !== undefined) argv.push('-s', args.shell);
  if (args.password !== undefined) argv.push('-p', pw(args));
  if (args.create_home) argv.push('-m', ...(args.skeleton !== undefined ? ['-k', args.skeleton] : []));
  else argv.push('-M');
  if (args.system) argv.push('-r');
  return [...argv, args.name];
}

function usermod(state: UserState, args: UserArgs, u: PasswdEntry): { argv: string[]; what: string[] } {
  const argv = ['usermod'];
  const what: string[] = [];
  if (args.uid !== undefined && u.uid !== args.uid) {
    argv.push('-u', String(args.uid), ...(args.non_unique ? ['-o'] : []));
    what.push(`uid ${u.uid} → ${args.uid}`);
  }
  if (args.group !== undefined) {
    const g = findGroup(state.groups, String(args.group));
    // Absent only in check mode (decideUser refuses it otherwise): the run's earlier task makes it.
    if (!g || u.gid !== g.gid) {
      argv.push('-g', g ? String(g.gid) : String(args.group));
      what.push(`primary group ${g?.name ?? args.group}`);
    }
  }
  const groups = wantedGroups(args.groups);
  if (groups !== undefined) {
    const current = state.groups.filter((g) => g.members.includes(args.name)).map((g) => g.name);
    let need = false;
    if (groups.length === 0) need = current.length > 0 && !args.append;
    else {
      const diff = new Set([
        ...current.filter((g) => !groups.includes(g)),
        ...groups.filter((g) => !current.includes(g)),
      ]);
      if (args.append) {
        if (groups.some((g) => diff.has(g))) {
          if (state.usermodAppend !== false) argv.push('-a');
          need = true;
        }
      } else need = diff.size > 0;
    }
    if (need) {
      argv.push('-G', groups.join(','));
      const added = groups.filter((g) => !current.includes(g));
      const removed = args.append ? [] : current.filter((g) => !groups.includes(g));
      what.push(
        [added.length && `add to ${added.join(', ')}`, removed.length && `remove from ${removed.join(', ')}`]
          .filter(Boolean)
          .join(', ') || 'groups',
      );
    }
  }
  if (args.comment !== undefined && u.comment !== args.comment) {
    argv.push('-c', args.comment);
    what.push(`comment '${args.comment}'`);
  }
  if (args.home !== undefined && u.home !== args.home) {
    argv.push('-d', args.home, ...(args.move_home ? ['-m'] : []));
    what.push(`home ${u.home} → ${args.home}${args.move_home ? ' (moved)' : ''}`);
  }
  if (args.shell !== undefined && u.shell !== args.shell) {
    argv.push('-s', args.shell);
    what.push(`shell ${u.shell} → ${args.shell}`);
  }
  const current = state.password ?? '';
  let lock: string | undefined;
  if (args.password_lock && !current.startsWith('!')) lock = '-L';
  else if (args.password_lock === false && current.startsWith('!')) lock = '-U';
  const newPassword =
    args.update_password === 'always' &&
    args.password !== undefined &&
    current.replace(/^!+/, '') !== args.password.replace(/^!+/, '');
  if (newPassword) {
    argv.push('-p', pw(args));
    what.push(args.password_lock ? 'set the password (locked)' : 'set the password');
  } else if (lock) {
    argv.push(lock);
    what.push(lock === '-L' ? 'lock the password' : 'unlock the password');
  }
  return { argv: [...argv, args.name], what };
}

/** The home directory and SSH key file the user has once present (for the probe and the plan). */
export function userPaths(state: Accounts, args: UserArgs): { home: string; key?: string } {
  const home = args.home ?? state.user?.home ?? `/home/${args.name}`;
  if (!args.generate_ssh_key) return { home };
  const file = args.ssh_key_file ?? path.posix.join('.ssh', `id_${args.ssh_key_type}`);
  return { home, key: path.posix.isAbsolute(file) ? file : path.posix.join(home, file) };
}

export function decideUser(state: UserState, args: UserArgs): Decision {
  const u = state.user;
  if (args.state === 'absent') {
    if (!u) return { changes: [] };
    const argv = ['userdel', ...(args.force ? ['-f'] : []), ...(args.remove ? ['-r'] : []), args.name];
    return {
      changes: [{ kind: 'userdel', summary: `remove user ${args.name}${args.remove ? ' and its home' : ''}`, argv }],
    };
  }
  const missing = missingGroup(state, args);
  if (missing && !state.check) return { changes: [], refuse: missing };
  // Ansible's check mode reports a new user changed without looking at its groups; herdbook
  // predicts it and names what the run depends on, for a new user and an existing one alike.
  const note = missing ? pendingNote(missing.replace(/^Group/, 'group')) : '';
  const changes: UserChange[] = [];
  const paths = userPaths(state, args);
  if (!u) {
    const what = [
      args.uid !== undefined && `uid ${args.uid}`,
      args.group !== undefined && `group ${args.group}`,
      wantedGroups(args.groups)?.length && `groups ${wantedGroups(args.groups)!.join(',')}`,
      args.shell !== undefined && `shell ${args.shell}`,
      args.create_home && `home ${paths.home}`,
      args.system && 'system',
      args.password !== undefined && 'password set',
    ].filter(Boolean);
    changes.push({
      kind: 'useradd',
      summary: `create user ${args.name}${what.length ? ` (${what.join(', ')})` : ''}${note}`,
      argv: useradd(state, args),
    });
  } else {
    const m = usermod(state, args, u);
    if (m.argv.length > 2)
      changes.push({ kind: 'usermod', summary: `user ${args.name}: ${m.what.join(', ')}${note}`, argv: m.argv });
    if (args.create_home && state.homeExists === false)
      changes.push({ kind: 'mkhome', summary: `create home directory ${paths.home}`, path: paths.home });
  }
  if (paths.key && (!u || state.keyExists === false))
    changes.push({ kind: 'sshkey', summary: `generate an SSH key ${paths.key}`, path: paths.key });
  return { changes };
}
