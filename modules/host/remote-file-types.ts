// What the file modules know about a path on the host: the probe's answer (remote-file.ts),
// which check-mode predictions (predictions.ts) can amend.
export type FileType = 'file' | 'directory' | 'link' | 'other';

export type PresentFile = {
  path: string;
  exists: true;
  type: FileType;
  /** Permission bits as 4 octal digits ('0644'). */
  mode: string;
  uid: number;
  gid: number;
  owner: string;
  group: string;
  size: number;
  mtime: number;
  atime: number;
  nlink: number;
  inode: number;
  /** Device number: with inode, tells whether two paths are the same file (hard links). */
  dev?: number;
  /** The path itself is a symlink (type describes its target when followed). */
  isLink?: boolean;
  /** readlink of the path, when it is a symlink. */
  target?: string;
  /** The fully resolved path, when a symlink was followed. */
  realPath?: string;
  checksum?: string;
  /** Raw bytes, when read was asked for and the file was small enough. Never in fixtures. */
  content?: Buffer;
};

export type AbsentFile = {
  path: string;
  exists: false;
  /** How many trailing components are missing: 1 means the parent exists. */
  missing: number;
  /** Whether the nearest existing ancestor is a directory. */
  ancestorIsDir: boolean;
};

export type RemoteFile = PresentFile | AbsentFile;
