// fstab edits as ansible.posix 1.5.4's mount makes them on Linux (pure): fields escaped (\040,
// \046, \134), every line for the mount point rewritten as `src name fstype opts dump passno`
// when a field differs (a 4- or 5-field line always differs: the reference compares its missing
// dump/passno, the integer 0, with the string asked), a new line appended when none matched;
// removal drops the point's lines. Comments, blank and malformed lines stay as they are.

export type FstabEntry = { name: string; src?: string; fstype?: string; opts: string; dump: string; passno: string };

export function escapeFstab(v: string): string {
  return v.replace(/\\/g, '\\134').replace(/ /g, '\\040').replace(/&/g, '\\046');
}

const linesOf = (text: string) => text.split(/(?<=\n)/).filter((l) => l !== '');

/** Whether a line is for this mount point (a swap line 'none' needs the same src too). */
function isFor(fields: string[], name: string, src: string | undefined): boolean {
  const [lsrc, lname, lfs] = fields;
  if (lname !== name) return false;
  return !(src !== undefined && lname === 'none' && lfs === 'swap' && lsrc !== src);
}

/** The fstab with the point set; `changed` as the reference decides it. */
export function setMount(text: string, e: FstabEntry): { text: string; changed: boolean } {
  const esc = {
    name: escapeFstab(e.name),
    src: escapeFstab(e.src ?? ''),
    fstype: escapeFstab(e.fstype ?? ''),
    opts: escapeFstab(e.opts),
    dump: escapeFstab(e.dump),
    passno: escapeFstab(e.passno),
  };
  const out: string[] = [];
  let exists = false;
  let changed = false;
  for (let line of linesOf(text)) {
    if (!line.endsWith('\n')) line += '\n';
    const fields = line.trim().split(/\s+/);
    if (!line.trim() || line.trim().startsWith('#') || ![4, 5, 6].includes(fields.length)) {
      out.push(line);
      continue;
    }
    if (!isFor(fields, esc.name, e.src)) {
      out.push(line);
      continue;
    }
    exists = true;
    const [src, name, fstype, opts] = fields;
    const ld = { src, name, fstype, opts, dump: fields[4], passno: fields[5] };
    for (const k of ['src', 'fstype', 'opts', 'dump', 'passno'] as const)
      if (ld[k] !== esc[k]) {
        ld[k] = esc[k];
        changed = true;
      }
    out.push(changed ? `${ld.src} ${ld.name} ${ld.fstype} ${ld.opts} ${ld.dump} ${ld.passno}\n` : line);
  }
  if (!exists) {
    out.push(`${esc.src} ${esc.name} ${esc.fstype} ${esc.opts} ${esc.dump} ${esc.passno}\n`);
    changed = true;
  }
  return { text: out.join(''), changed };
}

/** The fstab without the point's lines. */
export function unsetMount(text: string, name: string, src: string | undefined): { text: string; changed: boolean } {
  const out: string[] = [];
  let changed = false;
  for (const line of linesOf(text)) {
    const fields = line.trim().split(/\s+/);
    if (!line.trim() || line.trim().startsWith('#') || fields.length !== 6 || !isFor(fields, escapeFstab(name), src))
      out.push(line);
    else changed = true;
  }
  return { text: out.join(''), changed };
}

export type MountInfo = { dst: string; src: string; opts: string; fs: string };

/** /proc/self/mountinfo as the reference reads it: a bind mount's src is the directory it shows. */
export function parseMountinfo(text: string): Record<string, MountInfo> {
  type Rec = { id: number; parent: number; root: string; dst: string; opts: string; fs: string; src: string };
  const recs = new Map<number, Rec>();
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 10) continue;
    recs.set(Number(f[0]), {
      id: Number(f[0]),
      parent: Number(f[1]),
      root: f[3],
      dst: f[4],
      opts: f[5],
      fs: f[f.length - 3],
      src: f[f.length - 2],
    });
  }
  const mounts: Record<string, MountInfo> = {};
  for (const m of recs.values()) {
    let src = m.src;
    const p = recs.get(m.parent);
    if (m.parent !== 1 && p) {
      let root = m.root;
      if (p.root.length > 1 && root.startsWith(`${p.root}/`)) root = root.slice(p.root.length);
      if (p.dst !== '/') root = `${p.dst}${root}`;
      // The reference rewrites the record itself: a later child reads its parent's rewritten root.
      m.root = root;
      src = root;
    }
    mounts[m.dst] = { dst: m.dst, src, opts: m.opts, fs: m.fs };
  }
  return mounts;
}
