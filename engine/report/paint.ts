// Colours for what herdbook prints: on a terminal by default; elsewhere (CI logs, pipes,
// files) only when FORCE_COLOR asks for them; never when NO_COLOR is set (no-color.org).
import { Chalk } from 'chalk';
import { NO_PAINT, type Paint } from './diagnostics.js';

export function colorLevel(env: Readonly<Record<string, string | undefined>>, isTTY: boolean): 0 | 1 | 2 | 3 {
  if (env.NO_COLOR) return 0;
  const force = env.FORCE_COLOR;
  if (force !== undefined) {
    if (force === '0' || force === 'false') return 0;
    const n = Number(force);
    return n === 2 || n === 3 ? n : 1;
  }
  return isTTY ? 1 : 0;
}

export function paintFor(env: Readonly<Record<string, string | undefined>>, isTTY: boolean): Paint {
  const level = colorLevel(env, isTTY);
  if (!level) return NO_PAINT;
  const c = new Chalk({ level });
  return { red: c.red, yellow: c.yellow, dim: c.dim, cyan: c.cyan, bold: c.bold };
}
