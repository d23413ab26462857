// The audit log read back: the admin's writes (mutatingRecord) and all its requests (auditRecord).
import { describe, expect, it } from 'vitest';
import { auditRecord, mutatingRecord } from '../../../sandbox/real-kube/audit.js';

const line = (o: Record<string, unknown>) =>
  JSON.stringify({
    stage: 'ResponseComplete',
    user: { username: 'system:admin' },
    responseStatus: { code: 200 },
    ...o,
  });

describe('audit records', () => {
  it('all requests: reads and non-resource requests too, by the user only, once complete', () => {
    expect(auditRecord(line({ verb: 'get', requestURI: '/version' }), 'system:admin', false)).toMatchObject({
      verb: 'get',
      method: 'GET',
      path: '/version',
      status: 200,
    });
    expect(
      auditRecord(line({ verb: 'list', requestURI: '/api/v1/nodes?limit=500' }), 'system:admin', false),
    ).toMatchObject({ method: 'GET', path: '/api/v1/nodes?limit=500' });
    expect(auditRecord(line({ verb: 'post', requestURI: '/some/path' }), 'system:admin', false)).toMatchObject({
      method: 'POST',
    });
    expect(
      auditRecord(line({ verb: 'create', requestURI: '/api/v1/namespaces' }), 'system:admin', false),
    ).toMatchObject({ method: 'POST' });
    expect(
      auditRecord(
        line({ verb: 'get', requestURI: '/version', user: { username: 'fake-kubelet' } }),
        'system:admin',
        false,
      ),
    ).toBeUndefined();
    expect(
      auditRecord(line({ verb: 'get', requestURI: '/version', stage: 'RequestReceived' }), 'system:admin', false),
    ).toBeUndefined();
    expect(auditRecord('not json', 'system:admin', false)).toBeUndefined();
  });

  it('writes: no reads, no dry runs', () => {
    expect(mutatingRecord(line({ verb: 'patch', requestURI: '/api/v1/nodes/w-1' }), 'system:admin')).toMatchObject({
      verb: 'patch',
      method: 'PATCH',
      path: '/api/v1/nodes/w-1',
    });
    expect(mutatingRecord(line({ verb: 'get', requestURI: '/api/v1/nodes/w-1' }), 'system:admin')).toBeUndefined();
    expect(
      mutatingRecord(line({ verb: 'patch', requestURI: '/api/v1/nodes/w-1?dryRun=All' }), 'system:admin'),
    ).toBeUndefined();
  });
});
