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
    expect(changeLines(r)).toEqual(predicted);
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
});
