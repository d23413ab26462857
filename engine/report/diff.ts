// --diff: unified diffs of content changes, coloured on a terminal.
import { createTwoFilesPatch } from 'diff';
import type { FileDiff } from '../module.js';
import type { Paint } from './diagnostics.js';

export function renderDiff(d: FileDiff, paint: Paint): string {
  if (d.prepared !== undefined) return d.prepared.trimEnd();
  const patch = createTwoFilesPatch(`${d.path} (before)`, `${d.path} (after)`, d.before, d.after, '', '', {
    context: 3,
  });
  return (
    patch
      .split('\n')
      // The first line is a row of '=' (an Index: separator); the ---/+++ headers stay.
      .filter((l, i) => !(i === 0 && /^=+$/.test(l)))
      .map((l) => (/^(---|\+\+\+) /.test(l) ? l.replace(/\t$/, '') : l))
      .map((l) =>
        l.startsWith('+') ? paint.cyan(l) : l.startsWith('-') ? paint.red(l) : l.startsWith('@@') ? paint.dim(l) : l,
      )
      .join('\n')
      .trimEnd()
  );
}
