// Hostile values must reach the remote side as literal data: nothing in them may run.
import { readdir, readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodePath } from '../../../sandbox/fleet/index.js';
import { testFleet, connect, type TestFleet } from './fixture.js';

let t: TestFleet;
let conn: ReturnType<typeof connect>;
const canary = '/var/lib/rancher/pwned';

// Each one would create the canary file if a shell ever interpreted it.
const HOSTILE = [
  `; touch ${canary}`,
  `$(touch ${canary})`,
  `\`touch ${canary}\``,
  `' ; touch ${canary}; '`,
  `" ; touch ${canary}; "`,
  `a b\nc; touch ${canary}`,
  `\\'; touch ${canary} #`,
  `&& touch ${canary} || touch ${canary} | cat > /dev/null`,
  `\${IFS}touch\${IFS}${canary}`,
  `-n`,
  `*`,
  ``,
];

beforeAll(async () => {
  t = await testFleet([{ name: 'w-1' }, { name: 'w-2', sftp: false }]);
  conn = connect(t, 'w-1');
});

afterAll(async () => {
  await conn?.close();
  await t?.stop();
});

async function pwned(node: string): Promise<boolean> {
  return readFile(nodePath(t.fleet.stateDir, node, canary)).then(
    () => true,
    () => false,
  );
}

describe('shell injection', () => {
  it('passes argv words through unchanged', async () => {
    const r = await conn.exec(['printf', '%s\\0', ...HOSTILE]);
    expect(r.stdout.split('\0').slice(0, -1)).toEqual(HOSTILE);
    expect(await pwned('w-1')).toBe(false);
  });

  it('passes env values through unchanged, with become too', async () => {
    for (const become of [false, true]) {
      for (const value of HOSTILE) {
        const r = await conn.exec(['sh', '-c', 'printf %s "$V"'], { env: { V: value }, become });
        expect(r.stdout).toBe(value);
      }
    }
    expect(await pwned('w-1')).toBe(false);
  });

  it('uses a hostile cwd as a directory name', async () => {
    const dir = `/tmp/hb inj $(touch ${canary}) \`x\` ; 'q' "d"\nnl`;
    await conn.exec(['mkdir', '-p', '--', dir]);
    const r = await conn.exec(['pwd'], { cwd: dir });
    expect(r.stdout).toBe(`${dir}\n`);
    const r2 = await conn.exec('pwd', { cwd: dir, become: true });
    expect(r2.stdout).toBe(`${dir}\n`);
    await conn.exec(['rm', '-rf', '--', dir]);
    expect(await pwned('w-1')).toBe(false);
  });

  it.each(['w-1', 'w-2'])('writes and reads files with hostile names on %s (sftp and exec paths)', async (node) => {
    const c = connect(t, node);
    try {
      const names = HOSTILE.filter((h) => h !== '' && !h.includes('/') && h !== '*').map(
        (h, i) => `f${i} ${h.replace(/\n/g, ' ')}`,
      );
      for (const name of names) {
        await c.put(`content of ${name}`, `/var/lib/rancher/${name}`, { mode: '0600' });
        expect((await c.get(`/var/lib/rancher/${name}`)).toString()).toBe(`content of ${name}`);
      }
      const onDisk = await readdir(nodePath(t.fleet.stateDir, node, '/var/lib/rancher'));
      for (const name of names) expect(onDisk).toContain(name);
      // Become uses the staged-upload (or stdin) path with the name inside a sudo script.
      await c.put('as root', `/var/lib/rancher/${names[1]}`, { become: true });
      expect((await c.get(`/var/lib/rancher/${names[1]}`, { become: true })).toString()).toBe('as root');
      expect(await pwned(node)).toBe(false);
    } finally {
      await c.close();
    }
  });

  it('keeps a hostile string command to the shell it was given to', async () => {
    const r = await conn.exec(`printf '%s' "$1"`, { env: { IGNORED: `$(touch ${canary})` } });
    expect(r.rc).toBe(0);
    expect(await pwned('w-1')).toBe(false);
  });

  // The check above can fail: the same strings do run when handed to a shell unquoted.
  it('would have noticed: interpreting the hostile strings creates the canary', async () => {
    // Where each string was written to break out: plain, inside '...', inside "...", command position.
    const contexts = [
      (v: string) => `echo ${v}`,
      (v: string) => `echo ${v}`,
      (v: string) => `echo ${v}`,
      (v: string) => `echo '${v}'`,
      (v: string) => `echo "${v}"`,
      (v: string) => `echo ${v}`,
      (v: string) => `echo '${v}'`,
      (v: string) => `echo ${v}`,
      (v: string) => v,
    ];
    for (const [i, value] of HOSTILE.slice(0, 9).entries()) {
      await conn.exec(['rm', '-f', canary]);
      await conn.exec(contexts[i](value));
      expect(await pwned('w-1'), value).toBe(true);
    }
    await conn.exec(['rm', '-f', canary]);
  });
});
