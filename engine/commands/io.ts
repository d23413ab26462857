// Where a command writes: injected so tests and the JSON output mode control it.
import { Chalk } from 'chalk';
import { NO_PAINT, type Paint } from '../report/diagnostics.js';

export type CommandIO = {
  out(text: string): void;
  err(text: string): void;
  isTTY: boolean;
  paint: Paint;
};

export function processIO(): CommandIO {
  const color = process.env.NO_COLOR ? false : Boolean(process.env.FORCE_COLOR) || Boolean(process.stderr.isTTY);
  const c = new Chalk({ level: color ? 1 : 0 });
  return {
    out: (t) => process.stdout.write(t.endsWith('\n') ? t : t + '\n'),
    err: (t) => process.stderr.write(t.endsWith('\n') ? t : t + '\n'),
    isTTY: Boolean(process.stdout.isTTY),
    paint: color ? { red: c.red, yellow: c.yellow, dim: c.dim, cyan: c.cyan, bold: c.bold } : NO_PAINT,
  };
}
