// Check mode runs no task, so a file, directory or unit an earlier task would create is not
// there yet. Failing for that would make every dry run of "install, then configure" fail; the
// plans instead predict the change and say what the real run depends on.

export function pendingNote(missing: string): string {
  return ` (${missing} yet: a real run fails unless an earlier task creates it)`;
}
