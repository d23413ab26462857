// Writing a whole file on the host, shared by copy, template, lineinfile and blockinfile:
// plan (create / update / backup / parents / attributes, with a text diff), then apply
// (backup with cp -p, atomic put, optional validate on a temp file before it replaces dest).
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { ModuleError, type FileDiff, type ModuleContext, type Plan } from '../../engine/index-module.js';
import { splitWords } from '../../engine/shell-words.js';
import { applyAttrs, idArg, planAttrs, wantedMode, type AttrArgs, type AttrChange } from './attrs.js';
import { pendingNote } from './check-note.js';
import { missingDirs, type RemoteFile } from './remote-file.js';

export type WriteChange =
  | { kind: 'backup'; summary: string; path: string }
  | { kind: 'mkdir'; summary: string; paths: string[] }
  /** content: the new text, for modules that compute it in plan (lineinfile); copy passes its bytes to apply. */
  | { kind: 'write'; summary: string; path: string; mode?: string; owner?: string; group?: string; content?: string }
  | AttrChange;

export type WriteArgs = AttrArgs & { backup?: boolean; force?: boolean; validate?: string };

export type WriteRequest = {
  /** Where the bytes go. */
  path: string;
  /** What is there now. */
  file: RemoteFile;
  after: { checksum: string; size: number; text?: string };
  /** The current content as text, for the diff (undefined: binary, too big, or diff off). */
  beforeText?: string;
  args: WriteArgs;
  /** Create missing parent directories (lineinfile/blockinfile create=true) instead of refusing. */
  createParents?: boolean;
  /** What the write does, in the module's words ("line added to /etc/hosts"); default: create/update. */
  summary?: string;
  /** Carry the new text in the write change (for apply). */
  keepText?: boolean;
  /** Check mode: a missing directory may be one an earlier task would create. */
  check?: boolean;
};

export function shortSum(sum: string | undefined): string {
  return sum ? sum.slice(0, 12) : '?';
}

const content = (req: WriteRequest) =>
  req.keepText && req.after.text !== undefined ? { content: req.after.text } : {};

/** The plan for making `path` hold the new content with the asked attributes (changes empty: nothing to do). */
export function planWrite(req: WriteRequest): Plan<WriteChange> {
  const { file, args, after } = req;
  const p = req.path;
  if (args.validate !== undefined && !splitWords(args.validate).some((w) => w.includes('%s'))) {
    return { changes: [], refuse: `validate must contain %s (the file to check): ${args.validate}` };
  }
  if (file.exists && file.type === 'directory') return { changes: [], refuse: `${p} is a directory` };
  const changes: WriteChange[] = [];
  if (!file.exists) {
    const parents = missingDirs(file, false);
    let note = '';
    if (parents.length || !file.ancestorIsDir) {
      const dir = path.posix.dirname(p);
      if (req.check && !req.createParents) note = pendingNote(`${dir} does not exist`);
      else if (!req.createParents || !file.ancestorIsDir)
        return { changes: [], refuse: `destination directory ${dir} does not exist` };
      else changes.push({ kind: 'mkdir', summary: `create directory ${parents.join(', ')}`, paths: parents });
    }
    const mode = wantedMode(args, undefined, false);
    const [owner, group] = [idArg(args.owner), idArg(args.group)];
    const extra = [mode && `mode ${mode}`, owner && `owner ${owner}`, group && `group ${group}`].filter(Boolean);
    changes.push({
      kind: 'write',
      summary:
        (req.summary ??
          `create ${p} (${after.size} byte${after.size === 1 ? '' : 's'}${extra.length ? `, ${extra.join(', ')}` : ''})`) +
        note,
      path: p,
      mode,
      owner,
      group,
      ...content(req),
    });
    const diff: FileDiff[] | undefined =
      after.text !== undefined ? [{ path: p, before: '', after: after.text }] : undefined;
    return { changes, diff };
  }
  const isLink = file.type === 'link';
  const differs = isLink || file.checksum !== after.checksum;
  const attrs = isLink ? undefined : planAttrs(file, args);
  let diff: FileDiff[] | undefined;
  if (differs && args.force !== false) {
    if (args.backup && !isLink) changes.push({ kind: 'backup', summary: `back up ${p}`, path: p });
    const summary =
      req.summary ??
      (isLink
        ? `replace the symlink ${p} (→ ${file.target}) with a file`
        : `update ${p} (sha256 ${shortSum(file.checksum)} → ${shortSum(after.checksum)})`);
    const mode = wantedMode(args, isLink ? undefined : file.mode, false) ?? (isLink ? undefined : file.mode);
    changes.push({
      kind: 'write',
      summary,
      path: p,
      mode,
      owner: idArg(args.owner),
      group: idArg(args.group),
      ...content(req),
    });
    if (req.beforeText !== undefined && after.text !== undefined)
      diff = [{ path: p, before: req.beforeText, after: after.text }];
  }
  // A write sets the attributes itself; list them anyway so the plan says what changes.
  if (attrs) changes.push(attrs);
  return { changes, diff };
}

