// The committed schema table is what the generator makes of the v1.32 OpenAPI documents; the
// documents live outside the repository (../shared/reference), so this runs where they exist.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compactSchemas } from '../../../sandbox/kube-sim/openapi/compact.js';
import {
  DEFAULT_OPENAPI_DIR,
  GENERATED_FILE,
  readDocuments,
  renderTable,
} from '../../../sandbox/kube-sim/openapi/generate.js';
import { kindDef } from '../../../sandbox/kube-sim/openapi/index.js';

describe('kube-sim OpenAPI schemas', () => {
  it.skipIf(!existsSync(DEFAULT_OPENAPI_DIR))(
    'schemas.generated.ts matches the reference documents (regenerate with openapi/generate.ts)',
    () => {
      expect(readFileSync(GENERATED_FILE, 'utf8')).toBe(
        renderTable(compactSchemas(readDocuments(DEFAULT_OPENAPI_DIR))),
      );
    },
  );

  it('has every kind kube-sim serves, with the markers the simulator relies on', () => {
    for (const [v, k] of [
      ['v1', 'Node'],
      ['v1', 'Pod'],
      ['apps/v1', 'Deployment'],
      ['policy/v1', 'Eviction'],
      ['coordination.k8s.io/v1', 'Lease'],
    ]) {
      expect(kindDef(v, k), `${v} ${k}`).toBeDefined();
    }
    const spec = kindDef('v1', 'Pod')!.props.spec;
    expect(spec).toEqual({ t: 'ref', ref: 'core.v1.PodSpec' });
  });
});
