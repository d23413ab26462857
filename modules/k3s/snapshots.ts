// Listing k3s snapshots: `k3s etcd-snapshot ls -o json` (the ETCDSnapshotFile list), with the
// tab-aligned table as a fallback for older releases; SQLite backups are files we name alike.
export type Snapshot = { name: string; location: string; size: number; created: string };

export function parseSnapshotJson(text: string): Snapshot[] | undefined {
  try {
    const list = JSON.parse(text) as {
      items?:
        | {
            spec?: { snapshotName?: string; location?: string };
            status?: { size?: string | number; creationTime?: string };
          }[]
        | null;
    };
    return (list.items ?? []).map((i) => ({
      name: i.spec?.snapshotName ?? '',
      location: i.spec?.location ?? '',
      size: Number(i.status?.size ?? 0),
      created: i.status?.creationTime ?? '',
    }));
  } catch {
    return undefined;
  }
}

/** `Name  Location  Size  Created` columns (text/tabwriter), as older k3s prints them. */
export function parseSnapshotTable(text: string): Snapshot[] {
  const lines = text.split('\n').filter((l) => l.trim());
  if (!lines.length || !/^Name\s+Location\s+Size\s+Created/.test(lines[0])) return [];
  return lines.slice(1).map((l) => {
    const [name, location, size, created] = l.trim().split(/\s+/);
    return { name, location, size: Number(size), created };
  });
}

/** SQLite backups: `ls -l --time-style=+%s` rows of <dir>/*.db → snapshots. */
export function parseBackupListing(text: string, dir: string): Snapshot[] {
  const out: Snapshot[] = [];
  for (const line of text.split('\n')) {
    const m = /^\S+\s+\d+\s+\S+\s+\S+\s+(\d+)\s+(\d+)\s+(\S+\.db)$/.exec(line.trim());
    if (!m) continue;
    out.push({
      name: m[3].replace(/^.*\//, ''),
      location: `file://${dir}/${m[3].replace(/^.*\//, '')}`,
      size: Number(m[1]),
      created: new Date(Number(m[2]) * 1000).toISOString().replace('.000Z', 'Z'),
    });
  }
  return out;
}

export function sameUtcDay(iso: string, now: number): boolean {
  const d = new Date(iso);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === new Date(now).toISOString().slice(0, 10);
}
