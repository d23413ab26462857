// A module's documentation read out of its JSON Schema (schemas/modules/NAME.json): the same
// file validates its arguments, so `herdbook doc` and validation cannot disagree. Types,
// defaults, choices, required, aliases ("Alias of X." descriptions), `examples` (argument
// objects), and `x-check-mode-plans-when` for modules that plan only with some arguments.

export type ArgDoc = {
  name: string;
  type: string;
  required: boolean;
  default?: unknown;
  choices?: unknown[];
  aliases: string[];
  description?: string;
  /** An object argument's (or a list of objects') own arguments. */
  children: ArgDoc[];
};

/** Alternatives, any of which lets the module plan in check mode: argument → allowed values, or '*' for "given". */
export type PlansWhen = Record<string, '*' | string[]>[];

export type ModuleDoc = {
  name: string;
  description: string;
  args: ArgDoc[];
  /** Rules across arguments ("one of src, content"), from oneOf/anyOf/if-then. */
  rules: string[];
  examples: unknown[];
  plansWhen?: PlansWhen;
  /** The module takes one string too (`command: ls -l`). */
  freeForm: boolean;
};

type Json = Record<string, unknown>;
/** Reads another schema file by its path relative to schemas/modules/ (for `$ref`s). */
export type SchemaFile = (file: string) => Json | undefined;

function resolve(node: Json, self: Json, read: SchemaFile): Json {
  const ref = node.$ref;
  if (typeof ref !== 'string') return node;
  const [file, pointer = ''] = ref.split('#');
  let target: unknown = file ? read(file) : self;
  for (const part of pointer.split('/').filter(Boolean)) target = (target as Json | undefined)?.[part];
  const { $ref: _r, ...rest } = node;
  // The place that refers may say more (its own description): it wins.
  return { ...resolve((target as Json | undefined) ?? {}, file ? (read(file) ?? {}) : self, read), ...rest };
}

function typeText(s: Json, self: Json, read: SchemaFile): string {
  if (Array.isArray(s.enum)) return typeof s.enum[0] === 'string' ? 'string' : 'value';
  const t = s.type;
  const one = (x: string): string => {
    if (x !== 'array') return x === 'object' ? 'mapping' : x;
    const items = s.items && typeof s.items === 'object' ? resolve(s.items as Json, self, read) : undefined;
    return items && (items.type || items.enum || items.oneOf) ? `list of ${typeText(items, self, read)}` : 'list';
  };
  if (typeof t === 'string') return one(t);
  if (Array.isArray(t)) return t.map((x) => one(String(x))).join(' or ');
  const alts = (s.oneOf ?? s.anyOf) as Json[] | undefined;
  if (Array.isArray(alts))
    return [...new Set(alts.map((a) => typeText(resolve(a, self, read), self, read)))].join(' or ');
  return 'any';
}

function args(schema: Json, self: Json, read: SchemaFile): ArgDoc[] {
  const props = (schema.properties ?? {}) as Record<string, Json>;
  const required = new Set((schema.required as string[] | undefined) ?? []);
  const out: ArgDoc[] = [];
  const aliasOf = new Map<string, string>();
  for (const [name, raw] of Object.entries(props)) {
    const m = typeof raw.description === 'string' ? /^Alias of (\w+)\./.exec(raw.description) : null;
    if (m) aliasOf.set(name, m[1]);
  }
  for (const [name, raw] of Object.entries(props)) {
    if (aliasOf.has(name)) continue;
    const s = resolve(raw, self, read);
    const items = s.items && typeof s.items === 'object' ? resolve(s.items as Json, self, read) : undefined;
    const nested = s.properties ? s : items?.properties ? items : undefined;
    out.push({
      name,
      type: typeText(s, self, read),
      required: required.has(name),
      ...(s.default !== undefined ? { default: s.default } : {}),
      ...(Array.isArray(s.enum) ? { choices: s.enum as unknown[] } : {}),
      aliases: [...aliasOf].filter(([, to]) => to === name).map(([from]) => from),
      ...(typeof s.description === 'string' ? { description: s.description } : {}),
      children: nested ? args(nested, self, read) : [],
    });
  }
  return out;
}

function rules(schema: Json): string[] {
  const out: string[] = [];
  const names = (alts: unknown) =>
    (alts as Json[]).map((a) => ((a.required as string[] | undefined) ?? []).join(' and ')).filter(Boolean);
  if (Array.isArray(schema.oneOf)) out.push(`exactly one of: ${names(schema.oneOf).join(', ')}`);
  if (Array.isArray(schema.anyOf)) out.push(`at least one of: ${names(schema.anyOf).join(', ')}`);
  const cond = schema.if as Json | undefined;
  const then = schema.then as Json | undefined;
  const notAny = (cond?.not as Json | undefined)?.anyOf;
  if (Array.isArray(notAny) && Array.isArray(then?.required))
    out.push(`${(then.required as string[]).join(', ')} required (or ${names(notAny).join(' or ')})`);
  return out;
}

export function moduleDoc(name: string, schema: Json, read: SchemaFile, freeForm: boolean): ModuleDoc {
  return {
    name,
    description: typeof schema.description === 'string' ? schema.description : '',
    args: args(schema, schema, read),
    rules: rules(schema),
    examples: Array.isArray(schema.examples) ? schema.examples : [],
    ...(Array.isArray(schema['x-check-mode-plans-when'])
      ? { plansWhen: schema['x-check-mode-plans-when'] as PlansWhen }
      : {}),
    freeForm,
  };
}

/** Every argument name a doc mentions, nested ones as `parent.child`, aliases included. */
export function argumentNames(doc: ModuleDoc): string[] {
  const walk = (list: ArgDoc[], prefix: string): string[] =>
    list.flatMap((a) => [
      `${prefix}${a.name}`,
      ...a.aliases.map((x) => `${prefix}${x}`),
      ...walk(a.children, `${prefix}${a.name}.`),
    ]);
  return walk(doc.args, '');
}
