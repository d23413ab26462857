// Takes one marker line off a stream: the line our own wrapper prints before the command runs
// (the ssh login shell's pid line, the shell pct starts in a container). Seeing it proves the
// command was started; not seeing it means whatever failed (a login shell that refused, pct
// itself) failed before the command, so its exit status is not the command's.
// Lines before the marker (a login shell's or pct's warnings) pass through; only a trailing
// partial line that may still become the marker is held back.

export type MarkerState = 'waiting' | 'found';

// Closures, not methods: callers hand them on (pidFilter passes push and flush along).
export type MarkerLine = {
  /** The chunk without the marker line (possibly empty while a partial line is held). */
  push: (chunk: Buffer) => Buffer;
  /** The held partial line, if any: call when the stream ends. */
  flush: () => Buffer;
  found: () => boolean;
  /** What followed `<marker> ` on the marker line. */
  payload: () => string | undefined;
};

const EMPTY = Buffer.alloc(0);

/**
 * `marker` alone on a line, or `marker payload` when `payload` is given (checked on the rest of
 * the line; at most `maxPayload` characters).
 */
export function markerLine(marker: string, payload?: RegExp, maxPayload = 32): MarkerLine {
  let carry = EMPTY;
  let found = false;
  let value: string | undefined;
  const matches = (line: string): boolean => {
    if (line === marker && !payload) return true;
    if (!payload || !line.startsWith(`${marker} `)) return false;
    const rest = line.slice(marker.length + 1);
    if (!payload.test(rest)) return false;
    value = rest;
    return true;
  };
  // A partial line that is still a prefix of some marker line.
  const mayBecome = (text: string): boolean =>
    marker.startsWith(text) ||
    (payload !== undefined && text.startsWith(`${marker} `) && text.length <= marker.length + 1 + maxPayload);
  return {
    push(chunk) {
      if (found) return chunk;
      const all = carry.length ? Buffer.concat([carry, chunk]) : chunk;
      carry = EMPTY;
      let start = 0;
      for (let nl = all.indexOf(10); nl >= 0; nl = all.indexOf(10, start)) {
        if (matches(all.subarray(start, nl).toString('latin1'))) {
          found = true;
          return Buffer.concat([all.subarray(0, start), all.subarray(nl + 1)]);
        }
        start = nl + 1;
      }
      const tail = all.subarray(start);
      if (!tail.length || !mayBecome(tail.toString('latin1'))) return all;
      carry = Buffer.from(tail);
      return all.subarray(0, start);
    },
    flush() {
      const rest = carry;
      carry = EMPTY;
      return rest;
    },
    found: () => found,
    payload: () => value,
  };
}
