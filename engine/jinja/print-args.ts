// What the filter, test and call printers share: their arguments, and Python's regular
// expressions in JavaScript's spelling.
import { leave } from './left.js';
import type { Expr, Kwarg } from './nodes.js';
import { str, type Print, type PrintEnv } from './print-base.js';

export type Args = {
  subject: string;
  args: Expr[];
  kwargs: Kwarg[];
  env: PrintEnv;
  node: Expr;
  name: string;
  print: Print;
};

/** Positional or keyword argument `i` / `name`, printed; undefined when absent. */
export function arg(a: Args, i: number, name?: string): string | undefined {
  const kw = name ? a.kwargs.find((k) => k.name === name) : undefined;
  const e = kw?.value ?? a.args[i];
  return e ? a.print(e, a.env) : undefined;
}

export function argNode(a: Args, i: number, name?: string): Expr | undefined {
  return (name ? a.kwargs.find((k) => k.name === name)?.value : undefined) ?? a.args[i];
}

/** Only the listed keyword arguments and at most `max` positional ones; anything else is left. */
export function only(a: Args, max: number, kwargs: string[] = []): void {
  const extra = a.kwargs.find((k) => !kwargs.includes(k.name));
  if (a.args.length > max || extra)
    leave(
      a.node,
      `${a.name} with ${extra ? `the argument ${extra.name}=` : `${a.args.length} arguments`} has no herdbook helper of the same meaning`,
    );
}

export function literalString(e: Expr | undefined): string | undefined {
  return e && e.type === 'Const' && typeof e.value === 'string' ? e.value : undefined;
}

export function isFalse(e: Expr | undefined): boolean {
  return !e || (e.type === 'Const' && (e.value === false || e.value === 0));
}

/** A Python regular expression as a JavaScript one, when it means the same there. */
export function jsRegex(e: Expr | undefined, a: Args): string {
  const re = literalString(e);
  if (re === undefined)
    return leave(e ?? a.node, 'a regular expression computed at run time cannot be checked for JavaScript');
  if (/\(\?[aiLmsux]+\)|\\[AZ]|\(\?P=|\(\?#/.test(re))
    return leave(
      e!,
      'this Python regular expression syntax has no JavaScript equivalent',
      'rewrite it without inline flags, \\A, \\Z',
    );
  return re.replace(/\(\?P</g, '(?<');
}

/** A Python re.sub replacement (\1, \g<name>) in JavaScript's spelling ($1, $<name>). */
export function jsReplacement(e: Expr | undefined): string {
  if (!e) return "''";
  const rep = literalString(e);
  if (rep === undefined) return leave(e, 'a replacement computed at run time cannot be checked for JavaScript');
  const js = rep
    .replace(/\$/g, '$$$$')
    .replace(/\\g<(\w+)>/g, (_m, g: string) => (/^\d+$/.test(g) ? `$${g}` : `$<${g}>`))
    .replace(/\\(\d+)/g, '$$$1');
  if (/\\/.test(js)) return leave(e, 'this replacement uses a Python escape with no JavaScript spelling');
  return str(js, e);
}

export function groups(re: string): boolean {
  return /\((?!\?)|\(\?P?</.test(re.replace(/\\./g, ''));
}

export const fqcn = (name: string) =>
  name.replace(/^ansible\.(builtin|netcommon|utils)\./, '').replace(/^community\.general\.(?=json_query$)/, '');
