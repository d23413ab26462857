// The one quoting function: every user value that reaches a shell goes through here.
// POSIX single quotes keep everything literal; an embedded ' becomes '\'' .

const SAFE = /^[A-Za-z0-9_/.,:=@%+-]+$/;

export function shellQuote(word: string): string {
  if (word === '') return "''";
  if (SAFE.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** An argv array as one shell command line, each word quoted. */
export function shellJoin(argv: readonly string[]): string {
  return argv.map(shellQuote).join(' ');
}
