// A password typed on the terminal, not echoed: Vault passwords, -k and -K. Without a terminal
// there is nobody to ask: the caller gets a UsageError that says which flag gives the password
// instead. Ctrl-D on an empty answer refuses rather than answering "" (a become password of ""
// would be tried on every host and fail on each); Ctrl-C interrupts the run.
import { InterruptedError, UsageError } from './errors.js';

export type PromptStreams = { input: NodeJS.ReadStream; output: NodeJS.WriteStream };

export async function promptHidden(
  question: string,
  noTty: string,
  s: PromptStreams = { input: process.stdin, output: process.stderr },
): Promise<string> {
  const { input, output } = s;
  if (!input.isTTY) throw new UsageError(noTty);
  // Echo off before the question shows: an answer typed (or pasted, or written by a script)
  // the moment it appears is never echoed.
  input.setRawMode(true);
  output.write(question);
  input.setEncoding('utf8');
  input.resume();
  return new Promise((resolve, reject) => {
    let typed = '';
    const finish = (end: () => void) => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      output.write('\n');
      end();
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return finish(() => resolve(typed));
        if (ch === '\u0003') return finish(() => reject(new InterruptedError()));
        if (ch === '\u0004' && !typed) return finish(() => reject(new UsageError('no password typed (Ctrl-D)')));
        if (ch === '\u007f' || ch === '\b') typed = typed.slice(0, -1);
        else if (ch >= ' ') typed += ch;
      }
    };
    input.on('data', onData);
  });
}
