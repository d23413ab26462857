// unarchive (ansible.builtin.unarchive): an archive unpacked into an existing directory on the
// host. The archive is copied from the controller into a private temp directory (or, with
// remote_src, is on the host, or is a URL the host downloads with curl or wget); whether dest
// already holds it is decided as the reference decides (unarchive-plan.ts), read-only, so check
// mode predicts tar archives too (the reference skips them in check mode). Commands are argv.
import path from 'node:path';
import { decryptControllerData } from '../../engine/load/vaulted.js';
import { defineModule, ModuleError, type ModuleContext, type Plan } from '../../engine/index-module.js';
import { applyAttrs } from './attrs.js';
import { pendingNote } from './check-note.js';
import { readControllerFile } from './copy-common.js';
import { fetchInto, privateTempDir, removeTemp, whichFetcher } from './get-url-fetch.js';
import { checkMode } from './mode.js';
import {
  attrPaths,
  decideUnarchive,
  type DestEntry,
  type UnarchiveArgs,
  type UnarchiveChange,
  type UnarchiveState,
} from './unarchive-plan.js';
import { LANG_C, pickHandler, runUser, statEntries, tarWords, unzipWords, zipMembers } from './unarchive-probe.js';

type State = UnarchiveState & { tempDir?: string };

/** Ansible's path info for dest (it adds it to every result naming a path). */
function destInfo(e: DestEntry): Record<string, unknown> {
  if (e.missing) return { state: 'absent' };
  return { uid: e.uid, gid: e.gid, owner: e.owner, group: e.group, mode: e.mode, size: e.size, state: e.type };
}

async function placeSource(
  ctx: ModuleContext,
  args: UnarchiveArgs,
  remote: boolean,
): Promise<{ src: string; tempDir?: string }> {
  if (remote && !args.src.includes('://')) {
    const r = await ctx.exec(['stat', '-L', '-c', '%s', '--', args.src], { idempotent: true });
    if (r.rc !== 0) throw new ModuleError(`Source '${args.src}' does not exist`);
    if (r.stdout.trim() === '0') throw new ModuleError(`Invalid archive '${args.src}', the file is 0 bytes`);
    return { src: args.src };
  }
  const tempDir = await privateTempDir(ctx, undefined);
  try {
    if (remote) {
      const tool = await whichFetcher(ctx);
      const got = await fetchInto(
        ctx,
        tool,
        {
          url: args.src,
          headers: {},
          timeout: 10,
          validateCerts: args.validate_certs,
          agent: 'ansible-httpget',
          noCache: false,
        },
        tempDir,
        path.posix.basename(new URL(args.src).pathname) || 'download',
      );
      if (got.status !== 200) throw new ModuleError(`Failure downloading ${args.src}, ${got.msg}`);
      return { src: got.file, tempDir };
    }
    const { file, data } = await readControllerFile(ctx, 'files', args.src);
    let bytes = data;
    if (args.decrypt) {
      const opened = decryptControllerData(file, data);
      if ('error' in opened) throw new ModuleError(opened.error);
      if (opened.decrypted) bytes = opened.data;
    }
    if (!bytes.length) throw new ModuleError(`Invalid archive '${args.src}', the file is 0 bytes`);
    const src = `${tempDir}/source`;
    await ctx.put(bytes, src, { mode: '0600' });
    return { src, tempDir };
  } catch (e) {
    await removeTemp(ctx, tempDir);
    throw e;
  }
}

