// mount (ansible.posix.mount): a mount point in fstab (default /etc/fstab) and in the kernel, as
// ansible.posix 1.5.4 does it on Linux (mount-plan.ts decides). The kernel's side is read from
// /proc/self/mountinfo and the point's device (os.path.ismount); mount and umount run as argv.
import { defineModule, ModuleError, type ModuleContext, type Plan } from '../../engine/index-module.js';
import { makeBackup } from './file-write.js';
import { parseMountinfo } from './mount-fstab.js';
import { decideMount, mountArgs, type MountArgs, type MountChange, type MountState } from './mount-plan.js';
import { probeFile } from './remote-file.js';
import { asText } from './text.js';

// os.path.ismount: not a symlink, and on another device than its parent, or the same inode (/).
const ISMOUNT = `
p=$1
[ -e "$p" ] || [ -L "$p" ] || { echo absent; exit 0; }
[ -L "$p" ] && { echo link; exit 0; }
a=$(stat -c '%d %i' -- "$p") || exit 1
b=$(stat -c '%d %i' -- "$(realpath -- "$p/..")") || exit 1
if [ "\${a% *}" != "\${b% *}" ] || [ "\${a#* }" = "\${b#* }" ]; then echo mount; else echo dir; fi
`;

type State = MountState & { fstabMode: string };

function checkArgs(a: MountArgs): void {
  if ((a.state === 'mounted' || a.state === 'present') && (a.src === undefined || a.fstype === undefined)) {
    const missing = ['src', 'fstype'].filter((k) => a[k as 'src' | 'fstype'] === undefined).join(', ');
    throw new ModuleError(`state is ${a.state} but all of the following are missing: ${missing}`);
  }
}

async function inspect(ctx: ModuleContext, args: MountArgs): Promise<State> {
  checkArgs(args);
  const r = mountArgs(args);
  for (const w of r.warnings) ctx.warn(w);
  const f = await probeFile(ctx, r.fstab, { follow: true, readMax: 16 * 1024 * 1024 });
  const text = f.exists && f.type === 'file' ? asText(f.content) : '';
  if (text === undefined) throw new ModuleError(`Failed to open ${r.fstab}: not UTF-8 text`);
  const info = await ctx.exec(['cat', '/proc/self/mountinfo'], { idempotent: true });
  if (info.rc !== 0) ctx.warn('Cannot open file /proc/self/mountinfo. Bind mounts might be misinterpreted.');
  const ism = await ctx.exec(['/bin/sh', '-c', ISMOUNT, 'herdbook-mount', r.name], { idempotent: true });
  if (ism.rc !== 0) throw new ModuleError(`could not read ${r.name}: ${ism.stderr.trim()}`);
  const kind = ism.stdout.trim();
  return {
    fstab: { path: r.fstab, exists: f.exists, text },
    fstabMode: f.exists ? f.mode : '0644',
    ismount: kind === 'mount',
    pathExists: kind !== 'absent',
    mounts: info.rc === 0 ? parseMountinfo(info.stdout) : {},
  };
}

function resultData(args: MountArgs, backupFile = ''): Record<string, unknown> {
  const { warnings: _w, ...r } = mountArgs(args);
  return { ...r, backup_file: backupFile };
}

function plan(s: State, args: MountArgs): Plan<MountChange> {
  const { changes, diff } = decideMount(s, args);
  const data = resultData(args);
  if (changes.length) return { changes, diff, data };
  const r = mountArgs(args);
  const why: Record<MountArgs['state'], string> = {
    mounted: `${r.name} is mounted and in ${r.fstab}`,
    present: `${r.name} is in ${r.fstab}`,
    unmounted: `${r.name} is not mounted`,
    absent: `${r.name} is not in ${r.fstab}`,
    absent_from_fstab: `${r.name} is not in ${r.fstab}`,
    remounted: '',
  };
  return { changes, noop: why[args.state], data };
}

async function must(ctx: ModuleContext, argv: string[], what: string) {
  const r = await ctx.exec(argv, { env: { LC_ALL: 'C' } });
  return r.rc === 0 ? '' : `${what}: ${r.stdout}${r.stderr}`;
}

/** mount with -T when the fstab is not /etc/fstab, as the reference does. */
function mountArgv(args: MountArgs, extra: string[] = []): string[] {
  const r = mountArgs(args);
  return ['mount', ...extra, ...(r.fstab !== '/etc/fstab' ? ['-T', r.fstab] : []), r.name];
}

async function remount(ctx: ModuleContext, args: MountArgs): Promise<string> {
  const r = mountArgs(args);
  const opts = args.state === 'remounted' && r.opts !== 'defaults' ? `remount,${r.opts}` : 'remount';
  const res = await ctx.exec(mountArgv(args, ['-o', opts]), { env: { LC_ALL: 'C' } });
  if (res.rc === 0) return '';
  if (args.state === 'remounted' && r.opts !== 'defaults')
    throw new ModuleError(
      'Options were specified with remounted, but the remount command failed. Failing in order to prevent an unexpected mount result. Try replacing this command with a "state: unmounted" followed by a "state: mounted" using the full desired mount options instead.',
    );
  return (await must(ctx, ['umount', r.name], 'umount')) || (await must(ctx, mountArgv(args), 'mount'));
}

async function apply(ctx: ModuleContext, args: MountArgs, p: Plan<MountChange>, s: State) {
  const r = mountArgs(args);
  let backup = '';
  const made: string[] = [];
  for (const c of p.changes) {
    if (c.kind === 'fstab') {
      if (args.backup && s.fstab.exists) backup = await makeBackup(ctx, c.path);
      await ctx.put(c.content, c.path, { mode: s.fstabMode });
    } else if (c.kind === 'mkdir') {
      const res = await ctx.exec(['mkdir', '-p', '--', c.path]);
      if (res.rc !== 0) throw new ModuleError(`Error making dir ${c.path}: ${res.stderr.trim()}`);
      made.push(c.path);
    } else if (c.kind === 'umount') {
      const err = await must(ctx, ['umount', r.name], 'umount');
      if (err) throw new ModuleError(`Error unmounting ${r.name}: ${err.replace(/^umount: /, '')}`);
    } else if (c.kind === 'rmdir') {
      const res = await ctx.exec(['rmdir', '--', r.name]);
      if (res.rc !== 0) throw new ModuleError(`Error rmdir ${r.name}: ${res.stderr.trim()}`);
    } else {
      const err = c.kind === 'mount' ? await must(ctx, mountArgv(args), 'mount') : await remount(ctx, args);
      if (err) {
        // As the reference: the old fstab back, the directories it made removed.
        if (args.state === 'mounted' && p.changes.some((x) => x.kind === 'fstab'))
          await ctx.put(s.fstab.text, r.fstab, { mode: s.fstabMode });
        for (const d of made) await ctx.exec(['rmdir', '--', d]);
        const msg = err.replace(/^(mount|umount): /, '');
        throw new ModuleError(`Error ${args.state === 'remounted' ? 'remounting' : 'mounting'} ${r.name}: ${msg}`);
      }
    }
  }
  return { data: resultData(args, backup) };
}

export const mount = defineModule<MountArgs, State, MountChange>({
  name: 'mount',
  schema: 'mount',
  runsOn: 'host',
  predictable: true,
  inspect,
  plan,
  apply,
});
