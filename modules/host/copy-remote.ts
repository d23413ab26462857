// copy with remote_src: true: src is a file on the host itself (a download, an extracted
// binary). Compared by sha256 like a controller source; written by a host-side copy beside dest
// and a rename, so the bytes never travel through the controller.
import path from 'node:path';
import { ModuleError, type ModuleContext, type Plan } from '../../engine/index-module.js';
import { applyAttrs, setAttrs } from './attrs.js';
import { inspectCopy, type CopyArgs, type CopyState } from './copy-common.js';
import { makeBackup, type WriteChange } from './file-write.js';
import { installHostFile } from './host-install.js';
import { probeFile } from './remote-file.js';
import { asText, DIFF_MAX_BYTES } from './text.js';

export async function inspectRemoteCopy(ctx: ModuleContext, args: CopyArgs & { src: string }): Promise<CopyState> {
  if (args.validate !== undefined) throw new ModuleError('validate with remote_src: true is not supported yet');
  const src = await probeFile(ctx, args.src, {
    follow: true,
    checksum: true,
    readMax: ctx.diff ? DIFF_MAX_BYTES : -1,
  });
  // A rehearsal runs no task: a file an earlier task makes (a k3s.yaml its install writes) is
  // not there yet. The write is predicted, and what it depends on said (check-note.ts).
  if (!src.exists && ctx.check) {
    const pending = { label: args.src, checksum: '', size: 0, pending: `${args.src} does not exist` };
    return inspectCopy(ctx, args, pending, path.posix.basename(args.src));
  }
  if (!src.exists) throw new ModuleError(`Source ${args.src} not found`);
  if (src.type === 'directory')
    throw new ModuleError(`src ${args.src} is a directory: copying directories with remote_src is not supported yet`);
  if (src.type !== 'file' || !src.checksum)
    throw new ModuleError(`Cannot copy invalid source '${args.src}': not a file`);
  const source = { label: args.src, checksum: src.checksum, size: src.size, text: asText(src.content, DIFF_MAX_BYTES) };
  return inspectCopy(ctx, args, source, path.posix.basename(args.src));
}

export async function applyRemoteCopy(
  ctx: ModuleContext,
  args: CopyArgs & { src: string },
  plan: Plan<WriteChange>,
): Promise<{ data: Record<string, unknown> }> {
  const out: Record<string, unknown> = {};
  const wrote = plan.changes.some((c) => c.kind === 'write');
  for (const c of plan.changes) {
    if (c.kind === 'backup') {
      out.backup_file = await makeBackup(ctx, c.path);
    } else if (c.kind === 'write') {
      await installHostFile(ctx, args.src, c.path);
      await setAttrs(ctx, [c.path], { mode: c.mode, owner: c.owner, group: c.group });
    } else if (c.kind === 'mkdir') {
      const r = await ctx.exec(['mkdir', '-p', '--', ...c.paths]);
      if (r.rc !== 0) throw new ModuleError(`creating ${c.paths.join(', ')}: ${r.stderr.trim()}`);
    } else if (!wrote) {
      await applyAttrs(ctx, c);
    }
  }
  return { data: out };
}