async function inspect(ctx: ModuleContext, args: UnarchiveArgs): Promise<State> {
  if (args.mode !== undefined) checkMode(args.mode);
  if (args.include.length && args.exclude.length)
    throw new ModuleError('parameters are mutually exclusive: include|exclude');
  const remote = args.copy !== undefined ? !args.copy : args.remote_src;
  const run = await runUser(ctx);
  const [dest] = await statEntries(ctx, '/', [{ name: args.dest }]);
  if (args.creates !== undefined && (await ctx.exec(['test', '-e', args.creates], { idempotent: true })).rc === 0)
    return {
      skip: `skipped, since ${args.creates} exists`,
      src: args.src,
      handler: 'TarArchive',
      files: [],
      run,
      attrs: {},
      destInfo: {},
    };
  const base = { src: args.src, handler: 'TarArchive' as const, files: [], run, attrs: {}, destInfo: {} };
  if (dest.entry.missing && ctx.check) return { ...base, pending: `${args.dest} does not exist` };
  if (dest.entry.missing || dest.entry.type !== 'directory')
    throw new ModuleError(`dest '${args.dest}' must be an existing dir`);
  // "Download, then unpack": in check mode the download is only predicted.
  if (ctx.check && remote && !args.src.includes('://'))
    if ((await ctx.exec(['test', '-e', args.src], { idempotent: true })).rc !== 0)
      return { ...base, pending: `${args.src} does not exist` };
  const { src, tempDir } = await placeSource(ctx, args, remote);
  let keep = false;
  try {
    const { handler, files } = await pickHandler(ctx, args, src);
    const state: State = { src, tempDir, handler, files, run, attrs: {}, destInfo: destInfo(dest.entry) };
    if (handler === 'ZipArchive') state.zip = await zipMembers(ctx, args, src);
    else {
      const r = await ctx.exec(tarWords('--diff', handler, args, src, true), {
        cwd: args.dest,
        env: LANG_C,
        idempotent: true,
      });
      state.tarDiff = { rc: r.rc, out: r.stdout, err: r.stderr };
    }
    if (args.mode !== undefined || args.owner !== undefined || args.group !== undefined) {
      const names = attrPaths(files);
      const facts = await statEntries(
        ctx,
        args.dest,
        names.map((name) => ({ name })),
      );
      names.forEach((n, i) => (state.attrs[n] = facts[i].entry));
    }
    keep = !ctx.check && decideUnarchive(state, args).changes.some((c) => c.kind === 'extract');
    return state;
  } finally {
    if (!keep && tempDir) await removeTemp(ctx, tempDir);
  }
}

function resultData(s: State, args: UnarchiveArgs): Record<string, unknown> {
  return {
    handler: s.handler,
    dest: args.dest,
    src: s.src,
    ...s.destInfo,
    ...(args.list_files ? { files: s.files } : {}),
  };
}

function plan(s: State, args: UnarchiveArgs): Plan<UnarchiveChange> {
  if (s.skip) return { changes: [], noop: s.skip, data: { msg: s.skip } };
  if (s.pending)
    return { changes: [{ kind: 'extract', summary: `unpack ${args.src} into ${args.dest}${pendingNote(s.pending)}` }] };
  const { changes, diff } = decideUnarchive(s, args);
  const data = resultData(s, args);
  const prepared = diff ? [{ path: args.dest, before: '', after: '', prepared: diff }] : undefined;
  if (!changes.length) return { changes, noop: `${args.dest} already holds ${args.src}`, data, diff: prepared };
  return { changes, data, diff: prepared };
}

async function apply(ctx: ModuleContext, args: UnarchiveArgs, p: Plan<UnarchiveChange>, s: State) {
  const data: Record<string, unknown> = {};
  try {
    if (p.changes.some((c) => c.kind === 'extract')) {
      const cmd =
        s.handler === 'ZipArchive' ? unzipWords(args, s.src) : tarWords('--extract', s.handler, args, s.src, true);
      const r = await ctx.exec(cmd, { cwd: args.dest, env: LANG_C });
      data.extract_results = { cmd, rc: r.rc, out: r.stdout, err: r.stderr };
      if (r.rc !== 0)
        throw new ModuleError(`failed to unpack ${s.src} to ${args.dest}`, { ...resultData(s, args), ...data });
      // What was unpacked gets the asked attributes, as after any unpacking in the reference.
      if (args.mode !== undefined || args.owner !== undefined || args.group !== undefined) {
        const names = attrPaths(s.files);
        const facts = await statEntries(
          ctx,
          args.dest,
          names.map((name) => ({ name })),
        );
        const after: State = { ...s, zip: [], tarDiff: { rc: 0, out: '', err: '' }, attrs: {} };
        names.forEach((n, i) => (after.attrs[n] = facts[i].entry));
        for (const c of decideUnarchive(after, args).changes) if (c.kind === 'attrs') await applyAttrs(ctx, c);
      }
    } else for (const c of p.changes) if (c.kind === 'attrs') await applyAttrs(ctx, c);
  } finally {
    if (s.tempDir) await removeTemp(ctx, s.tempDir);
  }
  const [dest] = await statEntries(ctx, '/', [{ name: args.dest }]);
  return { data: { ...data, ...destInfo(dest.entry) }, changed: true };
}

export const unarchive = defineModule<UnarchiveArgs, State, UnarchiveChange>({
  name: 'unarchive',
  schema: 'unarchive',
  runsOn: 'host',
  predictable: true,
  inspect,
  plan,
  apply,
});
