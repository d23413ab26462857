// fetch: copy a file from the host to the controller, under dest/<inventory host>/<src path>
// (Ansible's layout) or exactly at dest with flat. It changes the controller only, and only when
// the sha256 differs; the bytes are checked against the host's checksum before they land.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { defineModule, ModuleError, type ModuleContext } from '../../engine/index-module.js';
import { probeFile, type RemoteFile } from './remote-file.js';
import { sha256 } from './text.js';

export type FetchArgs = {
  src: string;
  dest: string;
  flat: boolean;
  fail_on_missing: boolean;
  validate_checksum: boolean;
};

export type FetchState = { local: string; remote: RemoteFile; localChecksum?: string };

type FetchChange = { summary: string };

// Not a path anyone has: resolveSource then falls back to "the playbook's directory + path".
const NOWHERE = '.herdbook-fetch-dest-not-a-file';

/** Where the file lands: relative dests are relative to the playbook's directory, as in Ansible. */
export function localPath(args: FetchArgs, host: string, base: (p: string) => string): string {
  const dest = path.isAbsolute(args.dest) ? args.dest : base(args.dest);
  // The host name becomes a directory: it must not climb out of dest.
  if (!args.flat && (host.includes('/') || host === '.' || host === '..'))
    throw new ModuleError(`fetch cannot use the host name ${JSON.stringify(host)} as a directory name; use flat: true`);
  if (args.flat) return args.dest.endsWith('/') ? path.join(dest, path.posix.basename(args.src)) : dest;
  return path.join(dest, host, path.posix.normalize(`/${args.src}`));
}

function playbookRelative(ctx: ModuleContext): (p: string) => string {
  return (p) => {
    const probe = ctx.resolveSource('files', path.join(NOWHERE, p));
    return path.resolve(
      probe
        .split(path.sep)
        .filter((s) => s !== NOWHERE)
        .join(path.sep),
    );
  };
}

export const fetch = defineModule<FetchArgs, FetchState, FetchChange>({
  name: 'fetch',
  schema: 'fetch',
  runsOn: 'host',
  predictable: true,
  async inspect(ctx, args) {
    const local = localPath(args, ctx.host, playbookRelative(ctx));
    const remote = await probeFile(ctx, args.src, { follow: true, checksum: true });
    const existing = await readFile(local).catch(() => undefined);
    return { local, remote, ...(existing ? { localChecksum: sha256(existing) } : {}) };
  },
  plan({ local, remote, localChecksum }, args) {
    const data = {
      src: args.src,
      dest: local,
      ...(remote.exists && remote.checksum ? { checksum: remote.checksum } : {}),
    };
    if (!remote.exists) {
      if (args.fail_on_missing) return { changes: [], refuse: `the remote file does not exist: ${args.src}`, data };
      return {
        changes: [],
        noop: `the remote file does not exist, not fetching: ${args.src}`,
        data: { ...data, file_missing: true },
      };
    }
    if (remote.type !== 'file')
      return { changes: [], refuse: `${args.src} is a ${remote.type}: fetch copies one file`, data };
    if (localChecksum && localChecksum === remote.checksum)
      return { changes: [], noop: `${local} is up to date`, data };
    return { changes: [{ summary: `fetch ${args.src} (${remote.size} bytes) to ${local}` }], data };
  },
  async apply(ctx, args, _plan, { local, remote }) {
    const data = await ctx.get(args.src);
    const got = sha256(data);
    if (args.validate_checksum && remote.exists && remote.checksum && got !== remote.checksum) {
      throw new ModuleError(
        `checksum mismatch for ${args.src}: the host has ${remote.checksum}, received ${got} (the file changed while fetching?)`,
      );
    }
    await mkdir(path.dirname(local), { recursive: true });
    const tmp = `${local}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      await writeFile(tmp, data);
      await rename(tmp, local);
    } catch (e) {
      await rm(tmp, { force: true });
      throw new ModuleError(`writing ${local} on the controller failed: ${(e as Error).message}`, undefined, {
        cause: e,
      });
    }
    return { data: { checksum: got } };
  },
});
