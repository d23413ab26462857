// mount's decisions, as ansible.posix 1.5.4 makes them on Linux (pure): the fstab edit
// (mount-fstab.ts) and the kernel side: mounted mounts a point that is not mounted and remounts
// one whose fstab line changed; unmounted unmounts; absent removes the line, then unmounts and
// removes the directory (only when the line was there); remounted always remounts.
import type { FileDiff } from '../../engine/index-module.js';
import { setMount, unsetMount, type MountInfo } from './mount-fstab.js';

export type MountArgs = {
  path?: string;
  /** Ansible's alias of path. */
  name?: string;
  src?: string;
  fstype?: string;
  opts?: string;
  dump: string | number;
  passno: string | number;
  state: 'mounted' | 'present' | 'unmounted' | 'absent' | 'remounted' | 'absent_from_fstab';
  fstab?: string;
  boot: boolean;
  backup: boolean;
};

export type MountState = {
  fstab: { path: string; exists: boolean; text: string };
  /** os.path.ismount: another device than its parent, or the root. */
  ismount: boolean;
  pathExists: boolean;
  mounts: Record<string, MountInfo>;
};

export type MountChange =
  | { kind: 'fstab'; summary: string; path: string; content: string }
  | { kind: 'mkdir'; summary: string; path: string }
  | { kind: 'mount' | 'remount' | 'umount' | 'rmdir'; summary: string };

/** What the reference resolves from the arguments: opts with boot applied, its warnings, the fstab. */
export function mountArgs(a: MountArgs) {
  const warnings: string[] = [];
  let opts = a.opts ?? 'defaults';
  let boot = 'yes';
  const list = opts.split(',');
  if (list.includes('noauto')) warnings.push("Ignore the 'boot' due to 'opts' contains 'noauto'.");
  else if (!a.boot) {
    boot = 'no';
    if (list.includes('defaults')) warnings.push("Ignore the 'boot' due to 'opts' contains 'defaults'.");
    else opts = [...list, 'noauto'].join(',');
  }
  return {
    name: (a.path ?? a.name)!,
    src: a.src,
    fstype: a.fstype,
    opts,
    dump: String(a.dump),
    passno: String(a.passno),
    fstab: a.fstab ?? '/etc/fstab',
    boot,
    warnings,
  };
}

export function decideMount(s: MountState, a: MountArgs): { changes: MountChange[]; diff?: FileDiff[] } {
  const r = mountArgs(a);
  const changes: MountChange[] = [];
  let diff: FileDiff[] | undefined;
  const fstabChange = (edit: { text: string; changed: boolean }, summary: string) => {
    if (!edit.changed) return false;
    changes.push({ kind: 'fstab', summary, path: r.fstab, content: edit.text });
    diff = [{ path: r.fstab, before: s.fstab.text, after: edit.text }];
    return true;
  };
  const mountedAt = s.ismount || r.name in s.mounts;
  const unset = () => fstabChange(unsetMount(s.fstab.text, r.name, r.src), `remove ${r.name} from ${r.fstab}`);
  const set = () =>
    fstabChange(setMount(s.fstab.text, r), `${r.src} on ${r.name} (${r.fstype}, ${r.opts}) in ${r.fstab}`);
  if (a.state === 'absent_from_fstab') unset();
  else if (a.state === 'absent') {
    if (unset()) {
      if (mountedAt) changes.push({ kind: 'umount', summary: `unmount ${r.name}` });
      if (s.pathExists) changes.push({ kind: 'rmdir', summary: `remove the directory ${r.name}` });
    }
  } else if (a.state === 'unmounted') {
    if (mountedAt) changes.push({ kind: 'umount', summary: `unmount ${r.name}` });
  } else if (a.state === 'present') set();
  else if (a.state === 'remounted') changes.push({ kind: 'remount', summary: `remount ${r.name}` });
  else {
    if (!s.pathExists) changes.push({ kind: 'mkdir', summary: `create the directory ${r.name}`, path: r.name });
    const edited = set();
    const mounted = s.ismount || (r.name in s.mounts && s.mounts[r.name].src === r.src);
    if (!mounted) changes.push({ kind: 'mount', summary: `mount ${r.src} on ${r.name}` });
    else if (edited) changes.push({ kind: 'remount', summary: `remount ${r.name} with the new fstab line` });
  }
  return { changes, diff };
}
