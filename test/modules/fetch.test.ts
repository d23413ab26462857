import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fetch, localPath } from '../../modules/host/fetch.js';
import { runModule } from '../helpers/module-harness.js';
import { moduleArgs, planFixtures } from '../helpers/plan-fixtures.js';
import { fleetHost, localTemp } from './host-helpers.js';

planFixtures(fetch, path.join(import.meta.dirname, 'fetch'));

describe('fetch destinations', () => {
  const base = (p: string) => path.join('/play', p);
  const args = (a: object) => moduleArgs(fetch, a);
  it('puts the host name and the whole source path under dest, like Ansible', () => {
    expect(localPath(args({ src: '/etc/rancher/k3s/k3s.yaml', dest: 'backups' }), 'pi-1', base)).toBe(
      '/play/backups/pi-1/etc/rancher/k3s/k3s.yaml',
    );
    expect(localPath(args({ src: '../../etc/passwd', dest: '/b' }), 'pi-1', base)).toBe('/b/pi-1/etc/passwd');
  });
  it('flat: exactly dest, or dest/<file name> when dest ends with /', () => {
    expect(localPath(args({ src: '/etc/rancher/k3s/k3s.yaml', dest: '/kube/config', flat: true }), 'pi-1', base)).toBe(
      '/kube/config',
    );
    expect(localPath(args({ src: '/etc/rancher/k3s/k3s.yaml', dest: 'kube/', flat: true }), 'pi-1', base)).toBe(
      '/play/kube/k3s.yaml',
    );
  });
  it('refuses a host name that would climb out of dest', () => {
    expect(() => localPath(args({ src: '/x', dest: '/b' }), '..', base)).toThrow(/flat: true/);
  });
});

describe('fetch on the local connection', () => {
  const tmp = localTemp('fetch');
  it('check mode writes nothing; then fetches once, relative to the playbook directory', async () => {
    const src = tmp.at('token');
    writeFileSync(src, 'K10::server:abc\n');
    const play = tmp.at('play');
    mkdirSync(play);
    const opts = { connection: tmp.connection, host: 'pi-1', baseDir: play };
    const want = path.join(play, 'backups', 'pi-1', src);
    const check = await runModule(fetch, { src, dest: 'backups' }, opts, { check: true });
    expect(check.status).toBe('changed');
    expect(existsSync(path.join(play, 'backups'))).toBe(false);
    const r = await runModule(fetch, { src, dest: 'backups' }, opts);
    expect(r.status).toBe('changed');
    expect(readFileSync(want, 'utf8')).toBe('K10::server:abc\n');
    expect((await runModule(fetch, { src, dest: 'backups' }, opts)).status).toBe('ok');
    writeFileSync(src, 'K10::server:def\n');
    expect((await runModule(fetch, { src, dest: 'backups' }, opts)).status).toBe('changed');
    expect(readFileSync(want, 'utf8')).toBe('K10::server:def\n');
  });
});

describe('fetch over real sshd', () => {
  const h = fleetHost('fetch-node');
  it('fetches a node file with flat, idempotently', async () => {
    writeFileSync(h.local('/etc/rancher/k3s.yaml'), 'apiVersion: v1\n');
    const dest = path.join(h.t.dir, 'kubeconfig');
    const r = await runModule(
      fetch,
      { src: '/etc/rancher/k3s.yaml', dest, flat: true },
      { connection: h.connection, host: 'fetch-node' },
    );
    expect(r.status).toBe('changed');
    expect(readFileSync(dest, 'utf8')).toBe('apiVersion: v1\n');
    expect(
      (
        await runModule(
          fetch,
          { src: '/etc/rancher/k3s.yaml', dest, flat: true },
          { connection: h.connection, host: 'fetch-node' },
        )
      ).status,
    ).toBe('ok');
  });
});
