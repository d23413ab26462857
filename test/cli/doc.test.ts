// `herdbook doc`: generated from schemas/modules/ and the module definitions. Every argument of
// every schema appears in its doc, every example is valid against the schema it documents, and
// a module that plans only with some arguments says which, checked against its own predicate.
import { describe, expect, it } from 'vitest';
import { checkModeText, docsFor, renderDoc, summary } from '../../engine/commands/doc.js';
import { argumentNames, type PlansWhen } from '../../engine/validate/module-doc.js';
import { createSchemaRegistry, readSchemas } from '../../engine/validate/schemas.js';
import { loadModule, MODULE_NAMES } from '../../modules/index.js';
import { project } from './fixture.js';
import { herdbook } from './run-cli.js';

const { docs } = docsFor();
const registry = createSchemaRegistry({ useDefaults: true });
const raw = readSchemas();

/** Every property name in a schema, nested ones as parent.child ($refs followed). */
function schemaNames(schema: Record<string, unknown>, prefix = ''): string[] {
  const props = (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
  return Object.entries(props).flatMap(([name, p]) => {
    const items = p.items as Record<string, unknown> | undefined;
    const nested = p.properties ? p : items?.properties ? items : undefined;
    return [`${prefix}${name}`, ...(nested ? schemaNames(nested, `${prefix}${name}.`) : [])];
  });
}

describe('herdbook doc', () => {
  it('documents every module that has a schema, and only those', () => {
    expect([...docs.keys()].sort()).toEqual([...registry.modules.keys()].sort());
    for (const name of docs.keys()) expect(MODULE_NAMES).toContain(name);
  });

  it.each([...registry.modules.keys()])('%s: every schema argument is in the doc output', async (name) => {
    const doc = docs.get(name)!;
    const text = renderDoc(doc, await loadModule(name));
    const named = argumentNames(doc);
    for (const arg of schemaNames(registry.modules.get(name)!)) {
      expect(named).toContain(arg);
      // The rendered text names it too: as an argument line, or in an aliases line.
      const last = arg.split('.').pop()!;
      expect(text).toMatch(new RegExp(`(^\\s+${last} \\(|aliases: .*\\b${last}\\b)`, 'm'));
    }
  });

  it.each([...registry.modules.keys()])(
    '%s: has a description for every argument and examples valid against the schema',
    (name) => {
      const doc = docs.get(name)!;
      const walk = (list: typeof doc.args): string[] =>
        list.flatMap((a) => [...(a.description ? [] : [a.name]), ...walk(a.children)]);
      expect(walk(doc.args)).toEqual([]);
      expect(doc.examples.length).toBeGreaterThan(0);
      const validate = registry.validator(`modules/${name}.json`);
      for (const ex of doc.examples) {
        // Examples are what users write: check a copy (ajv fills in defaults).
        const ok = validate(structuredClone(ex));
        expect(ok, `${name} example ${JSON.stringify(ex)}: ${JSON.stringify(validate.errors)}`).toBe(true);
      }
    },
  );

  it.each([...registry.modules.keys()])(
    "%s: the check-mode line agrees with the module's own predicate",
    async (name) => {
      const def = await loadModule(name);
      const doc = docs.get(name)!;
      const text = checkModeText(def, doc);
      if (typeof def.predictable === 'boolean') {
        expect(doc.plansWhen).toBeUndefined();
        expect(text).toMatch(def.predictable ? /^plans/ : /^unknown/);
        return;
      }
      // A predicate: the schema must list when it plans, and each alternative must make it plan.
      expect(doc.plansWhen, `${name}: add x-check-mode-plans-when to its schema`).toBeDefined();
      const when = doc.plansWhen as PlansWhen;
      const base = { ...defaults(name), method: 'POST' };
      expect(def.predictable(base)).toBe(false);
      for (const alt of when)
        for (const [k, v] of Object.entries(alt))
          for (const value of v === '*' ? ['/some/path'] : v)
            expect(def.predictable({ ...base, [k]: value }), `${name} with ${k}=${value}`).toBe(true);
      expect(text).toMatch(/^plans when .*otherwise unknown/);
    },
  );

  it('renders arguments with types, required, defaults, choices and aliases, and the examples as tasks', async () => {
    const copy = renderDoc(docs.get('copy')!, await loadModule('copy'));
    expect(copy).toMatch(/^ {2}dest \(string, required\)$/m);
    expect(copy).toContain('rules:\n  exactly one of: src, content');
    expect(copy).toMatch(/^check mode: plans: --check reports what it would change, and changes nothing$/m);
    expect(copy).toMatch(/^examples:\n {2}- copy:\n {6}content: /m);
    const file = renderDoc(docs.get('file')!, await loadModule('file'));
    expect(file).toMatch(/^ {2}path \(string\)\n {6}aliases: dest, name$/m);
    expect(file).toMatch(/^ {6}choices: file, directory, link, hard, absent, touch$/m);
    expect(file).toMatch(/^ {2}recurse \(boolean\)\n {6}default: false$/m);
    const taint = renderDoc(docs.get('taint')!, await loadModule('taint'));
    expect(taint).toMatch(/^ {2}taints \(list of mapping, required\)\n[^\n]*\n {6}key \(string, required\)$/m);
    const command = renderDoc(docs.get('command')!, await loadModule('command'));
    expect(command).toMatch(
      /^check mode: plans when creates is given; or removes is given; or check_command is given; otherwise unknown/m,
    );
  });

  it('--list: one line per module, its summary the first sentence of the schema description', () => {
    const r = herdbook(['doc', '--list'], project());
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(docs.size);
    expect(lines.find((l) => l.startsWith('drain '))).toMatch(
      /^drain +Cordon, drain or uncordon a node, with kubectl's rules and messages\.$/,
    );
    expect(summary('One thing. Another.')).toBe('One thing.');
  });

  it('doc MODULE prints the page; an unknown module is a usage error with a suggestion', () => {
    const dir = project();
    const r = herdbook(['doc', 'systemd'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^systemd\n\n {2}Start, stop, restart/);
    const bad = herdbook(['doc', 'sytemd'], dir);
    expect(bad.code).toBe(5);
    expect(bad.stderr).toContain("herdbook: doc: no module 'sytemd' (did you mean 'systemd'?)");
    const none = herdbook(['doc'], dir);
    expect(none.code).toBe(5);
    expect(none.stderr).toContain('name a module');
  });
});

function defaults(name: string): Record<string, unknown> {
  const schema = raw.get(`modules/${name}.json`) as { properties?: Record<string, { default?: unknown }> };
  return Object.fromEntries(
    Object.entries(schema.properties ?? {})
      .filter(([, p]) => p.default !== undefined)
      .map(([k, p]) => [k, p.default]),
  );
}
