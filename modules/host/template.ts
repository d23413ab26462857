// template: render a Handlebars file from the controller with the host's variables, then
// write it like copy (same diff, backup, validate, mode and owner handling).
import path from 'node:path';
import { predictChanges } from './predictions.js';
import { defineModule, ModuleError } from '../../engine/index-module.js';
import { decryptControllerData } from '../../engine/load/vaulted.js';
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
import { checkMode } from './mode.js';

export type TemplateArgs = Omit<CopyArgs, 'content'> & { src: string };

export const template = defineModule<TemplateArgs, CopyState, WriteChange>({
  name: 'template',
  schema: 'template',
  runsOn: 'host',
  predictable: true,
  async inspect(ctx, args) {
    if (args.mode !== undefined) checkMode(args.mode);
    const read = await readControllerFile(ctx, 'templates', args.src);
    // A vault-encrypted template is rendered decrypted, as Ansible's loader does; what it
    // renders to is a secret (masked, and shown without a diff).
    const opened = decryptControllerData(read.file, read.data);
    if ('error' in opened) throw new ModuleError(opened.error);
    const text = ctx.render(opened.data.toString('utf8'), read.file);
    if (opened.decrypted) for (const v of [text, text.trim()]) ctx.secret(v);
    // Ansible's file name rule: foo.conf.j2 lands as foo.conf when dest is a directory.
    const name = path.basename(read.file).replace(/\.(j2|hbs|tmpl)$/, '');
    const source = sourceOf(read.file, Buffer.from(text, 'utf8'));
    return inspectCopy(ctx, args, opened.decrypted ? { ...source, text: undefined } : source, name);
  },
  plan: planCopy,
  predict: (_state, _args, plan, ctx) => predictChanges(plan.changes, ctx),
  apply: applyCopy,
});
