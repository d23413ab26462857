// ansible-playbook with the json stdout callback (ansible.posix.json), plus herdbook_marks for
// the one thing that callback leaves out: whether a failure was ignored.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { snapshot } from './files.js';
import { keyed, type ExitClass, type Outcome, type Recap, type TaskStatus } from './outcome.js';
import { run } from './spawn.js';
import type { World } from './world.js';

export type RunInput = {
  /** This tool's directory for the case: the materialized case, out/, temp files. */
  root: string;
  playbook: string;
  inventories: string[];
  flags: string[];
  out: string;
  normalize: (s: string) => string;
  world: World;
  timeoutMs: number;
};

const PLUGINS = path.resolve(import.meta.dirname, 'callback_plugins');

/** Why ansible-playbook cannot run here, or undefined when it can. */
export function ansibleUnavailable(): string | undefined {
  const r = spawnSync('ansible-playbook', ['--version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return 'ansible-playbook is not installed (apt-get install ansible)';
  return undefined;
}

export function ansibleEnv(input: RunInput, marks: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('ANSIBLE_')) delete env[k];
  const ssh = ['-o ControlMaster=auto', '-o ControlPersist=60s', '-o StrictHostKeyChecking=yes', '-o BatchMode=yes'];
  if (input.world.fleet) ssh.push(`-o UserKnownHostsFile=${input.world.fleet.knownHosts}`);
  return {
    ...env,
    ANSIBLE_STDOUT_CALLBACK: 'json',
    ANSIBLE_CALLBACK_PLUGINS: PLUGINS,
    ANSIBLE_CALLBACKS_ENABLED: 'herdbook_marks',
    HERDBOOK_MARKS: marks,
    // Debian's python3 has ansible's modules; a pyenv one on PATH would not.
    ANSIBLE_PYTHON_INTERPRETER: '/usr/bin/python3',
    ANSIBLE_NOCOLOR: '1',
    ANSIBLE_RETRY_FILES_ENABLED: '0',
    ANSIBLE_LOCAL_TEMP: path.join(input.root, 'tmp'),
    ANSIBLE_SSH_ARGS: ssh.join(' '),
    ANSIBLE_SSH_CONTROL_PATH_DIR: path.join(input.root, 'cp'),
    ANSIBLE_PIPELINING: '1',
    ANSIBLE_FORKS: '20',
    ANSIBLE_DEPRECATION_WARNINGS: '0',
    ANSIBLE_LOCALHOST_WARNING: '0',
    ANSIBLE_INVENTORY_UNPARSED_WARNING: '0',
  };
}

export async function runAnsible(input: RunInput): Promise<Outcome> {
  const marks = path.join(input.root, 'marks.ndjson');
  const args = [input.playbook, ...input.inventories.flatMap((i) => ['-i', i]), ...input.flags];
  const r = await run('ansible-playbook', args, {
    cwd: path.dirname(input.playbook),
    env: ansibleEnv(input, marks),
    timeoutMs: input.timeoutMs,
    cpuFile: path.join(input.root, 'cpu'),
  });
  const json = parseJson(r.stdout);
  const ignored = new Set<string>();
  if (existsSync(marks)) {
    for (const line of readFileSync(marks, 'utf8').split('\n').filter(Boolean)) {
      const m = JSON.parse(line) as { host: string; task: string; kind: string; ignored: boolean };
      if (m.ignored) ignored.add(`${m.host}|${m.task}`);
    }
  }
  const perHost = new Map<string, Parameters<typeof keyed>[0]>();
  for (const play of json?.plays ?? []) {
    for (const t of play.tasks) {
      const name = taskName(t.task.name, t.task.path);
      for (const [host, res] of Object.entries(t.hosts)) {
        const list = perHost.get(host) ?? perHost.set(host, []).get(host)!;
        const status = statusOf(res, ignored.has(`${host}|${t.task.id}`));
        const items = Array.isArray(res.results)
          ? (res.results as Record<string, unknown>[]).map((i) => statusOf(i, false))
          : undefined;
        list.push({
          play: play.play.name,
          task: name,
          status,
          items,
          registered: normalizeDeep(res, input.normalize) as Record<string, unknown>,
        });
      }
    }
  }
  const recap: Record<string, Recap> = {};
  for (const [h, s] of Object.entries(json?.stats ?? {})) {
    recap[h] = {
      ok: s.ok,
      changed: s.changed,
      failed: s.failures,
      unreachable: s.unreachable,
      skipped: s.skipped,
      rescued: s.rescued,
      ignored: s.ignored,
    };
  }
  return {
    tool: 'ansible',
    code: r.code,
    exit: exitClass(r.code, json !== undefined),
    hosts: new Map([...perHost].map(([h, l]) => [h, keyed(l)])),
    recap,
    files: snapshot(input.out, input.normalize),
    stderr: r.stderr,
    raw: r.stdout,
    durationMs: r.durationMs,
    cpuMs: r.cpuMs,
  };
}

type AnsibleJson = {
  plays: {
    play: { name: string };
    tasks: { task: { name: string; id: string; path: string }; hosts: Record<string, Record<string, unknown>> }[];
  }[];
  stats: Record<
    string,
    {
      ok: number;
      changed: number;
      failures: number;
      unreachable: number;
      skipped: number;
      rescued: number;
      ignored: number;
    }
  >;
};

function parseJson(stdout: string): AnsibleJson | undefined {
  const start = stdout.search(/^\{/m);
  if (start < 0) return undefined;
  try {
    return JSON.parse(stdout.slice(start)) as AnsibleJson;
  } catch {
    return undefined;
  }
}

/** Role tasks are named `role : task` by Ansible; herdbook shows the task's own name. */
function taskName(name: string, where: string): string {
  const role = /\/roles\/([^/]+)\//.exec(where ?? '');
  if (role && name.startsWith(`${role[1]} : `)) return name.slice(role[1].length + 3);
  return name === 'Gathering Facts' ? 'Gathering facts' : name;
}

function statusOf(r: Record<string, unknown>, ignored: boolean): TaskStatus {
  if (r.unreachable) return ignored ? 'ignored' : 'unreachable';
  if (r.failed) return ignored ? 'ignored' : 'failed';
  if (r.skipped) return 'skipped';
  return r.changed ? 'changed' : 'ok';
}

/** 0 ok; 2 failed hosts, 4 unreachable ones (with a recap); no recap: the input was refused. */
function exitClass(code: number | null, recap: boolean): ExitClass {
  if (code === 0) return 'ok';
  if (recap && code !== null && code >= 2 && code <= 8) return 'host-failure';
  if (!recap && code !== null && [1, 4, 5].includes(code)) return 'invalid-input';
  return 'error';
}

export function normalizeDeep(v: unknown, normalize: (s: string) => string): unknown {
  if (typeof v === 'string') return normalize(v);
  if (Array.isArray(v)) return v.map((x) => normalizeDeep(x, normalize));
  if (v && typeof v === 'object')
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, normalizeDeep(x, normalize)]));
  return v;
}
