// Words of a command line or an INI host line, with shell-like quotes; a # starts a comment.
/** Split on whitespace with shell-like quotes, dropping a trailing # comment (shlex, comments=True). */
export function splitWords(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quote = '';
  let has = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = '';
      else if (c === '\\' && quote === '"' && i + 1 < line.length) cur += line[++i];
      else cur += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      has = true;
    } else if (/\s/.test(c)) {
      if (has) out.push(cur);
      cur = '';
      has = false;
    } else if (c === '#' && !has) {
      break;
    } else {
      cur += c;
      has = true;
    }
  }
  if (quote) throw new Error(`unterminated quote in: ${line}`);
  if (has) out.push(cur);
  return out;
}
