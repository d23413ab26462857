// The replay's comparison must catch every real difference and only those: the run's own
// values (uids, resourceVersions, times, generated names) pass, anything else fails.
import { describe, expect, it } from 'vitest';
import { compareResponse, compareValues } from '../../../sandbox/kube-sim/replay/compare.js';
import { Translation } from '../../../sandbox/kube-sim/replay/translate.js';

const pod = {
  metadata: { name: 'p', uid: 'a', resourceVersion: '5', creationTimestamp: '2026-12-05T14:35:20Z' },
  spec: { volumes: [{ name: 'kube-api-access-abcde' }] },
};

describe('replay comparison', () => {
  it('passes the run-specific values and fails on anything else', () => {
    expect(
      compareValues(pod, {
        metadata: { name: 'p', uid: 'b', resourceVersion: '9', creationTimestamp: '2027-01-01T00:00:00Z' },
        spec: { volumes: [{ name: 'kube-api-access-xyz12' }] },
      }),
    ).toEqual([]);
    expect(compareValues(pod, { ...pod, status: {} })).toEqual(['(body): unexpected field status = {}']);
    expect(compareValues(pod, { metadata: { ...pod.metadata, name: 'q' }, spec: pod.spec })).toEqual([
      'metadata.name: expected "p", got "q"',
    ]);
    expect(compareValues(pod, { metadata: pod.metadata, spec: { volumes: [] } })).toHaveLength(1);
  });

  it('compares managedFields as a set, and an object inside a message by its fields', () => {
    const a = { manager: 'a', operation: 'Update' };
    const b = { manager: 'b', operation: 'Update' };
    expect(compareValues({ managedFields: [a, b] }, { managedFields: [b, a] })).toEqual([]);
    const msg = (o: object) => ({
      message: `x: Invalid value: ${JSON.stringify(JSON.stringify(o))}: strict decoding error`,
    });
    expect(compareValues(msg({ a: 1, b: { uid: 'u1' } }), msg({ b: { uid: 'u2' }, a: 1 }))).toEqual([]);
    expect(compareValues(msg({ a: 1 }), msg({ a: 2 }))).toHaveLength(1);
  });

  it('checks the status code and the kept headers', () => {
    const recorded = { status: 200, headers: { 'content-type': 'application/json', warning: '299 - "x"' }, body: {} };
    expect(
      compareResponse(recorded, {
        status: 200,
        headers: { 'content-type': 'application/json', warning: '299 - "x"' },
        body: {},
        text: '{}',
      }),
    ).toEqual([]);
    expect(
      compareResponse(recorded, { status: 201, headers: { 'content-type': 'application/json' }, body: {}, text: '{}' }),
    ).toHaveLength(2);
  });

  it('sends the live uid and resourceVersion for recorded ones, an unseen older version as the newest seen before it', () => {
    const t = new Translation();
    t.learn(
      { metadata: { uid: 'rec', resourceVersion: '249' } },
      { metadata: { uid: 'live', resourceVersion: '1001' } },
    );
    t.learn({ metadata: { resourceVersion: '254' } }, { metadata: { resourceVersion: '1007' } });
    expect(t.apply({ metadata: { uid: 'rec', resourceVersion: '253' } })).toEqual({
      metadata: { uid: 'live', resourceVersion: '1001' },
    });
    expect(t.apply({ metadata: { resourceVersion: '254' } })).toEqual({ metadata: { resourceVersion: '1007' } });
  });
});
