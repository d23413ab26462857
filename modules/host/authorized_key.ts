// authorized_key (ansible.posix.authorized_key): SSH keys in a user's authorized_keys, with
// ansible.posix 1.5.4's decisions (authorized-key-edit.ts); keys from a string, several lines, or
// a URL fetched on the host (as Ansible fetches it, from the target); the file written 0600 and
// owned by the user, ~/.ssh made 0700 with manage_dir; a diff of the file with --diff.
import path from 'node:path';
import { defineModule, ModuleError, type ModuleContext, type Plan } from '../../engine/index-module.js';
import { checkAccountName, readAccounts, type PasswdEntry } from './accounts.js';
import { editKeys } from './authorized-key-edit.js';
import { pendingNote } from './check-note.js';
import { fetchInto, privateTempDir, removeTemp, whichFetcher } from './get-url-fetch.js';
import { probeFile } from './remote-file.js';
import { asText } from './text.js';

export type AuthorizedKeyArgs = {
  user: string;
  /** One key, several lines of keys, a URL; or a list of keys (herdbook's: Ansible would take the list's text). */
  key: string | string[];
  path?: string;
  manage_dir: boolean;
  state: 'present' | 'absent';
  key_options?: string;
  exclusive: boolean;
  comment?: string;
  validate_certs: boolean;
  follow: boolean;
};

export type AuthorizedKeyState = {
  owner?: PasswdEntry;
  keyfile: string;
  /** The file's text ('' when it does not exist). */
  text: string;
  /** The keys asked for (the URL's content when key is one). */
  keys: string;
  check?: boolean;
  /** Check mode: the user an earlier task would create does not exist yet (see check-note.ts). */
  pendingUser?: boolean;
};

export type AuthorizedKeyChange = {
  kind: 'write';
  summary: string;
  path: string;
  content: string;
  sshDir?: string;
};

async function fetchKeys(ctx: ModuleContext, url: string, validateCerts: boolean): Promise<string> {
  const failed = () => new ModuleError(`Error getting key from: ${url}`);
  const dir = await privateTempDir(ctx, undefined);
  try {
    const req = { url, headers: {}, timeout: 10, validateCerts, agent: 'ansible-httpget', noCache: false };
    const got = await fetchInto(ctx, await whichFetcher(ctx), req, dir, 'keys').catch(() => undefined);
    if (!got || got.status !== 200) throw failed();
    const text = asText(await ctx.get(got.file));
    if (text === undefined) throw failed();
    return text;
  } finally {
    await removeTemp(ctx, dir);
  }
}

async function inspect(ctx: ModuleContext, args: AuthorizedKeyArgs): Promise<AuthorizedKeyState> {
  checkAccountName('user', args.user);
  const owner = (await readAccounts(ctx, args.user)).user;
  if (!owner && !ctx.check)
    throw new ModuleError(`Failed to lookup user ${args.user}: "getpwnam(): name not found: '${args.user}'"`);
  // Ansible's check mode fails here ("Either user must exist or you must provide full path to
  // key file in check mode"), which fails every dry run of "create the user, then its key".
  // herdbook predicts the write to useradd's default home and names the dependency instead.
  let keyfile = args.path ?? path.posix.join(owner?.home ?? `/home/${args.user}`, '.ssh', 'authorized_keys');
  const file = await probeFile(ctx, keyfile, { follow: true, readMax: 4 * 1024 * 1024 });
  if (args.follow && file.exists && file.realPath) keyfile = file.realPath;
  let text = '';
  if (file.exists && file.type === 'file') {
    const t = file.content !== undefined ? asText(file.content) : undefined;
    if (t === undefined) throw new ModuleError(`${keyfile}: not a text file of at most 4 MiB`);
    text = t;
  }
  const keys = Array.isArray(args.key)
    ? args.key.join('\n')
    : args.key.startsWith('http')
      ? await fetchKeys(ctx, args.key, args.validate_certs)
      : args.key;
  return { owner, keyfile, text, keys, check: ctx.check, pendingUser: !owner };
}

function plan(state: AuthorizedKeyState, args: AuthorizedKeyArgs): Plan<AuthorizedKeyChange> {
  const e = editKeys(state.text, state.keys, {
    state: args.state,
    exclusive: args.exclusive,
    keyOptions: args.key_options,
    comment: args.comment,
  });
  if (e.invalid) return { changes: [], refuse: e.invalid };
  const data = {
    user: args.user,
    key: args.key,
    path: args.path ?? null,
    manage_dir: args.manage_dir,
    state: args.state,
    key_options: args.key_options ?? null,
    exclusive: args.exclusive,
    comment: args.comment ?? null,
    validate_certs: args.validate_certs,
    follow: args.follow,
    keyfile: state.keyfile,
  };
  if (!e.changed) return { changes: [], noop: `${state.keyfile} has the keys as wanted`, data };
  const n = (k: number, what: string) => k && `${what} ${k} ${k === 1 ? 'key' : 'keys'}`;
  const what = [
    n(e.added, 'add'),
    n(e.updated, 'update'),
    e.removed && `remove ${e.removed} line${e.removed === 1 ? '' : 's'}`,
  ]
    .filter(Boolean)
    .join(', ');
  const sshDir = args.manage_dir ? path.posix.dirname(args.path ?? state.keyfile) : undefined;
  return {
    changes: [
      {
        kind: 'write',
        summary: `${state.keyfile}: ${what}${state.pendingUser ? pendingNote(`user ${args.user} does not exist`) : ''}`,
        path: state.keyfile,
        content: e.text,
        sshDir,
      },
    ],
    diff: [{ path: state.keyfile, before: state.text, after: e.text }],
    data,
  };
}

async function must(ctx: ModuleContext, argv: string[]): Promise<void> {
  const r = await ctx.exec(argv);
  if (r.rc !== 0) throw new ModuleError(`${argv[0]} ${argv.at(-1)}: ${r.stderr.trim() || `exit ${r.rc}`}`);
}

async function apply(
  ctx: ModuleContext,
  args: AuthorizedKeyArgs,
  p: Plan<AuthorizedKeyChange>,
  state: AuthorizedKeyState,
) {
  const o = state.owner;
  if (!o) throw new ModuleError(`Failed to lookup user ${args.user}`);
  const ids = `${o.uid}:${o.gid}`;
  for (const c of p.changes) {
    if (c.sshDir) {
      // Ansible's manage_dir: the directory made 0700 (one level), then owned by the user and 0700.
      if ((await ctx.exec(['test', '-e', c.sshDir])).rc !== 0) await must(ctx, ['mkdir', '-m', '0700', '--', c.sshDir]);
      await must(ctx, ['chown', ids, '--', c.sshDir]);
      await must(ctx, ['chmod', '0700', '--', c.sshDir]);
    }
    await must(ctx, ['mkdir', '-p', '--', path.posix.dirname(c.path)]);
    await ctx.put(c.content, c.path, { mode: '0600', owner: String(o.uid), group: String(o.gid) });
  }
  return {};
}

export const authorizedKey = defineModule<AuthorizedKeyArgs, AuthorizedKeyState, AuthorizedKeyChange>({
  name: 'authorized_key',
  schema: 'authorized_key',
  runsOn: 'host',
  predictable: true,
  inspect,
  plan,
  apply,
});
