// mode / owner / group: compare what the host has with what was asked, and set only what differs.
import { ModuleError, type ModuleContext } from '../../engine/index-module.js';
import { formatMode, modeBits, NEW_DIR_MODE, NEW_FILE_MODE, type ModeSpec } from './mode.js';

/** owner/group may be names or numeric ids (YAML gives `owner: 1000` as a number). */
export type AttrArgs = { mode?: ModeSpec; owner?: string | number; group?: string | number };

export const idArg = (v: string | number | undefined): string | undefined => (v === undefined ? undefined : String(v));

/** Only the fields attributes are compared on (a PresentFile or a tree entry). */
export type AttrState = {
  path: string;
  type: string;
  mode: string;
  uid: number;
  gid: number;
  owner: string;
  group: string;
};

export type AttrChange = {
  kind: 'attrs';
  summary: string;
  path: string;
  /** Octal, resolved (symbolic modes were applied to the current bits). */
  mode?: string;
  owner?: string;
  group?: string;
  /** chown the symlink itself, not its target. */
  noFollow?: boolean;
};

/** A wanted owner or group given as a name or a numeric id. */
export function sameId(want: string, name: string, id: number): boolean {
  return /^\d+$/.test(want) ? Number(want) === id : want === name;
}

/** The octal mode `args.mode` means for this file, or undefined when no mode was asked. */
export function wantedMode(args: AttrArgs, current: string | undefined, isDir: boolean): string | undefined {
  if (args.mode === undefined) return undefined;
  const base = current !== undefined ? parseInt(current, 8) : isDir ? NEW_DIR_MODE : NEW_FILE_MODE;
  return formatMode(modeBits(args.mode, base, isDir));
}

/** The attribute change a present file needs, or undefined. */
export function planAttrs(file: AttrState, args: AttrArgs, opts: { noFollow?: boolean } = {}): AttrChange | undefined {
  const parts: string[] = [];
  const change: AttrChange = {
    kind: 'attrs',
    summary: '',
    path: file.path,
    ...(opts.noFollow ? { noFollow: true } : {}),
  };
  // A symlink's own mode means nothing on Linux.
  const mode = opts.noFollow ? undefined : wantedMode(args, file.mode, file.type === 'directory');
  if (mode !== undefined && mode !== file.mode) {
    change.mode = mode;
    parts.push(`mode ${file.mode} → ${mode}`);
  }
  const owner = idArg(args.owner);
  const group = idArg(args.group);
  if (owner !== undefined && !sameId(owner, file.owner, file.uid)) {
    change.owner = owner;
    parts.push(`owner ${file.owner} → ${owner}`);
  }
  if (group !== undefined && !sameId(group, file.group, file.gid)) {
    change.group = group;
    parts.push(`group ${file.group} → ${group}`);
  }
  if (!parts.length) return undefined;
  change.summary = `set ${parts.join(', ')} on ${file.path}`;
  return change;
}

/** chown's owner[:group] word, or undefined when neither is set. */
export function ownerSpec(owner?: string | number, group?: string | number): string | undefined {
  const [o, g] = [idArg(owner), idArg(group)];
  if (o && g) return `${o}:${g}`;
  if (o) return o;
  if (g) return `:${g}`;
  return undefined;
}

async function run(ctx: ModuleContext, argv: string[], stdin?: string): Promise<void> {
  const r = await ctx.exec(argv, stdin === undefined ? undefined : { stdin });
  if (r.rc !== 0)
    throw new ModuleError(`${argv.join(' ')}: ${r.stderr.trim() || `exit ${r.rc}`}`, { rc: r.rc, stderr: r.stderr });
}

/** Set mode and ownership on paths: chown first, since chown clears setuid/setgid bits. */
export async function setAttrs(
  ctx: ModuleContext,
  paths: string[],
  attrs: { mode?: string; owner?: string; group?: string; noFollow?: boolean },
): Promise<void> {
  const spec = ownerSpec(attrs.owner, attrs.group);
  if (spec) await run(ctx, ['chown', ...(attrs.noFollow ? ['-h'] : []), spec, '--', ...paths]);
  // Five digits: GNU chmod keeps a directory's setgid bit for a 4-digit mode that omits it.
  if (attrs.mode !== undefined) await run(ctx, ['chmod', `0${attrs.mode}`, '--', ...paths]);
}

export function applyAttrs(ctx: ModuleContext, change: AttrChange): Promise<void> {
  return setAttrs(ctx, [change.path], change);
}

/** The same attributes on many paths: the list goes over stdin (NUL-separated) to xargs, never into a command line. */
export async function setAttrsMany(
  ctx: ModuleContext,
  paths: string[],
  attrs: { mode?: string; owner?: string; group?: string },
): Promise<void> {
  const list = paths.join('\0');
  const spec = ownerSpec(attrs.owner, attrs.group);
  if (spec) await run(ctx, ['xargs', '-0', '-r', 'chown', spec, '--'], list);
  if (attrs.mode !== undefined) await run(ctx, ['xargs', '-0', '-r', 'chmod', `0${attrs.mode}`, '--'], list);
}
