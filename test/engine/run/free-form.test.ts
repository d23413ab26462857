import { describe, expect, it } from 'vitest';
import { checkArgs, freeFormArgs } from '../../../engine/run/args.js';
import { createSchemaRegistry } from '../../../engine/validate/schemas.js';
import { command } from '../../../modules/host/command.js';
import { shell } from '../../../modules/host/shell.js';

const registry = createSchemaRegistry({ useDefaults: true, coerce: true });

describe('free-form arguments', () => {
  it("splits the module's own key=value words out of the string, as Ansible does", () => {
    expect(freeFormArgs('touch /x creates=/x chdir=/tmp', 'cmd', new Set(['creates', 'chdir', 'cmd']))).toEqual({
      cmd: 'touch /x',
      creates: '/x',
      chdir: '/tmp',
    });
    expect(freeFormArgs('echo a=b', 'cmd', new Set(['creates', 'cmd']))).toEqual({ cmd: 'echo a=b' });
  });

  it('keeps the string when args: adds arguments to it', () => {
    const r = checkArgs(registry, command, { _raw_params: 'touch /x', creates: '/x' }, '__omit__');
    expect(r).toMatchObject({ ok: true, args: { cmd: 'touch /x', creates: '/x' } });
    const s = checkArgs(registry, shell, 'echo $HOME | tr a-z A-Z chdir=/tmp', '__omit__');
    expect(s).toMatchObject({ ok: true, args: { cmd: 'echo $HOME | tr a-z A-Z', chdir: '/tmp' } });
  });
});
