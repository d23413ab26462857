// Not a terminal (CI, pipes): one plain line per host and task, e.g.
// `changed      w-1   Upgrade k3s  (12.3s)`, with play and batch headers and the recap.
import type { Paint } from './diagnostics.js';
import { renderDiff } from './diff.js';
import type { Reporter, RunEvent } from './events.js';
import { formatRecap } from './recap.js';

// Wide enough for the longest word, "would change".
const STATUS_WIDTH = 12;

export function statusWord(e: Extract<RunEvent, { type: 'task_result' }>, check: boolean): string {
  if (e.ignored) return 'ignored';
  if (check && e.status === 'changed') return 'would change';
  return e.status;
}

export function paintStatus(word: string, paint: Paint): string {
  if (word === 'failed' || word === 'unreachable') return paint.red(word.padEnd(STATUS_WIDTH));
  if (word === 'changed' || word === 'would change') return paint.yellow(word.padEnd(STATUS_WIDTH));
  if (word === 'unknown' || word === 'ignored') return paint.cyan(word.padEnd(STATUS_WIDTH));
  if (word === 'skipped') return paint.dim(word.padEnd(STATUS_WIDTH));
  return word.padEnd(STATUS_WIDTH);
}

const INDENT = ' '.repeat(STATUS_WIDTH + 2);
const indent = (text: string) => INDENT + text.split('\n').join(`\n${INDENT}`);

function statusText(status: string, check: boolean, paint: Paint): string {
  return paintStatus(check && status === 'changed' ? 'would change' : status, paint).trimEnd();
}

export function plainReporter(write: (text: string) => void, paint: Paint, opts: { verbosity: number }): Reporter {
  let check = false;
  let hostWidth = 8;
  return {
    emit(e) {
      switch (e.type) {
        case 'run_start':
          check = e.check;
          if (check)
            write(
              paint.yellow(
                'DRY RUN (--check): nothing will be changed; "would change" lines say what a real run would do',
              ),
            );
          break;
        case 'play_start':
          hostWidth = Math.max(8, ...e.hosts.map((h) => h.length));
          write(
            paint.bold(
              `\nPLAY ${e.play}  (${e.hosts.length} host${e.hosts.length === 1 ? '' : 's'}${e.batches > 1 ? `, ${e.batches} batches` : ''})`,
            ),
          );
          break;
        case 'batch_start':
          if (e.of > 1) write(paint.bold(`batch ${e.batch}/${e.of}: ${e.hosts.join(', ')}`));
          break;
        case 'task_progress':
          if (opts.verbosity > 0) write(paint.dim(`  ...        ${e.host.padEnd(hostWidth)}  ${e.task}: ${e.msg}`));
          break;
        case 'task_result': {
          const word = statusWord(e, check);
          const item = e.item ? ` [${e.item}]` : '';
          const who = e.delegated_to ? `${e.host} -> ${e.delegated_to}` : e.host;
          let line = `${paintStatus(word, paint)}  ${who.padEnd(hostWidth)}  ${e.task}${e.handler ? ' (handler)' : ''}${item}  (${(e.duration_ms / 1000).toFixed(1)}s)`;
          if (e.msg && e.status !== 'skipped') line += `\n${indent(e.msg)}`;
          for (const i of e.items ?? [])
            line += `\n${INDENT}${paint.dim('item')} ${i.label}: ${statusText(i.status, check, paint)}${i.msg ? `  ${i.msg.split('\n').join(`\n${INDENT}  `)}` : ''}`;
          write(line);
          for (const d of e.diff ?? []) write(renderDiff(d, paint));
          if (e.stdout) write(paint.dim(`  stdout: ${e.stdout}`));
          if (e.stderr) write(paint.dim(`  stderr: ${e.stderr}`));
          break;
        }
        case 'warning':
          write(paint.yellow(`warning: ${e.host ? `${e.host}: ` : ''}${e.msg}`));
          break;
        // One line per host and task, written when its result comes; the recap tells how a play ended.
        case 'task_start':
        case 'play_end':
          break;
        case 'recap':
          write('\n' + formatRecap(e, paint));
          break;
      }
    },
    async close() {},
  };
}
