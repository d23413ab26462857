// `herdbook doc MODULE` and `herdbook doc --list`: read out of schemas/modules/ (arguments,
// types, defaults, choices, required, aliases, examples) and the module's definition (where it
// runs, whether it plans in check mode), so the documentation is the validation's own source.
import path from 'node:path';
import { stringify } from 'yaml';
import { UsageError } from '../errors.js';
import type { ModuleDef } from '../module.js';
import { suggest } from '../suggest.js';
import { moduleDoc, type ArgDoc, type ModuleDoc, type PlansWhen } from '../validate/module-doc.js';
import { createSchemaRegistry, readSchemas } from '../validate/schemas.js';
import { loadModule } from '../../modules/index.js';
import type { CommandIO } from './io.js';

export type DocOptions = { list?: boolean };

const RUNS_ON: Record<ModuleDef['runsOn'], string> = {
  host: 'the host, through its connection (ssh, local or pct)',
  api: 'the controller, against the Kubernetes API',
  controller: 'the controller (no connection to the host)',
};

export function docsFor(): { docs: Map<string, ModuleDoc> } {
  const registry = createSchemaRegistry();
  const raw = readSchemas();
  const read = (file: string) => raw.get(path.posix.join('modules', file));
  const docs = new Map<string, ModuleDoc>();
  for (const [name, schema] of registry.modules)
    docs.set(name, moduleDoc(name, schema, read, registry.freeForm.has(name)));
  return { docs };
}

/** The first sentence: `herdbook doc --list`'s one line. */
export function summary(description: string): string {
  // A period ends it, not a colon: "with `on: host`" is inside the sentence.
  const m = /^(.+?\.)(\s|$)/s.exec(description);
  return (m ? m[1] : description).replace(/\s+/g, ' ');
}

function wrap(text: string, indent: string, width = 100): string {
  const words = text.replace(/\s+/g, ' ').trim().split(' ');
  const lines: string[] = [];
  let cur = '';
  for (const w of words) {
    if (cur && indent.length + cur.length + 1 + w.length > width) {
      lines.push(indent + cur);
      cur = w;
    } else cur = cur ? `${cur} ${w}` : w;
  }
  if (cur) lines.push(indent + cur);
  return lines.join('\n');
}

const show = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

function argLines(args: ArgDoc[], indent: string, out: string[]): void {
  for (const a of args) {
    out.push(`${indent}${a.name} (${a.type}${a.required ? ', required' : ''})`);
    const more = `${indent}    `;
    if (a.aliases.length) out.push(`${more}aliases: ${a.aliases.join(', ')}`);
    if (a.choices) out.push(`${more}choices: ${a.choices.map(show).join(', ')}`);
    if (a.default !== undefined) out.push(`${more}default: ${show(a.default)}`);
    if (a.description) out.push(wrap(a.description, more));
    if (a.children.length) argLines(a.children, more, out);
  }
}

function conditionText(when: PlansWhen): string {
  return when
    .map((alt) =>
      Object.entries(alt)
        .map(([k, v]) => (v === '*' ? `${k} is given` : `${k} is ${v.join(', ')}`))
        .join(' and '),
    )
    .join('; or ');
}

export function checkModeText(def: ModuleDef, doc: ModuleDoc): string {
  if (def.predictable === true) return 'plans: --check reports what it would change, and changes nothing';
  if (def.predictable === false)
    return 'unknown: it cannot predict its effect; --check reports it as unknown and runs nothing';
  return doc.plansWhen
    ? `plans when ${conditionText(doc.plansWhen)}; otherwise unknown (it cannot predict its effect, --check runs nothing)`
    : 'depends on its arguments';
}

export function renderDoc(doc: ModuleDoc, def: ModuleDef): string {
  const out = [`${doc.name}`, '', wrap(doc.description, '  '), ''];
  out.push(`runs on: ${RUNS_ON[def.runsOn]}`);
  out.push(`check mode: ${checkModeText(def, doc)}`);
  if (doc.freeForm)
    out.push(`free-form: \`${doc.name}: TEXT\` is short for \`${doc.name}: { ${def.freeForm ?? 'cmd'}: TEXT }\``);
  out.push('', 'arguments:');
  if (!doc.args.length) out.push('  (any variable names; see the description)');
  argLines(doc.args, '  ', out);
  if (doc.rules.length) out.push('', 'rules:', ...doc.rules.map((r) => `  ${r}`));
  if (doc.examples.length) {
    out.push('', 'examples:');
    for (const ex of doc.examples)
      out.push(
        stringify([{ [doc.name]: ex }], { lineWidth: 0 })
          .trimEnd()
          .split('\n')
          .map((l) => `  ${l}`)
          .join('\n'),
      );
  }
  return out.join('\n');
}

export async function docCommand(name: string | undefined, o: DocOptions, io: CommandIO): Promise<number> {
  const { docs } = docsFor();
  if (o.list || !name) {
    if (!o.list) throw new UsageError('doc: name a module (herdbook doc copy), or list them with --list');
    const width = Math.max(...[...docs.keys()].map((n) => n.length));
    for (const [n, d] of [...docs].sort(([a], [b]) => a.localeCompare(b)))
      io.out(`${n.padEnd(width)}  ${summary(d.description)}`);
    return 0;
  }
  const doc = docs.get(name);
  if (!doc) {
    const near = suggest(name, [...docs.keys()]);
    throw new UsageError(
      `doc: no module '${name}'${near ? ` (did you mean '${near}'?)` : ''}; herdbook doc --list shows them`,
    );
  }
  io.out(renderDoc(doc, await loadModule(name)));
  return 0;
}
