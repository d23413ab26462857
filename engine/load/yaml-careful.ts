// The careful YAML path: the `yaml` library, slower, but it finds and explains every error,
// expands aliases under a budget (billion laughs) and reads merge keys, tags and dates. Used
// when the fast path (yaml-fast.ts) steps aside.
import { createRequire } from 'node:module';
import type { Alias, Node, Scalar } from 'yaml';
import type * as YamlModule from 'yaml';
import { HerdbookError, type Diagnostic, type SourcePos } from '../errors.js';
import { Sealed, VAULT_TAGS } from '../vault/sealed.js';
import { attachInfo, type NodeInfo } from './positions.js';
import { openSealedValues } from './vaulted.js';
import { explainYamlError, type YamlProblem } from './yaml-errors.js';

// The `yaml` library is loaded only when needed: it costs ~80 ms to load.
const require = createRequire(import.meta.url);
type YamlLib = typeof YamlModule;
const yamlLib = (): YamlLib => require('yaml') as YamlLib;

type ParsedYaml = { file: string; text: string; value: unknown; diagnostics: Diagnostic[] };

/** The `yaml` library: slower, but every error is found and explained, and aliases are expanded under a budget. */
export function carefulParse(file: string, text: string, maxValues = 500_000): ParsedYaml {
  const diagnostics: Diagnostic[] = [];
  const at = (line: number, col: number): SourcePos => ({ file, line, col });
  const { LineCounter, parseDocument } = yamlLib();
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {
    version: '1.1',
    merge: true,
    uniqueKeys: true,
    lineCounter,
    prettyErrors: false,
    // Read as plain strings here; toValue turns them into Sealed values with their place.
    customTags: (tags) => [...tags, ...VAULT_TAGS.map((tag) => ({ tag, resolve: (s: string) => s }))],
  });
  const posAt = (offset: number): SourcePos => {
    const { line, col } = lineCounter.linePos(offset);
    return at(line, col);
  };
  // One error per line: the parser's later complaints about the same line are its own confusion.
  const lines = new Set<number>();
  const problems = [
    ...doc.errors.map((e) => ({ e, severity: 'error' as const })),
    ...doc.warnings.map((e) => ({
      e,
      severity: e.code === 'TAG_RESOLVE_FAILED' ? ('error' as const) : ('warning' as const),
    })),
  ];
  for (const { e, severity } of problems) {
    const p =
      e.code === 'TAG_RESOLVE_FAILED'
        ? unknownTag(e.message, e.pos[0])
        : explainYamlError({ code: e.code, message: e.message, offset: e.pos[0] }, text, doc);
    const pos = posAt(p.offset);
    if (lines.has(pos.line)) continue;
    lines.add(pos.line);
    diagnostics.push({ severity, message: p.message, pos, hint: p.hint });
  }
  if (diagnostics.some((d) => d.severity === 'error')) return { file, text, value: undefined, diagnostics };

  const ctx: Walk = {
    lib: yamlLib(),
    posAt,
    text,
    limit: maxValues,
    budget: maxValues,
    anchors: new Map(),
    problems: diagnostics,
  };
  try {
    const raw = toValue(doc.contents, ctx);
    // Only a document that mentions the tag can hold a Sealed value: no walk for the rest.
    const value = text.includes('!vault') ? openSealedValues(raw, diagnostics) : raw;
    return { file, text, value: diagnostics.some((d) => d.severity === 'error') ? undefined : value, diagnostics };
  } catch (e) {
    if (e instanceof ExpansionError) {
      return {
        file,
        text,
        value: undefined,
        diagnostics: [
          {
            severity: 'error',
            message: e.message,
            pos: e.pos,
            hint: e.message.includes('alias') ? 'use fewer nested aliases (*name), or write the values out' : undefined,
          },
        ],
      };
    }
    throw e;
  }
}

function unknownTag(message: string, offset: number): YamlProblem {
  const tag = /tag: (\S+)/.exec(message)?.[1] ?? 'this tag';
  return {
    message: `unknown YAML tag ${tag}`,
    offset,
    hint: (VAULT_TAGS as readonly string[]).includes(tag)
      ? `${tag} marks one encrypted string: write it as \`key: !vault |\` followed by the $ANSIBLE_VAULT lines`
      : 'remove the tag: herdbook reads plain YAML values',
  };
}

class ExpansionError extends HerdbookError {
  constructor(
    readonly pos: SourcePos,
    limit: number,
    viaAlias = false,
  ) {
    super(
      'E_YAML_SIZE',
      viaAlias
        ? `this alias expands the document to more than ${limit} values (an alias bomb?); refusing to load it`
        : `the document holds more than ${limit} values; refusing to load it`,
    );
  }
}

