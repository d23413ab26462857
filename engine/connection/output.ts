// Collect a stream's output up to a limit while passing every chunk on, so 100 MB of output
// can stream through without being held in memory.
import type { Readable } from 'node:stream';

export const DEFAULT_MAX_BUFFER = 16 * 1024 * 1024;

export function collectOutput(stream: Readable, onChunk?: (b: Buffer) => void, max = DEFAULT_MAX_BUFFER) {
  const chunks: Buffer[] = [];
  let size = 0;
  let truncated = false;
  stream.on('data', (b: Buffer) => {
    onChunk?.(b);
    if (size < max) {
      const take = b.subarray(0, max - size);
      chunks.push(take);
      size += take.length;
      if (take.length < b.length) truncated = true;
    } else truncated = true;
  });
  return {
    result: () => ({ text: Buffer.concat(chunks).toString('utf8'), truncated }),
  };
}
