// Whose cordon is it? Our annotation outlives `kubectl uncordon`; the API server's record of
// who last set spec.unschedulable (managedFields) does not.
import type { V1Node } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { CORDONED_BY, isHerdbookCordon } from '../../../modules/kube/drain/state.js';

const owner = (manager: string) => ({
  manager,
  operation: 'Update',
  fieldsType: 'FieldsV1',
  fieldsV1: { 'f:spec': { 'f:unschedulable': {} } },
});
const node = (annotated: boolean, managedFields?: object[]): V1Node => ({
  metadata: {
    name: 'w-1',
    annotations: annotated ? { [CORDONED_BY]: 'ops' } : {},
    ...(managedFields ? { managedFields } : {}),
  },
  spec: { unschedulable: true },
});

describe('isHerdbookCordon', () => {
  it('without our annotation: not ours', () => {
    expect(isHerdbookCordon(node(false, [owner('herdbook')]))).toBe(false);
  });
  it('annotated, and herdbook last set spec.unschedulable: ours', () => {
    expect(
      isHerdbookCordon(
        node(true, [{ manager: 'k3s', operation: 'Update', fieldsV1: { 'f:status': {} } }, owner('herdbook')]),
      ),
    ).toBe(true);
  });
  it('annotated, but kubectl cordon set it since (a stale mark after a manual uncordon): not ours', () => {
    expect(isHerdbookCordon(node(true, [owner('kubectl-cordon')]))).toBe(false);
  });
  it('managedFields that say nothing about spec.unschedulable, or none at all: the annotation decides', () => {
    expect(isHerdbookCordon(node(true, [{ manager: 'k3s', operation: 'Update', fieldsV1: { 'f:status': {} } }]))).toBe(
      true,
    );
    expect(isHerdbookCordon(node(true))).toBe(true);
  });
});
