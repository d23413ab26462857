// Python's fnmatch, as Ansible matches names (host patterns, find's patterns): * and ?, [seq]
// and [!seq]; a [ that no ] closes is a literal character, never an error. Pure text.
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** The glob as the source of an anchored regular expression (`^…$`). */
export function fnmatchSource(glob: string): string {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      let j = i + 1;
      if (glob[j] === '!') j++;
      if (glob[j] === ']') j++;
      while (j < glob.length && glob[j] !== ']') j++;
      if (j >= glob.length) {
        re += '\\[';
        continue;
      }
      const body = glob.slice(i + 1, j);
      const negate = body.startsWith('!');
      // Ranges (a-z) stay; everything else in the set is itself.
      const set = (negate ? body.slice(1) : body).replace(/[\\\]^[]/g, '\\$&');
      re += `[${negate ? '^' : ''}${set}]`;
      i = j;
    } else re += escapeRe(c);
  }
  return re;
}
