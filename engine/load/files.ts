// Reading input files with the refusals every loader needs: missing, a directory, too big.
import { readFileSync, statSync } from 'node:fs';
import type { Diagnostic } from '../errors.js';
import { isVaultText } from '../vault/envelope.js';
import { currentVault, revealStrings } from '../vault/session.js';
import { openVaultFile } from './vaulted.js';
import { MAX_YAML_BYTES, parseYamlText, type ParsedYaml } from './yaml.js';

/** `encrypted`: the file was Ansible Vault data as a whole, and `text` is what it decrypted to. */
export type ReadResult =
  { text: string; diagnostics: []; encrypted?: boolean } | { text: undefined; diagnostics: Diagnostic[] };

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
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    return fail(`cannot read ${file}: ${(e as Error).message}`);
  }
  if (!isVaultText(text)) return { text, diagnostics: [] };
  const opened = openVaultFile(file, text, what);
  return opened.text === undefined ? opened : { text: opened.text, diagnostics: [], encrypted: true };
}

/** Read and parse a YAML file; `value` is undefined when there were errors. */
export function loadYamlFile(file: string, what = 'file'): ParsedYaml {
  const r = readInputFile(file, what);
  if (r.text === undefined) return { file, text: '', value: undefined, diagnostics: r.diagnostics };
  const parsed = parseYamlText(file, r.text);
  // Every value of an encrypted vars file (a vault.yml) is a secret.
  if (r.encrypted) revealStrings(currentVault(), parsed.value);
  return parsed;
}
