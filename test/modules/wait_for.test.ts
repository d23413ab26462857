import { rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../modules/host/wait_for.js';
import { connectError } from '../../modules/host/wait-probes.js';
import { runModule } from '../helpers/module-harness.js';
import { planFixtures } from '../helpers/plan-fixtures.js';
import { fleetHost, localTemp } from './host-helpers.js';

planFixtures(waitFor, path.join(import.meta.dirname, 'wait_for'));

/** A TCP server on a free loopback port, and a port nothing listens on. */
async function listen(): Promise<net.Server & { port: number }> {
  const server = net.createServer((s) => s.end());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return Object.assign(server, { port: (server.address() as net.AddressInfo).port });
}
const close = (s: net.Server) => new Promise<void>((r) => s.close(() => r()));
async function freePort(): Promise<number> {
  const s = await listen();
  await close(s);
  return s.port;
}

describe('connect errors', () => {
  it('says why in a few words', () => {
    expect(
      connectError(1, 'bash: connect: Connection refused\nbash: line 1: /dev/tcp/127.0.0.1/1: Connection refused\n'),
    ).toBe('Connection refused');
    expect(connectError(124, '')).toBe('connect timed out');
  });
});

describe('wait_for on the local connection', () => {
  const tmp = localTemp('wait-for');
  const { connection } = tmp;
  const servers: net.Server[] = [];
  afterAll(async () => {
    for (const s of servers) if (s.listening) await close(s);
  });

  it('waits for a port that opens later, in check mode the same', async () => {
    const port = await freePort();
    const later = setTimeout(() => void listenOn(port).then((s) => servers.push(s)), 300);
    const r = await runModule(waitFor, { port, timeout: 30, sleep: 0.05 }, { connection }, { check: true });
    clearTimeout(later);
    expect(r.status).toBe('ok');
    expect(r.msg).toMatch(new RegExp(`^127\\.0\\.0\\.1:${port} is open \\(after [\\d.]+s\\)$`));
  });

  it('fails at the timeout with what it saw', async () => {
    const port = await freePort();
    const r = await runModule(waitFor, { port, timeout: 0.3, sleep: 0.05 }, { connection });
    expect(r.status).toBe('failed');
    expect(r.msg).toBe(
      `Timeout when waiting for 127.0.0.1:${port} to open after 0.3s; last seen: 127.0.0.1:${port}: Connection refused`,
    );
  });

  it('waits for a port to close', async () => {
    const s = await listen();
    setTimeout(() => void close(s), 200);
    const r = await runModule(waitFor, { port: s.port, state: 'stopped', timeout: 30, sleep: 0.05 }, { connection });
    expect(r.status).toBe('ok');
    expect(r.msg).toMatch(/Connection refused/);
  });

  it('waits for a regex in a file and registers its groups', async () => {
    const log = tmp.at('k3s.log');
    writeFileSync(log, 'starting\n');
    setTimeout(() => writeFileSync(log, 'starting\nRunning kubelet v1.32.5+k3s1\n'), 200);
    const r = await runModule(
      waitFor,
      { path: log, search_regex: '^Running kubelet (?P<version>v[\\d.]+)', timeout: 30, sleep: 0.05 },
      { connection },
    );
    expect(r.status).toBe('ok');
    expect(r.data).toMatchObject({ match_groups: ['v1.32.5'], match_groupdict: { version: 'v1.32.5' } });
  });

  it('waits for a path to go away; times out while it stays', async () => {
    const lock = tmp.at('lock');
    writeFileSync(lock, '');
    // Long enough for at least one look on a loaded machine, so the failure can say what it saw.
    const stays = await runModule(waitFor, { path: lock, state: 'absent', timeout: 2, sleep: 0.05 }, { connection });
    expect(stays.status).toBe('failed');
    expect(stays.msg).toMatch(/last seen: .*lock exists$/);
    setTimeout(() => rmSync(lock), 100);
    expect(
      (await runModule(waitFor, { path: lock, state: 'absent', timeout: 30, sleep: 0.05 }, { connection })).status,
    ).toBe('ok');
  });
});

function listenOn(port: number): Promise<net.Server> {
  const server = net.createServer((s) => s.end());
  return new Promise((r) => server.listen(port, '127.0.0.1', () => r(server)));
}

describe('wait_for over real sshd', () => {
  const h = fleetHost('wait-node');

  it("sees a port on the node's loopback and a file the node gets later", async () => {
    const s = await listen();
    try {
      const r = await runModule(waitFor, { port: s.port, timeout: 30 }, { connection: h.connection });
      expect(r.status).toBe('ok');
    } finally {
      await close(s);
    }
    const token = '/var/lib/rancher/node-token';
    setTimeout(() => writeFileSync(h.local(token), 'K10::abc\n'), 300);
    const r = await runModule(
      waitFor,
      { path: token, search_regex: '^K10', timeout: 30, sleep: 0.1 },
      { connection: h.connection },
    );
    expect(r.status).toBe('ok');
    const gone = await runModule(
      waitFor,
      { port: s.port, state: 'stopped', timeout: 30 },
      { connection: h.connection },
    );
    expect(gone.status).toBe('ok');
  });
});
