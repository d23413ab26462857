// What the printer cannot translate: a located note (what, why, what to write), never a guess.
import type { Span } from './nodes.js';

export type Left = Span & {
  /** Why herdbook has no same-meaning spelling for it. */
  why: string;
  /** What to write instead, when there is something to say. */
  write?: string;
};

export class Untranslatable extends Error {
  constructor(readonly left: Left) {
    super(left.why);
  }
}

export function leave(span: Span, why: string, write?: string): never {
  throw new Untranslatable({ start: span.start, end: span.end, why, write });
}
