// Edits to a YAML file as splices of its source text: only the scalars that changed are rewritten,
// in their own style (plain, quoted, block), so comments, key order, spacing, anchors and `!vault`
// values around them stay byte for byte. yaml's String(doc) would re-lay the whole file.
import { stringify, type Scalar } from 'yaml';

export type Splice = { start: number; end: number; text: string };

/** Apply splices (non-overlapping) to a source text. */
export function applySplices(source: string, splices: readonly Splice[]): string {
  const sorted = [...splices].sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  for (const s of sorted) {
    if (s.start < at) throw new Error(`overlapping edits at offset ${s.start}`);
    out += source.slice(at, s.start) + s.text;
    at = s.end;
  }
  return out + source.slice(at);
}

function doubleQuoted(value: string): string {
  return stringify(value, { defaultStringType: 'QUOTE_DOUBLE', lineWidth: 0, doubleQuotedMinMultiLineLength: 1e9 })
    .trimEnd()
    .replace(/^"\s*/, '"');
}

/** `value` written where `node` was, in the node's style when that style can hold it. */
export function scalarSplice(source: string, node: Scalar, value: string): Splice {
  const [start, end] = node.range!;
  const original = source.slice(start, end);
  const splice = (text: string): Splice => ({ start, end, text });
  switch (node.type) {
    case 'QUOTE_SINGLE':
      if (!value.includes('\n')) return splice(`'${value.replace(/'/g, "''")}'`);
      return splice(doubleQuoted(value));
    case 'PLAIN': {
      const plain = stringify(value, { lineWidth: 0 }).trimEnd();
      // A value yaml would write plain reads back as itself; anything else gets quotes.
      return splice(plain === value && !value.includes('\n') ? plain : doubleQuoted(value));
    }
    case 'BLOCK_LITERAL':
    case 'BLOCK_FOLDED':
      return blockSplice(source, start, original, node.type, value, String(node.value)) ?? splice(doubleQuoted(value));
    case 'QUOTE_DOUBLE':
    case undefined:
      return splice(doubleQuoted(value));
  }
}

const trailingNewlines = (s: string) => /\n*$/.exec(s)![0].length;

/**
 * A block scalar keeps its header (chomping, indentation) and trailing blank lines; only the
 * content lines are replaced, at the indentation the original used. The chomping is what gives
 * the value its final newlines: when the new value ends with other newlines than the old one (a
 * translated template that adds its newline itself), it becomes strip (`|-`) for none and clip
 * (`|`) for one; more than one, changed, is written double-quoted.
 */
function blockSplice(
  source: string,
  start: number,
  original: string,
  type: 'BLOCK_LITERAL' | 'BLOCK_FOLDED',
  value: string,
  before: string,
): Splice | undefined {
  const headerEnd = original.indexOf('\n');
  if (headerEnd < 0) return undefined;
  const header = original.slice(0, headerEnd);
  // A comment after the header, or an explicit indentation, stays as it is only in simple cases.
  if (!/^[|>][-+]?\s*$/.test(header)) return undefined;
  const newlines = trailingNewlines(value);
  let chomped = header;
  if (newlines !== trailingNewlines(before)) {
    if (newlines > 1) return undefined;
    chomped = header.replace(/^([|>])[-+]?/, newlines ? '$1' : '$1-');
  }
  const body = original.slice(headerEnd + 1);
  const indent = /^( +)\S/m.exec(body)?.[1];
  if (!indent) return undefined;
  const lastContent = body.replace(/\s+$/, '').length;
  const content = value.replace(/\n+$/, '');
  if (/^\s/.test(content)) return undefined;
  const multiline = content.includes('\n');
  // Folded text joins single newlines: a multi-line value is written literal, same chomping.
  const newHeader = type === 'BLOCK_FOLDED' && multiline ? chomped.replace('>', '|') : chomped;
  const lines = content.split('\n').map((l) => (l ? indent + l : l));
  const bodyStart = start + headerEnd + 1;
  return {
    start,
    end: bodyStart + lastContent,
    text: `${newHeader}${source.slice(start + header.length, bodyStart)}${lines.join('\n')}`,
  };
}
