import { describe, expect, it } from 'vitest';
import type { Reporter, RunEvent } from '../../../engine/report/events.js';
import { fanOut, maskSecrets } from '../../../engine/report/mask.js';

const warn = (msg: string): RunEvent => ({ type: 'warning', msg });

describe('secrets masking', () => {
  it('masks every occurrence, also where JSON escapes it', () => {
    const secrets = new Set(['p@ss"word\\x', 'tok-123']);
    expect(maskSecrets(warn('a p@ss"word\\x b tok-123 tok-123'), secrets)).toEqual(
      warn('a ******** b ******** ********'),
    );
  });

  it('ignores values shorter than 4 characters (they would mask ordinary words)', () => {
    expect(maskSecrets(warn('the abc'), new Set(['abc']))).toEqual(warn('the abc'));
  });

  it('fans out masked events to every reporter, and secrets added later count', async () => {
    const seen: RunEvent[][] = [[], []];
    const rep = (i: number): Reporter => ({ emit: (e) => void seen[i].push(e), close: async () => undefined });
    const secrets = new Set<string>();
    const out = fanOut([rep(0), rep(1)], secrets);
    out.emit(warn('token s3cr3t'));
    secrets.add('s3cr3t');
    out.emit(warn('token s3cr3t'));
    await out.close();
    expect(seen[0]).toEqual([warn('token s3cr3t'), warn('token ********')]);
    expect(seen[1]).toEqual(seen[0]);
  });
});
