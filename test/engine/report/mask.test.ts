import { describe, expect, it } from 'vitest';
import type { Reporter, RunEvent } from '../../../engine/report/events.js';
import { fanOut, maskSecrets, maskText } from '../../../engine/report/mask.js';

const warn = (msg: string): RunEvent => ({ type: 'warning', msg });

describe('secrets masking', () => {
  it('masks every occurrence, also where JSON escapes it', () => {
    const secrets = new Set(['p@ss"word\\x', 'tok-123']);
    expect(maskSecrets(warn('a p@ss"word\\x b tok-123 tok-123'), secrets)).toEqual(
      warn('a ******** b ******** ********'),
    );
  });

  it('masks inside strings only: a secret that reads as a number or a boolean leaves the event whole', () => {
    const event = {
      type: 'warning',
      msg: 'port 5432 true',
      host: 'true-5432',
      extra: { n: 5432, b: true, nested: ['x 5432'] },
    };
    const masked = maskSecrets(event as unknown as RunEvent, new Set(['5432', 'true']));
    expect(masked).toEqual({
      type: 'warning',
      msg: 'port ******** ********',
      host: '********-********',
      extra: { n: 5432, b: true, nested: ['x ********'] },
    });
  });

  it('masks text, and printed JSON where it escapes the secret', () => {
    const secrets = new Set(['q"x-secret']);
    expect(maskText(JSON.stringify({ v: 'q"x-secret' }), secrets)).toBe('{"v":"********"}');
    expect(maskText('raw q"x-secret', secrets)).toBe('raw ********');
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
