import { createHash } from 'node:crypto';
import { mkdirSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseProbe, probeFiles } from '../../modules/host/remote-file.js';
import { stat } from '../../modules/host/stat.js';
import { moduleContext, runModule } from '../helpers/module-harness.js';
import { planFixtures } from '../helpers/plan-fixtures.js';
import { localTemp } from './host-helpers.js';

planFixtures(stat, path.join(import.meta.dirname, 'stat'));

describe('the remote probe', () => {
  it('parses captured output: absent, a link with its target, a file with checksum and content', () => {
    const out = [
      '@absent 2 1',
      `@link ${Buffer.from('../a b\nc').toString('base64')}`,
      '@stat a1ff 0 0 1 10 11 1 99 2049 root root',
      '@stat 81a4 1000 1000 5 20 21 2 100 2049 k3s k3s',
      `@sha256 ${'f'.repeat(64)}`,
      `@content ${Buffer.from([0, 1, 2]).toString('base64')}`,
      '',
    ].join('\n');
    const [a, l, f] = parseProbe(['/x/y', '/l', '/f'], out);
    expect(a).toEqual({ path: '/x/y', exists: false, missing: 2, ancestorIsDir: true });
    expect(l).toMatchObject({
      path: '/l',
      exists: true,
      type: 'link',
      isLink: true,
      target: '../a b\nc',
      mode: '0777',
      inode: 99,
    });
    expect(f).toMatchObject({
      path: '/f',
      type: 'file',
      mode: '0644',
      uid: 1000,
      owner: 'k3s',
      size: 5,
      nlink: 2,
      checksum: 'f'.repeat(64),
    });
    expect(f.exists && f.content).toEqual(Buffer.from([0, 1, 2]));
  });

  it('refuses output that does not cover every path', () => {
    expect(() => parseProbe(['/a', '/b'], '@absent 1 1\n')).toThrow(/unexpected probe output/);
  });

  const tmp = localTemp('probe');
  it('reads several hostile paths in one command, literally', async () => {
    const odd = tmp.at(`a 'b' $(touch x);\n"c"`);
    writeFileSync(odd, 'data');
    chmodSync(odd, 0o640);
    const link = tmp.at('link');
    symlinkSync(odd, link);
    mkdirSync(tmp.at('d'));
    const calls: unknown[] = [];
    const ctx = moduleContext({ connection: tmp.connection }, false);
    const exec = ctx.exec.bind(ctx);
    ctx.exec = (cmd, o) => (calls.push(cmd), exec(cmd, o));
    const [f, l, lf, d, missing] = await probeFiles(ctx, [odd, link, link, tmp.at('d'), tmp.at('no', 'such', 'file')], {
      checksum: true,
      readMax: 100,
    });
    expect(calls).toHaveLength(1);
    expect(f).toMatchObject({
      exists: true,
      type: 'file',
      mode: '0640',
      size: 4,
      checksum: createHash('sha256').update('data').digest('hex'),
    });
    expect(f.exists && f.content?.toString()).toBe('data');
    expect(l).toMatchObject({ type: 'link', isLink: true, target: odd });
    expect(lf).toMatchObject({ type: 'link' });
    expect(d).toMatchObject({ type: 'directory' });
    expect(missing).toEqual({ path: tmp.at('no', 'such', 'file'), exists: false, missing: 3, ancestorIsDir: true });
    const [followed] = await probeFiles(ctx, [link], { follow: true, checksum: true });
    expect(followed).toMatchObject({ type: 'file', isLink: true, realPath: odd, target: odd });
  });
});

describe('stat on the local connection', () => {
  const tmp = localTemp('stat');
  it('registers the facts in check mode as in a real run, and never changes', async () => {
    const p = tmp.at('k3s');
    writeFileSync(p, 'bin');
    for (const check of [true, false]) {
      const r = await runModule(stat, { path: p }, { connection: tmp.connection }, { check });
      expect(r.status).toBe('ok');
      expect(r.data.stat).toMatchObject({
        exists: true,
        isreg: true,
        size: 3,
        checksum: createHash('sha256').update('bin').digest('hex'),
      });
    }
    const none = await runModule(stat, { path: tmp.at('none') }, { connection: tmp.connection });
    expect(none.data.stat).toEqual({ exists: false, path: tmp.at('none') });
  });
});
