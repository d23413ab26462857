// get_url: download a URL to a file on the host, as Ansible 2.14's get_url decides (dest with a
// matching checksum is not downloaded again; otherwise a conditional download into a private
// temp file replaces dest only when the content differs). Check mode runs the same inspect, so
// it reports what the run would do; only the temp file is written, and removed.
import path from 'node:path';
import { defineModule, ModuleError, type ModuleContext, type Plan } from '../../engine/index-module.js';
import { applyAttrs, planAttrs, type AttrArgs } from './attrs.js';
import { makeBackup, planWrite, type WriteChange } from './file-write.js';
import { digestFromFile, parseChecksum, urlFilename, type Algorithm } from './get-url-checksum.js';
import {
  digestsOf,
  fetchInto,
  privateTempDir,
  removeTemp,
  whichFetcher,
  type FetchRequest,
  type Fetched,
} from './get-url-fetch.js';
import { installHostFile } from './host-install.js';
import { checkMode } from './mode.js';
import { predictChanges } from './predictions.js';
import { probeFile, type RemoteFile } from './remote-file.js';

export type GetUrlArgs = AttrArgs & {
  url: string;
  dest: string;
  checksum: string;
  force: boolean;
  backup: boolean;
  headers: Record<string, string | number | boolean>;
  timeout: number;
  validate_certs: boolean;
  url_username?: string;
  url_password?: string;
  force_basic_auth: boolean;
  http_agent: string;
  tmp_dest?: string;
};

export type GetUrlState = {
  url: string;
  /** The file written: dest, or dest/<name> when dest is a directory. */
  dest: string;
  file: RemoteFile;
  /** The digest the download must have (after reading a checksum file). */
  want?: { algorithm: Algorithm; digest: string };
  /** dest already has the wanted digest: nothing was downloaded. */
  matched?: boolean;
  /** What the download answered; absent when nothing was downloaded. */
  fetched?: {
    status: number;
    msg: string;
    url: string;
    sha256?: string;
    sha1?: string;
    digest?: string;
    size?: number;
  };
  /** sha1 of dest before (Ansible's checksum_dest). */
  destSha1?: string;
  /** The private temp directory holding the download; kept only when a real run will move it into place. */
  tmp?: { dir: string; file: string };
  check?: boolean;
};

function request(args: GetUrlArgs, url: string, dest: RemoteFile | undefined, ctx: ModuleContext): FetchRequest {
  const headers = Object.fromEntries(Object.entries(args.headers).map(([k, v]) => [k, String(v)]));
  for (const [k, v] of Object.entries(headers)) if (/authorization|token|secret|key/i.test(k)) ctx.secret(v);
  if (args.url_password) ctx.secret(args.url_password);
  return {
    url,
    headers,
    username: args.url_username,
    password: args.url_password,
    timeout: args.timeout,
    validateCerts: args.validate_certs,
    agent: args.http_agent,
    noCache: args.force,
    // A checksum mismatch forces the download (Ansible's `force = True`); otherwise only if newer.
    ifModifiedSince: dest?.exists && dest.type === 'file' && !args.force ? dest.mtime : undefined,
  };
}

/** Content-Disposition's file name (Ansible's pattern), else the final URL's last part. */
function downloadName(fetched: Fetched): string {
  const m = /^attachment; ?filename="?([^"]+)/.exec(fetched.headers['content-disposition'] ?? '');
  const name = m ? path.posix.basename(m[1]) : '';
  return name || urlFilename(fetched.url);
}

async function inspect(ctx: ModuleContext, args: GetUrlArgs): Promise<GetUrlState> {
  if (args.mode !== undefined) checkMode(args.mode);
  const spec = parseChecksum(args.checksum);
  let file = await probeFile(ctx, args.dest, { checksum: true });
  const destIsDir = file.exists && file.type === 'directory';
  const base: GetUrlState = { url: args.url, dest: args.dest, file, check: ctx.check };
  const tool = await whichFetcher(ctx);
  const dir = await privateTempDir(ctx, args.tmp_dest);
  let keep = false;
  try {
    let want: GetUrlState['want'];
    if (spec && 'url' in spec) {
      const sums = await fetchInto(ctx, tool, request(args, spec.url, undefined, ctx), dir, 'sums');
      if (sums.status !== 200)
        throw new ModuleError(`Request failed: checksum file ${spec.url}: ${sums.msg}`, { status_code: sums.status });
      const text = (await ctx.get(sums.file)).toString('utf8');
      want = { algorithm: spec.algorithm, digest: digestFromFile(text, urlFilename(args.url), spec.url) };
    } else if (spec) want = { algorithm: spec.algorithm, digest: spec.digest };
    const algos = ['sha1', 'sha256', ...(want ? [want.algorithm] : [])];
    let destSums: Record<string, string> | undefined;
    if (file.exists && file.type === 'file') {
      destSums = await digestsOf(ctx, args.dest, algos);
      if (want && !args.force && destSums[want.algorithm] === want.digest)
        return { ...base, want, matched: true, destSha1: destSums.sha1 };
    }
    // A checksum mismatch forces the download, without If-Modified-Since (Ansible's force = True).
    const got = await fetchInto(ctx, tool, request(args, args.url, want ? undefined : file, ctx), dir, 'download');
    const fetched: GetUrlState['fetched'] = { status: got.status, msg: got.msg, url: got.url };
    let dest = args.dest;
    if (got.status === 200) {
      if (destIsDir) {
        dest = path.posix.join(args.dest, downloadName(got));
        file = await probeFile(ctx, dest, { checksum: true });
        destSums = file.exists && file.type === 'file' ? await digestsOf(ctx, dest, algos) : undefined;
      }
      const sums = await digestsOf(ctx, got.file, algos);
      Object.assign(fetched, { sha256: sums.sha256, sha1: sums.sha1, digest: want && sums[want.algorithm] });
      fetched.size = Number((await ctx.exec(['stat', '-c', '%s', '--', got.file])).stdout.trim());
    }
    const state: GetUrlState = { ...base, dest, file, want, fetched, destSha1: destSums?.sha1 };
    // Keep the download only for a real run that will move it into place.
    keep = !ctx.check && planGetUrl(state, args).changes.some((c) => c.kind === 'write');
    return keep ? { ...state, tmp: { dir, file: got.file } } : state;
  } finally {
    if (!keep) await removeTemp(ctx, dir);
  }
}

