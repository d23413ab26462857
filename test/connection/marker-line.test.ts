import { describe, expect, it } from 'vitest';
import { markerLine } from '../../engine/connection/marker-line.js';

/** Feeds the chunks, then flushes: what passed through, and what the filter saw. */
function feed(chunks: string[], marker = 'hb-mark-1', payload?: RegExp) {
  const m = markerLine(marker, payload);
  const out = [...chunks.map((c) => m.push(Buffer.from(c, 'latin1'))), m.flush()]
    .map((b) => b.toString('latin1'))
    .join('');
  return { out, found: m.found(), payload: m.payload() };
}

describe('markerLine', () => {
  it.each([
    ['alone at the start', ['hb-mark-1\nerr\n'], 'err\n', true],
    ['split over chunks, byte by byte', [...'hb-mark-1\nafter'], 'after', true],
    [
      "after a login shell's or pct's warnings",
      ['perl: warning: Setting locale failed.\nhb-mark-1\nerr'],
      'perl: warning: Setting locale failed.\nerr',
      true,
    ],
    [
      'never printed: pct failed before the command',
      ["container '102' not running!\n"],
      "container '102' not running!\n",
      false,
    ],
    ['never printed, no newline at the end', ['sh: pct: not found'], 'sh: pct: not found', false],
    ['a partial marker at the end is given back', ['err\nhb-mark'], 'err\nhb-mark', false],
    [
      "only the first marker line is ours: a later one is the command's output",
      ['hb-mark-1\nhb-mark-1\n'],
      'hb-mark-1\n',
      true,
    ],
    ['a line that only starts like it is not it', ['hb-mark-10\n'], 'hb-mark-10\n', false],
  ])('%s', (_title, chunks, out, found) => {
    expect(feed(chunks)).toMatchObject({ out, found });
  });

  it('with a payload pattern: takes the payload, refuses a line whose payload does not match', () => {
    expect(feed(['hb-pid 4242\nerr\n'], 'hb-pid', /^\d+$/)).toEqual({ out: 'err\n', found: true, payload: '4242' });
    expect(feed(['hb-pid', ' 42', '42\n'], 'hb-pid', /^\d+$/)).toEqual({ out: '', found: true, payload: '4242' });
    expect(feed(['hb-pid x\n'], 'hb-pid', /^\d+$/)).toEqual({ out: 'hb-pid x\n', found: false, payload: undefined });
    // The bare marker without its payload is not the line either.
    expect(feed(['hb-pid\n'], 'hb-pid', /^\d+$/).found).toBe(false);
  });

  it('streams lines before the marker as they come, holding back only a partial line', () => {
    const m = markerLine('hb-mark-1');
    expect(m.push(Buffer.from('warning one\nwarn')).toString()).toBe('warning one\nwarn');
    expect(m.push(Buffer.from('ing two\nhb-m')).toString()).toBe('ing two\n');
    expect(m.push(Buffer.from('ark-1\nout')).toString()).toBe('out');
    expect(m.found()).toBe(true);
  });
});
