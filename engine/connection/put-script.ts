// The shell side of an atomic put for connections that write through a shell (local with
// become, pct, ssh without SFTP or to a become user): stdin goes to a private temp file beside `dest` (umask 077, so a key is never
// readable by others while it is written), which gets the wanted or the replaced file's mode
// and owner and is then renamed over `dest`. The same steps as the ssh connection's put.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { ModuleError } from '../errors.js';
import { shellQuote } from './quote.js';
import type { PutOptions } from './types.js';

export function octalMode(mode: string | number): number {
  const n = typeof mode === 'number' ? mode : parseInt(mode, 8);
  if (!Number.isInteger(n) || n < 0 || n > 0o7777 || (typeof mode === 'string' && !/^[0-7]{1,4}$/.test(mode))) {
    throw new ModuleError(`invalid file mode ${JSON.stringify(mode)}`);
  }
  return n;
}

export function ownerSpec(opts: PutOptions): string | undefined {
  if (opts.owner && opts.group) return `${opts.owner}:${opts.group}`;
  if (opts.owner) return opts.owner;
  if (opts.group) return `:${opts.group}`;
  return undefined;
}

export function tempBeside(dest: string): string {
  return path.posix.join(
    path.posix.dirname(dest),
    `.${path.posix.basename(dest)}.herdbook-${randomBytes(6).toString('hex')}.tmp`,
  );
}

/**
 * A script for `/bin/sh -c` that writes its stdin (or `from`, a file staged on the host, which
 * is removed afterwards) to `dest` atomically.
 */
export function putScript(dest: string, opts: PutOptions, from?: string): string {
  const q = shellQuote;
  const owner = ownerSpec(opts);
  const cleanup = from ? `rm -f -- "$tmp" ${q(from)}` : 'rm -f -- "$tmp"';
  return [
    'set -e',
    `tmp=${q(tempBeside(dest))}`,
    `trap '${cleanup.replace(/'/g, `'\\''`)}' EXIT`,
    'umask 077',
    from ? `cat -- ${q(from)} > "$tmp"` : 'cat > "$tmp"',
    // Owner before mode: chown clears setuid and setgid bits.
    owner
      ? `chown -- ${q(owner)} "$tmp"`
      : `if [ -e ${q(dest)} ]; then chown "$(stat -c %u:%g -- ${q(dest)})" "$tmp" 2>/dev/null || true; fi`,
    opts.mode !== undefined
      ? `chmod ${octalMode(opts.mode).toString(8).padStart(4, '0')} "$tmp"`
      : `if [ -e ${q(dest)} ]; then chmod "$(stat -c %a -- ${q(dest)})" "$tmp"; else chmod 0644 "$tmp"; fi`,
    `mv -f -- "$tmp" ${q(dest)}`,
  ].join('\n');
}