type Walk = {
  lib: YamlLib;
  posAt: (offset: number) => SourcePos;
  text: string;
  limit: number;
  /** Values still allowed to be produced: aliases are expanded, so a bomb runs this out. */
  budget: number;
  anchors: Map<string, Node>;
  problems: Diagnostic[];
};

function toValue(node: Node | Alias | null, w: Walk): unknown {
  if (node === null || node === undefined) return null;
  const { isAlias, isMap, isPair, isScalar, isSeq } = w.lib;
  if (--w.budget < 0) throw new ExpansionError(w.posAt(node.range?.[0] ?? 0), w.limit);
  if (isAlias(node)) {
    const target = w.anchors.get(node.source);
    if (!target) {
      w.problems.push({
        severity: 'error',
        message: `alias *${node.source} names no anchor &${node.source} written before it`,
        pos: w.posAt(node.range?.[0] ?? 0),
      });
      return null;
    }
    // Re-walk the anchored node so the expansion is counted against the budget. The error
    // names the outermost alias: the line where the document explodes.
    try {
      return toValue(target, w);
    } catch (e) {
      if (e instanceof ExpansionError) throw new ExpansionError(w.posAt(node.range?.[0] ?? 0), w.limit, true);
      throw e;
    }
  }
  // Later anchors with the same name replace earlier ones (YAML spec).
  if (node.anchor) w.anchors.set(node.anchor, node);
  if (isScalar(node)) {
    if ((VAULT_TAGS as readonly string[]).includes(node.tag ?? ''))
      return new Sealed(String(node.value), w.posAt(node.range?.[0] ?? 0));
    return scalarValue(node);
  }
  if (isSeq(node)) {
    const out: unknown[] = [];
    const items: SourcePos[] = [];
    for (const item of node.items) {
      items.push(w.posAt((item as Node)?.range?.[0] ?? node.range?.[0] ?? 0));
      out.push(toValue(item as Node, w));
    }
    attachInfo(out, { pos: w.posAt(node.range?.[0] ?? 0), items });
    return out;
  }
  if (isMap(node)) {
    const start = node.range?.[0] ?? 0;
    if (node.flow && w.text.startsWith('{{', start)) {
      w.problems.push({
        severity: 'error',
        message: "a value that starts with '{{' must be quoted in YAML",
        pos: w.posAt(start),
        hint: `write "${w.text.slice(start, w.text.indexOf('}}', start) + 2 || start + 10)}"`,
      });
      return null;
    }
    const out: Record<string, unknown> = {};
    const info: NodeInfo = { pos: w.posAt(start), keys: {}, values: {} };
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const keyNode = pair.key as Node | null;
      if (isScalar(keyNode) && typeof keyNode.value === 'symbol') {
        mergeInto(out, info, pair.value as Node, w);
        continue;
      }
      const key = keyString(keyNode, w);
      info.keys![key] = w.posAt(keyNode?.range?.[0] ?? 0);
      // An empty value (`key:` then a newline) has no place of its own: point at its key.
      const vn = pair.value as Node | null;
      const empty = !vn || (isScalar(vn) && vn.value === null && !(vn as Scalar & { source?: string }).source);
      info.values![key] = w.posAt(empty ? (keyNode?.range?.[0] ?? 0) : (vn.range?.[0] ?? keyNode?.range?.[0] ?? 0));
      const v = toValue(pair.value as Node | null, w);
      // An own property, as YAML means it: assigning '__proto__' would change the prototype.
      if (key === '__proto__')
        Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
      else out[key] = v;
    }
    attachInfo(out, info);
    return out;
  }
  return (node as { toJSON?: () => unknown }).toJSON?.() ?? null;
}

function keyString(keyNode: Node | null, w: Walk): string {
  const k = toValue(keyNode, w);
  return typeof k === 'string' ? k : JSON.stringify(k);
}

function mergeInto(out: Record<string, unknown>, info: NodeInfo, src: Node, w: Walk): void {
  const merged = toValue(src, w);
  const sources = Array.isArray(merged) ? merged : [merged];
  for (const m of sources) {
    if (!m || typeof m !== 'object') continue;
    for (const [k, v] of Object.entries(m as Record<string, unknown>)) {
      // Keys written in the mapping itself win over merged ones (YAML merge-key rule).
      if (!(k in out)) {
        out[k] = v;
        info.keys![k] = info.values![k] = w.posAt(src.range?.[0] ?? 0);
      }
    }
  }
}

// PyYAML (what Ansible users' files were written for) reads only these plain words as
// booleans; the YAML 1.1 spec's y/Y/n/N stay strings.
const PYYAML_BOOL = /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/;

function scalarValue(node: Scalar): unknown {
  const source = (node as Scalar & { source?: string }).source;
  if (typeof node.value === 'boolean' && node.type === 'PLAIN' && source !== undefined && !PYYAML_BOOL.test(source))
    return source;
  return node.value;
}
