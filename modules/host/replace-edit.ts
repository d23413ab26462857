// replace's edit, as ansible-core 2.14's replace module does it (pure): every match of a Python
// regexp (re.MULTILINE) replaced with a template (\1, \g<name>), in the whole text or in the
// section after `after` and/or before `before` (re.DOTALL; the first such section).
import type { Edit } from './text-file.js';
import { expandTemplate, pyRegex } from './py-regex.js';

export type ReplaceOptions = { regexp: string; replace: string; after?: string; before?: string };

function sectionPattern(o: ReplaceOptions): string | undefined {
  if (o.after !== undefined && o.before !== undefined) return `${o.after}(?P<subsection>.*?)${o.before}`;
  if (o.after !== undefined) return `${o.after}(?P<subsection>.*)`;
  if (o.before !== undefined) return `(?P<subsection>.*)${o.before}`;
  return undefined;
}

/** The new text and Ansible's msg ("2 replacements made"; '' when nothing changed). */
export function replaceAll(text: string, o: ReplaceOptions): Edit & { sectionMissing?: string } {
  let start = 0;
  let end = text.length;
  const section = sectionPattern(o);
  if (section !== undefined) {
    const re = pyRegex(section, 'after/before', 'sd');
    const m = re.exec(text);
    if (!m?.indices?.groups?.subsection)
      return {
        text,
        msg: `Pattern for before/after params did not match the given file: ${section}`,
        sectionMissing: section,
      };
    [start, end] = m.indices.groups.subsection;
  }
  const re = pyRegex(o.regexp, 'regexp', 'mg');
  const part = text.slice(start, end);
  let count = 0;
  const replaced = part.replace(re, (...args: unknown[]) => {
    count++;
    // String.replace hands over the match pieces; rebuild the exec-style match for expandTemplate.
    const hasGroups = typeof args[args.length - 1] === 'object';
    const groups = hasGroups ? (args[args.length - 1] as Record<string, string | undefined>) : undefined;
    const pieces = args.slice(0, hasGroups ? -3 : -2) as (string | undefined)[];
    const m = Object.assign([...pieces], { groups, index: 0, input: part }) as unknown as RegExpExecArray;
    return expandTemplate(o.replace, m);
  });
  if (count === 0 || replaced === part) return { text, msg: '' };
  return { text: text.slice(0, start) + replaced + text.slice(end), msg: `${count} replacements made`, found: count };
}
