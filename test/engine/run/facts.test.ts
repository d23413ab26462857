import { describe, expect, it } from 'vitest';
import { LocalConnection } from '../../../engine/connection/local.js';
import { gatherFacts, parseFacts } from '../../../engine/run/facts.js';

// Captured from a Raspberry Pi 4 running Debian 12 (the one round trip's output).
const PI = `hostname=rpi-w-1
os_id=debian
os_version=12
os_name=Debian GNU/Linux 12 (bookworm)
arch=aarch64
kernel=6.1.0-rpi7-rpi-v8
init=systemd
cpus=4
mem_kb=3884404
`;

describe('facts', () => {
  it('parses the fact script output', () => {
    expect(parseFacts(PI)).toEqual({
      hostname: 'rpi-w-1',
      os: { id: 'debian', version: '12', name: 'Debian GNU/Linux 12 (bookworm)' },
      architecture: 'aarch64',
      kernel: '6.1.0-rpi7-rpi-v8',
      init: 'systemd',
      cpus: 4,
      memory_mb: 3793,
    });
  });

  it('tolerates missing lines (a minimal container without os-release)', () => {
    expect(parseFacts('hostname=c1\narch=x86_64\n')).toMatchObject({
      hostname: 'c1',
      os: { id: '', version: '' },
      cpus: 0,
      memory_mb: 0,
    });
  });

  it('gathers from a real host in one command', async () => {
    let calls = 0;
    const local = new LocalConnection('local');
    const counting = {
      ...local,
      host: 'local',
      kind: 'local',
      exec: (c: Parameters<LocalConnection['exec']>[0], o?: Parameters<LocalConnection['exec']>[1]) => (
        calls++,
        local.exec(c, o)
      ),
      put: local.put.bind(local),
      get: local.get.bind(local),
      close: local.close.bind(local),
    };
    const f = await gatherFacts(counting);
    expect(calls).toBe(1);
    expect(f.cpus).toBeGreaterThan(0);
    expect(f.memory_mb).toBeGreaterThan(0);
    expect(f.kernel).not.toBe('');
  });
});
