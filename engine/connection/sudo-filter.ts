// Answers sudo's password prompt on a channel and hides the markers from the command's output.
// The user's stdin is written only after the command's start marker, so a sudo that does not
// ask (NOPASSWD, cached) never leaves the password for the command to read.
import type { SudoMarkers } from './become.js';

export type SudoFilter = {
  stdout: (chunk: Buffer) => Buffer;
  stderr: (chunk: Buffer) => Buffer;
  /** sudo asked twice: the password was wrong. */
  refused(): boolean;
};

export type SudoChannel = { writePassword(): void; started(): void; refuse(): void };

/** Longest suffix of `text` that is a prefix of `marker`: it may be completed by the next chunk. */
function partialTail(text: string, marker: string): number {
  for (let n = Math.min(marker.length - 1, text.length); n > 0; n--) {
    if (marker.startsWith(text.slice(text.length - n))) return n;
  }
  return 0;
}

export function createSudoFilter(m: SudoMarkers, ch: SudoChannel): SudoFilter {
  let errCarry = '';
  let outCarry = '';
  let prompts = 0;
  let started = false;
  let refusedFlag = false;
  const startLine = `${m.started}\n`;
  return {
    stderr(chunk) {
      let text = errCarry + chunk.toString('latin1');
      errCarry = '';
      for (let i = text.indexOf(m.prompt); i >= 0; i = text.indexOf(m.prompt)) {
        text = text.slice(0, i) + text.slice(i + m.prompt.length);
        prompts++;
        if (prompts === 1) ch.writePassword();
        else if (!refusedFlag) {
          refusedFlag = true;
          ch.refuse();
        }
      }
      const keep = started ? 0 : partialTail(text, m.prompt);
      errCarry = text.slice(text.length - keep);
      return Buffer.from(text.slice(0, text.length - keep), 'latin1');
    },
    stdout(chunk) {
      if (started) return chunk;
      outCarry += chunk.toString('latin1');
      const i = outCarry.indexOf(startLine);
      if (i < 0) return Buffer.alloc(0);
      started = true;
      const rest = outCarry.slice(0, i) + outCarry.slice(i + startLine.length);
      outCarry = '';
      ch.started();
      return Buffer.from(rest, 'latin1');
    },
    refused: () => refusedFlag,
  };
}
