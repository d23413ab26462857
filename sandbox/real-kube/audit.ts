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

const METHOD: Record<string, string> = { create: 'POST', update: 'PUT', patch: 'PATCH', delete: 'DELETE', deletecollection: 'DELETE' };

/** Mutating, not a dry run, by `user`; pure, for one JSON line of the log. */
export function mutatingRecord(line: string, user: string): AuditRecord | undefined {
  let e: AuditEvent;
  try {
    e = JSON.parse(line) as AuditEvent;
  } catch {
    return undefined;
  }
  const verb = e.verb ?? '';
  if (e.stage !== 'ResponseComplete' || !(verb in METHOD) || e.user?.username !== user) return undefined;
  const uri = e.requestURI ?? '';
  if (/[?&]dryRun=All(&|$)/.test(uri)) return undefined;
  return { verb, method: METHOD[verb], path: uri, user, status: e.responseStatus?.code, time: e.stageTimestamp };
}

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
  async mutating(): Promise<AuditRecord[]> {
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
      return complete.split('\n').flatMap((l) => mutatingRecord(l, this.user) ?? []);
    } finally {
      await fh.close();
    }
  }
}
