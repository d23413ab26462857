// The templating facade the rest of the engine uses: strings, deep values and conditions.
import { TemplateError, type SourcePos } from '../errors.js';
import { compileCondition, compileTemplate, isTemplate } from './compile.js';
import { evaluate, renderDeep, scopeValue, type Helpers } from './evaluate.js';
import { createHelpers, type HelperDeps } from './helpers/index.js';
import type { Scope } from './scope.js';
import { conditionValue } from './truthy.js';
import { asText } from '../text.js';

export { isTemplate } from './compile.js';
export { LazyVars, MISSING, Scope, type Layer } from './scope.js';
export { requiredVariables } from './references.js';

export type Templater = {
  helpers: Helpers;
  /** A string template; exactly one {{expression}} yields the typed value. */
  render(text: string, scope: Scope, pos?: SourcePos): unknown;
  /** Every template string inside a value (task arguments, vars). */
  renderDeep(value: unknown, scope: Scope, pos?: SourcePos): unknown;
  /** `when`-style conditions with or without braces; a list is an AND of its items. */
  condition(expr: unknown, scope: Scope, pos?: SourcePos): boolean;
  /** A variable's value, rendered if it is itself a template. */
  variable(name: string, scope: Scope): unknown;
};

export function createTemplater(deps: HelperDeps = {}): Templater {
  const helpers = createHelpers(deps);
  const located = <T>(pos: SourcePos | undefined, fn: () => T): T => {
    try {
      return fn();
    } catch (e) {
      if (e instanceof TemplateError) throw e.withPos(pos);
      throw e;
    }
  };
  const one = (expr: unknown, scope: Scope): boolean => {
    if (typeof expr === 'boolean') return expr;
    if (expr === null || expr === undefined) return true;
    if (typeof expr === 'number') return expr !== 0;
    const text = asText(expr);
    return conditionValue(evaluate(compileCondition(text), scope, helpers), text);
  };
  return {
    helpers,
    render: (text, scope, pos) =>
      isTemplate(text) ? located(pos, () => evaluate(compileTemplate(text), scope, helpers)) : text,
    renderDeep: (value, scope, pos) => located(pos, () => renderDeep(value, scope, helpers)),
    condition: (expr, scope, pos) =>
      located(pos, () => (Array.isArray(expr) ? expr.every((e) => one(e, scope)) : one(expr, scope))),
    variable: (name, scope) => scopeValue(name, scope, helpers),
  };
}
