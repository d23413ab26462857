// Content helpers: checksums, and telling text (diffable) from binary (compared by checksum).
import { createHash } from 'node:crypto';

/** Larger files are compared by checksum only: a diff of megabytes helps nobody. */
export const DIFF_MAX_BYTES = 256 * 1024;

export function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/** The content as a string when it is UTF-8 text without NUL bytes, else undefined. */
export function asText(data: Buffer | undefined, max = Number.POSITIVE_INFINITY): string | undefined {
  if (!data || data.length > max || data.includes(0)) return undefined;
  try {
    return decoder.decode(data);
  } catch {
    return undefined;
  }
}

/** Lines with their terminators kept (Python's readlines: split after each \n). */
export function splitKeep(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}
