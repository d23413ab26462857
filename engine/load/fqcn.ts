// Modules by their collection names, as Ansible 2.14 resolves them: each module schema says its
// collection (`x-collection`: ansible.builtin, ansible.posix, community.general); herdbook's own
// modules (drain, k3s_version, ...) have none and are written by their short name only.
const FQCN_SHAPE = /^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$/i;

/** Task keywords Ansible also knows as ansible.builtin modules. */
const BUILTIN_KEYWORDS = ['include_tasks', 'import_tasks', 'include_role', 'import_role'];

export type ModuleNames = {
  /** Every accepted collection name → the module (or keyword) herdbook runs. */
  byFqcn: ReadonlyMap<string, string>;
  /** Module → its canonical collection name (undefined: herdbook's own module). */
  canonical: ReadonlyMap<string, string>;
};

const cache = new WeakMap<ReadonlyMap<string, Record<string, unknown>>, ModuleNames>();

/** Ansible's names for the modules whose schemas are given (the result is cached per map). */
export function moduleNames(schemas: ReadonlyMap<string, Record<string, unknown>>): ModuleNames {
  const hit = cache.get(schemas);
  if (hit) return hit;
  const byFqcn = new Map<string, string>();
  const canonical = new Map<string, string>();
  const add = (collection: string, name: string, target = name) => byFqcn.set(`${collection}.${name}`, target);
  for (const name of BUILTIN_KEYWORDS) for (const c of ['ansible.builtin', 'ansible.legacy']) add(c, name);
  for (const [name, schema] of schemas) {
    const collection = schema['x-collection'];
    if (typeof collection !== 'string') continue;
    canonical.set(name, `${collection}.${name}`);
    add(collection, name);
    // ansible.legacy is ansible.builtin plus local plugins; modules that left core in 2.10
    // (sysctl, modprobe) are still found as ansible.builtin.X through ansible_builtin_runtime.yml.
    add('ansible.legacy', name);
    add('ansible.builtin', name);
    const aliases = schema['x-aliases'];
    if (Array.isArray(aliases)) for (const a of aliases) if (typeof a === 'string') add(collection, a, name);
  }
  const names = { byFqcn, canonical };
  cache.set(schemas, names);
  return names;
}

export function looksLikeFqcn(key: string): boolean {
  return FQCN_SHAPE.test(key);
}

/**
 * Why a collection name is not one herdbook runs, and a hint: the name herdbook has the module
 * under (`elsewhere`: community.general.sysctl → ansible.posix.sysctl), or what the collection offers.
 */
export function unknownFqcn(
  key: string,
  schemas: ReadonlyMap<string, Record<string, unknown>>,
): { message: string; hint: string; elsewhere: boolean } {
  const names = moduleNames(schemas);
  const short = key.slice(key.lastIndexOf('.') + 1);
  const collection = key.slice(0, key.lastIndexOf('.'));
  const message = `module '${key}' is not one herdbook implements`;
  if (schemas.has(short)) {
    const right = names.canonical.get(short);
    return right
      ? { message, elsewhere: true, hint: `herdbook's ${short} is ${right}: write '${right}' or '${short}'` }
      : {
          message,
          elsewhere: true,
          hint: `${short} is herdbook's own module, with no collection name: write '${short}'`,
        };
  }
  const same = [...names.canonical.values()].filter((n) => n.startsWith(`${collection}.`)).sort();
  return {
    message,
    elsewhere: false,
    hint: same.length
      ? `from ${collection}, herdbook implements: ${same.join(', ')}`
      : `herdbook implements no module of ${collection}`,
  };
}
