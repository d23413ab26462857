// On a terminal: a live listr2 view. Each task is a row with one sub-row per host (a spinner,
// then ok/changed/failed/skipped and the duration); modules' progress messages appear under
// the host while it runs. Listr runs are chained so their renders never overlap.
import type { Paint } from './diagnostics.js';
import { renderDiff } from './diff.js';
import type { Reporter, RunEvent } from './events.js';
import { statusWord } from './plain.js';
import { formatRecap } from './recap.js';

type Result = Extract<RunEvent, { type: 'task_result' }>;
type Slot = {
  resolve(r: Result | undefined): void;
  promise: Promise<Result | undefined>;
  settled: boolean;
  setOutput?: (s: string) => void;
  pending?: string;
};

/** Above this many hosts a task shows one summary row instead of a row per host. */
const MAX_ROWS = 40;

function slot(): Slot {
  let done!: (r: Result | undefined) => void;
  const promise = new Promise<Result | undefined>((r) => (done = r));
  const s: Slot = {
    promise,
    settled: false,
    resolve(r) {
      s.settled = true;
      done(r);
    },
  };
  return s;
}

/**
 * Rows that will get no result (Ctrl-C stopped them before they started): settle them as
 * "not run", or their listr view would wait forever and the run would never end.
 */
function abandon(slots: Map<string, Slot>): void {
  for (const s of slots.values()) if (!s.settled) s.resolve(undefined);
}

export function ttyReporter(write: (text: string) => void, paint: Paint): Reporter {
  let chain: Promise<unknown> = Promise.resolve();
  let check = false;
  let batchLabel = '';
  let slots = new Map<string, Slot>();
  const later = (fn: () => unknown) => {
    chain = chain.then(fn).catch(() => undefined);
  };
  const word = (r: Result) => {
    const w = statusWord(r, check);
    const text = `${w} (${(r.duration_ms / 1000).toFixed(1)}s)${r.msg && r.status !== 'ok' && r.status !== 'skipped' ? `: ${r.msg.split('\n')[0]}` : ''}`;
    return w === 'failed' || w === 'unreachable'
      ? paint.red(text)
      : w === 'changed' || w === 'would change'
        ? paint.yellow(text)
        : w === 'skipped'
          ? paint.dim(text)
          : text;
  };
  return {
    emit(e) {
      switch (e.type) {
        case 'run_start':
          check = e.check;
          if (check) later(() => write(paint.yellow('DRY RUN (--check): nothing will be changed')));
          break;
        case 'play_start':
          later(() =>
            write(
              paint.bold(
                `\nPLAY ${e.play}  (${e.hosts.length} host${e.hosts.length === 1 ? '' : 's'}${e.batches > 1 ? `, ${e.batches} batches` : ''})`,
              ),
            ),
          );
          break;
        case 'batch_start':
          batchLabel = e.of > 1 ? `batch ${e.batch}/${e.of}: ` : '';
          break;
        case 'task_start': {
          abandon(slots);
          const hosts = e.hosts;
          const mine = new Map(hosts.map((h) => [h, slot()]));
          slots = mine;
          const title = `${batchLabel}${e.task}${e.handler ? ' (handler)' : ''}`;
          later(() => runListr(title, hosts, mine, word, paint));
          break;
        }
        case 'task_progress': {
          const s = slots.get(e.host);
          if (s) {
            s.pending = e.msg;
            s.setOutput?.(e.msg);
          }
          break;
        }
        case 'task_result':
          slots.get(e.host)?.resolve(e);
          if (e.diff?.length) later(() => e.diff!.forEach((d) => write(renderDiff(d, paint))));
          break;
        case 'warning':
          later(() => write(paint.yellow(`warning: ${e.host ? `${e.host}: ` : ''}${e.msg}`)));
          break;
        // The recap tells how a play ended.
        case 'play_end':
          break;
        case 'recap':
          abandon(slots);
          later(() => write('\n' + formatRecap(e, paint)));
          break;
      }
    },
    async close() {
      await chain;
    },
  };
}

async function runListr(
  title: string,
  hosts: string[],
  slots: Map<string, Slot>,
  word: (r: Result) => string,
  paint: Paint,
): Promise<void> {
  const { Listr } = await import('listr2');
  const rows =
    hosts.length <= MAX_ROWS
      ? hosts.map((h) => ({
          title: h,
          task: async (_: unknown, t: { title: string; output: string; skip(m?: string): void }) => {
            const s = slots.get(h)!;
            s.setOutput = (m) => (t.output = m);
            if (s.pending) t.output = s.pending;
            const r = await s.promise;
            if (!r) return t.skip(`${h}  not run`);
            t.title = `${h}  ${word(r)}`;
            if (r.status === 'failed' && !r.ignored) throw new Error(`${h}: ${r.msg ?? 'failed'}`);
          },
        }))
      : [
          {
            title: `${hosts.length} hosts`,
            task: async (_: unknown, t: { title: string; output: string }) => {
              const counts = new Map<string, number>();
              await Promise.all(
                [...slots.values()].map(async (s) => {
                  const r = await s.promise;
                  const key = r?.status ?? 'not run';
                  counts.set(key, (counts.get(key) ?? 0) + 1);
                  t.output = [...counts].map(([k, n]) => `${k} ${n}`).join(', ');
                }),
              );
              t.title = `${hosts.length} hosts: ${[...counts].map(([k, n]) => `${k} ${n}`).join(', ')}`;
            },
          },
        ];
  const listr = new Listr(
    [
      {
        title,
        task: (_: unknown, task: { newListr: (t: unknown[], o: object) => unknown }) =>
          task.newListr(rows, { concurrent: true, exitOnError: false }),
      },
    ] as never,
    // listr2's own SIGINT handler exits the process (and crashed its renderer): Ctrl-C is the engine's.
    {
      exitOnError: false,
      registerSignalListeners: false,
      rendererOptions: { collapseSubtasks: false, showErrorMessage: false, persistentOutput: false },
    } as never,
  );
  await listr.run().catch(() => undefined);
  void paint;
}
