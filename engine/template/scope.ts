// Variables as layers (strongest first), looked up without merging: a host's scope for one
// task is an array of references, cheap even for thousands of hosts. Values that are
// themselves templates are rendered when read (Ansible's lazy evaluation), once per scope.

export const MISSING: unique symbol = Symbol('missing');
export type Missing = typeof MISSING;
/** A value, or MISSING when there is none: to TypeScript simply unknown (of which MISSING is a
 * part); the name is for the reader, who must check for MISSING. */
export type MaybeMissing = unknown;

/** A mapping whose values are computed on access (hostvars, another host's variables). */
export class LazyVars {
  constructor(
    private readonly lookupFn: (key: string) => MaybeMissing,
    private readonly keysFn: () => string[],
  ) {}
  lookup(key: string): MaybeMissing {
    return this.lookupFn(key);
  }
  keys(): string[] {
    return this.keysFn();
  }
  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const k of this.keys()) {
      const v = this.lookup(k);
      if (v !== MISSING) out[k] = v;
    }
    return out;
  }
}

export type Layer = Readonly<Record<string, unknown>>;

export class Scope {
  /** Rendered values of templated variables, per scope (a scope lives for one task on one host). */
  readonly rendered = new Map<string, unknown>();
  /** Names being rendered right now, to report `a: "{{b}}"`, `b: "{{a}}"` instead of looping. */
  readonly resolving = new Set<string>();

  constructor(readonly layers: readonly Layer[]) {}

  /** A child scope with extra layers on top (loop items, block and task vars). */
  with(...top: Layer[]): Scope {
    return new Scope([...top.filter(Boolean), ...this.layers]);
  }

  raw(name: string): MaybeMissing {
    for (const layer of this.layers) {
      if (Object.prototype.hasOwnProperty.call(layer, name)) return layer[name];
    }
    return MISSING;
  }

  has(name: string): boolean {
    return this.raw(name) !== MISSING;
  }

  /** Every name visible here (for did-you-mean on errors; not on hot paths). */
  names(): string[] {
    const s = new Set<string>();
    for (const layer of this.layers) for (const k of Object.keys(layer)) s.add(k);
    return [...s];
  }
}

/** One step of a path: own properties only, so `x.constructor` or `__proto__` never leak. */
export function step(container: unknown, key: string): MaybeMissing {
  if (container instanceof LazyVars) return container.lookup(key);
  if (Array.isArray(container)) {
    if (key === 'length') return container.length;
    if (/^-?\d+$/.test(key)) {
      const i = Number(key);
      const v: unknown = container[i < 0 ? container.length + i : i];
      return v === undefined ? MISSING : v;
    }
    return MISSING;
  }
  if (container !== null && typeof container === 'object') {
    return Object.prototype.hasOwnProperty.call(container, key) ? (container as Record<string, unknown>)[key] : MISSING;
  }
  return MISSING;
}
