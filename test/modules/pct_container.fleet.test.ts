// pct_container, the Proxmox preflight, on the real fleet: a Proxmox node (sshd) whose fake
// `pct` knows its containers' state as `pct status` prints it, and starts one with `pct start`.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PctConnection } from '../../engine/connection/pct.js';
import { pctContainer } from '../../modules/proxmox/pct_container.js';
import { registerContainer, setContainerStatus } from '../../sandbox/k3s-fake/index.js';
import { fleetFor } from '../helpers/fleet.js';
import { runModule } from '../helpers/module-harness.js';
import { planFixtures } from '../helpers/plan-fixtures.js';

planFixtures(pctContainer, path.join(import.meta.dirname, 'pct_container'));

let f: Awaited<ReturnType<typeof fleetFor>>;
let ct: PctConnection;
const statusOf = async () => (await f.conn('pve').exec(['pct', 'status', '101'])).stdout.trim();

beforeAll(async () => {
  f = await fleetFor([{ name: 'pve' }, { name: 'ct' }]);
  await registerContainer(f.stateDir, 'pve', 101, 'ct', f.fleet.node('ct').pid);
  ct = new PctConnection({ kind: 'pct', host: 'ct', pctHost: 'pve', pctVmid: 101 }, f.conn('pve'));
}, 120_000);

describe('pct_container', () => {
  const on = () => ({ connection: ct, host: 'ct' });

  it('a running container is ok, with what pct status said', async () => {
    const r = await runModule(pctContainer, {}, on());
    expect(r).toMatchObject({ status: 'ok', msg: 'container 101 (ct) on pve is running' });
    expect(r.data).toMatchObject({ vmid: 101, proxmox_node: 'pve', status: 'running' });
  });

  it('state running refuses a stopped container by name, vmid and node, and starts nothing', async () => {
    await setContainerStatus(f.stateDir, 'pve', 101, 'stopped');
    try {
      for (const check of [true, false]) {
        const r = await runModule(pctContainer, { state: 'running' }, on(), { check });
        expect(r.status).toBe('failed');
        expect(r.msg).toBe(
          'container 101 (ct) on pve is stopped: start it with `pct start 101` on pve, then run again; nothing was changed',
        );
        expect(await statusOf()).toBe('status: stopped');
      }
    } finally {
      await setContainerStatus(f.stateDir, 'pve', 101, 'running');
    }
  });

  it('state started: --check says it would start it and starts nothing; the run starts it; a second run is ok', async () => {
    await setContainerStatus(f.stateDir, 'pve', 101, 'stopped');
    const check = await runModule(pctContainer, { state: 'started' }, on(), { check: true });
    expect(check).toMatchObject({ status: 'changed', msg: 'would start container 101 (ct) on pve (pct start 101)' });
    expect(await statusOf()).toBe('status: stopped');
    const r = await runModule(pctContainer, { state: 'started' }, on());
    expect(r).toMatchObject({ status: 'changed', msg: 'container 101 (ct) on pve started' });
    expect(await statusOf()).toBe('status: running');
    // Inside it now runs commands again.
    expect((await ct.exec(['true'])).rc).toBe(0);
    expect((await runModule(pctContainer, { state: 'started' }, on())).status).toBe('ok');
  });

  it("an unknown container fails with pct's own words", async () => {
    const ghost = new PctConnection({ kind: 'pct', host: 'ghost', pctHost: 'pve', pctVmid: 199 }, f.conn('pve'));
    const r = await runModule(pctContainer, {}, { connection: ghost, host: 'ghost' });
    expect(r.status).toBe('failed');
    expect(r.msg).toBe(
      "container 199 (ghost) on pve: pct status failed: Configuration file 'nodes/pve/lxc/199.conf' does not exist; nothing was changed",
    );
  });

  it('a host not reached through pct is ok without being contacted', async () => {
    const r = await runModule(pctContainer, {}, { host: 'w-1', connectionKind: 'ssh' });
    expect(r).toMatchObject({ status: 'ok', msg: 'w-1 is not a Proxmox container (connection ssh)' });
  });
});
