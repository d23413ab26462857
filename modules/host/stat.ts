// stat: facts about a path on the host (never changes anything): exists, type, mode, owner,
// size, times, sha256, link target; registered as `stat` with Ansible's field names.
import { defineModule, type Change } from '../../engine/index-module.js';
import { probeFile, type RemoteFile } from './remote-file.js';

export type StatArgs = {
  path?: string;
  dest?: string;
  name?: string;
  follow: boolean;
  get_checksum: boolean;
  checksum_algorithm: 'sha256';
};

export type StatState = { file: RemoteFile };

/** Ansible's stat fields (pw_name/gr_name, also as owner/group). */
export function statResult(file: RemoteFile): Record<string, unknown> {
  if (!file.exists) return { exists: false, path: file.path };
  const out: Record<string, unknown> = {
    exists: true,
    path: file.path,
    isdir: file.type === 'directory',
    isreg: file.type === 'file',
    islnk: file.type === 'link',
    mode: file.mode,
    uid: file.uid,
    gid: file.gid,
    pw_name: file.owner,
    gr_name: file.group,
    owner: file.owner,
    group: file.group,
    size: file.size,
    mtime: file.mtime,
    atime: file.atime,
    nlink: file.nlink,
    inode: file.inode,
  };
  if (file.dev !== undefined) out.dev = file.dev;
  if (file.checksum) out.checksum = file.checksum;
  if (file.isLink) out.lnk_target = file.target;
  if (file.realPath) out.lnk_source = file.realPath;
  return out;
}

export const stat = defineModule<StatArgs, StatState, Change>({
  name: 'stat',
  schema: 'stat',
  runsOn: 'host',
  predictable: true,
  async inspect(ctx, args) {
    const p = (args.path ?? args.dest ?? args.name)!;
    return { file: await probeFile(ctx, p, { follow: args.follow, checksum: args.get_checksum }) };
  },
  plan({ file }) {
    const what = !file.exists
      ? 'does not exist'
      : `is a ${file.type}${file.isLink && file.type !== 'link' ? ' (through a symlink)' : ''}, mode ${file.mode}, ${file.owner}:${file.group}`;
    return { changes: [], noop: `${file.path} ${what}`, data: { stat: statResult(file) } };
  },
  async apply() {
    return {};
  },
});
