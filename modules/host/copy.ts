// copy: put a controller file (`src`), a file already on the host (`src` with remote_src: true)
// or literal `content` on the host at `dest`, atomically,
// with mode/owner/group, an optional backup and validate; text changes come with a diff,
// binary files are compared by sha256.
import path from 'node:path';
import { predictChanges } from './predictions.js';
import { decryptControllerData } from '../../engine/load/vaulted.js';
import { defineModule, ModuleError } from '../../engine/index-module.js';
import {
  applyCopy,
  inspectCopy,
  planCopy,
  readControllerFile,
  sourceOf,
  type CopyArgs,
  type CopyState,
} from './copy-common.js';
import type { WriteChange } from './file-write.js';
import { applyRemoteCopy, inspectRemoteCopy } from './copy-remote.js';
import { checkMode } from './mode.js';

type Args = CopyArgs & { remote_src: boolean };

export const copy = defineModule<Args, CopyState, WriteChange>({
  name: 'copy',
  schema: 'copy',
  runsOn: 'host',
  predictable: true,
  async inspect(ctx, args) {
    if (args.mode !== undefined) checkMode(args.mode);
    if ((args.src === undefined) === (args.content === undefined))
      throw new ModuleError('copy needs exactly one of src (a controller file) or content');
    if (args.content !== undefined)
      return inspectCopy(ctx, args, sourceOf('content', Buffer.from(args.content, 'utf8')));
    if (args.remote_src) return inspectRemoteCopy(ctx, { ...args, src: args.src! });
    const { file, data } = await readControllerFile(ctx, 'files', args.src!);
    if (!args.decrypt) return inspectCopy(ctx, args, sourceOf(file, data), path.basename(file));
    // An Ansible Vault file is copied decrypted, as Ansible does; its content is a secret, so
    // it is masked everywhere and no diff of it is shown.
    const opened = decryptControllerData(file, data);
    if ('error' in opened) throw new ModuleError(opened.error);
    if (!opened.decrypted) return inspectCopy(ctx, args, sourceOf(file, data), path.basename(file));
    ctx.secret(opened.data.toString('utf8'));
    ctx.secret(opened.data.toString('utf8').trim());
    const source = { ...sourceOf(file, opened.data), text: undefined };
    return inspectCopy(ctx, args, source, path.basename(file));
  },
  plan: planCopy,
  predict: (_state, _args, plan, ctx) => predictChanges(plan.changes, ctx),
  apply: (ctx, args, plan, state) =>
    args.remote_src ? applyRemoteCopy(ctx, { ...args, src: args.src! }, plan) : applyCopy(ctx, args, plan, state),
});
