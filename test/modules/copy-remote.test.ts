// copy with remote_src: true on a real sshd node: a file already on the host is copied there
// (never through the controller); check mode writes nothing, the second run changes nothing.
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { copy } from '../../modules/host/copy.js';
import { runModule } from '../helpers/module-harness.js';
import { recordingConnection } from '../helpers/recording-connection.js';
import { fleetHost } from './host-helpers.js';

describe('copy remote_src over real sshd', () => {
  const h = fleetHost('copy-remote-node');

  it('check mode writes nothing; the run copies on the host; the second run is ok', async () => {
    const src = '/var/lib/rancher/dl/k3s';
    const dest = '/usr/local/bin/k3s';
    mkdirSync(h.local('/var/lib/rancher/dl'), { recursive: true });
    const bytes = Buffer.concat([Buffer.from([0, 255, 1]), Buffer.from('binary\n')]);
    writeFileSync(h.local(src), bytes);
    chmodSync(h.local(src), 0o600);
    const args = { src, dest, remote_src: true, mode: '0755' };
    const check = await runModule(copy, args, { connection: h.connection }, { check: true });
    expect(check.status).toBe('changed');
    expect(check.changes).toEqual([`create ${dest} (${bytes.length} bytes, mode 0755)`]);
    expect(existsSync(h.local(dest))).toBe(false);
    const rec = recordingConnection(h.connection);
    const puts: string[] = [];
    const conn = { ...rec.conn, put: (d: Buffer | string, p: string) => (puts.push(p), h.connection.put(d, p)) };
    const r = await runModule(copy, args, { connection: conn });
    expect(r.status).toBe('changed');
    expect(readFileSync(h.local(dest))).toEqual(bytes);
    expect(statSync(h.local(dest)).mode & 0o777).toBe(0o755);
    // The bytes were copied on the host: nothing was put from the controller.
    expect(puts).toEqual([]);
    expect(rec.calls.some((c) => Array.isArray(c.cmd) && c.cmd.includes(src) && c.cmd.includes(dest))).toBe(true);
    expect((await runModule(copy, args, { connection: h.connection })).status).toBe('ok');
    // Drift is found and reported in check mode, with a diff for text.
    writeFileSync(h.local(dest), 'drifted\n');
    const drift = await runModule(copy, args, { connection: h.connection }, { check: true });
    expect(drift.status).toBe('changed');
    expect(readFileSync(h.local(dest), 'utf8')).toBe('drifted\n');
  });

  it('into a directory under the source name, with a text diff and a backup; a missing src fails', async () => {
    const src = '/var/lib/rancher/conf/registries.yaml';
    mkdirSync(h.local('/var/lib/rancher/conf'), { recursive: true });
    mkdirSync(h.local('/etc/rancher/k3s'), { recursive: true });
    writeFileSync(h.local(src), 'mirrors: {}\n');
    writeFileSync(h.local('/etc/rancher/k3s/registries.yaml'), 'old\n');
    const r = await runModule(
      copy,
      { src, dest: '/etc/rancher/k3s/', remote_src: true, backup: true },
      {
        connection: h.connection,
      },
    );
    expect(r.status).toBe('changed');
    expect(r.diff).toEqual([{ path: '/etc/rancher/k3s/registries.yaml', before: 'old\n', after: 'mirrors: {}\n' }]);
    expect(readFileSync(h.local('/etc/rancher/k3s/registries.yaml'), 'utf8')).toBe('mirrors: {}\n');
    expect(readFileSync(h.local(String(r.data.backup_file)), 'utf8')).toBe('old\n');
    const missing = await runModule(
      copy,
      { src: '/var/lib/rancher/none', dest: '/tmp/x', remote_src: true },
      {
        connection: h.connection,
      },
    );
    expect(missing).toMatchObject({ status: 'failed', msg: 'Source /var/lib/rancher/none not found' });
  });

  // k3s-ansible copies the k3s.yaml its install just wrote: a rehearsal of a fresh install must not stop there.
  it('check mode with a src an earlier task would make predicts the copy and says what it waits for', async () => {
    const args = { src: '/etc/rancher/k3s/not-yet.yaml', dest: '/var/lib/rancher/kube/config', remote_src: true };
    mkdirSync(h.local('/var/lib/rancher/kube'), { recursive: true });
    const check = await runModule(copy, { ...args, mode: '0600' }, { connection: h.connection }, { check: true });
    expect(check.status).toBe('changed');
    expect(check.changes).toEqual([
      'copy /etc/rancher/k3s/not-yet.yaml to /var/lib/rancher/kube/config (mode 0600) (/etc/rancher/k3s/not-yet.yaml does not exist yet: a real run fails unless an earlier task creates it)',
    ]);
    expect(existsSync(h.local('/var/lib/rancher/kube/config'))).toBe(false);
    expect((await runModule(copy, args, { connection: h.connection })).msg).toBe(
      'Source /etc/rancher/k3s/not-yet.yaml not found',
    );
  });
});
