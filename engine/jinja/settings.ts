// Ansible's template settings: a `#jinja2:` first line (`#jinja2: trim_blocks: False,
// lstrip_blocks: True`) overrides the environment for that template and is not rendered; the
// template module's own trim_blocks/lstrip_blocks arguments do the same for one task.
import { JinjaSyntaxError, type TemplateOptions } from './lexer.js';

export const HEADER = '#jinja2:';

/** What the template module reads a .j2 file with by default: as variables, but strings keep their escapes. */
export const TEMPLATE_MODULE_OPTIONS: TemplateOptions = {
  trimBlocks: true,
  lstripBlocks: false,
  escapeBackslashes: false,
  file: true,
};

/** The options one `template:` task renders with: its trim_blocks and lstrip_blocks arguments. */
export function templateModuleOptions(args: { trim_blocks?: unknown; lstrip_blocks?: unknown }): TemplateOptions {
  const flag = (v: unknown, dflt: boolean) => (typeof v === 'boolean' ? v : dflt);
  return {
    ...TEMPLATE_MODULE_OPTIONS,
    trimBlocks: flag(args.trim_blocks, true),
    lstripBlocks: flag(args.lstrip_blocks, false),
  };
}

const KEYS: Record<string, keyof TemplateOptions> = {
  trim_blocks: 'trimBlocks',
  lstrip_blocks: 'lstripBlocks',
  keep_trailing_newline: 'keepTrailingNewline',
};

/** A `#jinja2:` header applied: the options it sets and the template after its line. */
export function readHeader(text: string, opts: TemplateOptions): { text: string; opts: TemplateOptions } {
  if (!text.startsWith(HEADER)) return { text, opts };
  const eol = text.indexOf('\n');
  // Python's data.find('\n') is -1 without a newline: the line then loses its last character.
  const line = text.slice(HEADER.length, eol < 0 ? text.length - 1 : eol);
  const out: TemplateOptions = { ...opts };
  let at = HEADER.length;
  for (const pair of line.split(',')) {
    const colon = pair.indexOf(':');
    if (colon < 0) throw new JinjaSyntaxError(`the #jinja2: setting '${pair.trim()}' has no ':'`, at);
    const key = pair.slice(0, colon).trim();
    const value = pair.slice(colon + 1).trim();
    const field = KEYS[key];
    if (!field)
      throw new JinjaSyntaxError(
        `the #jinja2: setting '${key}' has no herdbook equivalent`,
        at,
        'trim_blocks, lstrip_blocks and keep_trailing_newline are translated',
      );
    if (value !== 'True' && value !== 'False')
      throw new JinjaSyntaxError(`#jinja2: ${key} takes True or False, got ${value}`, at);
    (out as Record<string, unknown>)[field] = value === 'True';
    at += pair.length + 1;
  }
  return { text: eol < 0 ? '' : text.slice(eol + 1), opts: out };
}
