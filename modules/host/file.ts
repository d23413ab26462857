// file: make a path a file (attributes only), a directory (mkdir -p, recurse), a symlink, a
// hard link, absent, or touched (created when missing; existing files keep their times).
import { predictChanges } from './predictions.js';
import { defineModule, ModuleError, type ModuleContext } from '../../engine/index-module.js';
import { applyAttrs, setAttrs, setAttrsMany } from './attrs.js';
import {
  linkSource,
  planFile,
  targetPath,
  type FileArgs,
  type FileChange,
  type FileState,
  type TreeEntry,
} from './file-plan.js';
import { checkMode, formatMode } from './mode.js';
import { probeFiles } from './remote-file.js';

const TREE_FORMAT = '%f %u %g %U %G %n\\0';
const KIND: Record<number, string> = { 0o100000: 'file', 0o040000: 'directory' };

/** Every entry below `root` except symlinks, NUL-separated so any file name survives (GNU stat). */
export function parseTree(stdout: string): TreeEntry[] {
  return stdout
    .split('\0')
    .filter((r) => r !== '')
    .map((r) => {
      const [hex, uid, gid, owner, group] = r.split(' ', 5);
      const name = r.split(' ').slice(5).join(' ');
      const raw = parseInt(hex, 16);
      return {
        path: name,
        type: KIND[raw & 0o170000] ?? 'other',
        mode: formatMode(raw),
        uid: Number(uid),
        gid: Number(gid),
        owner,
        group,
      };
    });
}

async function probeTree(ctx: ModuleContext, root: string): Promise<TreeEntry[]> {
  const r = await ctx.exec(
    ['find', root, '-mindepth', '1', '!', '-type', 'l', '-exec', 'stat', '--printf', TREE_FORMAT, '--', '{}', '+'],
    { idempotent: true, maxBuffer: 256 * 1024 * 1024 },
  );
  if (r.rc !== 0) throw new ModuleError(`could not list ${root}: ${r.stderr.trim() || `exit ${r.rc}`}`, { rc: r.rc });
  return parseTree(r.stdout);
}

async function must(ctx: ModuleContext, argv: string[]): Promise<void> {
  const r = await ctx.exec(argv);
  if (r.rc !== 0)
    throw new ModuleError(`${argv.join(' ')}: ${r.stderr.trim() || `exit ${r.rc}`}`, { rc: r.rc, stderr: r.stderr });
}

async function applyChange(ctx: ModuleContext, c: FileChange): Promise<void> {
  switch (c.kind) {
    case 'remove':
      return must(ctx, ['rm', '-rf', '--', c.path]);
    case 'mkdir':
      await must(ctx, ['mkdir', '--', ...c.paths]);
      return setAttrs(ctx, c.paths, c);
    case 'touch':
      await must(ctx, ['touch', '--', c.path]);
      return setAttrs(ctx, [c.path], c);
    case 'symlink':
      // -n: replace a symlink to a directory instead of creating the link inside it.
      await must(ctx, ['ln', '-sfn', '--', c.src, c.path]);
      return setAttrs(ctx, [c.path], { owner: c.owner, group: c.group, noFollow: true });
    case 'hardlink':
      return must(ctx, ['ln', '-f', '--', c.src, c.path]);
    case 'tree':
      for (const g of c.groups) await setAttrsMany(ctx, g.paths, g);
      return;
    case 'attrs':
      return applyAttrs(ctx, c);
  }
}

export const file = defineModule<FileArgs, FileState, FileChange>({
  name: 'file',
  schema: 'file',
  runsOn: 'host',
  predictable: true,
  async inspect(ctx, args) {
    if (args.mode !== undefined) checkMode(args.mode);
    const p = targetPath(args);
    if (!p) throw new ModuleError('file needs path');
    const linkish = args.state === 'link' || args.state === 'hard' || args.state === 'absent';
    const src = linkish && args.state !== 'absent' ? linkSource(args) : undefined;
    const [f, s] = await probeFiles(ctx, src ? [p, src] : [p], { follow: !linkish && args.follow });
    const state: FileState = { file: f, ...(s ? { src: s } : {}), check: ctx.check };
    if (
      args.recurse &&
      f.exists &&
      f.type === 'directory' &&
      (args.mode !== undefined || args.owner !== undefined || args.group !== undefined)
    ) {
      state.tree = await probeTree(ctx, f.realPath ?? p);
    }
    return state;
  },
  plan: planFile,
  predict: (_state, _args, plan, ctx) => predictChanges(plan.changes, ctx),
  async apply(ctx, _args, plan) {
    for (const c of plan.changes) await applyChange(ctx, c);
    return {};
  },
});
