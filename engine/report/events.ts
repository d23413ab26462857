// The events `run` emits and every reporter consumes. `--output json` prints them as NDJSON:
// a public interface, documented in README; add fields, never rename them.
import type { FileDiff } from '../module.js';

export type Status = 'ok' | 'changed' | 'skipped' | 'failed' | 'unreachable' | 'unknown';

export type HostCounts = {
  ok: number;
  changed: number;
  unreachable: number;
  failed: number;
  skipped: number;
  rescued: number;
  ignored: number;
  unknown: number;
};

export type RunEvent =
  | { type: 'run_start'; playbooks: string[]; check: boolean; diff: boolean; time: string }
  | { type: 'play_start'; play: string; index: number; hosts: string[]; batches: number }
  | { type: 'batch_start'; play: string; batch: number; of: number; hosts: string[] }
  | { type: 'task_start'; play: string; task: string; batch: number; hosts: string[]; where: string; handler?: boolean }
  | { type: 'task_progress'; play: string; task: string; host: string; msg: string }
  | {
      type: 'task_result';
      play: string;
      task: string;
      host: string;
      status: Status;
      batch: number;
      duration_ms: number;
      msg?: string;
      /** What would change (check mode) or what changed. */
      changes?: string[];
      diff?: FileDiff[];
      item?: string;
      /** A loop's items in order: the loop_control label (or the item), its status and message. */
      items?: { label: string; status: Status; msg?: string }[];
      ignored?: boolean;
      /** Set on a failed result that changed something all the same (a command that ran and exited non-zero). */
      changed?: boolean;
      /** The value `register:` stored (tasks that register, except no_log ones): what later tasks see. */
      registered?: Record<string, unknown>;
      /** The task is a handler (notified, run at a flush). */
      handler?: boolean;
      /** Only with -v: the command output and details. */
      stdout?: string;
      stderr?: string;
      where: string;
      delegated_to?: string;
    }
  | { type: 'warning'; msg: string; host?: string; task?: string }
  | { type: 'play_end'; play: string; stopped?: string }
  | {
      type: 'recap';
      hosts: Record<string, HostCounts>;
      check: boolean;
      duration_ms: number;
      stopped_reason?: string;
      /** Nodes this run cordoned and did not uncordon, and why. */
      cordoned?: { node: string; reason: string }[];
      changes_pending?: boolean;
    };

export interface Reporter {
  emit(event: RunEvent): void;
  /** Write out anything held back, now (before an abrupt exit). */
  flush?(): void;
  /** Called once at the end; reporters that write files do it here. */
  close(): Promise<void>;
}

export function emptyCounts(): HostCounts {
  return { ok: 0, changed: 0, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0, unknown: 0 };
}
