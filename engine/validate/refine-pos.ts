// A template's problem is somewhere inside the string: point the caret at it (the undefined
// variable, the Jinja filter) rather than at the start of the value, when the source line
// shows it. Lines are read once per file and only for strings that have a problem.
import { readFileSync } from 'node:fs';
import type { SourcePos } from '../errors.js';

export type LineReader = (file: string) => string[] | undefined;

export function lineReader(): LineReader {
  const cache = new Map<string, string[] | undefined>();
  return (file) => {
    if (!cache.has(file)) {
      try {
        cache.set(file, readFileSync(file, 'utf8').split(/\r?\n/));
      } catch {
        cache.set(file, undefined);
      }
    }
    return cache.get(file);
  };
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Where `name` is used as a variable on the value's line: inside {{ }} for templates, anywhere for conditions. */
export function variablePos(pos: SourcePos, name: string, condition: boolean, lines: LineReader): SourcePos {
  const line = lines(pos.file)?.[pos.line - 1];
  if (line === undefined) return pos;
  const word = `(?<![\\w.$-])${escape(name)}(?![\\w$-])`;
  const re = new RegExp(condition ? word : `\\{\\{[^}]*?${word}`, 'g');
  re.lastIndex = pos.col - 1;
  const m = re.exec(line);
  if (!m) return pos;
  const at = m.index + m[0].length - name.length;
  return { ...pos, col: at + 1 };
}

/** Where a fragment of the template (a quoted mustache, `{%`) starts on the value's line. */
export function fragmentPos(pos: SourcePos, fragment: string, lines: LineReader): SourcePos {
  const line = lines(pos.file)?.[pos.line - 1];
  const i = line?.indexOf(fragment, pos.col - 1) ?? -1;
  return i >= 0 ? { ...pos, col: i + 1 } : pos;
}
