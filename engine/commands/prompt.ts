// --step's per-task confirmation on the terminal (passwords: ../hidden-prompt.ts). It needs a
// terminal on standard input; the caller refuses to start without one.
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';

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
