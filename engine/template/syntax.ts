// Why a template does not parse, in words: Handlebars' own parser only lists the grammar
// tokens it expected ('OPEN_INVERSE_CHAIN', 'CLOSE_SEXPR', ...). We check the usual slips
// first (unclosed {{, quotes, parentheses, blocks) and translate the rest.

const BLOCK_HINT = 'blocks are written {{#if cond}}...{{else}}...{{/if}} and {{#each list}}{{this}}{{/each}}';

function snippet(s: string): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > 40 ? one.slice(0, 40) + '…' : one;
}

/** The first slip found in a template's text, or undefined when none of the usual ones is there. */
export function templateSlip(text: string): { message: string; hint?: string } | undefined {
  const blocks: string[] = [];
  let i = 0;
  for (;;) {
    const open = text.indexOf('{{', i);
    if (open < 0) break;
    const close = text.indexOf('}}', open + 2);
    if (close < 0) return { message: `'{{' in "${snippet(text.slice(open))}" is never closed: add '}}'` };
    const inner = text
      .slice(open + 2, close)
      .replace(/^[{~]|[}~]$/g, '')
      .trim();
    i = close + 2;
    if (inner.startsWith('!')) continue;
    if (!inner)
      return {
        message: 'empty {{ }}: put a variable or a helper call inside',
        hint: 'e.g. {{node_name}} or {{default k3s_channel "stable"}}',
      };
    const inside = checkExpression(inner);
    if (inside) return { message: `${inside} in {{${snippet(inner)}}}` };
    const block = /^#\s*([\w-]+)(.*)$/s.exec(inner);
    if (block) {
      if (!block[2].trim() && ['if', 'unless', 'each', 'with'].includes(block[1]))
        return { message: `{{#${block[1]}}} needs a value to test or iterate: {{#${block[1]} x}}`, hint: BLOCK_HINT };
      blocks.push(block[1]);
    } else if (inner.startsWith('/')) {
      const name = inner.slice(1).trim();
      const top = blocks.pop();
      if (top === undefined) return { message: `{{/${name}}} closes a block that was never opened`, hint: BLOCK_HINT };
      if (top !== name) return { message: `{{/${name}}} closes {{#${top}}}: write {{/${top}}}`, hint: BLOCK_HINT };
    }
  }
  const open = blocks.pop();
  if (open !== undefined) return { message: `{{#${open}}} is never closed: add {{/${open}}}`, hint: BLOCK_HINT };
  return undefined;
}

function checkExpression(inner: string): string | undefined {
  let depth = 0;
  let quote = '';
  for (const c of inner) {
    if (quote) {
      if (c === quote) quote = '';
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '(') depth++;
    else if (c === ')' && --depth < 0) return "a ')' without its '('";
  }
  if (quote) return `a string opened with ${quote} is never closed`;
  if (depth > 0) return `${depth === 1 ? "a '(' is" : `${depth} '(' are`} never closed`;
  return undefined;
}

const TOKEN_WORDS: Record<string, string> = {
  EOF: 'the end of the template',
  CLOSE: "'}}'",
  OPEN: "'{{'",
  INVALID: 'a character that cannot appear there',
  OPEN_SEXPR: "'('",
  CLOSE_SEXPR: "')'",
  ID: 'a name',
  STRING: 'a string',
  NUMBER: 'a number',
  EQUALS: "'='",
  SEP: "'.'",
  CONTENT: 'text',
};

/** Handlebars' parse error text → "cannot parse template near ...: unexpected ...". */
export function explainParseError(raw: string): string {
  const lines = raw.split('\n');
  const got = /got '(\w+)'/.exec(raw)?.[1];
  const caret = lines.findIndex((l) => /^-*\^$/.test(l));
  const near = caret > 0 ? lines[caret - 1].slice(Math.max(0, lines[caret].length - 1)) : '';
  if (!got) return `cannot parse template: ${lines[0]}`;
  return `cannot parse template${near ? ` near "${snippet(near)}"` : ''}: unexpected ${TOKEN_WORDS[got] ?? got.toLowerCase()}`;
}
