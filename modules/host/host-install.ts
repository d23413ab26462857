// Put a file that is already on the host (a download, copy's remote src) at dest atomically: a
// copy beside dest, dest's mode and owner (or a new file's mode from the umask, as Ansible's
// atomic_move gives it), then a rename. Paths are argv words of a constant script.
import { ModuleError, type ModuleContext } from '../../engine/index-module.js';

const INSTALL = `
set -e
src=$1 dest=$2
t=$(mktemp "$(dirname -- "$dest")/.$(basename -- "$dest").herdbook.XXXXXX")
trap 'rm -f -- "$t"' EXIT
cat -- "$src" > "$t"
if [ -e "$dest" ]; then
  chmod --reference="$dest" -- "$t"
  chown --reference="$dest" -- "$t" 2>/dev/null || true
else
  chmod "$(printf '%o' $((0666 & ~$(umask))))" -- "$t"
fi
mv -f -- "$t" "$dest"
trap - EXIT
`;

export async function installHostFile(ctx: ModuleContext, src: string, dest: string): Promise<void> {
  const r = await ctx.exec(['/bin/sh', '-c', INSTALL, 'herdbook-install', src, dest]);
  if (r.rc !== 0) throw new ModuleError(`failed to copy ${src} to ${dest}: ${r.stderr.trim() || `exit ${r.rc}`}`);
}
