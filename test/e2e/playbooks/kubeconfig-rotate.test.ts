// refresh-kubeconfig.yaml when the server's own client certificate has expired (seed 001's
// "kubectl auth failure (expired client certificate)"), on one sandbox per backend (kube-sim, a
// real control plane): --check says it would rotate and writes nothing, rotation switched off
// fails with the date, the run rotates (stop, k3s certificate rotate, start, Ready) and the
// fetched kubeconfig works against the API, a second run changes nothing.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { createKubeFactory } from '../../../engine/kube/clients.js';
import { readFakeSystemdLog } from '../../../sandbox/fleet/index.js';
import { k3sNodePaths, setClientCertificateExpiry } from '../../../sandbox/k3s-fake/index.js';
import { untilReady } from './arrange.js';
import { describeSandboxes } from './backends.js';
import { changeLines, recap, results } from './sandbox.js';

const DAY = 86_400_000;
const WRITE = 'Write it with an address this machine can reach';
/** The local write's line: what --check can say before the rotation is the task, not the new file's size. */
const writeTask = (l: string) => (l.startsWith(`s-1 | ${WRITE} | `) ? `s-1 | ${WRITE}` : l);

describeSandboxes('refresh-kubeconfig.yaml with an expired client certificate', ['--agents', '1'], (sandbox) => {
  it('--check says it would rotate, rotation off fails with the date, the run rotates, then nothing', async () => {
    const sb = sandbox();
    const s1 = sb.state.nodes.find((n) => n.name === 's-1')!;
    const p = k3sNodePaths(s1.root);
    const dest = path.join(sb.state.stateDir, 'home', '.kube', 'k3s-s-1.config');
    const expired = new Date(Date.now() - 6 * DAY);
    const day = expired.toISOString().slice(0, 10);
    await setClientCertificateExpiry(s1.root, expired);
    const stale = readFileSync(p.kubeconfig, 'utf8');
    const backups = () =>
      readdirSync(path.dirname(path.dirname(p.clientAdminCert))).filter((d) => d.startsWith('tls-'));
    const k3sUnitActions = async () =>
      (await readFakeSystemdLog(path.join(sb.state.stateDir, 'fleet'), 's-1')).filter(
        (e) => e.unit === 'k3s.service' && ['start', 'stop', 'restart'].includes(e.action),
      ).length;
    const actionsBefore = await k3sUnitActions();
    const vars = ['-e', `k3s_kubeconfig_path=${dest}`];

    await sb.clearRequests();
    const check = await sb.run('refresh-kubeconfig.yaml', '--check', ...vars);
    expect(check.code, JSON.stringify(recap(check))).toBe(0);
    const predicted = changeLines(check);
    expect(predicted).toContain(`s-1 | ${WRITE} | (no plan)`);
    expect(results(check).find((e) => e.task === WRITE && e.status === 'changed')?.msg).toBe(
      `would write ${dest} with the rotated certificate (its content exists only after the rotation)`,
    );
    expect(predicted).toContain(
      `s-1 | Renew the client certificate when it has expired | rotate the certificates of server s-1 (client certificate expired ${day})`,
    );
    expect(readFileSync(p.kubeconfig, 'utf8')).toBe(stale);
    expect(backups()).toEqual([]);
    expect(await k3sUnitActions()).toBe(actionsBefore);
    expect(existsSync(dest)).toBe(false);
    expect(await sb.mutations()).toEqual([]);

    const off = await sb.run('refresh-kubeconfig.yaml', ...vars, '-e', 'k3s_kubeconfig_rotate_if_expired=false');
    expect(off.code).toBe(2);
    expect(results(off).find((e) => e.status === 'failed')?.msg).toContain(
      `the client certificate expired ${day} (/etc/rancher/k3s/k3s.yaml on s-1) and rotation is off`,
    );
    expect(readFileSync(p.kubeconfig, 'utf8')).toBe(stale);
    expect(existsSync(dest)).toBe(false);

    const r = await sb.run('refresh-kubeconfig.yaml', ...vars);
    expect(r.code, JSON.stringify(recap(r)) + r.stderr).toBe(0);
    expect(changeLines(r).map(writeTask)).toEqual(predicted.map(writeTask));
    expect(backups()).toHaveLength(1);
    expect(readFileSync(p.kubeconfig, 'utf8')).not.toBe(stale);
    expect(results(r).find((e) => e.task === 'Wait until the server is Ready again')?.status).toBe('ok');
    await untilReady(sb, 's-1', 'True');
    // The fetched kubeconfig carries the new certificate, and the API lets it in.
    expect(statSync(dest).mode & 0o777).toBe(0o600);
    const kube = await createKubeFactory({
      connection: () => Promise.reject(new Error('unused')),
      settings: (h) => ({ kind: 'ssh', host: h }),
    })({ kubeconfig: dest });
    expect((await kube.core.listNode({})).items.map((n) => n.metadata?.name)).toContain('s-1');
    expect(r.stdout).not.toContain('client-key-data');

    const again = await sb.run('refresh-kubeconfig.yaml', ...vars);
    expect(again.code).toBe(0);
    expect(changeLines(again)).toEqual([]);
  });

  it('a local copy fetched before the certificate came due: --check says it would be written again', async () => {
    // The usual case: fetched months ago, the same certificate now expires within the renew
    // window. The server's k3s.yaml still equals the local copy, so a plain comparison in --check
    // would hide the write the run then does.
    const sb = sandbox();
    const s1 = sb.state.nodes.find((n) => n.name === 's-1')!;
    const dest = path.join(sb.state.stateDir, 'home', '.kube', 'k3s-s-1.config');
    const vars = ['-e', `k3s_kubeconfig_path=${dest}`];
    await setClientCertificateExpiry(s1.root, new Date(Date.now() + 2 * DAY));
    const fetched = await sb.run('refresh-kubeconfig.yaml', ...vars);
    expect(fetched.code, JSON.stringify(recap(fetched))).toBe(0);
    expect(changeLines(fetched).map(writeTask)).toEqual([`s-1 | ${WRITE}`]);
    const local = readFileSync(dest, 'utf8');

    const due = [...vars, '-e', 'k3s_kubeconfig_renew_days=5'];
    const check = await sb.run('refresh-kubeconfig.yaml', '--check', ...due);
    expect(check.code, JSON.stringify(recap(check))).toBe(0);
    const predicted = changeLines(check);
    expect(predicted).toEqual([
      expect.stringMatching(
        /^s-1 \| Renew the client certificate when it has expired \| rotate the certificates of server s-1 /,
      ),
      `s-1 | ${WRITE} | (no plan)`,
    ]);
    expect(readFileSync(dest, 'utf8')).toBe(local);

    const r = await sb.run('refresh-kubeconfig.yaml', ...due);
    expect(r.code, JSON.stringify(recap(r)) + r.stderr).toBe(0);
    expect(changeLines(r).map(writeTask)).toEqual(predicted.map(writeTask));
    expect(readFileSync(dest, 'utf8')).not.toBe(local);
    await untilReady(sb, 's-1', 'True');
  });
});
