// Questions on the terminal: passwords read without echo (-k, -K), and --step's per-task
// confirmation. Both need a terminal on standard input; the callers refuse to start without one.
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { InterruptedError } from '../errors.js';

type TtyIn = Readable & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };

/** Read a line with echo off (raw mode: every key is ours, nothing is printed but the prompt). */
export function askHidden(question: string, input: TtyIn = process.stdin, output: Writable = process.stderr) {
  return new Promise<string>((resolve, reject) => {
    // Echo off before the question shows: an answer typed (or pasted) the moment it appears is never echoed.
    input.setRawMode?.(true);
    output.write(question);
    let answer = '';
    const done = (err?: Error) => {
      input.removeListener('data', onData);
      input.setRawMode?.(false);
      input.pause();
      output.write('\n');
      if (err) reject(err);
      else resolve(answer);
    };
    const onData = (chunk: Buffer | string) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') return done();
        if (ch === '\u0003') return done(new InterruptedError());
        if (ch === '\u007f' || ch === '\b') answer = [...answer].slice(0, -1).join('');
        else answer += ch;
      }
    };
    input.on('data', onData);
    input.resume();
  });
}

export type StepAnswer = 'yes' | 'no' | 'continue';

/** Ansible's --step question and answers: y/yes runs the task, c/continue runs it and stops asking, anything else skips it. */
export function askStep(title: string, input: Readable = process.stdin, output: Writable = process.stderr) {
  return new Promise<StepAnswer>((resolve) => {
    const rl = createInterface({ input, output, terminal: false });
    rl.on('SIGINT', () => {
      rl.close();
      process.kill(process.pid, 'SIGINT');
    });
    rl.question(`Perform task: TASK: ${title} (N)o/(y)es/(c)ontinue: `, (a) => {
      rl.close();
      const r = a.trim().toLowerCase();
      resolve(r === 'y' || r === 'yes' ? 'yes' : r === 'c' || r === 'continue' ? 'continue' : 'no');
    });
  });
}

/** A --step gate for the run loop: asks until the user answers "continue". */
export function stepper(ask: (title: string) => Promise<StepAnswer> = askStep): (title: string) => Promise<boolean> {
  let asking = true;
  return async (title) => {
    if (!asking) return true;
    const a = await ask(title);
    if (a === 'continue') asking = false;
    return a !== 'no';
  };
}
