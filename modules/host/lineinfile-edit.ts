// lineinfile's edit as a pure function of the text, with Ansible's rules: a regexp (or
// search_string) match is replaced (the last one, or the first with firstmatch); otherwise an
// identical line means nothing to do; otherwise the line goes after/before the last (or first)
// insertafter/insertbefore match, at BOF, or at EOF (the default, also when nothing matched).
import { expandTemplate, pyRegex } from './py-regex.js';
import { splitKeep } from './text.js';

export type LineOptions = {
  regexp?: string;
  search_string?: string;
  line?: string;
  insertafter?: string;
  insertbefore?: string;
  backrefs?: boolean;
  firstmatch?: boolean;
};

export type LineEdit = { text: string; msg: string; found?: number };

const bare = (l: string) => l.replace(/\n$/, '');
const stripped = (l: string) => l.replace(/[\r\n]+$/, '');

function terminateLast(lines: string[]): void {
  const last = lines.length - 1;
  if (last >= 0 && !/[\n\r]$/.test(lines[last])) lines[last] += '\n';
}

export function ensureLine(text: string, o: LineOptions): LineEdit {
  const lines = splitKeep(text);
  const line = o.line ?? '';
  let after = o.insertafter;
  const before = o.insertbefore;
  if (after === undefined && before === undefined) after = 'EOF';
  const insRe =
    after !== undefined && after !== 'BOF' && after !== 'EOF'
      ? pyRegex(after, 'insertafter')
      : before !== undefined && before !== 'BOF'
        ? pyRegex(before, 'insertbefore')
        : undefined;
  let found = -1;
  let insertAt = -1;
  let match: RegExpExecArray | undefined;
  let matched = false;
  if (o.regexp !== undefined) {
    const re = pyRegex(o.regexp, 'regexp');
    for (let i = 0; i < lines.length; i++) {
      const m = re.exec(bare(lines[i]));
      if (!m) continue;
      [found, match, matched] = [i, m, true];
      if (o.firstmatch) break;
    }
  } else if (o.search_string !== undefined) {
    for (let i = 0; i < lines.length; i++) {
      if (!lines[i].includes(o.search_string)) continue;
      [found, matched] = [i, true];
      if (o.firstmatch) break;
    }
  }
  if (!matched) {
    for (let i = 0; i < lines.length; i++) {
      if (stripped(lines[i]) === line) found = i;
      else if (insRe?.test(bare(lines[i]))) {
        insertAt = after !== undefined ? i + 1 : i;
        if (o.firstmatch) break;
      }
    }
  }
  const add = (at: number, msg = 'line added'): LineEdit => {
    terminateLast(lines);
    lines.splice(at, 0, `${line}\n`);
    return { text: lines.join(''), msg };
  };
  if (found !== -1) {
    let next = o.backrefs && match ? expandTemplate(line, match) : line;
    // Keep the line's own ending: a CRLF file stays CRLF (Ansible would rewrite it with \n).
    if (!next.endsWith('\n')) next += lines[found].endsWith('\r\n') ? '\r\n' : '\n';
    if (lines[found] === next) return { text, msg: '' };
    lines[found] = next;
    return { text: lines.join(''), msg: 'line replaced' };
  }
  // Without a match there is nothing to expand the backreferences from: leave the file alone.
  if (o.backrefs) return { text, msg: '' };
  if (before === 'BOF' || after === 'BOF') return add(0);
  if (after === 'EOF' || insertAt === -1) return add(lines.length);
  // An identical line anywhere would have been found above, so the anchor's neighbour is never it.
  return add(insertAt);
}

export function removeLines(text: string, o: LineOptions): LineEdit {
  const re = o.regexp !== undefined ? pyRegex(o.regexp, 'regexp') : undefined;
  const matches = (l: string) =>
    re ? re.test(bare(l)) : o.search_string !== undefined ? l.includes(o.search_string) : stripped(l) === o.line;
  const lines = splitKeep(text);
  const kept = lines.filter((l) => !matches(l));
  const found = lines.length - kept.length;
  return { text: found ? kept.join('') : text, msg: found ? `${found} line(s) removed` : '', found };
}
