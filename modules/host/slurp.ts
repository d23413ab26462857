// slurp: a file's content from the host, base64-encoded (binary-safe), as `content`.
// A read: it runs the same in check mode and never changes anything.
import { defineModule, ModuleError, type Change } from '../../engine/index-module.js';

export type SlurpArgs = { src?: string; path?: string };

export type SlurpState = { source: string; content: string };

export const slurp = defineModule<SlurpArgs, SlurpState, Change>({
  name: 'slurp',
  schema: 'slurp',
  runsOn: 'host',
  predictable: true,
  async inspect(ctx, args) {
    const source = (args.src ?? args.path)!;
    try {
      return { source, content: (await ctx.get(source)).toString('base64') };
    } catch (e) {
      if (e instanceof ModuleError) throw e;
      throw new ModuleError(`could not read ${source}: ${(e as Error).message}`, undefined, { cause: e });
    }
  },
  plan({ source, content }) {
    const bytes = Math.floor((content.length * 3) / 4) - (content.endsWith('==') ? 2 : content.endsWith('=') ? 1 : 0);
    return { changes: [], noop: `read ${source} (${bytes} bytes)`, data: { content, encoding: 'base64', source } };
  },
  async apply() {
    return {};
  },
});
