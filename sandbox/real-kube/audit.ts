// kube-apiserver's audit log read back: which writes herdbook's user made since a mark.
// The kubelets, the controllers and the scheduler write all the time; only the admin's
// own writes say what a run did (and an empty list that check mode did nothing).
import { open, stat } from 'node:fs/promises';

export type AuditRecord = {
  /** create, update, patch, delete or deletecollection. */
  verb: string;
  /** The HTTP method that verb comes from. */
  method: string;
  /** The request URI, with its query. */
  path: string;
  user: string;
  /** The status code answered. */
  status?: number;
  time?: string;
};

type AuditEvent = {
  stage?: string;
  verb?: string;
  requestURI?: string;
  user?: { username?: string };
  responseStatus?: { code?: number };
  stageTimestamp?: string;
};

const METHOD: Record<string, string> = {
  create: 'POST',
  update: 'PUT',
  patch: 'PATCH',
  delete: 'DELETE',
  deletecollection: 'DELETE',
};

const READ_METHOD: Record<string, string> = { get: 'GET', list: 'GET', watch: 'GET' };

/** A request by `user` (only a write that is not a dry run when `mutatingOnly`); pure, for one JSON line of the log. */
export function auditRecord(line: string, user: string, mutatingOnly: boolean): AuditRecord | undefined {
  let e: AuditEvent;
  try {
    e = JSON.parse(line) as AuditEvent;
  } catch {
    return undefined;
  }
  const verb = e.verb ?? '';
  if (e.stage !== 'ResponseComplete' || e.user?.username !== user) return undefined;
  const uri = e.requestURI ?? '';
  const write = verb in METHOD && !/[?&]dryRun=All(&|$)/.test(uri);
  if (mutatingOnly && !write) return undefined;
  // Non-resource requests (/version, /readyz) are logged with the lower-cased method as the verb.
  const method = METHOD[verb] ?? READ_METHOD[verb] ?? verb.toUpperCase();
  return { verb, method, path: uri, user, status: e.responseStatus?.code, time: e.stageTimestamp };
}

/** Mutating, not a dry run, by `user`. */
export const mutatingRecord = (line: string, user: string): AuditRecord | undefined => auditRecord(line, user, true);

export class AuditLog {
  private mark = 0;

  constructor(
    readonly file: string,
    private readonly user: string,
  ) {}

  private async size(): Promise<number> {
    return (await stat(this.file).catch(() => undefined))?.size ?? 0;
  }

  /** Forget what was logged so far: later calls see only newer requests. */
  async clear(): Promise<void> {
    this.mark = await this.size();
  }

  /** The admin's writes since the last clear (or since the start). */
  mutating(): Promise<AuditRecord[]> {
    return this.read(true);
  }

  /** Every request of the admin since the last clear, reads too. */
  all(): Promise<AuditRecord[]> {
    return this.read(false);
  }

  private async read(mutatingOnly: boolean): Promise<AuditRecord[]> {
    const size = await this.size();
    // Rotated (--audit-log-maxsize): the new file starts over.
    const from = size < this.mark ? 0 : this.mark;
    if (size <= from) return [];
    const fh = await open(this.file, 'r');
    try {
      const buf = Buffer.alloc(size - from);
      await fh.read(buf, 0, buf.length, from);
      const text = buf.toString('utf8');
      // A line still being written has no newline yet; it belongs to the next call.
      const complete = text.slice(0, text.lastIndexOf('\n') + 1);
      return complete.split('\n').flatMap((l) => auditRecord(l, this.user, mutatingOnly) ?? []);
    } finally {
      await fh.close();
    }
  }
}
