// What lineinfile and blockinfile share: read the whole text file (through symlinks, as Ansible
// edits the real file), apply a pure edit, and plan the write with backup, parents and attributes.
import { ModuleError, type ModuleContext, type Plan } from '../../engine/index-module.js';
import { pendingNote } from './check-note.js';
import { planWrite, type WriteArgs, type WriteChange } from './file-write.js';
import { probeFile, type RemoteFile } from './remote-file.js';
import { asText, sha256 } from './text.js';

/** Files larger than this are not edited line by line (they are not configuration). */
const MAX_TEXT_BYTES = 64 * 1024 * 1024;

export type TextFileArgs = WriteArgs & {
  path?: string;
  dest?: string;
  name?: string;
  create: boolean;
  backup: boolean;
};

export type TextFileState = { file: RemoteFile; text?: string; check?: boolean };

export type Edit = { text: string; msg: string; found?: number };

export function pathOf(args: { path?: string; dest?: string; name?: string }): string {
  return (args.path ?? args.dest ?? args.name)!;
}

export async function inspectTextFile(ctx: ModuleContext, p: string): Promise<TextFileState> {
  if (!p) throw new ModuleError('path is required');
  const file = await probeFile(ctx, p, { follow: true, checksum: true, readMax: MAX_TEXT_BYTES });
  if (!file.exists || file.type !== 'file') return { file, check: ctx.check };
  if (!file.content) throw new ModuleError(`${p} is larger than ${MAX_TEXT_BYTES} bytes or unreadable`);
  const text = asText(file.content);
  if (text === undefined) throw new ModuleError(`${p} is not UTF-8 text`);
  const { content: _c, ...rest } = file;
  return { file: rest, text, check: ctx.check };
}

export type TextPlanOptions = {
  /** Removing (state: absent): a missing file is already fine. */
  removing: boolean;
  /** The refusal for a missing file without create (Ansible's wording differs per module). */
  missing: string;
  noop: string;
};

export function planTextEdit(
  state: TextFileState,
  args: TextFileArgs,
  edit: (text: string) => Edit,
  o: TextPlanOptions,
): Plan<WriteChange> {
  const { file } = state;
  const p = file.path;
  if (file.exists && file.type === 'directory') return { changes: [], refuse: `Path ${p} is a directory !` };
  if (!file.exists && o.removing)
    return { changes: [], noop: `${p} is not present`, data: { path: p, msg: 'file not present', found: 0 } };
  if (!file.exists && !args.create) {
    if (!state.check) return { changes: [], refuse: o.missing };
    return {
      changes: [{ kind: 'write', summary: `edit ${p}${pendingNote(`${p} does not exist`)}`, path: p }],
      data: { path: p },
    };
  }
  const before = state.text ?? '';
  const result = edit(before);
  // Edit the real file behind a symlink, never replace the link.
  const target = file.exists && file.realPath ? file.realPath : p;
  const current: RemoteFile = file.exists ? { ...file, path: target } : file;
  const what = result.msg ? result.msg[0].toLowerCase() + result.msg.slice(1) : 'file created';
  const plan = planWrite({
    path: target,
    file: current,
    after: { checksum: sha256(result.text), size: Buffer.byteLength(result.text), text: result.text },
    beforeText: file.exists ? before : '',
    args,
    createParents: true,
    keepText: true,
    summary: file.exists ? `${what} in ${target}` : `create ${target} (${what})`,
    check: state.check,
  });
  const data = { path: p, msg: result.msg, ...(result.found !== undefined ? { found: result.found } : {}) };
  return { ...plan, data, noop: plan.changes.length || plan.refuse ? undefined : o.noop };
}
