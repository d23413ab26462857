// YAML text → plain values with positions. YAML 1.1 like Ansible's PyYAML (yes/no are
// booleans, `<<` merge keys work), duplicate keys refused, alias expansion bounded.
import { Alias, isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Node, type Scalar } from 'yaml';
import type { Diagnostic, SourcePos } from '../errors.js';
import { attachInfo, type NodeInfo } from './positions.js';

export type ParsedYaml = { file: string; text: string; value: unknown; diagnostics: Diagnostic[] };

/** Files above this size are refused: playbooks and inventories are never this large. */
export const MAX_YAML_BYTES = 8 * 1024 * 1024;
/** Values produced after alias expansion; a billion-laughs document blows far past this. */
const MAX_EXPANDED_NODES = 500_000;

export function parseYamlText(file: string, text: string): ParsedYaml {
  const diagnostics: Diagnostic[] = [];
  const at = (line: number, col: number): SourcePos => ({ file, line, col });
  const refusal = refuseText(text);
  if (refusal) return { file, text, value: undefined, diagnostics: [{ severity: 'error', message: refusal, pos: at(1, 1) }] };

  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { version: '1.1', merge: true, uniqueKeys: true, lineCounter, prettyErrors: false });
  const posAt = (offset: number): SourcePos => {
    const { line, col } = lineCounter.linePos(offset);
    return at(line, col);
  };
  for (const e of doc.errors) diagnostics.push({ severity: 'error', message: yamlMessage(e.code, e.message), pos: posAt(e.pos[0]) });
  if (diagnostics.length) return { file, text, value: undefined, diagnostics };

  const budget = { left: MAX_EXPANDED_NODES };
  try {
    const value = toValue(doc.contents as Node | null, posAt, budget, new Map());
    return { file, text, value, diagnostics };
  } catch (e) {
    if (e instanceof ExpansionError) {
      return { file, text, value: undefined, diagnostics: [{ severity: 'error', message: e.message, pos: e.pos }] };
    }
    throw e;
  }
}

function refuseText(text: string): string | undefined {
  if (Buffer.byteLength(text) > MAX_YAML_BYTES) {
    const mb = (Buffer.byteLength(text) / 1024 / 1024).toFixed(1);
    return `file is ${mb} MB; herdbook reads YAML files up to ${MAX_YAML_BYTES / 1024 / 1024} MB (is this the right file?)`;
  }
  if (text.includes('\u0000')) return 'this is a binary file, not YAML text';
  return undefined;
}

function yamlMessage(code: string, message: string): string {
  // The yaml library appends a code frame of its own; ours is printed by the reporter.
  const first = message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
  if (code === 'TAB_AS_INDENT') return 'tabs are not allowed for indentation in YAML; indent with spaces';
  if (code === 'DUPLICATE_KEY') return `${first} (a key may appear only once in a mapping)`;
  return first;
}

class ExpansionError extends Error {
  constructor(readonly pos: SourcePos) {
    super(`the document expands to more than ${MAX_EXPANDED_NODES} values through aliases (an alias bomb?); refusing to load it`);
  }
}

type PosAt = (offset: number) => SourcePos;

function toValue(node: Node | Alias | null, posAt: PosAt, budget: { left: number }, anchors: Map<Node, unknown>): unknown {
  if (node === null || node === undefined) return null;
  if (--budget.left < 0) throw new ExpansionError(posAt(node.range?.[0] ?? 0));
  if (isAlias(node)) {
    const target = (node as Alias).source ? findAnchor(node as Alias, anchors) : undefined;
    if (!target) return null;
    // Re-walk the anchored node so the expansion is counted against the budget.
    return toValue(target, posAt, budget, anchors);
  }
  if (node.anchor) anchors.set(node, true);
  if (isScalar(node)) return scalarValue(node as Scalar);
  if (isSeq(node)) {
    const out: unknown[] = [];
    const items: SourcePos[] = [];
    for (const item of node.items) {
      items.push(posAt((item as Node)?.range?.[0] ?? node.range?.[0] ?? 0));
      out.push(toValue(item as Node, posAt, budget, anchors));
    }
    attachInfo(out, { pos: posAt(node.range?.[0] ?? 0), items });
    return out;
  }
  if (isMap(node)) {
    const out: Record<string, unknown> = {};
    const info: NodeInfo = { pos: posAt(node.range?.[0] ?? 0), keys: {}, values: {} };
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const keyNode = pair.key as Node | null;
      if (isScalar(keyNode) && typeof keyNode.value === 'symbol') {
        mergeInto(out, info, pair.value as Node, posAt, budget, anchors);
        continue;
      }
      const key = keyString(keyNode, posAt, budget, anchors);
      info.keys![key] = posAt(keyNode?.range?.[0] ?? 0);
      info.values![key] = posAt((pair.value as Node | null)?.range?.[0] ?? keyNode?.range?.[0] ?? 0);
      out[key] = toValue(pair.value as Node | null, posAt, budget, anchors);
    }
    attachInfo(out, info);
    return out;
  }
  return (node as { toJSON?: () => unknown }).toJSON?.() ?? null;
}

function keyString(keyNode: Node | null, posAt: PosAt, budget: { left: number }, anchors: Map<Node, unknown>): string {
  const k = toValue(keyNode, posAt, budget, anchors);
  return typeof k === 'string' ? k : JSON.stringify(k);
}

function mergeInto(out: Record<string, unknown>, info: NodeInfo, src: Node, posAt: PosAt, budget: { left: number }, anchors: Map<Node, unknown>) {
  const merged = toValue(src, posAt, budget, anchors);
  const sources = Array.isArray(merged) ? merged : [merged];
  for (const m of sources) {
    if (!m || typeof m !== 'object') continue;
    for (const [k, v] of Object.entries(m as Record<string, unknown>)) {
      // Keys written in the mapping itself win over merged ones (YAML merge-key rule).
      if (!(k in out)) {
        out[k] = v;
        info.keys![k] = info.values![k] = posAt(src.range?.[0] ?? 0);
      }
    }
  }
}

function findAnchor(alias: Alias, anchors: Map<Node, unknown>): Node | undefined {
  let found: Node | undefined;
  for (const n of anchors.keys()) if (n.anchor === alias.source) found = n;
  return found;
}

// PyYAML (what Ansible users' files were written for) reads only these plain words as
// booleans; the YAML 1.1 spec's y/Y/n/N stay strings.
const PYYAML_BOOL = /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/;

function scalarValue(node: Scalar): unknown {
  const source = (node as Scalar & { source?: string }).source;
  if (typeof node.value === 'boolean' && node.type === 'PLAIN' && source !== undefined && !PYYAML_BOOL.test(source)) return source;
  return node.value;
}
