// Did-you-mean for keys and values. Like engine/suggest.ts, but when several candidates are
// equally close ('taks' → 'tags' or 'tasks'), the one that holds every letter typed, in order,
// wins: a dropped letter is a likelier slip than a wrong one.
import { distance } from 'fastest-levenshtein';

function isSubsequence(word: string, of: string): boolean {
  let i = 0;
  for (const c of of) if (c === word[i]) i++;
  return i === word.length;
}

export function suggestKeys(word: string, candidates: readonly string[]): string[] {
  const w = word.toLowerCase();
  let best = Infinity;
  let near: string[] = [];
  for (const c of candidates) {
    const d = distance(w, c.toLowerCase());
    if (d < best) [best, near] = [d, [c]];
    else if (d === best) near.push(c);
  }
  if (!near.length) return [];
  const limit = Math.max(2, Math.floor(Math.max(word.length, ...near.map((n) => n.length)) / 3));
  if (best > limit) return [];
  const held = near.filter((c) => isSubsequence(w, c.toLowerCase()));
  return (held.length ? held : near).slice(0, 2);
}

export function suggestKey(word: string, candidates: readonly string[]): string | undefined {
  const s = suggestKeys(word, candidates);
  return s.length ? `did you mean ${s.map((x) => `'${x}'`).join(' or ')}?` : undefined;
}
