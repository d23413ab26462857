// blockinfile's edit as a pure function of the text, with Ansible's rules: the block lives
// between two marker lines; an existing block is replaced in place, a new one goes after the
// last insertafter match, before the last insertbefore match (a (?m) regexp is searched in the
// whole text), at BOF, or at EOF. An empty block (or state: absent) removes it.
import { pyRegex } from './py-regex.js';

export type BlockOptions = {
  block: string;
  marker: string;
  marker_begin: string;
  marker_end: string;
  insertafter?: string;
  insertbefore?: string;
  state: 'present' | 'absent';
  prepend_newline: boolean;
  append_newline: boolean;
};

export type BlockEdit = { text: string; msg: string };

/** Python's str.splitlines(keepends=True) for the separators config files use. */
function splitLines(text: string): string[] {
  return text.match(/[^\r\n]*(?:\r\n|\n|\r)|[^\r\n]+$/g) ?? [];
}

export function markerLines(o: BlockOptions): [string, string] {
  return [`${o.marker.split('{mark}').join(o.marker_begin)}\n`, `${o.marker.split('{mark}').join(o.marker_end)}\n`];
}

function insertionPoint(original: string, lines: string[], o: BlockOptions): number {
  const after = o.insertafter ?? (o.insertbefore === undefined ? 'EOF' : undefined);
  const pattern =
    after !== undefined && after !== 'EOF'
      ? after
      : o.insertbefore !== undefined && o.insertbefore !== 'BOF'
        ? o.insertbefore
        : undefined;
  if (pattern === undefined) return after === undefined ? 0 : lines.length;
  const re = pyRegex(pattern, after !== undefined ? 'insertafter' : 'insertbefore');
  let n0: number | undefined;
  if (re.multiline) {
    const m = re.exec(original);
    if (m) n0 = original.slice(0, after !== undefined ? m.index + m[0].length : m.index).split('\n').length - 1;
  } else {
    lines.forEach((l, i) => {
      if (re.test(l.replace(/\r?\n$|\r$/, ''))) n0 = i;
    });
  }
  if (n0 === undefined) return lines.length;
  return after !== undefined ? n0 + 1 : n0;
}

export function editBlock(original: string | undefined, o: BlockOptions): BlockEdit {
  const text = original ?? '';
  const lines = splitLines(text);
  const [begin, end] = markerLines(o);
  let block = o.block;
  const present = o.state === 'present';
  let blockLines: string[] = [];
  if (present && block) {
    if (!block.endsWith('\n')) block += '\n';
    blockLines = [begin, ...splitLines(block), end];
  }
  const n0Found = lines.lastIndexOf(begin);
  const n1Found = lines.lastIndexOf(end);
  let n0: number;
  if (n0Found === -1 || n1Found === -1) {
    // Nothing to remove: leave the text exactly as it is (Ansible would still add a newline).
    if (!blockLines.length) return { text, msg: '' };
    n0 = insertionPoint(text, lines, o);
  } else if (n0Found < n1Found) {
    lines.splice(n0Found, n1Found - n0Found + 1);
    n0 = n0Found;
  } else {
    lines.splice(n1Found, n0Found - n1Found + 1);
    n0 = n1Found;
  }
  if (n0 > 0 && !lines[n0 - 1].endsWith('\n')) lines[n0 - 1] += '\n';
  if (o.prepend_newline && present && n0 !== 0 && lines[n0 - 1] !== '\n') lines.splice(n0++, 0, '\n');
  lines.splice(n0, 0, ...blockLines);
  const next = n0 + blockLines.length;
  if (o.append_newline && present && next < lines.length && lines[next] !== '\n') lines.splice(next, 0, '\n');
  const result = lines.join('');
  const msg =
    result === text && original !== undefined
      ? ''
      : original === undefined
        ? 'File created'
        : blockLines.length
          ? 'Block inserted'
          : 'Block removed';
  return { text: result, msg };
}
