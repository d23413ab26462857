// What gives Jinja away in the text of one expression: herdbook's Handlebars has no `|`
// filters, `is` tests, infix comparisons or subscripts, so any of them means Jinja.

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

/** What in one expression's text is Jinja, in words, or undefined when nothing is. */
export function jinjaSign(expr: string): string | undefined {
  // Outside string literals only: a '|' or '==' inside quotes is data.
  const bare = expr.trim().replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""');
  return JINJA_SIGNS.find(([re]) => re.test(bare))?.[1];
}

/** Whether a template's text is Jinja even though it does not parse: a statement, or a sign in a {{ }}. */
export function looksLikeJinja(text: string): boolean {
  if (/\{%/.test(text)) return true;
  for (const m of text.matchAll(/\{\{(?![{#/^!>])([\s\S]*?)\}\}/g)) if (jinjaSign(m[1])) return true;
  return false;
}
