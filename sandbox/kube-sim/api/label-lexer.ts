// The lexer of k8s.io/apimachinery/pkg/labels/selector.go: identifiers and keywords up to a
// space or a special symbol, special symbols by longest match ("!=" before "!").
export type Token =
  'error' | 'end' | ')' | ',' | '!' | '==' | '=' | '>' | 'in' | '<' | '!=' | 'notin' | '(' | 'identifier';

export type Scanned = { tok: Token; lit: string };

const KEYWORDS: Record<string, Token> = {
  ')': ')',
  ',': ',',
  '!': '!',
  '==': '==',
  '=': '=',
  '>': '>',
  in: 'in',
  '<': '<',
  '!=': '!=',
  notin: 'notin',
  '(': '(',
};
const SPECIAL = new Set(['=', '!', '(', ')', ',', '>', '<']);
const SPACE = new Set([' ', '\t', '\r', '\n']);

export function lex(input: string): Scanned[] {
  const out: Scanned[] = [];
  let i = 0;
  for (;;) {
    while (i < input.length && SPACE.has(input[i])) i++;
    if (i >= input.length) {
      out.push({ tok: 'end', lit: '' });
      return out;
    }
    if (SPECIAL.has(input[i])) {
      let buffer = '';
      let last: Scanned | undefined;
      while (i < input.length && SPECIAL.has(input[i])) {
        buffer += input[i];
        const tok = KEYWORDS[buffer];
        if (tok) last = { tok, lit: buffer };
        else if (last) break;
        i++;
      }
      out.push(last ?? { tok: 'error', lit: `error expected: keyword found '${buffer}'` });
      if (!last) return [...out, { tok: 'end', lit: '' }];
      continue;
    }
    let word = '';
    while (i < input.length && !SPECIAL.has(input[i]) && !SPACE.has(input[i])) word += input[i++];
    out.push({ tok: KEYWORDS[word] ?? 'identifier', lit: word });
  }
}
