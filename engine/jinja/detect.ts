// Recognise Jinja in the text of one herdbook expression (the inside of {{ }}, or a bare
// condition) so validate and the evaluator can refuse it with the Handlebars spelling, which
// the translator computes.
import { translateExpression } from './translate.js';

const JINJA_SIGNS: [RegExp, string][] = [
  [/\|\s*[A-Za-z_]/, 'a Jinja filter (`x | f`)'],
  [
    /\bis\s+(not\s+)?(defined|undefined|none|version|match|search|string|number|mapping|iterable|sameas|in|truthy|falsy)\b/,
    'a Jinja test (`x is defined`)',
  ],
  [/(==|!=|>=|<=)/, 'a Jinja comparison (`a == b`)'],
  [/\S\s+(and|or)\s+\S/, 'Jinja `and`/`or` between values'],
  [/\S\s+(not\s+)?in\s+\S/, 'Jinja `in`'],
  [/[\w\]]\[\s*['"\d]/, "Jinja subscripts (`x['key']`)"],
  [
    /[A-Za-z_]\w*\.(split|strip|lower|upper|startswith|endswith|replace|get|keys|values|items)\(/,
    'a Python method call',
  ],
];

export type JinjaFinding = { what: string; suggestion?: string };

export function detectJinja(expr: string): JinjaFinding | undefined {
  const text = expr.trim();
  // Not `if`: (if c a b) is herdbook's own conditional expression.
  if (/^\s*(for|set|endif|endfor)\b/.test(text)) return { what: 'a Jinja statement' };
  // Outside string literals only: a '|' or '==' inside quotes is data.
  const bare = text.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""');
  for (const [re, what] of JINJA_SIGNS) {
    if (!re.test(bare)) continue;
    const t = translateExpression(text, true);
    return { what, suggestion: 'text' in t ? t.text : undefined };
  }
  return undefined;
}
