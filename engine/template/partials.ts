// Inline partials, herdbook's spelling of a Jinja macro (engine/jinja/print-macro.ts), open to
// hand-written templates too: `{{#*inline "flag" value='on'}}--{{name}}={{value}}{{/inline}}`
// defines `flag` for the program it sits in (hoisted, as Handlebars registers them before the
// body runs) and the blocks inside it; `{{> flag name='a'}}` renders it. What is herdbook's own
// (evaluate.ts): a partial sees its hash arguments and the root variables, not the caller's
// block parameters, @index or `this` (a macro sees its arguments and the globals); a hash on the
// definition gives defaults, evaluated in order when the call leaves the name out. Called as a
// block, `{{#> name}}block{{/name}}`, the partial renders the block where it says
// `{{> @partial-block}}`, with the caller's frames (Jinja's {% call %} and caller()).
import { TemplateError } from '../errors.js';
import { didYouMean } from '../suggest.js';
import type * as AST from './ast.js';

export type Partials = ReadonlyMap<string, AST.DecoratorBlock>;

/** A partial calling partials deeper than this is refused: a recursion that never ends. */
export const MAX_PARTIAL_DEPTH = 64;

const defined = new WeakMap<AST.Program, AST.DecoratorBlock[]>();

function partialName(d: AST.DecoratorBlock): string {
  const [first] = d.params;
  if (d.path.original !== 'inline')
    throw new TemplateError(`the decorator *${d.path.original} is not supported`, {
      hint: 'herdbook has {{#*inline "name"}}...{{/inline}}',
      code: 'E_HELPER',
    });
  if (d.params.length !== 1 || first.type !== 'StringLiteral')
    throw new TemplateError('{{#*inline}} takes the partial\'s name as one string: {{#*inline "name"}}', {
      code: 'E_HELPER',
    });
  return String(first.value);
}

/** The partials visible inside `p`: its own over the enclosing ones (the same map when it has none). */
export function partialsIn(p: AST.Program, outer: Partials | undefined): Partials | undefined {
  let own = defined.get(p);
  if (!own) {
    own = p.body.filter((s): s is AST.DecoratorBlock => s.type === 'DecoratorBlock');
    own.forEach(partialName);
    defined.set(p, own);
  }
  if (!own.length) return outer;
  const all = new Map(outer);
  for (const d of own) all.set(partialName(d), d);
  return all;
}

/** The definition `{{> name}}` calls, or an error that names the partials there are. */
export function findPartial(
  call: Pick<AST.PartialStatement, 'name' | 'params'>,
  partials: Partials | undefined,
): { name: string; block: AST.DecoratorBlock } {
  if (call.name.type !== 'PathExpression')
    throw new TemplateError('a partial is named as written, {{> name}}, not computed', { code: 'E_HELPER' });
  if (call.params.length)
    throw new TemplateError(`{{> ${call.name.original}}} takes key=value arguments only`, { code: 'E_HELPER' });
  const name = call.name.original;
  const block = partials?.get(name);
  if (block) return { name, block };
  throw new TemplateError(`unknown partial '${name}'`, {
    hint: didYouMean(name, [...(partials?.keys() ?? [])]) ?? 'define it first: {{#*inline "name"}}...{{/inline}}',
    code: 'E_HELPER',
  });
}

/** Handlebars' indent of a standalone partial: each line of its output but an empty last one starts with it. */
export function indentLines(out: string, indent: string): string {
  if (!indent) return out;
  const lines = out.split('\n');
  return lines.map((l, i) => (!l && i === lines.length - 1 ? l : indent + l)).join('\n');
}
