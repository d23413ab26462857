// The persistent executor through `pct exec`, on the real fleet: a Proxmox node (sshd) whose fake
// `pct` enters another fleet node's mount namespace. One agent per container runs its commands:
// one `pct exec` for many commands; a timeout kills that command only; a stopped container's
// agent ends with it and the container is reported as stopped; at most AGENTS_PER_NODE agents hold
// channels of the Proxmox node's connection.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PctConnection } from '../../engine/connection/pct.js';
import { AGENTS_PER_NODE, EVICT_AFTER_IDLE_MS } from '../../engine/connection/pct-executor.js';
import type { Connection } from '../../engine/connection/types.js';
import { registerContainer, setContainerStatus } from '../../sandbox/k3s-fake/index.js';
import { fleetFor } from '../helpers/fleet.js';
import { recording, unreachable } from './pct-recording.js';

let f: Awaited<ReturnType<typeof fleetFor>>;
const inCt = (p: string) => path.join(f.fleet.node('ct').root, p);

beforeAll(async () => {
  f = await fleetFor([{ name: 'pve' }, { name: 'ct' }]);
  // Containers 101..(101+AGENTS_PER_NODE) all enter the one fleet node `ct`: cheap, and enough
  // to count agents.
  for (let i = 0; i <= AGENTS_PER_NODE; i++)
    await registerContainer(f.stateDir, 'pve', 101 + i, 'ct', f.fleet.node('ct').pid);
}, 120_000);

/** The Proxmox connection, counting the commands and the agents started on the Proxmox node. */
const counting = () => recording(f.conn('pve'));

const container = (conn: Connection, vmid = 101, executor = true) =>
  new PctConnection({ kind: 'pct', host: `ct-${vmid}`, pctHost: 'pve', pctVmid: vmid, executor }, conn);