export function planGetUrl(state: GetUrlState, args: GetUrlArgs): Plan<WriteChange> {
  const { dest, file, fetched, want } = state;
  const data: Record<string, unknown> = {
    dest,
    url: state.url,
    checksum_dest: state.destSha1 ?? null,
    checksum_src: fetched?.sha1 ?? null,
  };
  if (state.matched) {
    // Ansible reports no checksums when it skips the download.
    const skipped = { ...data, checksum_dest: null };
    const attrs = file.exists ? planAttrs(file, args) : undefined;
    return attrs
      ? { changes: [attrs], data: { ...skipped, msg: 'file already exists but file attributes changed' } }
      : {
          changes: [],
          noop: `${dest} already has ${want!.algorithm} ${want!.digest.slice(0, 12)}`,
          data: { ...skipped, msg: 'file already exists' },
        };
  }
  if (!fetched) return { changes: [], refuse: 'internal: nothing was downloaded', data };
  Object.assign(data, { status_code: fetched.status, msg: fetched.msg });
  // 304: dest is newer than the server's copy; Ansible stops there, attributes untouched.
  if (fetched.status === 304) return { changes: [], noop: `${dest}: not modified since it was written`, data };
  if (fetched.status !== 200)
    return {
      changes: [],
      refuse: `Request failed: ${fetched.msg} (${fetched.url})`,
      data: { ...data, response: fetched.msg },
    };
  if (want && fetched.digest !== want.digest)
    return {
      changes: [],
      refuse: `The checksum for ${dest} did not match ${want.digest}; it was ${fetched.digest}. ${dest} was left as it was`,
      data,
    };
  const extra = [
    `${fetched.size} bytes`,
    ...(['mode', 'owner', 'group'] as const).filter((k) => args[k] !== undefined).map((k) => `${k} ${args[k]}`),
  ].join(', ');
  const plan = planWrite({
    path: dest,
    file,
    after: { checksum: fetched.sha256!, size: fetched.size ?? 0 },
    args: { ...args, force: true },
    summary:
      file.exists && file.type === 'file'
        ? `replace ${dest} with ${state.url} (${extra}, content differs)`
        : `download ${state.url} to ${dest} (${extra})`,
    check: state.check,
  });
  if (plan.refuse) return { ...plan, data };
  return { ...plan, data, noop: plan.changes.length ? undefined : `${dest} has the same content as ${state.url}` };
}

async function apply(
  ctx: ModuleContext,
  args: GetUrlArgs,
  plan: Plan<WriteChange>,
  state: GetUrlState,
): Promise<{ data: Record<string, unknown> }> {
  const out: Record<string, unknown> = {};
  try {
    const wrote = plan.changes.some((c) => c.kind === 'write');
    for (const c of plan.changes) {
      if (c.kind === 'backup') {
        out.backup_file = await makeBackup(ctx, c.path);
      } else if (c.kind === 'write') {
        if (!state.tmp) throw new ModuleError('internal: the download was not kept from inspect');
        await installHostFile(ctx, state.tmp.file, c.path);
        const written = await probeFile(ctx, c.path);
        const attrs = written.exists ? planAttrs(written, args) : undefined;
        if (attrs) await applyAttrs(ctx, attrs);
      } else if (c.kind === 'attrs' && !wrote) {
        await applyAttrs(ctx, c);
      }
    }
  } finally {
    if (state.tmp) await removeTemp(ctx, state.tmp.dir);
  }
  const f = await probeFile(ctx, state.dest);
  if (f.exists)
    Object.assign(out, {
      mode: f.mode,
      owner: f.owner,
      group: f.group,
      uid: f.uid,
      gid: f.gid,
      size: f.size,
      state: 'file',
    });
  return { data: out };
}

export const getUrl = defineModule<GetUrlArgs, GetUrlState, WriteChange>({
  name: 'get_url',
  schema: 'get_url',
  runsOn: 'host',
  predictable: true,
  secretArgs: ['url_password'],
  inspect,
  plan: planGetUrl,
  predict: (_state, _args, plan, ctx) => predictChanges(plan.changes, ctx),
  apply,
});
