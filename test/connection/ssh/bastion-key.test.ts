// A pooled bastion connection is shared only by hosts that would have opened it the same way:
// same hops, same host key policy and known_hosts files, same credentials.
import { describe, expect, it } from 'vitest';
import { bastionKey } from '../../../engine/connection/ssh/bastions.js';
import type { Hop } from '../../../engine/connection/ssh/types.js';

const hop: Hop = {
  name: 'bastion',
  address: '10.0.0.1',
  port: 22,
  user: 'ops',
  identityFiles: ['/home/ops/.ssh/id_ed25519'],
  explicitIdentity: false,
};
const base = { hostKeyChecking: 'strict' as const, knownHostsFiles: ['/home/ops/.ssh/known_hosts'] };

describe('bastionKey', () => {
  it('is the same for hosts that reach the same bastion the same way', () => {
    expect(bastionKey(base, [hop])).toBe(
      bastionKey({ ...base, knownHostsFiles: [...base.knownHostsFiles] }, [{ ...hop, name: 'other-name' }]),
    );
  });

  it.each([
    ['host key checking off', { ...base, hostKeyChecking: 'off' as const }, [hop]],
    ['accept-new', { ...base, hostKeyChecking: 'accept-new' as const }, [hop]],
    ['another known_hosts file', { ...base, knownHostsFiles: ['/tmp/known_hosts'] }, [hop]],
    ['another key', base, [{ ...hop, identityFiles: ['/home/ops/.ssh/other'], explicitIdentity: true }]],
    ['a password', base, [{ ...hop, password: 'pw' }]],
    ['a passphrase', base, [{ ...hop, passphrase: 'pp' }]],
    ['an agent', base, [{ ...hop, agent: '/run/agent.sock' }]],
    ['another user', base, [{ ...hop, user: 'root' }]],
    ['another port', base, [{ ...hop, port: 2222 }]],
    ['a longer chain', base, [hop, { ...hop, address: '10.0.0.2' }]],
  ])('differs with %s', (_what, r, chain) => {
    expect(bastionKey(r, chain)).not.toBe(bastionKey(base, [hop]));
  });

  it('does not hold a password or passphrase in clear', () => {
    const key = bastionKey(base, [{ ...hop, password: 'hunter2-password', passphrase: 'hunter2-passphrase' }]);
    expect(key).not.toContain('hunter2');
  });
});
