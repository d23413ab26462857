import { closest, distance } from 'fastest-levenshtein';

/** The nearest candidate when it is a plausible misspelling (at most a third of the word differs). */
export function suggest(word: string, candidates: readonly string[]): string | undefined {
  if (!candidates.length) return undefined;
  const guess = closest(word, candidates);
  const limit = Math.max(2, Math.floor(Math.max(word.length, guess.length) / 3));
  return distance(word.toLowerCase(), guess.toLowerCase()) <= limit ? guess : undefined;
}

export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  const s = suggest(word, candidates);
  return s ? `did you mean '${s}'?` : undefined;
}
