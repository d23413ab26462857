// The connection pool's checks on pct settings, before anything is contacted: a bad pct_id or a
// pct_host that is not the Proxmox node is the host's unreachable result ('config'), never a
// hang or an internal error.
import { describe, expect, it } from 'vitest';
import { UnreachableError } from '../../../engine/errors.js';
import { createConnectionPool } from '../../../engine/run/connections.js';

function pool(hosts: Record<string, Record<string, unknown>>) {
  return createConnectionPool((host) => (name) => hosts[host]?.[name]);
}

const pve = { ansible_host: '127.0.0.1', ansible_port: 1, ansible_user: 'root' };

describe('pct connection settings', () => {
  it.each([
    [
      'a vmid below 100',
      { pct_id: 5 },
      'host ct: pct_vmid must be a Proxmox VMID (an integer from 100 to 999999999), got 5',
    ],
    [
      'a fractional vmid',
      { pct_id: '101.5' },
      'host ct: pct_vmid must be a Proxmox VMID (an integer from 100 to 999999999), got 101.5',
    ],
    [
      'a vmid that is not a number',
      { pct_id: 'abc' },
      'host ct: pct_vmid must be a Proxmox VMID (an integer from 100 to 999999999), not a number',
    ],
    ['no vmid', { pct_id: undefined }, 'host ct: connection pct needs pct_vmid (or pct_id / proxmox_vmid)'],
    [
      'no pct_host',
      { pct_host: undefined },
      'host ct: connection pct needs pct_host (the Proxmox node, an inventory host or an address)',
    ],
    [
      'the container as its own pct_host',
      { pct_host: 'ct' },
      'host ct: pct_host ct must be the Proxmox node (reached by ssh or local), not a pct container',
    ],
    [
      'another container as pct_host',
      { pct_host: 'ct2' },
      'host ct: pct_host ct2 must be the Proxmox node (reached by ssh or local), not a pct container',
    ],
  ])('%s', async (_title, vars, message) => {
    const ct = { ansible_connection: 'pct', pct_host: 'pve', pct_id: 101, ...vars };
    const p = pool({ pve, ct, ct2: { ansible_connection: 'pct', pct_host: 'pve', pct_id: 102 } });
    const e = await p.get('ct').then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(UnreachableError);
    expect(e).toMatchObject({ reason: 'config', message });
    await p.closeAll();
  });

  it('a container behind an ssh Proxmox node gets a pct connection, without contacting anything yet', async () => {
    const p = pool({ pve, ct: { ansible_connection: 'pct', pct_host: 'pve', pct_id: 101 } });
    expect((await p.get('ct')).kind).toBe('pct');
    await p.closeAll();
  });
});
