// herdbook run --output json: the NDJSON events into the shared outcome shape, the recap in
// Ansible's convention (its `ok` counts changed and ignored results too; an ignored failure
// that changed something counts as changed as well).
import path from 'node:path';
import type { RunEvent } from '../../../engine/report/events.js';
import { BIN, cliEnv, parseEvents } from '../../e2e/helpers.js';
import { snapshot } from './files.js';
import { keyed, type ExitClass, type Outcome, type Recap } from './outcome.js';
import { normalizeDeep, type RunInput } from './run-ansible.js';
import { run } from './spawn.js';

export async function runHerdbook(input: RunInput): Promise<Outcome> {
  const args = [
    BIN,
    'run',
    input.playbook,
    ...input.inventories.flatMap((i) => ['-i', i]),
    '--output',
    'json',
    ...input.flags,
  ];
  // No ~/.ssh/config: the inventory says everything, as it does for Ansible.
  const r = await run(process.execPath, args, {
    cwd: path.dirname(input.playbook),
    env: cliEnv({ HERDBOOK_SSH_CONFIG: '' }),
    timeoutMs: input.timeoutMs,
    cpuFile: path.join(input.root, 'cpu'),
  });
  let events: RunEvent[] = [];
  try {
    events = parseEvents(r.stdout);
  } catch (e) {
    r.stderr += `\n[conformance] ${(e as Error).message}`;
  }
  const perHost = new Map<string, Parameters<typeof keyed>[0]>();
  const changedIgnored = new Map<string, number>();
  let recapEvent: Extract<RunEvent, { type: 'recap' }> | undefined;
  for (const e of events) {
    if (e.type === 'recap') recapEvent = e;
    if (e.type !== 'task_result') continue;
    const list = perHost.get(e.host) ?? perHost.set(e.host, []).get(e.host)!;
    const status = e.ignored ? 'ignored' : e.status;
    if (e.ignored && e.changed) changedIgnored.set(e.host, (changedIgnored.get(e.host) ?? 0) + 1);
    list.push({
      play: e.play,
      task: e.task,
      status,
      items: e.items?.map((i) => i.status),
      registered: e.registered ? (normalizeDeep(e.registered, input.normalize) as Record<string, unknown>) : undefined,
    });
  }
  const recap: Record<string, Recap> = {};
  for (const [h, c] of Object.entries(recapEvent?.hosts ?? {})) {
    recap[h] = {
      ok: c.ok + c.changed + c.ignored,
      changed: c.changed + (changedIgnored.get(h) ?? 0),
      failed: c.failed,
      unreachable: c.unreachable,
      skipped: c.skipped,
      rescued: c.rescued,
      ignored: c.ignored,
    };
  }
  return {
    tool: 'herdbook',
    code: r.code,
    exit: exitClass(r.code),
    hosts: new Map([...perHost].map(([h, l]) => [h, keyed(l)])),
    recap,
    files: snapshot(input.out, input.normalize),
    stderr: r.stderr,
    raw: r.stdout,
    durationMs: r.durationMs,
    cpuMs: r.cpuMs,
  };
}

function exitClass(code: number | null): ExitClass {
  if (code === 0 || code === 10) return 'ok';
  if (code === 2 || code === 3) return 'host-failure';
  if (code === 4 || code === 5) return 'invalid-input';
  return 'error';
}
