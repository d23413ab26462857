// Handlebars' standalone rule: a block tag ({{#if}}, {{else}}, {{/each}}) with only spaces around
// it on its line takes the line's spaces and newline with it. Jinja keeps them (its own rules were
// applied already, in the lexer), so such a tag gets an empty comment right after it: with a
// comment, not text, beside it the tag is no longer standalone, and the comment itself renders
// nothing and is never standalone (it sits first in a block or right after one). Guarding a tag
// that did not need it changes nothing, so the test here may be wider than Handlebars' own.

/** A piece of the printed template; `tag` marks a block tag, located in the Jinja source. */
export type Part = { text: string; tag?: { start: number; end: number } };

export const GUARD = '{{!}}';

export function guardStandalone(parts: Part[]): string {
  let out = '';
  parts.forEach((p, i) => {
    out += p.text;
    if (!p.tag) return;
    const prev = parts[i - 1];
    const next = parts[i + 1];
    // As Handlebars' isPrevWhitespace/isNextWhitespace: the text beside the tag reaches a newline,
    // or the template's start or end when it is the first or last piece.
    const prevBlank = !prev || (!prev.tag && (i - 1 === 0 ? /(^|\n)\s*$/ : /\n\s*$/).test(prev.text));
    const nextBlank = !next || (!next.tag && (i + 1 === parts.length - 1 ? /^\s*(\n|$)/ : /^\s*\n/).test(next.text));
    if (prevBlank && nextBlank) out += GUARD;
  });
  return out;
}
