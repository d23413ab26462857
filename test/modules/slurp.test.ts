import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { slurp } from '../../modules/host/slurp.js';
import { runModule } from '../helpers/module-harness.js';
import { planFixtures } from '../helpers/plan-fixtures.js';
import { localTemp } from './host-helpers.js';

planFixtures(slurp, path.join(import.meta.dirname, 'slurp'));

describe('slurp on the local connection', () => {
  const tmp = localTemp('slurp');
  it('returns binary content as base64, the same in check mode', async () => {
    const p = tmp.at('blob');
    const data = Buffer.concat([Buffer.from([0, 255, 10]), randomBytes(1000)]);
    writeFileSync(p, data);
    for (const check of [true, false]) {
      const r = await runModule(slurp, { src: p }, { connection: tmp.connection }, { check });
      expect(r.status).toBe('ok');
      expect(Buffer.from(r.data.content as string, 'base64')).toEqual(data);
      expect(r.data).toMatchObject({ encoding: 'base64', source: p });
    }
  });

  it('fails on a missing file, naming it', async () => {
    const r = await runModule(slurp, { path: tmp.at('none') }, { connection: tmp.connection });
    expect(r.status).toBe('failed');
    expect(r.msg).toContain(tmp.at('none'));
  });
});
