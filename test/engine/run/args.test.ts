import { describe, expect, it } from 'vitest';
import type { ModuleDef } from '../../../engine/module.js';
import { checkArgs } from '../../../engine/run/args.js';
import { createSchemaRegistry } from '../../../engine/validate/schemas.js';
import { command } from '../../../modules/host/command.js';
import { meta } from '../../../modules/control/meta.js';
import { debug } from '../../../modules/control/debug.js';

const registry = createSchemaRegistry({ useDefaults: true, coerce: true });
const OMIT = '__omit_place_holder__x';

describe('checkArgs (arguments after templating)', () => {
  it('turns a free-form string into its argument and applies schema defaults', () => {
    expect(checkArgs(registry, command as ModuleDef, 'ls -l', OMIT)).toEqual({
      ok: true,
      args: { cmd: 'ls -l', stdin_add_newline: true, strip_empty_ends: true },
    });
  });

  it('drops omitted values, in mappings and lists', () => {
    const r = checkArgs(registry, command as ModuleDef, { argv: ['echo', OMIT, 'x'], chdir: OMIT }, OMIT);
    expect(r).toMatchObject({ ok: true, args: { argv: ['echo', 'x'] } });
    expect((r as { args: object }).args).not.toHaveProperty('chdir');
  });

  it('keeps a module whose whole argument is a string (meta) as that string', () => {
    expect(checkArgs(registry, meta as ModuleDef, 'flush_handlers', OMIT)).toEqual({
      ok: true,
      args: 'flush_handlers',
    });
  });

  it('coerces templated numbers and never writes defaults into the playbook’s own object', () => {
    const written = { msg: 'x', verbosity: '2' };
    expect(checkArgs(registry, debug as ModuleDef, written, OMIT)).toEqual({
      ok: true,
      args: { msg: 'x', verbosity: 2 },
    });
    expect(written).toEqual({ msg: 'x', verbosity: '2' });
  });

  it('copies nested values (no default written into a shared list) and keeps a YAML timestamp a Date', () => {
    const when = new Date('2026-11-22T10:00:00Z');
    const written = { msg: { at: when, tags: [{ k: 'v' }] } };
    const r = checkArgs(registry, debug as ModuleDef, written, OMIT) as {
      ok: true;
      args: { msg: { at: Date; tags: object[] } };
    };
    expect(r.args.msg.at).toEqual(when);
    expect(r.args.msg.at).not.toBe(when);
    expect(r.args.msg.tags).not.toBe(written.msg.tags);
    expect(r.args.msg.tags[0]).not.toBe(written.msg.tags[0]);
  });

  it('says what is wrong', () => {
    const r = checkArgs(registry, command as ModuleDef, { cmd: 'x', bogus: 1 }, OMIT);
    expect(r.ok).toBe(false);
    expect((r as { message: string }).message).toMatch(/^invalid arguments for command: .*bogus/);
  });
});
