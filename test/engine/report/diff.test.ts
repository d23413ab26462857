import { describe, expect, it } from 'vitest';
import { NO_PAINT } from '../../../engine/report/diagnostics.js';
import { renderDiff } from '../../../engine/report/diff.js';

describe('renderDiff', () => {
  it('is a unified diff with both headers', () => {
    expect(renderDiff({ path: '/etc/k3s.yaml', before: 'a\nb\n', after: 'a\nc\n' }, NO_PAINT).split('\n')).toEqual([
      '--- /etc/k3s.yaml (before)',
      '+++ /etc/k3s.yaml (after)',
      '@@ -1,2 +1,2 @@',
      ' a',
      '-b',
      '+c',
    ]);
  });

  it('colours added and removed lines', () => {
    const paint = { ...NO_PAINT, red: (s: string) => `R{${s}}`, cyan: (s: string) => `C{${s}}` };
    expect(renderDiff({ path: 'f', before: 'x\n', after: 'y\n' }, paint)).toContain('R{-x}\nC{+y}');
  });
});
