// Every API request the simulator answered, so tests can prove what a run did, and
// above all that check mode wrote nothing.

export type RequestRecord = {
  seq: number;
  time: string;
  method: string;
  path: string;
  query: Record<string, string[]>;
  contentType?: string;
  user?: string;
  /** The API verb (get, list, watch, create, update, patch, delete, deletecollection) of a resource request. */
  verb?: string;
  /** The status code answered. */
  status: number;
  /** The request body, parsed when it is JSON. */
  body?: unknown;
  dryRun: boolean;
  /** A write that was not a dry run (whatever its answer). */
  mutating: boolean;
  /** For a failure: the Status reason and message answered. */
  reason?: string;
  message?: string;
};

const WRITE_VERBS = ['create', 'update', 'patch', 'delete', 'deletecollection'];

export function isMutating(method: string, verb: string | undefined, dryRun: boolean): boolean {
  if (dryRun) return false;
  if (verb) return WRITE_VERBS.includes(verb);
  return !['GET', 'HEAD', 'OPTIONS'].includes(method);
}

export class RequestLog {
  private records: RequestRecord[] = [];
  private seq = 0;

  add(r: Omit<RequestRecord, 'seq'>): RequestRecord {
    const rec = { seq: ++this.seq, ...r };
    this.records.push(rec);
    return rec;
  }

  all(): RequestRecord[] {
    return structuredClone(this.records);
  }

  mutating(): RequestRecord[] {
    return this.all().filter((r) => r.mutating);
  }

  clear(): void {
    this.records = [];
  }
}
