// What the user and group modules know about a host's accounts, read in one round trip through
// getent (NSS, as Ansible's pwd/grp/spwd calls read them): the user's passwd and shadow entries,
// every group, the host name. The script is a constant; the name reaches it as an argv word.
import { ModuleError, type ModuleContext } from '../../engine/index-module.js';

export type PasswdEntry = { name: string; uid: number; gid: number; comment: string; home: string; shell: string };
export type GroupEntry = { name: string; gid: number; members: string[] };
export type Accounts = {
  user?: PasswdEntry;
  /** The shadow password field (a hash, '!…' when locked); undefined when unreadable (not root). */
  password?: string;
  /** Shadow's account expiry in days since the epoch (-1: never), for completeness of the entry. */
  groups: GroupEntry[];
  hostname: string;
};

const SCRIPT = `
echo @passwd; [ -z "$1" ] || getent passwd "$1"
echo @shadow; [ -z "$1" ] || getent shadow "$1" 2>/dev/null
echo @group; getent group
echo @host; uname -n
`;

/** A name useradd/groupadd accept and no getent/argv trick can abuse (Debian's NAME_REGEX, relaxed as shadow's). */
export function checkAccountName(kind: 'user' | 'group', name: string): void {
  if (!/^[A-Za-z0-9_.][A-Za-z0-9_.-]*\$?$/.test(name) || name.length > 32)
    throw new ModuleError(
      `invalid ${kind} name '${name}': use letters, digits, '.', '_' and '-' (not first), at most 32 characters`,
    );
}

/** Parse the script's output (pure; tested on captured output). */
export function parseAccounts(stdout: string): Accounts {
  const out: Accounts = { groups: [], hostname: '' };
  let section = '';
  for (const line of stdout.split('\n')) {
    if (line.startsWith('@')) {
      section = line.slice(1);
      continue;
    }
    if (line === '') continue;
    const f = line.split(':');
    if (section === 'passwd' && f.length >= 7)
      out.user = {
        name: f[0],
        uid: Number(f[2]),
        gid: Number(f[3]),
        comment: f[4],
        home: f[5],
        shell: f.slice(6).join(':'),
      };
    else if (section === 'shadow' && f.length >= 2) out.password = f[1];
    else if (section === 'group' && f.length >= 4)
      out.groups.push({ name: f[0], gid: Number(f[2]), members: f[3] === '' ? [] : f[3].split(',') });
    else if (section === 'host') out.hostname = line.trim();
  }
  return out;
}

export async function readAccounts(ctx: ModuleContext, user: string | undefined): Promise<Accounts> {
  const r = await ctx.exec(['/bin/sh', '-c', SCRIPT, 'herdbook-accounts', user ?? ''], { idempotent: true });
  if (r.rc !== 0) throw new ModuleError(`could not read the host's accounts: ${r.stderr.trim() || `exit ${r.rc}`}`);
  const a = parseAccounts(r.stdout);
  if (a.password) ctx.secret(a.password);
  return a;
}

/** A group by name or by number, as Ansible's group_exists/group_info look it up (gid first). */
export function findGroup(groups: readonly GroupEntry[], nameOrGid: string): GroupEntry | undefined {
  if (/^\d+$/.test(nameOrGid)) {
    const byGid = groups.find((g) => g.gid === Number(nameOrGid));
    if (byGid) return byGid;
  }
  return groups.find((g) => g.name === nameOrGid);
}
