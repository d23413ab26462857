// unarchive on a real sshd node with real GNU tar and unzip: archives built here with tar and
// zip, unpacked from the controller (copied to a private temp dir) or from the host; check mode
// writes nothing in dest, the second run is ok, drift (a changed file) is found, and bad input
// fails with the reference's words before anything is unpacked.
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { unarchive } from '../../modules/host/unarchive.js';
import { moduleArgs, planFixtures } from '../helpers/plan-fixtures.js';
import { runModule } from '../helpers/module-harness.js';
import { fleetHost, localTemp } from './host-helpers.js';

planFixtures(unarchive, path.join(import.meta.dirname, 'unarchive'));

describe('unarchive over real sshd', () => {
  const h = fleetHost('unarchive-node');
  // /tmp is the machine's on every node: the archives and dests are seen at the same paths.
  const t = localTemp('unarchive');
  const tree = () => {
    const src = t.at('tree');
    mkdirSync(path.join(src, 'helm/bin'), { recursive: true });
    writeFileSync(path.join(src, 'helm/bin/helm'), '#!/bin/sh\necho helm\n', { mode: 0o755 });
    writeFileSync(path.join(src, 'helm/README.md'), 'helm\n', { mode: 0o644 });
    for (const p of ['helm/bin/helm', 'helm/README.md', 'helm/bin', 'helm'])
      utimesSync(path.join(src, p), 1_700_000_000, 1_700_000_000);
    execFileSync('tar', ['-czf', t.at('helm.tar.gz'), '-C', src, 'helm']);
    execFileSync('tar', ['-cJf', t.at('helm.tar.xz'), '-C', src, 'helm']);
    execFileSync('zip', ['-qr', t.at('helm.zip'), 'helm'], { cwd: src });
  };
  const dest = (name: string) => {
    const d = t.at(name);
    mkdirSync(d, { recursive: true });
    return d;
  };
  const run = (args: Record<string, unknown>, check = false) =>
    runModule(unarchive, args, { connection: h.connection }, { check });

  it('tar.gz from the controller: check mode unpacks nothing, the run does, the second run is ok', async () => {
    tree();
    const d = dest('gz');
    const args = { src: t.at('helm.tar.gz'), dest: d, list_files: true };
    const check = await run(args, true);
    expect(check.status).toBe('changed');
    expect(check.changes).toEqual([expect.stringMatching(/^unpack .*\/source into .*\/gz \(\d+ differences?\)$/)]);
    expect(readdirSync(d)).toEqual([]);
    const r = await run(args);
    expect(r.status).toBe('changed');
    expect(r.data).toMatchObject({
      handler: 'TgzArchive',
      dest: d,
      files: ['helm/', 'helm/README.md', 'helm/bin/', 'helm/bin/helm'],
    });
    expect(r.data.extract_results).toMatchObject({ rc: 0 });
    expect(readFileSync(path.join(d, 'helm/bin/helm'), 'utf8')).toBe('#!/bin/sh\necho helm\n');
    expect(statSync(path.join(d, 'helm/bin/helm')).mode & 0o777).toBe(0o755);
    const again = await run(args);
    expect(again.status).toBe('ok');
    // The controller copy's temp directory is gone.
    expect(String(again.data.src)).toMatch(/herdbook-get_url\.\w+\/source$/);
    expect(existsSync(String(again.data.src))).toBe(false);
  });

  it('tar.xz on the host with extra_opts and mode; a drifted file is unpacked again', async () => {
    const d = dest('xz');
    const args = {
      src: t.at('helm.tar.xz'),
      remote_src: true,
      dest: d,
      extra_opts: ['--strip-components=1'],
      mode: '0700',
    };
    const r = await run(args);
    expect(r.status).toBe('changed');
    expect(r.data.handler).toBe('TarArchive');
    expect(readFileSync(path.join(d, 'bin/helm'), 'utf8')).toBe('#!/bin/sh\necho helm\n');
    expect(statSync(path.join(d, 'README.md')).mode & 0o777).toBe(0o700);
    expect((await run(args)).status).toBe('ok');
    writeFileSync(path.join(d, 'README.md'), 'changed\n');
    const drift = await run(args, true);
    expect(drift.status).toBe('changed');
    expect((await run(args)).status).toBe('changed');
    expect(readFileSync(path.join(d, 'README.md'), 'utf8')).toBe('helm\n');
    expect((await run(args)).status).toBe('ok');
  });

  it('zip: check mode with the itemized diff, the run, again ok; a changed file and owner drift', async () => {
    const d = dest('zip');
    const args = { src: t.at('helm.zip'), remote_src: true, dest: d };
    const check = await run(args, true);
    expect(check.status).toBe('changed');
    expect(check.diff?.[0].prepared).toBe(
      '>d++++++.?? helm/\n>f++++++.?? helm/README.md\n>d++++++.?? helm/bin/\n>f++++++.?? helm/bin/helm\n',
    );
    expect(existsSync(path.join(d, 'helm'))).toBe(false);
    expect((await run(args)).status).toBe('changed');
    expect(readFileSync(path.join(d, 'helm/README.md'), 'utf8')).toBe('helm\n');
    expect((await run(args)).status).toBe('ok');
    // Same size and mtime, other bytes: only the content comparison finds it.
    writeFileSync(path.join(d, 'helm/README.md'), 'HELM\n');
    utimesSync(path.join(d, 'helm/README.md'), 1_700_000_000, 1_700_000_000);
    const drift = await run(args, true);
    expect(drift.diff?.[0].prepared).toBe('.fc......?? helm/README.md\n');
    expect((await run(args)).status).toBe('changed');
    expect(readFileSync(path.join(d, 'helm/README.md'), 'utf8')).toBe('helm\n');
  });

  it('a URL with remote_src: the host downloads it into a private temp dir, which is removed', async () => {
    const server = createServer((req, res) => {
      if (req.url !== '/helm.tar.gz') return void res.writeHead(404).end('not found\n');
      res.writeHead(200, { 'content-type': 'application/gzip' }).end(readFileSync(t.at('helm.tar.gz')));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const d = dest('url');
      const args = { src: `${base}/helm.tar.gz`, remote_src: true, dest: d };
      const r = await run(args);
      expect(r.status).toBe('changed');
      expect(readFileSync(path.join(d, 'helm/README.md'), 'utf8')).toBe('helm\n');
      expect(existsSync(path.dirname(String(r.data.src)))).toBe(false);
      expect((await run(args)).status).toBe('ok');
      expect((await run({ ...args, src: `${base}/none.tgz` })).msg).toMatch(
        /^Failure downloading http:.*\/none\.tgz, /,
      );
    } finally {
      server.close();
    }
  });

  it('creates: nothing is done; bad input fails with the reference’s words', async () => {
    const d = dest('bad');
    const skip = await run({ src: t.at('helm.zip'), dest: d, creates: d });
    expect(skip).toMatchObject({ status: 'ok', msg: `skipped, since ${d} exists` });
    expect(await run({ src: t.at('helm.zip'), dest: t.at('none') })).toMatchObject({
      status: 'failed',
      msg: `dest '${t.at('none')}' must be an existing dir`,
    });
    expect(await run({ src: t.at('nothing.tgz'), remote_src: true, dest: d })).toMatchObject({
      status: 'failed',
      msg: `Source '${t.at('nothing.tgz')}' does not exist`,
    });
    writeFileSync(t.at('empty.tgz'), '');
    expect((await run({ src: t.at('empty.tgz'), remote_src: true, dest: d })).msg).toBe(
      `Invalid archive '${t.at('empty.tgz')}', the file is 0 bytes`,
    );
    writeFileSync(t.at('junk.tgz'), 'not an archive\n');
    expect((await run({ src: t.at('junk.tgz'), remote_src: true, dest: d })).msg).toMatch(
      /^Failed to find handler for ".*junk.tgz"\. Make sure the required command to extract the file is installed\./,
    );
    expect((await run({ src: t.at('helm.zip'), dest: d, include: ['a'], exclude: ['b'] })).msg).toBe(
      'parameters are mutually exclusive: include|exclude',
    );
    expect(readdirSync(d)).toEqual([]);
    expect(() => moduleArgs(unarchive, { src: 'x.tgz' })).toThrow(/dest/);
    expect(() => moduleArgs(unarchive, { src: 'x.tgz', dest: '/opt', exclude: 'a' })).toThrow(/exclude/);
  });
});