/** `<path>.<pid>.<YYYY-MM-DD@HH:MM:SS>~`, Ansible's backup name. */
export function backupName(p: string, nowMs: number, pid: number): string {
  const d = new Date(nowMs);
  const two = (n: number) => String(n).padStart(2, '0');
  const stamp = `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}@${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
  return `${p}.${pid}.${stamp}~`;
}

/**
 * The backup a `backup` change asks for: `cp -p` to backupName's path, which is returned. Ansible's
 * name carries the module process's pid, new per task; ours is the controller's, so two backups of
 * one file in the same second (copy, then lineinfile) would share a name and the second would
 * overwrite the first: the next free number after the pid is taken instead.
 */
export async function makeBackup(ctx: ModuleContext, file: string): Promise<string> {
  const now = ctx.wallTime();
  let backup = backupName(file, now, process.pid);
  for (let n = 1; (await ctx.exec(['test', '-e', backup])).rc === 0; n++)
    backup = backupName(file, now, process.pid + n);
  await must(ctx, ['cp', '-p', '--', file, backup], `backing up ${file}`);
  return backup;
}

async function must(ctx: ModuleContext, argv: string[], what: string): Promise<void> {
  const r = await ctx.exec(argv);
  if (r.rc !== 0)
    throw new ModuleError(`${what}: ${r.stderr.trim() || `exit ${r.rc}`}`, { rc: r.rc, stderr: r.stderr });
}

type Written = { backup_file?: string };

/** Perform a write plan. `data` is the new content when the write change does not carry it. */
export async function applyWrite(
  ctx: ModuleContext,
  changes: readonly WriteChange[],
  data: Buffer | undefined,
  validate?: string,
): Promise<Written> {
  const out: Written = {};
  const wrote = changes.some((c) => c.kind === 'write');
  for (const c of changes) {
    if (c.kind === 'backup') {
      out.backup_file = await makeBackup(ctx, c.path);
    } else if (c.kind === 'mkdir') {
      await must(ctx, ['mkdir', '-p', '--', ...c.paths], `creating ${c.paths.join(', ')}`);
    } else if (c.kind === 'write') {
      const attrs = { mode: c.mode, owner: c.owner, group: c.group };
      const bytes = c.content !== undefined ? Buffer.from(c.content, 'utf8') : data;
      if (!bytes) throw new ModuleError(`internal: nothing to write to ${c.path}`);
      if (validate === undefined) await ctx.put(bytes, c.path, attrs);
      else await validatedPut(ctx, c.path, bytes, attrs, validate);
    } else if (!wrote) {
      await applyAttrs(ctx, c);
    }
  }
  return out;
}

/** Write beside dest, run the validate command on that file, and only then move it into place. */
async function validatedPut(
  ctx: ModuleContext,
  dest: string,
  data: Buffer,
  attrs: { mode?: string; owner?: string; group?: string },
  validate: string,
): Promise<void> {
  const tmp = path.posix.join(
    path.posix.dirname(dest),
    `.${path.posix.basename(dest)}.herdbook-validate-${randomBytes(4).toString('hex')}`,
  );
  await ctx.put(data, tmp, attrs);
  const argv = splitWords(validate).map((w) => w.split('%s').join(tmp));
  const r = await ctx.exec(argv);
  if (r.rc !== 0) {
    await ctx.exec(['rm', '-f', '--', tmp]);
    throw new ModuleError(
      `failed to validate: ${argv.join(' ')} exited ${r.rc}: ${(r.stderr.trim() || r.stdout.trim()).slice(0, 2000)}`,
      { rc: r.rc, stdout: r.stdout, stderr: r.stderr },
    );
  }
  await must(ctx, ['mv', '-f', '--', tmp, dest], `moving the validated file to ${dest}`);
}
