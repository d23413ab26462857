// YAML text → plain values with positions. YAML 1.1 like Ansible's PyYAML (yes/no are
// booleans, `<<` merge keys work), duplicate keys refused, alias expansion bounded.
import type { Diagnostic, SourcePos } from '../errors.js';
import { carefulParse } from './yaml-careful.js';
import { fastYaml } from './yaml-fast.js';
import { openSealedValues } from './vaulted.js';

export { carefulParse } from './yaml-careful.js';

export type ParsedYaml = { file: string; text: string; value: unknown; diagnostics: Diagnostic[] };

/** Files above this size are refused: playbooks and inventories are never this large. */
export const MAX_YAML_BYTES = 8 * 1024 * 1024;
/** Values produced after alias expansion; a billion-laughs document blows far past this. */
export const MAX_EXPANDED_NODES = 500_000;

export function parseYamlText(file: string, text: string): ParsedYaml {
  const diagnostics: Diagnostic[] = [];
  const at = (line: number, col: number): SourcePos => ({ file, line, col });
  const refusal = refuseText(text);
  if (refusal)
    return { file, text, value: undefined, diagnostics: [{ severity: 'error', message: refusal, pos: at(1, 1) }] };

  const fast = fastYaml(text, lineIndex(file, text), MAX_EXPANDED_NODES);
  if (fast) {
    // Only a document that mentions the tag can hold a Sealed value: no walk for the rest.
    const value = text.includes('!vault') ? openSealedValues(fast.value, diagnostics) : fast.value;
    return { file, text, value: diagnostics.length ? undefined : value, diagnostics };
  }
  return carefulParse(file, text, MAX_EXPANDED_NODES);
}

/** offset → file:line:col, by binary search over line starts. */
function lineIndex(file: string, text: string): (offset: number) => SourcePos {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { file, line: lo + 1, col: offset - starts[lo] + 1 };
  };
}

function refuseText(text: string): string | undefined {
  if (Buffer.byteLength(text) > MAX_YAML_BYTES) {
    const mb = (Buffer.byteLength(text) / 1024 / 1024).toFixed(1);
    return `file is ${mb} MB; herdbook reads YAML files up to ${MAX_YAML_BYTES / 1024 / 1024} MB (is this the right file?)`;
  }
  if (text.includes('\u0000')) return 'this is a binary file, not YAML text';
  return undefined;
}
