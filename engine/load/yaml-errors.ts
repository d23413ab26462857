// The yaml library's syntax errors in words an operator can act on, pointing at the cause
// (the unclosed '[', the mis-indented key) rather than where the parser gave up.
import { createRequire } from 'node:module';
import type { Document, Scalar } from 'yaml';
import type * as YamlModule from 'yaml';

// Loaded lazily, like in yaml.ts: only files with errors come here.
const require = createRequire(import.meta.url);
const yamlLib = () => require('yaml') as typeof YamlModule;

export type YamlProblem = { message: string; offset: number; hint?: string };

type RawError = { code: string; message: string; offset: number };

const INDENT_HINT =
  'keys of one mapping start at the same column, and list items start with "- " at the same column; indent with spaces';

export function explainYamlError(e: RawError, text: string, doc: Document): YamlProblem {
  const first = e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
  switch (e.code) {
    case 'TAB_AS_INDENT':
      return { message: 'tabs are not allowed for indentation in YAML; indent with spaces', offset: e.offset };
    case 'DUPLICATE_KEY':
      return duplicateKey(e.offset, text, doc);
    case 'MULTIPLE_DOCS':
      return {
        message:
          'this file holds more than one YAML document (a second "---"); put each playbook or vars file in its own file',
        offset: e.offset,
      };
    case 'MULTILINE_IMPLICIT_KEY':
      return { message: "expected 'key: value' here: is a ':' missing on this line?", offset: e.offset };
    case 'BLOCK_IN_FLOW':
      return (
        unclosedFlow(e.offset, text) ?? {
          message: "a '- ' list or a 'key:' block cannot be written inside [ ] or { }",
          offset: e.offset,
        }
      );
    case 'BLOCK_AS_IMPLICIT_KEY':
      if (/compact mappings/.test(first)) {
        return {
          message: "a second 'key:' on the same line: a value cannot itself be a mapping written on one line",
          offset: e.offset,
          hint: 'quote the value ("b: c") or put the inner mapping on its own, more indented, lines',
        };
      }
      return {
        message: 'bad indentation: this line does not line up with the lines above it',
        offset: lineContentStart(text, e.offset),
        hint: INDENT_HINT,
      };
    case 'BAD_INDENT':
      if (/^Flow (sequence|map)/.test(first))
        return unclosedFlow(e.offset, text) ?? { message: `${first}`, offset: e.offset };
      return {
        message: 'bad indentation: all keys of a mapping must start at the same column',
        offset: lineContentStart(text, e.offset),
        hint: INDENT_HINT,
      };
    case 'MISSING_CHAR':
      if (/quote/.test(first)) return unclosedQuote(e.offset, doc, first.includes('"') ? '"' : "'");
      if (/^Flow (sequence|map) must end/.test(first))
        return unclosedFlow(e.offset, text) ?? { message: first, offset: e.offset };
      if (/without - indicator/.test(first))
        return {
          message: 'bad indentation: this line does not line up with the lines above it',
          offset: lineContentStart(text, e.offset),
          hint: INDENT_HINT,
        };
      if (/followed by map values/.test(first))
        return { message: "expected ':' after this key", offset: lineContentStart(text, e.offset) };
      return { message: first, offset: e.offset };
    default:
      return { message: first.charAt(0).toLowerCase() + first.slice(1), offset: e.offset };
  }
}

/** The offset of the first non-blank character of the line holding `offset`. */
export function lineContentStart(text: string, offset: number): number {
  const start = text.lastIndexOf('\n', Math.max(0, offset - 1)) + 1;
  let i = start;
  while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
  return i < text.length && text[i] !== '\n' ? i : offset;
}

function duplicateKey(offset: number, text: string, doc: Document): YamlProblem {
  const { isMap, isScalar, visit } = yamlLib();
  let found: { key: string; firstOffset: number } | undefined;
  visit(doc, {
    Map(_, map) {
      if (found || !isMap(map)) return;
      const seen = new Map<string, number>();
      for (const pair of map.items) {
        const k = pair.key as Scalar | null;
        if (!isScalar(k)) continue;
        const name = String(k.value);
        const at = k.range?.[0] ?? -1;
        if (at === offset && seen.has(name)) {
          found = { key: name, firstOffset: seen.get(name)! };
          return visit.BREAK;
        }
        if (!seen.has(name)) seen.set(name, at);
      }
      return undefined;
    },
  });
  if (!found) return { message: 'this key appears twice in the same mapping', offset, hint: 'keep one of them' };
  const line = text.slice(0, found.firstOffset).split('\n').length;
  return {
    message: `key '${found.key}' appears twice in this mapping (first on line ${line})`,
    offset,
    hint: 'a key may appear only once in a mapping: keep one of them',
  };
}

/** The '[' or '{' still open at `offset`: quotes and comments skipped, brackets counted. */
function unclosedFlow(offset: number, text: string): YamlProblem | undefined {
  const stack: number[] = [];
  let quote = '';
  for (let i = 0; i < Math.min(offset, text.length); i++) {
    const c = text[i];
    const prev = i > 0 ? text[i - 1] : '\n';
    if (quote) {
      if (c === quote && !(quote === '"' && prev === '\\')) quote = '';
      continue;
    }
    if (c === '#' && /\s/.test(prev)) {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? text.length : nl;
      continue;
    }
    // A quote starts a quoted scalar only where a value may start (not inside "don't").
    if ((c === '"' || c === "'") && /[\s:[{,-]/.test(prev)) quote = c;
    else if (c === '[' || c === '{') stack.push(i);
    else if ((c === ']' || c === '}') && stack.length) stack.pop();
  }
  const open = stack.pop();
  if (open === undefined) return undefined;
  const close = text[open] === '[' ? ']' : '}';
  return { message: `this '${text[open]}' is never closed: add the matching '${close}'`, offset: open };
}

function unclosedQuote(offset: number, doc: Document, q: string): YamlProblem {
  const { visit } = yamlLib();
  let start: number | undefined;
  visit(doc, {
    Scalar(_, node) {
      const r = node.range;
      const type = q === '"' ? 'QUOTE_DOUBLE' : 'QUOTE_SINGLE';
      if (r && node.type === type && r[0] < offset && r[1] >= offset - 1) start = r[0];
    },
  });
  return {
    message: `this ${q === '"' ? 'double' : 'single'}-quoted string is never closed: add the closing ${q}`,
    offset: start ?? offset,
  };
}
