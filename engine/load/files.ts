// Reading input files with the refusals every loader needs: missing, a directory, too big.
import { readFileSync, statSync } from 'node:fs';
import type { Diagnostic } from '../errors.js';
import { MAX_YAML_BYTES, parseYamlText, type ParsedYaml } from './yaml.js';

export type ReadResult = { text: string; diagnostics: [] } | { text: undefined; diagnostics: Diagnostic[] };

export function readInputFile(file: string, what = 'file'): ReadResult {
  const fail = (message: string): ReadResult => ({
    text: undefined,
    diagnostics: [{ severity: 'error', message, pos: { file, line: 1, col: 1 } }],
  });
  let size: number;
  try {
    const st = statSync(file);
    if (st.isDirectory()) return fail(`${what} ${file} is a directory, not a file`);
    size = st.size;
  } catch {
    return { text: undefined, diagnostics: [{ severity: 'error', message: `${what} not found: ${file}` }] };
  }
  if (size > MAX_YAML_BYTES) {
    return fail(
      `file is ${(size / 1024 / 1024).toFixed(1)} MB; herdbook reads YAML files up to ${MAX_YAML_BYTES / 1024 / 1024} MB (is this the right file?)`,
    );
  }
  try {
    return { text: readFileSync(file, 'utf8'), diagnostics: [] };
  } catch (e) {
    return fail(`cannot read ${file}: ${(e as Error).message}`);
  }
}

/** Read and parse a YAML file; `value` is undefined when there were errors. */
export function loadYamlFile(file: string, what = 'file'): ParsedYaml {
  const r = readInputFile(file, what);
  if (r.text === undefined) return { file, text: '', value: undefined, diagnostics: r.diagnostics };
  return parseYamlText(file, r.text);
}
