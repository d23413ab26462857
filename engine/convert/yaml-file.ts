// One YAML file of an Ansible repository converted: its templates and conditions through the
// translator, `with_*` loops to `loop`, modules and arguments to herdbook's names, each change a
// splice of the source (splice.ts). What it reaches (task files, roles, vars files, templates)
// is returned for the walk to follow.
import {
  isMap,
  isPair,
  isScalar,
  isSeq,
  parseDocument,
  type DocumentOptions,
  type Node,
  type Pair,
  type ParseOptions,
  type Scalar,
  type SchemaOptions,
  type YAMLMap,
} from 'yaml';
import type { Diagnostic } from '../errors.js';
import type { JinjaNote } from '../jinja/index.js';
import { convertBuilt, convertCondition, convertTemplate, type Outcome } from './expressions.js';
import { planLoop } from './loops.js';
import { argument, moduleKey, TASK_KEYWORDS } from './modules.js';
import { lineIndex, type Collector, type Construct } from './report.js';
import { applySplices, scalarSplice, type Splice } from './splice.js';

export type FileKind = 'playbook' | 'tasks' | 'vars' | 'meta';

/** A file this one names: followed by the walk (reach.ts). */
export type Ref = {
  kind: 'playbook' | 'tasks' | 'role' | 'vars' | 'template';
  name: string;
  line: number;
  col: number;
  /** tasks_from of include_role/import_role. */
  tasksFrom?: string;
};

export type Schemas = ReadonlyMap<string, Record<string, unknown>>;

type Ctx = {
  file: string;
  source: string;
  splices: Splice[];
  refs: Ref[];
  out: Collector;
  schemas: Schemas;
  at: (offset: number) => { line: number; col: number };
};

const CONDITIONS = ['when', 'changed_when', 'failed_when', 'until'];
const TASK_LISTS = ['tasks', 'pre_tasks', 'post_tasks', 'handlers'];

/**
 * YAML 1.1 as Ansible's PyYAML reads it: yes/no/on/off/true/false are booleans, but not the
 * spec's y/n (the `yaml` package's 1.1 schema takes `[x, y]` as `['x', true]`).
 */
