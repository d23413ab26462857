// Recognise Jinja in the text of one herdbook expression (the inside of {{ }}, or a bare
// condition) so validate and the evaluator can refuse it with the Handlebars spelling, which
// the translator computes.
import { jinjaSign } from './signs.js';
import { translateExpression } from './translate.js';

export type JinjaFinding = { what: string; suggestion?: string };

export function detectJinja(expr: string): JinjaFinding | undefined {
  const text = expr.trim();
  // Not `if`: (if c a b) is herdbook's own conditional expression.
  if (/^\s*(for|set|endif|endfor)\b/.test(text)) return { what: 'a Jinja statement' };
  const what = jinjaSign(text);
  if (!what) return undefined;
  const t = translateExpression(text, true);
  return { what, suggestion: 'text' in t ? t.text : undefined };
}
