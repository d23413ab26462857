// The decoder against the Go texts it copies: time.Parse's errors (transcript 15 for
// MicroTime), encoding/json's and the unstructured converter's type errors, unknown fields.
import { describe, expect, it } from 'vitest';
import { decodeObject } from '../../../sandbox/kube-sim/decode/decode.js';
import { goParse, RFC3339, RFC3339_MICRO } from '../../../sandbox/kube-sim/decode/go-time.js';
import { kindDef } from '../../../sandbox/kube-sim/openapi/index.js';

const err = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  return 'no error';
};

describe('Go time.Parse', () => {
  it.each([
    // transcript 15: three fractional digits for a MicroTime
    [
      RFC3339_MICRO,
      '2026-12-05T14:35:20.405Z',
      'parsing time "2026-12-05T14:35:20.405Z" as "2006-01-02T15:04:05.000000Z07:00": cannot parse ".405Z" as ".000000"',
    ],
    [
      RFC3339_MICRO,
      '2026-12-05T14:35:20Z',
      'parsing time "2026-12-05T14:35:20Z" as "2006-01-02T15:04:05.000000Z07:00": cannot parse "Z" as ".000000"',
    ],
    [
      RFC3339,
      '2026-12-05 14:35:20Z',
      'parsing time "2026-12-05 14:35:20Z" as "2006-01-02T15:04:05Z07:00": cannot parse " 14:35:20Z" as "T"',
    ],
    [RFC3339, '2026-13-05T14:35:20Z', 'parsing time "2026-13-05T14:35:20Z": month out of range'],
    [RFC3339, '2026-02-30T14:35:20Z', 'parsing time "2026-02-30T14:35:20Z": day out of range'],
    [
      RFC3339,
      '2026-12-05T14:35:20',
      'parsing time "2026-12-05T14:35:20" as "2006-01-02T15:04:05Z07:00": cannot parse "" as "Z07:00"',
    ],
    [RFC3339, '2026-12-05T14:35:20Zx', 'parsing time "2026-12-05T14:35:20Zx": extra text: "x"'],
  ])('%s refuses %s', (layout, value, message) => {
    expect(err(() => goParse(layout as typeof RFC3339, value))).toBe(message);
  });

  it('reads fractions and offsets a layout accepts', () => {
    expect(goParse(RFC3339, '2026-12-05T14:35:20.405Z').nsec).toBe(405_000_000);
    expect(new Date(goParse(RFC3339_MICRO, '2026-12-05T15:35:20.405123+01:00').ms).toISOString()).toBe(
      '2026-12-05T14:35:20.000Z',
    );
  });
});

describe('decoding against the OpenAPI schema', () => {
  const lease = kindDef('coordination.k8s.io/v1', 'Lease')!;
  const node = kindDef('v1', 'Node')!;

  it('writes MicroTime back in UTC with six digits and Time in whole seconds', () => {
    const d = decodeObject(
      {
        metadata: { name: 'l', creationTimestamp: '2026-12-05T14:35:20.9Z' },
        spec: { renewTime: '2026-12-05T15:35:20.405123+01:00' },
      },
      lease,
      'json',
    );
    expect(d.value).toMatchObject({
      metadata: { creationTimestamp: '2026-12-05T14:35:20Z' },
      spec: { renewTime: '2026-12-05T14:35:20.405123Z' },
    });
  });

  it('refuses a wrong JSON type with encoding/json words, and the converter its own', () => {
    const body = { spec: { unschedulable: 'yes' } };
    expect(err(() => decodeObject(body, node, 'json'))).toBe(
      'json: cannot unmarshal string into Go struct field NodeSpec.spec.unschedulable of type bool',
    );
    expect(err(() => decodeObject(body, node, 'unstructured'))).toBe('unrecognized type: bool');
    expect(err(() => decodeObject({ spec: { taints: [{ key: 'a', effect: 1 }] } }, node, 'json'))).toBe(
      'json: cannot unmarshal number into Go struct field Taint.spec.taints.effect of type string',
    );
    expect(err(() => decodeObject({ spec: { leaseDurationSeconds: 1.5 } }, lease, 'json'))).toBe(
      'json: cannot unmarshal number 1.5 into Go struct field LeaseSpec.spec.leaseDurationSeconds of type int32',
    );
  });

  it('drops unknown fields and names them with list indexes (transcript 09)', () => {
    const d = decodeObject(
      { spec: { unschedulabel: true, taints: [{ key: 'k', effect: 'NoSchedule', colour: 'red' }] } },
      node,
      'json',
    );
    expect(d.unknown).toEqual(['spec.unschedulabel', 'spec.taints[0].colour']);
    expect(d.value.spec).toEqual({ taints: [{ key: 'k', effect: 'NoSchedule' }] });
  });

  it('fills the zero values Go serialises (transcript 03: status.daemonEndpoints, nodeInfo)', () => {
    const d = decodeObject({ metadata: { name: 'n' }, spec: {} }, node, 'json');
    expect(d.value.status).toEqual({
      daemonEndpoints: { kubeletEndpoint: { Port: 0 } },
      nodeInfo: {
        architecture: '',
        bootID: '',
        containerRuntimeVersion: '',
        kernelVersion: '',
        kubeProxyVersion: '',
        kubeletVersion: '',
        machineID: '',
        operatingSystem: '',
        osImage: '',
        systemUUID: '',
      },
    });
  });
});
