// What a refusing login or tool printed, on one line for an unreachable host's message.

/** Up to three non-empty lines of stderr then stdout, joined with " | "; "no output" when there were none. */
export function printedLines(stderr: string, stdout: string): string {
  const lines = `${stderr}\n${stdout}`
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return lines.length ? lines.slice(0, 3).join(' | ') : 'no output';
}
