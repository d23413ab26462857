// Diagnostics as people read them: `file:line:col: error: message`, the line with a caret
// under the column, and the hint.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Diagnostic } from '../errors.js';

export type Paint = {
  red(s: string): string;
  yellow(s: string): string;
  dim(s: string): string;
  cyan(s: string): string;
  bold(s: string): string;
};
export const NO_PAINT: Paint = { red: (s) => s, yellow: (s) => s, dim: (s) => s, cyan: (s) => s, bold: (s) => s };

export function displayPath(file: string, cwd = process.cwd()): string {
  const rel = path.relative(cwd, file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

// eslint-disable-next-line no-control-regex -- control characters are what tells a binary file
const BINARY = /[\u0000-\u0008\u000e-\u001f\ufffd]/;

export function formatDiagnostic(
  d: Diagnostic,
  paint: Paint = NO_PAINT,
  lines?: (file: string) => string[] | undefined,
): string {
  const label = d.severity === 'error' ? paint.red('error') : paint.yellow('warning');
  const where = d.pos ? `${displayPath(d.pos.file)}:${d.pos.line}:${d.pos.col}: ` : '';
  const out = [`${paint.bold(where)}${label}: ${d.message}`];
  const source = d.pos ? (lines ?? readLines)(d.pos.file) : undefined;
  // No frame for binary lines: control characters would garble the terminal.
  if (d.pos && source && source[d.pos.line - 1] !== undefined && !BINARY.test(source[d.pos.line - 1])) {
    const text = source[d.pos.line - 1].replace(/\t/g, ' ');
    const num = String(d.pos.line);
    const gutter = ' '.repeat(num.length);
    out.push(`${paint.dim(` ${num} |`)} ${text.length > 160 ? text.slice(0, 160) + '…' : text}`);
    out.push(`${paint.dim(` ${gutter} |`)} ${' '.repeat(Math.max(0, d.pos.col - 1))}${paint.red('^')}`);
  }
  if (d.hint) out.push(`${paint.cyan('  = ')}${d.hint}`);
  return out.join('\n');
}

function readLines(file: string): string[] | undefined {
  try {
    return readFileSync(file, 'utf8').split(/\r?\n/);
  } catch {
    return undefined;
  }
}

export function formatDiagnostics(list: readonly Diagnostic[], paint: Paint = NO_PAINT): string {
  const cache = new Map<string, string[] | undefined>();
  const lines = (f: string) => {
    if (!cache.has(f)) cache.set(f, readLines(f));
    return cache.get(f);
  };
  return list.map((d) => formatDiagnostic(d, paint, lines)).join('\n\n');
}
