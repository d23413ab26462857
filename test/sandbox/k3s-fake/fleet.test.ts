// The fake k3s world on the real fleet: sshd nodes, install over SSH, pct into another node's sshd.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shellJoin } from '../../../engine/connection/quote.js';
import { startFleet, type Fleet } from '../../../sandbox/fleet/index.js';
import { k3sNodePaths, readFakeStart, setFakeNodeName } from '../../../sandbox/k3s-fake/node-files.js';
import { registerContainer } from '../../../sandbox/k3s-fake/pct.js';
import { startK3sReleaseServer, type K3sReleaseServer } from '../../../sandbox/k3s-fake/release-server.js';
import { sshCli } from '../fleet/ssh-cli.js';
import { testStateDir } from './helpers.js';

const stateDir = testStateDir();
let fleet: Fleet;
let srv: K3sReleaseServer;

beforeAll(async () => {
  fleet = await startFleet({ stateDir, nodes: [{ name: 'pve' }, { name: 'server' }, { name: 'ct' }] });
  srv = await startK3sReleaseServer({ versions: ['v1.30.6+k3s1', 'v1.31.4+k3s1'] });
  await setFakeNodeName(fleet.node('server').root, 'server');
  await registerContainer(stateDir, 'pve', 101, 'ct', fleet.node('ct').pid);
}, 120_000);
afterAll(async () => {
  await srv?.close();
  await fleet?.stop();
});

const ssh = (node: string, command: string) => sshCli(fleet, fleet.node(node), command);

describe('over SSH', () => {
  it('installs an etcd server with curl | sh and snapshots it', async () => {
    const install = await ssh('server', `curl -sfL ${srv.installScriptUrl} | INSTALL_K3S_EXEC='--cluster-init' sh -`);
    expect(install.rc, install.stderr).toBe(0);
    expect(install.stdout).toContain('[INFO]  systemd: Starting k3s');
    expect((await ssh('server', 'systemctl is-active k3s')).stdout).toBe('active\n');
    const save = await ssh('server', 'k3s etcd-snapshot save --name pre-upgrade');
    expect(save.rc, save.stderr).toBe(0);
    expect(save.stderr).toMatch(/msg="Snapshot pre-upgrade-server-\d+ saved."/);
  });

  it('joins an agent inside a Proxmox container through pct exec', async () => {
    const token = (await readFile(k3sNodePaths(fleet.node('server').root).nodeToken, 'utf8')).trim();
    const inner = `curl -sfL ${srv.installScriptUrl} | K3S_URL=https://127.0.0.1:6443 K3S_TOKEN=${token} sh -`;
    const r = await ssh('pve', shellJoin(['pct', 'exec', '101', '--', 'sh', '-c', inner]));
    expect(r.rc, r.stderr).toBe(0);
    expect(r.stdout).toContain('[INFO]  systemd: Starting k3s-agent');
    const start = await readFakeStart(fleet.node('ct').root, 'agent');
    expect(start).toMatchObject({
      version: 'v1.31.4+k3s1',
      env: { K3S_URL: 'https://127.0.0.1:6443', K3S_TOKEN: '********' },
    });
    expect((await ssh('pve', 'pct status 101')).stdout).toBe('status: running\n');
    expect((await ssh('pve', 'test -e /usr/local/bin/k3s || echo no k3s on the Proxmox host')).stdout).toBe(
      'no k3s on the Proxmox host\n',
    );
  });
});
