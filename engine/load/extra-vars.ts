// -e values: key=value (strings, like Ansible), @file.yaml, or inline JSON/YAML {…}. Later ones win.
import path from 'node:path';
import type { Diagnostic } from '../errors.js';
import { splitWords } from '../shell-words.js';
import { loadYamlFile } from './files.js';
import { parseYamlText } from './yaml.js';

export function parseExtraVars(
  items: readonly string[],
  cwd = process.cwd(),
): { vars: Record<string, unknown>; diagnostics: Diagnostic[] } {
  const vars: Record<string, unknown> = {};
  const diagnostics: Diagnostic[] = [];
  for (const item of items) {
    const text = item.trim();
    if (text.startsWith('@')) {
      const file = path.resolve(cwd, text.slice(1));
      const parsed = loadYamlFile(file, 'extra vars file');
      diagnostics.push(...parsed.diagnostics);
      if (parsed.value && typeof parsed.value === 'object' && !Array.isArray(parsed.value))
        Object.assign(vars, parsed.value);
      else if (!parsed.diagnostics.length)
        diagnostics.push({
          severity: 'error',
          message: `-e @${text.slice(1)}: the file must hold a mapping of variables`,
        });
    } else if (text.startsWith('{')) {
      try {
        const parsed = parseYamlText('-e', text);
        if (parsed.diagnostics.length) throw new Error(parsed.diagnostics[0].message);
        const v = parsed.value;
        if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error('not a mapping');
        Object.assign(vars, v);
      } catch (e) {
        diagnostics.push({
          severity: 'error',
          message: `-e '${text.slice(0, 40)}': not valid JSON/YAML (${(e as Error).message.split('\n')[0]})`,
          hint: `write -e '{"name": "value"}', -e name=value or -e @vars.yaml`,
        });
      }
    } else {
      for (const word of splitWords(text)) {
        const eq = word.indexOf('=');
        if (eq <= 0) {
          diagnostics.push({
            severity: 'error',
            message: `-e '${word}': expected key=value, @file.yaml or {"json": ...}`,
          });
          continue;
        }
        vars[word.slice(0, eq)] = word.slice(eq + 1);
      }
    }
  }
  return { vars, diagnostics };
}
