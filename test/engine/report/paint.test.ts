import { describe, expect, it } from 'vitest';
import { colorLevel, paintFor } from '../../../engine/report/paint.js';

describe('colours', () => {
  it.each([
    [{}, false, 0],
    [{}, true, 1],
    [{ FORCE_COLOR: '1' }, false, 1],
    [{ FORCE_COLOR: '' }, false, 1],
    [{ FORCE_COLOR: '3' }, false, 3],
    [{ FORCE_COLOR: '0' }, true, 0],
    [{ FORCE_COLOR: 'false' }, true, 0],
    [{ NO_COLOR: '1' }, true, 0],
    [{ NO_COLOR: '1', FORCE_COLOR: '1' }, false, 0],
    [{ NO_COLOR: '' }, true, 1],
  ] as [Record<string, string>, boolean, number][])('%j on a tty=%s → level %i', (env, tty, level) => {
    expect(colorLevel(env, tty)).toBe(level);
  });

  it('paints only when asked', () => {
    expect(paintFor({}, false).red('x')).toBe('x');
    expect(paintFor({ FORCE_COLOR: '1' }, false).red('x')).toBe('\u001b[31mx\u001b[39m');
  });
});
