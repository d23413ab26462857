import net from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { waitForConnection } from '../../modules/host/wait_for_connection.js';
import { runModule } from '../helpers/module-harness.js';
import { planFixtures } from '../helpers/plan-fixtures.js';
import { connect } from '../connection/ssh/fixture.js';
import { fleetHost } from './host-helpers.js';

planFixtures(waitForConnection, path.join(import.meta.dirname, 'wait_for_connection'));

async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('wait_for_connection over real sshd', () => {
  const h = fleetHost('wfc-node');

  it('answers at once, in check mode too', async () => {
    for (const check of [true, false]) {
      const r = await runModule(
        waitForConnection,
        { timeout: 30 },
        { connection: h.connection, host: 'wfc-node' },
        { check },
      );
      expect(r.status).toBe('ok');
      expect(r.msg).toMatch(/^wfc-node answered \(after [\d.]+s\)$/);
    }
  });

  it('reconnects after the connection was killed', async () => {
    await h.connection.exec(['true']);
    for (const p of await h.t.fleet.sessionPids('wfc-node')) process.kill(p, 'SIGKILL');
    const r = await runModule(
      waitForConnection,
      { timeout: 60, sleep: 0.1 },
      { connection: h.connection, host: 'wfc-node' },
    );
    expect(r.status).toBe('ok');
  });

  it('fails at the timeout with the connection error it saw', async () => {
    const dead = connect(h.t, 'wfc-node', { port: await closedPort() });
    try {
      const r = await runModule(
        waitForConnection,
        { timeout: 0.5, sleep: 0.1, connect_timeout: 1 },
        { connection: dead, host: 'wfc-node' },
      );
      expect(r.status).toBe('failed');
      expect(r.msg).toMatch(/^timed out waiting for the connection after 0\.5s; last seen: .*refused/i);
    } finally {
      await dead.close();
    }
  });
});
