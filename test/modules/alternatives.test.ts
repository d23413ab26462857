// alternatives on a real sshd node with Debian's update-alternatives: the node's /etc/alternatives
// (its /etc overlay) and /var/lib/dpkg/alternatives are its own, so this machine's never change;
// links live in the node's private /usr/local/bin. Plan fixtures read real --display output.
import { chmodSync, existsSync, readlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { alternatives } from '../../modules/host/alternatives.js';
import { parseDisplay } from '../../modules/host/alternatives-plan.js';
import { runModule } from '../helpers/module-harness.js';
import { moduleArgs, planFixtures } from '../helpers/plan-fixtures.js';
import { fleetHost } from './host-helpers.js';

planFixtures(alternatives, path.join(import.meta.dirname, 'alternatives'));

const DISPLAY = `hbed - manual mode
  link best version is /usr/local/bin/ed-b
  link currently points to /usr/local/bin/ed-a
  link hbed is /usr/local/bin/hbed
  slave hbed.1 is /usr/local/bin/hbed.1
/usr/local/bin/ed-a - priority 10
  slave hbed.1: /usr/local/bin/ed-a.1
/usr/local/bin/ed-b - priority 20
`;

describe('update-alternatives --display, read as the reference reads it', () => {
  it('mode, current path and link, each alternative with its priority and followers', () => {
    expect(parseDisplay(0, DISPLAY)).toEqual({
      mode: 'manual',
      currentPath: '/usr/local/bin/ed-a',
      currentLink: '/usr/local/bin/hbed',
      alternatives: {
        '/usr/local/bin/ed-a': {
          priority: 10,
          subcommands: [{ name: 'hbed.1', path: '/usr/local/bin/ed-a.1', link: '/usr/local/bin/hbed.1' }],
        },
        '/usr/local/bin/ed-b': { priority: 20, subcommands: [] },
      },
    });
    expect(parseDisplay(2, '')).toEqual({ alternatives: {} });
  });
});

describe('alternatives over real sshd', () => {
  const h = fleetHost('alternatives-node');
  const bin = (n: string) => `/usr/local/bin/${n}`;
  const run = (args: Record<string, unknown>, check = false) =>
    runModule(alternatives, args, { connection: h.connection }, { check });
  const display = async () =>
    (await h.connection.exec(['update-alternatives', '--display', 'hbed'], { env: { LC_ALL: 'C' } })).stdout;

  it('check mode installs nothing; selected installs and selects; the second run is ok', async () => {
    for (const n of ['ed-a', 'ed-b']) {
      writeFileSync(h.local(bin(n)), '#!/bin/sh\n');
      chmodSync(h.local(bin(n)), 0o755);
    }
    const args = { name: 'hbed', path: bin('ed-a'), link: bin('hbed'), priority: 10 };
    const check = await run(args, true);
    expect(check).toMatchObject({ status: 'changed' });
    expect(check.changes).toEqual([
      'install /usr/local/bin/ed-a for hbed (/usr/local/bin/hbed, priority 10)',
      'select /usr/local/bin/ed-a for hbed',
    ]);
    expect(await display()).toBe('');
    const r = await run(args);
    expect(r).toMatchObject({
      status: 'changed',
      msg: "Install alternative '/usr/local/bin/ed-a' for 'hbed'. Set alternative '/usr/local/bin/ed-a' for 'hbed'.",
    });
    expect(r.diff?.[0].after).toBe(
      '{\n    "link": "/usr/local/bin/hbed",\n    "path": "/usr/local/bin/ed-a",\n    "priority": 10,\n    "state": "selected"\n}\n',
    );
    expect(readlinkSync(h.local(bin('hbed')))).toBe('/etc/alternatives/hbed');
    expect(await display()).toMatch(/^hbed - manual mode\n {2}link best version is \/usr\/local\/bin\/ed-a\n/);
    expect((await run(args)).status).toBe('ok');
    // The machine's own alternatives never saw it.
    expect(existsSync('/etc/alternatives/hbed')).toBe(false);
    expect(existsSync('/var/lib/dpkg/alternatives/hbed')).toBe(false);
  });

  it('present adds a higher priority without selecting; auto then switches to it; absent removes', async () => {
    const b = { name: 'hbed', path: bin('ed-b'), priority: 20, state: 'present' };
    expect((await run(b)).changes).toEqual(['install /usr/local/bin/ed-b for hbed (/usr/local/bin/hbed, priority 20)']);
    expect(await display()).toMatch(/link currently points to \/usr\/local\/bin\/ed-a/);
    expect((await run(b)).status).toBe('ok');
    const auto = await run({ name: 'hbed', path: bin('ed-b'), state: 'auto' });
    expect(auto.changes).toEqual(['set hbed to auto mode']);
    expect(await display()).toMatch(/^hbed - auto mode\n[\s\S]*link currently points to \/usr\/local\/bin\/ed-b/);
    expect((await run({ name: 'hbed', path: bin('ed-b'), state: 'auto' })).status).toBe('ok');
    const gone = await run({ name: 'hbed', path: bin('ed-b'), state: 'absent' });
    expect(gone).toMatchObject({ status: 'changed', msg: "Remove alternative '/usr/local/bin/ed-b' from 'hbed'." });
    expect(await display()).toMatch(/link currently points to \/usr\/local\/bin\/ed-a/);
    expect((await run({ name: 'hbed', path: bin('ed-b'), state: 'absent' })).status).toBe('ok');
  });

  it('bad input: a missing path, no link for a new name, a wrong state', async () => {
    expect(await run({ name: 'hbed', path: bin('nope'), priority: 5 })).toMatchObject({
      status: 'failed',
      msg: 'Specified path /usr/local/bin/nope does not exist',
    });
    expect(await run({ name: 'hbnew', path: bin('ed-a') })).toMatchObject({
      status: 'failed',
      msg: 'Needed to install the alternative, but unable to do so as we are missing the link',
    });
    expect(() => moduleArgs(alternatives, { name: 'x', path: '/x', state: 'on' })).toThrow(/state/);
    expect(() => moduleArgs(alternatives, { name: 'x' })).toThrow(/path/);
  });
});
