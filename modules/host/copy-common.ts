// What copy and template share: the new content (from the controller), the destination as the
// host has it (checksum, and the old text when a diff is wanted), and the write plan.
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { ModuleError, type ModuleContext, type Plan } from '../../engine/index-module.js';
import { idArg, wantedMode } from './attrs.js';
import { pendingNote } from './check-note.js';
import { applyWrite, planWrite, type WriteArgs, type WriteChange } from './file-write.js';
import { probeFile, type RemoteFile } from './remote-file.js';
import { asText, DIFF_MAX_BYTES, sha256 } from './text.js';

export type CopyArgs = WriteArgs & {
  dest: string;
  src?: string;
  content?: string;
  force: boolean;
  backup: boolean;
  /** Write through a symlink at dest (to its target) instead of replacing the link. */
  follow: boolean;
  /** An Ansible Vault src is copied decrypted (copy only; template reads its src as text). */
  decrypt?: boolean;
};

export type Source = {
  /** Where the content came from, for messages: a controller path, or "content". */
  label: string;
  checksum: string;
  size: number;
  /** Set when the content is text small enough to diff. */
  text?: string;
  /** The bytes to write; absent in plan fixtures (plan never reads them). */
  data?: Buffer;
  /** Check mode: the host file copied does not exist yet (an earlier task would make it). */
  pending?: string;
};

export type CopyState = {
  /** The file written: dest, or dest/<basename of src> when dest is a directory. */
  dest: string;
  file: RemoteFile;
  source: Source;
  beforeText?: string;
  /** dest is a directory and there is no file name to put in it (content:). */
  destIsDir?: boolean;
  check?: boolean;
};

export function sourceOf(label: string, data: Buffer): Source {
  return { label, checksum: sha256(data), size: data.length, text: asText(data, DIFF_MAX_BYTES), data };
}

/** A controller file found like Ansible finds it (the role's files/ or templates/, then the playbook's). */
export async function readControllerFile(
  ctx: ModuleContext,
  kind: 'files' | 'templates',
  src: string,
): Promise<{ file: string; data: Buffer }> {
  const file = ctx.resolveSource(kind, src);
  const st = await stat(file).catch(() => undefined);
  if (!st) throw new ModuleError(`could not find src ${src} on the controller (looked for ${file})`);
  if (st.isDirectory())
    throw new ModuleError(
      `src ${src} is a directory: copy one file per task (a loop over a file list), directories are not supported yet`,
    );
  return { file, data: await readFile(file) };
}

export async function inspectCopy(
  ctx: ModuleContext,
  args: CopyArgs,
  source: Source,
  srcName?: string,
): Promise<CopyState> {
  const probe = (p: string) =>
    probeFile(ctx, p, {
      follow: args.follow,
      checksum: true,
      readMax: ctx.diff && source.text !== undefined ? DIFF_MAX_BYTES : -1,
    });
  let dest = args.dest;
  let file = await probe(dest);
  const isDir = (file.exists && file.type === 'directory') || dest.endsWith('/');
  if (isDir && !srcName) return { dest, file: stripContent(file), source, destIsDir: true, check: ctx.check };
  if (isDir && srcName) {
    dest = path.posix.join(dest, srcName);
    file = await probe(dest);
  }
  // Following a symlink writes its target: that is the file the plan is about.
  if (args.follow && file.exists && file.realPath) {
    dest = file.realPath;
    file = { ...file, path: dest, isLink: undefined, target: undefined, realPath: undefined };
  }
  const beforeText = file.exists ? asText(file.content, DIFF_MAX_BYTES) : undefined;
  return { dest, file: stripContent(file), source, beforeText, check: ctx.check };
}

function stripContent(file: RemoteFile): RemoteFile {
  if (!file.exists || !file.content) return file;
  const { content: _content, ...rest } = file;
  return rest;
}

export function planCopy(state: CopyState, args: CopyArgs): Plan<WriteChange> {
  const { dest, file, source } = state;
  if (state.destIsDir) return { changes: [], refuse: `${dest} is a directory: give dest a file name` };
  const data = { dest, src: source.label, checksum: source.checksum, size: source.size };
  if (source.pending) return { ...pendingCopy(dest, source, args), data };
  const plan = planWrite({ path: dest, file, after: source, beforeText: state.beforeText, args, check: state.check });
  if (plan.refuse) return { ...plan, data };
  if (plan.changes.length) return { ...plan, data };
  const forced = file.exists && file.type === 'file' && file.checksum !== source.checksum && !args.force;
  return {
    changes: [],
    noop: forced ? `${dest} exists and force is false: left as it is` : `${dest} is up to date`,
    data,
  };
}

export async function applyCopy(ctx: ModuleContext, args: CopyArgs, plan: Plan<WriteChange>, state: CopyState) {
  if (!state.source.data) throw new ModuleError('internal: the content to write was not kept from inspect');
  const done = await applyWrite(ctx, plan.changes, state.source.data, args.validate);
  return { data: { ...done } };
}

/** Check mode, a source an earlier task would make: the write to dest, with what it waits for. */
function pendingCopy(dest: string, source: Source, args: CopyArgs): Plan<WriteChange> {
  const mode = wantedMode(args, undefined, false);
  const [owner, group] = [idArg(args.owner), idArg(args.group)];
  const extra = [mode && `mode ${mode}`, owner && `owner ${owner}`, group && `group ${group}`].filter(Boolean);
  const summary = `copy ${source.label} to ${dest}${extra.length ? ` (${extra.join(', ')})` : ''}${pendingNote(source.pending!)}`;
  return { changes: [{ kind: 'write', summary, path: dest, mode, owner, group }] };
}
