// etcd_snapshot: save, delete, prune and list k3s etcd snapshots; on a SQLite server, a
// consistent copy of state.db (with its WAL) taken while k3s is stopped, or a clear refusal.
import { defineModule, ModuleError } from '../../engine/index-module.js';
import type { ModuleContext } from '../../engine/module.js';
import { probeK3s, type K3sFacts } from './facts.js';
import { parseBackupListing, parseSnapshotJson, parseSnapshotTable, sameUtcDay, type Snapshot } from './snapshots.js';

type Args = {
  state: 'present' | 'absent' | 'pruned' | 'list';
  name: string;
  dir?: string;
  compress: boolean;
  retention: number;
  skip_if_exists: boolean;
  sqlite: 'backup' | 'fail';
};
type State = { facts: K3sFacts; snapshots: Snapshot[]; node: string; now: number; dir: string };
type Change = { summary: string; kind: 'save' | 'backup' | 'delete' | 'prune'; names?: string[] };

export const DEFAULT_SNAPSHOT_DIR = '/var/lib/rancher/k3s/server/db/snapshots';
export const DEFAULT_BACKUP_DIR = '/var/lib/rancher/k3s/server/db/backups';

async function list(ctx: ModuleContext, facts: K3sFacts, dir: string): Promise<Snapshot[]> {
  if (facts.datastore === 'sqlite') {
    const r = await ctx.exec(['sh', '-c', 'ls -l --time-style=+%s "$1"/*.db 2>/dev/null || true', 'ls', dir], {
      become: true,
      idempotent: true,
    });
    return parseBackupListing(r.stdout, dir);
  }
  const dirArgs = dir !== DEFAULT_SNAPSHOT_DIR ? ['--dir', dir] : [];
  const r = await ctx.exec(['k3s', 'etcd-snapshot', 'ls', '-o', 'json', ...dirArgs], {
    become: true,
    idempotent: true,
  });
  if (r.rc === 0) {
    const parsed = parseSnapshotJson(r.stdout);
    if (parsed) return parsed;
  }
  const table = await ctx.exec(['k3s', 'etcd-snapshot', 'ls', ...dirArgs], { become: true, idempotent: true });
  if (table.rc !== 0)
    throw new ModuleError(`k3s etcd-snapshot ls failed (exit ${table.rc}): ${table.stderr.trim().split('\n').pop()}`);
  return parseSnapshotTable(table.stdout);
}

const prefixOf = (a: Args, node: string) => `${a.name}-${node}-`;
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * This task's snapshots: exactly `<name>-<node>-<unix seconds>` as k3s names them (`.zip` when
 * compressed; `.db` for our SQLite backups). A prefix match would take `<name>-weekly-...` or
 * another node's snapshots for ours, and prune them.
 */
export function isOwnSnapshot(snapshotName: string, name: string, node: string): boolean {
  return new RegExp(`^${escapeRe(name)}-${escapeRe(node)}-\\d+(?:\\.zip|\\.db)?$`).test(snapshotName);
}

