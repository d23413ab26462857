// Module plan fixtures (pyinfra's habit): test/modules/<module>/*.json, each
// { "args": ..., "state": ..., "expect": { "changes": ["summary", ...] } | { "noop": "..." } | { "refuse": "..." } }.
// `plan` is pure, so args + the state inspect would have returned → the plan, with no host.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ModuleDef } from '../../engine/module.js';
import { createSchemaRegistry } from '../../engine/validate/schemas.js';
import { checkArgs } from '../../engine/run/args.js';

export type PlanFixture = {
  description?: string;
  args: unknown;
  state: unknown;
  expect: {
    changes?: string[];
    noop?: string | null;
    refuse?: string;
    data?: Record<string, unknown>;
    diff?: { path: string; before: string; after: string }[];
  };
};

const registry = createSchemaRegistry({ useDefaults: true, coerce: true });

/** Arguments as the engine gives them to the module: schema defaults applied, types coerced. */
export function moduleArgs<A>(mod: ModuleDef<A>, args: unknown): A {
  const r = checkArgs(registry, mod as ModuleDef, args, '__omit__');
  if (!r.ok) throw new Error(r.message);
  return r.args as A;
}

export function planFixtures(mod: ModuleDef, dir: string): void {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort();
  describe(`${mod.name} plan fixtures`, () => {
    it('has fixtures', () => expect(files.length).toBeGreaterThan(0));
    for (const f of files) {
      const fx = JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as PlanFixture;
      it(`${f.replace(/\.json$/, '')}${fx.description ? `: ${fx.description}` : ''}`, () => {
        const plan = mod.plan(fx.state, moduleArgs(mod, fx.args));
        if (fx.expect.changes) expect(plan.changes.map((c) => c.summary)).toEqual(fx.expect.changes);
        else expect(plan.changes).toEqual([]);
        if (fx.expect.noop !== undefined) expect(plan.noop ?? null).toEqual(fx.expect.noop);
        if (fx.expect.refuse !== undefined) expect(plan.refuse).toEqual(fx.expect.refuse);
        else expect(plan.refuse).toBeUndefined();
        if (fx.expect.data) expect(plan.data).toMatchObject(fx.expect.data);
        if (fx.expect.diff) expect(plan.diff).toEqual(fx.expect.diff);
      });
    }
  });
}
