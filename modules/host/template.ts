// template: render a Handlebars file from the controller with the host's variables, then
// write it like copy (same diff, backup, validate, mode and owner handling).
import path from 'node:path';
import { predictChanges } from './predictions.js';
import { defineModule } from '../../engine/index-module.js';
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
    const { file, data } = await readControllerFile(ctx, 'templates', args.src);
    const text = ctx.render(data.toString('utf8'), file);
    // Ansible's file name rule: foo.conf.j2 lands as foo.conf when dest is a directory.
    const name = path.basename(file).replace(/\.(j2|hbs|tmpl)$/, '');
    return inspectCopy(ctx, args, sourceOf(file, Buffer.from(text, 'utf8')), name);
  },
  plan: planCopy,
  predict: (_state, _args, plan, ctx) => predictChanges(plan.changes, ctx),
  apply: applyCopy,
});