export const etcdSnapshot = defineModule<Args, State, Change>({
  name: 'etcd_snapshot',
  schema: 'etcd_snapshot',
  runsOn: 'host',
  predictable: true,
  async inspect(ctx, a) {
    const facts = await probeK3s(ctx);
    const dir = a.dir ?? (facts.datastore === 'sqlite' ? DEFAULT_BACKUP_DIR : DEFAULT_SNAPSHOT_DIR);
    const usable = facts.datastore === 'etcd' || (facts.datastore === 'sqlite' && a.sqlite === 'backup');
    return { facts, dir, node: ctx.nodeName, now: Date.now(), snapshots: usable ? await list(ctx, facts, dir) : [] };
  },
  plan(s, a) {
    const data = { snapshots: s.snapshots, datastore: s.facts.datastore, dir: s.dir };
    if (s.facts.datastore === 'none')
      return {
        changes: [],
        refuse: `${s.node} has no k3s server datastore (is k3s installed here as a server?)`,
        data,
      };
    if (s.facts.datastore === 'external')
      return {
        changes: [],
        refuse: `${s.node} keeps its data in an external datastore (--datastore-endpoint): back that database up with its own tools`,
        data,
      };
    if (s.facts.datastore === 'sqlite' && a.sqlite === 'fail' && a.state !== 'list') {
      return {
        changes: [],
        refuse: `${s.node} keeps its data in SQLite (state.db), not etcd: an etcd snapshot is impossible there (set sqlite: backup to copy state.db instead)`,
        data,
      };
    }
    const mine = s.snapshots.filter((x) => isOwnSnapshot(x.name, a.name, s.node));
    switch (a.state) {
      case 'list':
        return {
          changes: [],
          noop: `${s.snapshots.length} snapshot${s.snapshots.length === 1 ? '' : 's'} in ${s.dir}`,
          data,
        };
      case 'present': {
        const today = mine.find((x) => sameUtcDay(x.created, s.now));
        if (a.skip_if_exists && today)
          return {
            changes: [],
            noop: `snapshot ${a.name} already taken today: ${today.name}`,
            data: { ...data, snapshot: today },
          };
        if (s.facts.datastore === 'sqlite') {
          return {
            changes: [
              {
                kind: 'backup',
                summary: `back up SQLite state.db (with its WAL) to ${s.dir}/${prefixOf(a, s.node)}<unix time>.db (k3s stops for the copy, then starts)`,
              },
            ],
            data,
          };
        }
        return {
          changes: [
            {
              kind: 'save',
              summary: `save etcd snapshot ${prefixOf(a, s.node)}<unix time>${a.compress ? '.zip' : ''} in ${s.dir}`,
            },
          ],
          data,
        };
      }
      case 'absent': {
        const found = s.snapshots.filter((x) => x.name === a.name);
        if (!found.length) return { changes: [], noop: `snapshot ${a.name} already absent`, data };
        return { changes: [{ kind: 'delete', summary: `delete snapshot ${a.name}`, names: [a.name] }], data };
      }
      case 'pruned': {
        const sorted = [...mine].sort((x, y) => x.created.localeCompare(y.created) || x.name.localeCompare(y.name));
        const doomed = sorted.slice(0, Math.max(0, sorted.length - a.retention)).map((x) => x.name);
        if (!doomed.length)
          return {
            changes: [],
            noop: `${sorted.length} snapshot${sorted.length === 1 ? '' : 's'} named ${prefixOf(a, s.node)}<unix time>: within the retention of ${a.retention}`,
            data,
          };
        return {
          changes: [
            {
              kind: 'prune',
              summary: `prune snapshots named ${prefixOf(a, s.node)}<unix time>, keeping the ${a.retention} newest: delete ${doomed.join(', ')}`,
              names: doomed,
            },
          ],
          data,
        };
      }
    }
  },
  async apply(ctx, a, plan, s) {
    const c = plan.changes[0];
    const run = async (argv: string[]) => {
      const r = await ctx.exec(argv, { become: true });
      if (r.rc !== 0)
        throw new ModuleError(
          `${argv.slice(0, 3).join(' ')} failed (exit ${r.rc}): ${(r.stderr || r.stdout).trim().split('\n').slice(-2).join(' | ')}`,
        );
      return r;
    };
    const dirArgs = s.dir !== DEFAULT_SNAPSHOT_DIR ? ['--dir', s.dir] : [];
    if (c.kind === 'save')
      await run([
        'k3s',
        'etcd-snapshot',
        'save',
        '--name',
        a.name,
        ...dirArgs,
        ...(a.compress ? ['--snapshot-compress'] : []),
      ]);
    else if (c.kind === 'delete') await run(['k3s', 'etcd-snapshot', 'delete', ...dirArgs, ...c.names!]);
    else if (c.kind === 'prune' && s.facts.datastore === 'sqlite')
      await run([
        'sh',
        '-c',
        'd="$1"; shift; for n; do rm -f "$d/$n" "$d/$n-wal" "$d/$n-shm"; done',
        'prune',
        s.dir,
        ...c.names!,
      ]);
    else if (c.kind === 'prune') await run(['k3s', 'etcd-snapshot', 'delete', ...dirArgs, ...c.names!]);
    else if (c.kind === 'backup') await run(['sh', '-c', SQLITE_BACKUP, 'backup', s.dir, prefixOf(a, s.node)]);
    const after = await list(ctx, s.facts, s.dir);
    const newest = [...after]
      .filter((x) => isOwnSnapshot(x.name, a.name, s.node))
      .sort((x, y) => x.created.localeCompare(y.created))
      .at(-1);
    return {
      msg: c.kind === 'save' || c.kind === 'backup' ? `saved ${newest?.name ?? a.name}` : c.summary,
      data: { snapshots: after, snapshot: c.kind === 'save' || c.kind === 'backup' ? newest : undefined },
    };
  },
});

// k3s is stopped for the copy (state.db, -wal and -shm then agree) and started again whatever happens.
const SQLITE_BACKUP = [
  'set -e',
  'db=/var/lib/rancher/k3s/server/db',
  'dest="$1/$2$(date +%s).db"',
  'mkdir -p "$1"',
  'systemctl stop k3s',
  "trap 'systemctl start k3s' EXIT",
  'cp -p "$db/state.db" "$dest"',
  'if [ -f "$db/state.db-wal" ]; then cp -p "$db/state.db-wal" "$dest-wal"; fi',
  'if [ -f "$db/state.db-shm" ]; then cp -p "$db/state.db-shm" "$dest-shm"; fi',
  'echo "$dest"',
].join('\n');