describe('pct through the persistent executor', () => {
  it('runs many commands through one pct exec: env, cwd, stdin, become, exit codes, bytes', async () => {
    const rec = counting();
    const ct = container(rec.conn);
    try {
      await ct.put('inside\n', '/etc/rancher/where');
      expect(await ct.exec(['cat', '/etc/rancher/where'])).toMatchObject({ rc: 0, stdout: 'inside\n' });
      const e = await ct.exec('echo "$A" $(pwd); exit 3', { env: { A: 'a b;$(x)' }, cwd: '/etc/rancher' });
      expect(e).toMatchObject({ rc: 3, stdout: 'a b;$(x) /etc/rancher\n' });
      expect(await ct.exec(['cat'], { stdin: 'own input\n' })).toMatchObject({ rc: 0, stdout: 'own input\n' });
      expect((await ct.exec(['id', '-un'], { become: true, becomeUser: 'nobody' })).stdout).toBe('nobody\n');
      const data = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 7) % 256));
      await ct.put(data, '/etc/rancher/blob.bin', { mode: '0600' });
      expect((await readFile(inCt('etc/rancher/blob.bin'))).equals(data)).toBe(true);
      expect((await ct.get('/etc/rancher/blob.bin')).equals(data)).toBe(true);
      await expect(ct.get('/etc/rancher/no-such-file')).rejects.toThrow(
        /^reading \/etc\/rancher\/no-such-file in container 101: cat: .*No such file or directory$/,
      );
      // One agent, started by one `pct exec ... /bin/sh -s`; no command went through pct exec of its own.
      expect(rec.spawns).toEqual(['pct exec 101 -- /bin/sh -s']);
      expect(rec.execs).toEqual([]);
    } finally {
      await ct.close();
    }
  });

  it('a timeout kills that command in the container; the next command runs in the same agent', async () => {
    const rec = counting();
    const ct = container(rec.conn);
    try {
      const r = await ct.exec('sleep 30; echo never', { timeout: 500 });
      expect(r).toMatchObject({ timedOut: true, stdout: '' });
      expect((await ct.exec(['echo', 'after'])).stdout).toBe('after\n');
      expect(rec.spawns).toHaveLength(1);
      // The kill ran in the container through a pct exec of its own.
      expect(rec.execs).toEqual([expect.stringMatching(/^pct exec 101 -- \/bin\/sh -c all=\d+/)]);
      expect((await ct.exec(['sh', '-c', 'ps -eo args | grep -c "^sleep 30" || true'])).stdout.trim()).toBe('0');
    } finally {
      await ct.close();
    }
  });

  it("a container stopped under its agent: the agent ends with it, and the next command says the container's state", async () => {
    const rec = counting();
    const ct = container(rec.conn, 102);
    try {
      expect((await ct.exec(['true'])).rc).toBe(0);
      await setContainerStatus(f.stateDir, 'pve', 102, 'stopped');
      expect((await unreachable(ct.exec(['true']))).message).toBe(
        'container 102 (ct-102) on pve is stopped: start it with `pct start 102`',
      );
      await setContainerStatus(f.stateDir, 'pve', 102, 'running');
      // Started again: a new agent takes the commands.
      expect((await ct.exec(['echo', 'back'])).stdout).toBe('back\n');
      expect(rec.spawns.length).toBeGreaterThanOrEqual(2);
    } finally {
      await ct.close();
    }
  });

  it('a command running when its container stops is reported as not re-run, with the state', async () => {
    const rec = counting();
    const ct = container(rec.conn, 103);
    try {
      expect((await ct.exec(['true'])).rc).toBe(0);
      const running = ct.exec('echo started > /etc/rancher/hb-pct-103; sleep 30');
      for (let i = 0; i < 100 && !(await readFile(inCt('etc/rancher/hb-pct-103'), 'utf8').catch(() => '')); i++)
        await new Promise((r) => setTimeout(r, 50));
      await setContainerStatus(f.stateDir, 'pve', 103, 'stopped');
      expect((await unreachable(running)).message).toBe(
        'container 103 (ct-103) on pve is stopped: it stopped while running echo started > /etc/rancher/hb-pct-103; sleep 30, which may or may not have completed and was not re-run',
      );
    } finally {
      await setContainerStatus(f.stateDir, 'pve', 103, 'running');
      await ct.close();
    }
  });

  it(`at most ${AGENTS_PER_NODE} agents per Proxmox connection: one idle for a while makes room, one used a moment ago does not`, async () => {
    const rec = counting();
    const cts = Array.from({ length: AGENTS_PER_NODE + 1 }, (_, i) => container(rec.conn, 101 + i));
    try {
      for (const ct of cts.slice(0, AGENTS_PER_NODE)) expect((await ct.exec(['true'])).rc).toBe(0);
      // Every agent was used a moment ago: the next container runs through pct exec, takes no slot.
      expect((await cts[AGENTS_PER_NODE].exec(['echo', 'by pct exec'])).stdout).toBe('by pct exec\n');
      expect(rec.spawns).toHaveLength(AGENTS_PER_NODE);
      expect(rec.execs).toEqual([expect.stringMatching(/^pct exec 105 -- /)]);
      await new Promise((r) => setTimeout(r, EVICT_AFTER_IDLE_MS + 100));
      expect((await cts[AGENTS_PER_NODE].exec(['true'])).rc).toBe(0);
      expect(rec.spawns).toHaveLength(AGENTS_PER_NODE + 1);
      // The first container's agent was the idle one closed for the last: its process ended.
      await rec.agents[0].ended;
      const live = await Promise.all(
        rec.agents.map((a) =>
          Promise.race([a.ended.then(() => false), new Promise((r) => setTimeout(() => r(true), 200))]),
        ),
      );
      expect(live.filter(Boolean)).toHaveLength(AGENTS_PER_NODE);
      // It comes back when needed, taking the slot of the next one idle long enough.
      await new Promise((r) => setTimeout(r, EVICT_AFTER_IDLE_MS + 100));
      expect((await cts[0].exec(['echo', 'again'])).stdout).toBe('again\n');
      expect(rec.spawns).toHaveLength(AGENTS_PER_NODE + 2);
    } finally {
      await Promise.all(cts.map((c) => c.close()));
    }
  });

  it('off by the host variable: every command is a pct exec of its own (and the same results as on)', async () => {
    const rec = counting();
    const off = container(rec.conn, 101, false);
    const on = container(f.conn('pve'), 101, true);
    // Not a timing assertion (tests never assert on time): per-command latency both ways, printed.
    const times = { on: 0, off: 0 };
    const n = 20;
    for (let round = 0; round < 2; round++)
      for (const [name, c] of [
        ['on', on],
        ['off', off],
      ] as const) {
        const t0 = performance.now();
        for (let i = 0; i < n / 2; i++) expect((await c.exec(['echo', String(i)])).stdout).toBe(`${i}\n`);
        times[name] += performance.now() - t0;
      }
    console.log(
      `per command in a container: executor on ${(times.on / n).toFixed(1)} ms, off ${(times.off / n).toFixed(1)} ms (the fake pct is a shell script; a real one starts Perl)`,
    );
    expect(rec.spawns).toEqual([]);
    expect(rec.execs).toHaveLength(n);
    await on.close();
  });
});