const PY_TRUE = /^(?:[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/;
const PY_BOOL = {
  identify: (v: unknown) => typeof v === 'boolean',
  default: true,
  tag: 'tag:yaml.org,2002:bool',
  test: /^(?:[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON|[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/,
  resolve: (str: string) => PY_TRUE.test(str),
};
const PYYAML: ParseOptions & DocumentOptions & SchemaOptions = {
  version: '1.1',
  uniqueKeys: false,
  customTags: (tags) => [...tags.filter((t) => (t as { tag?: string }).tag !== PY_BOOL.tag), PY_BOOL],
};

export function convertYamlFile(
  file: string,
  source: string,
  kind: FileKind,
  out: Collector,
  schemas: Schemas,
): { text: string; refs: Ref[] } | { diagnostics: Diagnostic[] } {
  const doc = parseDocument(source, { ...PYYAML, prettyErrors: false });
  if (doc.errors.length) {
    const at = lineIndex(source);
    return {
      diagnostics: doc.errors.map((e) => ({
        severity: 'error' as const,
        message: `YAML: ${e.message.split('\n')[0]}`,
        pos: { file, ...at(e.pos[0]) },
      })),
    };
  }
  const ctx: Ctx = { file, source, splices: [], refs: [], out, schemas, at: lineIndex(source) };
  const root = doc.contents;
  if (kind === 'playbook' && isSeq(root)) for (const play of root.items) playNode(play, ctx);
  else if (kind === 'tasks' && isSeq(root)) taskList(root, ctx);
  else if (kind === 'meta' && isMap(root)) metaNode(root, ctx);
  else if (root) strings(root, ctx);
  const text = applySplices(source, ctx.splices);
  // A last guard: a rewrite that would not parse is not written (the file is kept, and said so).
  const check = ctx.splices.length ? parseDocument(text, PYYAML).errors : [];
  if (check.length) {
    const why = `the converted file would not parse (${check[0].message.split('\n')[0]}): kept as written`;
    out.add({ type: 'left', what: 'template', file, line: 1, col: 1, jinja: '(the whole file)', why });
    return { text: source, refs: ctx.refs };
  }
  return { text, refs: ctx.refs };
}

function pos(node: Node | undefined, ctx: Ctx): { line: number; col: number } {
  return ctx.at(node?.range?.[0] ?? 0);
}

function str(node: unknown): string | undefined {
  return isScalar(node) && typeof node.value === 'string' ? node.value : undefined;
}

/** Where a note about `node`'s text points: its Jinja text found in the source, or the node. */
function notePos(node: Scalar, n: JinjaNote, ctx: Ctx): { line: number; col: number } {
  const [start, end] = node.range!;
  const first = n.jinja.split('\n')[0];
  const i = first ? ctx.source.slice(start, end).indexOf(first) : -1;
  return ctx.at(i >= 0 ? start + i : start);
}

function record(node: Scalar, what: Construct, o: Outcome, ctx: Ctx): void {
  const value = String(node.value);
  if (o.kind === 'none') return;
  if (o.kind === 'left') {
    for (const n of o.notes)
      ctx.out.add({
        type: 'left',
        what,
        file: ctx.file,
        ...notePos(node, n, ctx),
        jinja: n.jinja,
        why: n.why,
        write: n.write,
      });
    return;
  }
  ctx.out.add({ type: 'converted', what, file: ctx.file, ...pos(node, ctx), jinja: value, herdbook: o.text });
  if (o.text !== value) ctx.splices.push(scalarSplice(ctx.source, node, o.text));
}

/** Every string under a node as a template; `!vault` values and keys are not touched. */
function strings(node: unknown, ctx: Ctx): void {
  if (isScalar(node)) {
    if (typeof node.value === 'string' && node.tag !== '!vault')
      record(node, 'template', convertTemplate(node.value), ctx);
  } else if (isSeq(node)) for (const x of node.items) strings(x, ctx);
  else if (isMap(node)) for (const p of node.items) strings(p.value, ctx);
}

function condition(node: unknown, ctx: Ctx): void {
  if (isSeq(node)) for (const x of node.items) condition(x, ctx);
  else if (isScalar(node) && typeof node.value === 'string')
    record(node, 'condition', convertCondition(node.value), ctx);
}

function ref(kind: Ref['kind'], name: string, at: Node | undefined, ctx: Ctx, tasksFrom?: string): void {
  ctx.refs.push({ kind, name, ...pos(at, ctx), tasksFrom });
}

function playNode(play: Node, ctx: Ctx): void {
  if (!isMap(play)) return;
  gatherFacts(play, ctx);
  for (const pair of play.items) {
    const key = str(pair.key);
    const value = pair.value as Node | undefined;
    if (key === 'import_playbook' || key === 'ansible.builtin.import_playbook') {
      if (key !== 'import_playbook') moduleEntry(pair as Pair<Node, Node>, key, ctx);
      const name = str(value);
      if (name) ref('playbook', name, value, ctx);
      strings(value, ctx);
    } else if (key === 'vars_files') {
      for (const v of isSeq(value) ? value.items : [value]) {
        const names = isSeq(v) ? v.items.map(str) : [str(v)];
        for (const n of names) if (n) ref('vars', n, v as Node, ctx);
      }
      strings(value, ctx);
    } else if (key === 'roles' && isSeq(value)) for (const r of value.items) roleEntry(r as Node, ctx);
    else if (key && TASK_LISTS.includes(key) && isSeq(value)) taskList(value, ctx);
    else if (key === 'when') condition(value, ctx);
    else strings(value, ctx);
  }
}

/**
 * Ansible gathers facts unless a play says not to; herdbook only with `gather_facts: true`
 * (README). A converted play that does not say gets the line, so `ansible_hostname` and
 * friends are there as they were.
 */
function gatherFacts(play: YAMLMap, ctx: Ctx): void {
  if (play.flow || play.has('gather_facts') || !play.has('hosts')) return;
  const hosts = play.items.find((p) => str(p.key) === 'hosts')!;
  const key = hosts.key as Scalar;
  const end = (hosts.value as Node | null)?.range?.[1] ?? key.range![1];
  const indent = ' '.repeat(ctx.at(key.range![0]).col - 1);
  const text = ctx.source;
  const at = text[end - 1] === '\n' ? end : text.indexOf('\n', end) < 0 ? text.length : text.indexOf('\n', end);
  const line = `${indent}gather_facts: true`;
  ctx.splices.push({ start: at, end: at, text: text[end - 1] === '\n' ? `${line}\n` : `\n${line}` });
  ctx.out.add({
    type: 'converted',
    what: 'keyword',
    file: ctx.file,
    ...pos(key, ctx),
    jinja: 'gather_facts (unset: Ansible gathers)',
    herdbook: 'gather_facts: true',
  });
}

function roleEntry(r: Node, ctx: Ctx): void {
  const name = str(r);
  if (name) return ref('role', name, r, ctx);
  if (!isMap(r)) return;
  for (const p of r.items) {
    const key = str(p.key);
    if ((key === 'role' || key === 'name') && str(p.value)) ref('role', str(p.value)!, p.value as Node, ctx);
    else if (key === 'when') condition(p.value, ctx);
    else strings(p.value, ctx);
  }
}

function metaNode(root: YAMLMap, ctx: Ctx): void {
  for (const p of root.items) {
    if (str(p.key) === 'dependencies' && isSeq(p.value)) for (const r of p.value.items) roleEntry(r as Node, ctx);
    else strings(p.value, ctx);
  }
}

function taskList(seq: { items: unknown[] }, ctx: Ctx): void {
  for (const t of seq.items) if (isMap(t)) task(t, ctx);
}

function task(t: YAMLMap, ctx: Ctx): void {
  const pairs = t.items.filter(isPair) as Pair<Node, Node>[];
  const keys = pairs.map((p) => str(p.key) ?? '');
  const action = keys.find(
    (k) =>
      k &&
      !TASK_KEYWORDS.has(k) &&
      !CONDITIONS.includes(k) &&
      !k.startsWith('with_') &&
      !['block', 'rescue', 'always', 'args'].includes(k),
  );
  for (const pair of pairs) {
    const key = str(pair.key);
    if (!key) continue;
    if (['block', 'rescue', 'always'].includes(key) && isSeq(pair.value)) taskList(pair.value, ctx);
    else if (CONDITIONS.includes(key)) condition(pair.value, ctx);
    else if (key.startsWith('with_')) loop(pair, key.slice(5), ctx, action);
    else if (TASK_KEYWORDS.has(key) || key === 'args') strings(pair.value, ctx);
    else moduleEntry(pair, key, ctx, t);
  }
}

function loop(pair: Pair<Node, Node>, name: string, ctx: Ctx, action?: string): void {
  const keyNode = pair.key as unknown as Scalar;
  const value = pair.value;
  const plan = planLoop(name, value?.toJSON(), action);
  const jinja = `with_${name}: ${ctx.source.slice(value?.range?.[0] ?? 0, value?.range?.[1] ?? 0).trim()}`;
  const where = { file: ctx.file, ...pos(keyNode, ctx) };
  if ('rename' in plan) {
    ctx.splices.push({ start: keyNode.range![0], end: keyNode.range![1], text: 'loop' });
    ctx.out.add({ type: 'converted', what: 'loop', ...where, jinja: `with_${name}`, herdbook: 'loop' });
    return strings(value, ctx);
  }
  const built = 'expr' in plan ? convertBuilt(plan.expr) : undefined;
  if (built && 'text' in built) {
    ctx.splices.push({ start: keyNode.range![0], end: keyNode.range![1], text: 'loop' });
    const v = value && isScalar(value) ? value : undefined;
    if (v) ctx.splices.push(scalarSplice(ctx.source, v, built.text));
    else if (value?.range)
      ctx.splices.push({ start: keyNode.range![1], end: value.range[1], text: `: ${JSON.stringify(built.text)}` });
    ctx.out.add({ type: 'converted', what: 'loop', ...where, jinja, herdbook: `loop: ${built.text}` });
    return;
  }
  // herdbook runs with_items itself, flattening one level as Ansible does: kept, its strings translated.
  if (name === 'items') {
    ctx.out.add({ type: 'converted', what: 'loop', ...where, jinja: 'with_items', herdbook: 'with_items' });
    return strings(value, ctx);
  }
  const why =
    'left' in plan
      ? plan.left
      : `the guide's loop (${plan.expr}) needs what herdbook cannot translate yet: ${built && 'notes' in built ? built.notes.map((n) => n.why).join('; ') : ''}`;
  ctx.out.add({ type: 'left', what: 'loop', ...where, jinja, why, write: 'left' in plan ? plan.write : undefined });
}

function moduleEntry(pair: Pair<Node, Node>, key: string, ctx: Ctx, t?: YAMLMap): void {
  const keyNode = pair.key as unknown as Scalar;
  const where = { file: ctx.file, ...pos(keyNode, ctx) };
  const verdict = moduleKey(key, ctx.schemas);
  if (verdict.left) ctx.out.add({ type: 'left', what: 'module', ...where, jinja: key, ...verdict.left });
  else if (verdict.rename) {
    ctx.splices.push({ start: keyNode.range![0], end: keyNode.range![1], text: verdict.rename });
    ctx.out.add({ type: 'converted', what: 'module', ...where, jinja: key, herdbook: verdict.rename });
  }
  const short = verdict.rename ?? key;
  references(short, pair.value ?? undefined, ctx);
  const schema = verdict.module ? ctx.schemas.get(verdict.module) : undefined;
  const argsMaps = [pair.value, t?.get('args', true)].filter(isMap);
  if (schema && verdict.module)
    for (const m of argsMaps)
      for (const p of m.items) {
        const name = str(p.key);
        const a = name ? argument(verdict.module, name, schema) : undefined;
        const k = p.key as Scalar;
        if (!a || !name) continue;
        const at = { file: ctx.file, ...pos(k, ctx) };
        if ('rename' in a) {
          ctx.splices.push({ start: k.range![0], end: k.range![1], text: a.rename });
          ctx.out.add({ type: 'converted', what: 'argument', ...at, jinja: name, herdbook: a.rename });
        } else ctx.out.add({ type: 'left', what: 'argument', ...at, jinja: name, why: a.left });
      }
  argumentValues(short, pair.value, ctx);
}

/** assert's `that` holds conditions and debug's `var` a variable path; every other argument is a template. */
function argumentValues(module: string, value: Node | null, ctx: Ctx): void {
  if (!isMap(value) || (module !== 'assert' && module !== 'debug')) return strings(value, ctx);
  for (const p of value.items) {
    const key = str(p.key);
    if (module === 'assert' && key === 'that') condition(p.value, ctx);
    else if (module === 'debug' && key === 'var' && isScalar(p.value) && typeof p.value.value === 'string') {
      const v = p.value.value;
      if (/^[A-Za-z_][\w.]*$/.test(v)) continue;
      const where = { file: ctx.file, ...pos(p.value, ctx) };
      ctx.out.add({
        type: 'left',
        what: 'template',
        ...where,
        jinja: v,
        why: "debug's var takes a variable path in herdbook, not an expression",
        write: `msg: "{{ ${v} }}"`,
      });
    } else strings(p.value, ctx);
  }
}

/** The files a task names: included task files, roles, templates, vars files. */
function references(module: string, value: Node | undefined, ctx: Ctx): void {
  const arg = (name: string): Node | undefined => (isMap(value) ? value.get(name, true) : undefined);
  if (module === 'include_tasks' || module === 'import_tasks') {
    const n = str(value) !== undefined ? value : arg('file');
    if (str(n)) ref('tasks', str(n)!, n, ctx);
  } else if (module === 'include_role' || module === 'import_role') {
    const n = arg('name');
    if (str(n)) ref('role', str(n)!, n, ctx, str(arg('tasks_from')));
  } else if (module === 'template') {
    const n = arg('src');
    if (str(n)) ref('template', str(n)!, n, ctx);
  } else if (module === 'include_vars') {
    const n = str(value) !== undefined ? value : arg('file');
    if (str(n)) ref('vars', str(n)!, n, ctx);
  }
}
