// ChannelGate against a fake server that caps sessions and frees a closed one late, as sshd does.
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { ChannelGate } from '../../../engine/connection/ssh/channels.js';

function fakeServer(cap: number, freeLagMs: number) {
  let held = 0;
  return {
    open: async () => {
      await sleep(1);
      if (held >= cap) throw new Error('(SSH) Channel open failure: open failed');
      held++;
    },
    close: () => void setTimeout(() => held--, freeLagMs),
  };
}

describe('ChannelGate', () => {
  it('keeps queued channels waiting while its own channels explain the refusals, however long they run', async () => {
    const server = fakeServer(2, 120);
    // A closed session is freed later than the give-up time; one long channel of ours stays open
    // meanwhile, so every refusal is explained by our own channels and must not count.
    const gate = new ChannelGate({ idleRetryMs: 50 });
    const run = async (ms: number) => {
      await gate.acquire(server.open);
      await sleep(ms);
      gate.release();
      server.close();
    };
    await expect(Promise.all([run(600), run(10), run(10), run(10)])).resolves.toHaveLength(4);
  });

  it('gives up on refusals nothing of its own explains (someone else holds the sessions)', async () => {
    const gate = new ChannelGate({ idleRetryMs: 50 });
    const refuse = async () => {
      throw new Error('(SSH) Channel open failure: open failed');
    };
    await expect(gate.acquire(refuse)).rejects.toThrow(/Channel open failure/);
  });
});
