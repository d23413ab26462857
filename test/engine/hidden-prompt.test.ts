import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { InterruptedError, UsageError } from '../../engine/errors.js';
import { promptHidden, type PromptStreams } from '../../engine/hidden-prompt.js';

/** A terminal on standard input that records the order of raw-mode switches and output. */
function terminal(isTTY = true) {
  const log: string[] = [];
  const input = Object.assign(new PassThrough(), {
    isTTY,
    setRawMode: (raw: boolean) => log.push(`raw:${raw}`),
  });
  const output = Object.assign(new PassThrough(), { write: (s: string) => (log.push(`out:${s}`), true) });
  return { log, input, streams: { input, output } as unknown as PromptStreams };
}

describe('promptHidden', () => {
  it('turns echo off before the question shows, and back on after the answer', async () => {
    const t = terminal();
    const answer = promptHidden('Password: ', 'no tty', t.streams);
    t.input.write('s3cr');
    t.input.write('x\u007fet\r');
    expect(await answer).toBe('s3cret');
    expect(t.log).toEqual(['raw:true', 'out:Password: ', 'raw:false', 'out:\n']);
  });

  it('Ctrl-C interrupts; Ctrl-D on an empty answer refuses instead of answering ""', async () => {
    const c = terminal();
    const interrupted = promptHidden('Password: ', 'no tty', c.streams);
    c.input.write('ab\u0003');
    await expect(interrupted).rejects.toBeInstanceOf(InterruptedError);
    const d = terminal();
    const refused = promptHidden('Password: ', 'no tty', d.streams);
    d.input.write('\u0004');
    await expect(refused).rejects.toThrow(/no password typed \(Ctrl-D\)/);
    expect(d.log.at(-2)).toBe('raw:false');
  });

  it('without a terminal it asks nobody and says what to give instead', async () => {
    const t = terminal(false);
    await expect(promptHidden('Password: ', 'use --vault-password-file', t.streams)).rejects.toEqual(
      new UsageError('use --vault-password-file'),
    );
    expect(t.log).toEqual([]);
  });
});
