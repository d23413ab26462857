import { describe, expect, it } from 'vitest';
import type { RunContext } from '../../../engine/run/context.js';
import { NO_LOG_NOTICE, rememberNoLogOutput, resultDetail } from '../../../engine/run/task-events.js';

const ctx = (verbosity: number, diff = false) => ({ options: { verbosity, diff } }) as unknown as RunContext;

describe('resultDetail', () => {
  const r = {
    status: 'changed' as const,
    msg: 'run x',
    data: { stdout: 'out', stderr: 'err' },
    changes: ['run x'],
    diff: [{ path: '/f', before: 'a', after: 'b' }],
    items: [
      { status: 'ok' as const, label: 'one', item: 1, data: {}, msg: 'fine' },
      { status: 'skipped' as const, label: 'two', item: 2, data: {}, msg: 'condition was false' },
    ],
  };

  it('gives the message, changes and items; stdout/stderr only with -v; the diff only with --diff', () => {
    expect(resultDetail(ctx(0), r, false)).toEqual({
      msg: 'run x',
      changes: ['run x'],
      items: [
        { label: 'one', status: 'ok', msg: 'fine' },
        { label: 'two', status: 'skipped' },
      ],
    });
    expect(resultDetail(ctx(1, true), r, false)).toMatchObject({ stdout: 'out', stderr: 'err', diff: r.diff });
  });

  it('says nothing but a notice for no_log', () => {
    expect(resultDetail(ctx(3, true), r, true)).toEqual({ msg: NO_LOG_NOTICE });
  });
});

describe('rememberNoLogOutput', () => {
  it('keeps output values of 8+ characters (whole, trimmed and per line) as secrets', () => {
    const secrets = new Set<string>();
    rememberNoLogOutput(secrets, {
      status: 'ok',
      msg: 'short',
      data: { stdout: 'K10abcdef::server:1234\nok\n', stdout_lines: ['K10abcdef::server:1234', 'ok'], rc: 0 },
    });
    expect(secrets.has('K10abcdef::server:1234')).toBe(true);
    expect(secrets.has('K10abcdef::server:1234\nok\n')).toBe(true);
    expect(secrets.has('ok')).toBe(false);
    expect(secrets.has('short')).toBe(false);
  });

  it('looks into loop items and their labels', () => {
    const secrets = new Set<string>();
    rememberNoLogOutput(secrets, {
      status: 'ok',
      data: {},
      items: [{ status: 'ok', label: 'password-one', item: 'password-one', data: { stdout: 'token-two-xyz' } }],
    });
    expect([...secrets].sort()).toEqual(['password-one', 'token-two-xyz']);
  });
});
