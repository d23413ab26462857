// --tags / --skip-tags with Ansible's special tags: always, never, all, tagged, untagged.
export function selectedByTags(tags: readonly string[], only?: readonly string[], skip?: readonly string[]): boolean {
  const has = (t: string) => tags.includes(t);
  if (skip?.length) {
    if (tags.some((t) => skip.includes(t))) return false;
    if (skip.includes('tagged') && tags.length) return false;
    if (skip.includes('untagged') && !tags.length) return false;
    if (skip.includes('all')) return false;
  }
  if (has('always')) return true;
  if (!only?.length) return !has('never');
  if (only.includes('all') && !has('never')) return true;
  if (only.includes('tagged') && tags.some((t) => t !== 'never')) return true;
  if (only.includes('untagged') && !tags.length) return true;
  return tags.some((t) => only.includes(t));
}

export function splitTagOption(values: readonly string[] | undefined): string[] | undefined {
  if (!values?.length) return undefined;
  return values
    .flatMap((v) => v.split(','))
    .map((t) => t.trim())
    .filter(Boolean);
}
