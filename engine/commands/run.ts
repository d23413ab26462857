// `herdbook run`: validate everything, then run with the chosen reporters, and turn the
// outcome into the exit code the design promises.
import { writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { InputError } from '../errors.js';
import { createKubeFactory } from '../kube/clients.js';
import { openTunnel, type Tunnel } from '../kube/tunnel.js';
import { documentChecker } from '../validate/index.js';
import type { LoadContext } from '../load/context.js';
import { loadTaskFile } from '../load/tasks.js';
import { emptyInventory, finishInventory, type Inventory, type VarsFiles } from '../inventory/model.js';
import { fanOut } from '../report/mask.js';
import { jsonReporter } from '../report/json.js';
import { plainReporter } from '../report/plain.js';
import { ttyReporter } from '../report/tty.js';
import { paintFor } from '../report/paint.js';
import { junitReporter } from '../report/junit.js';
import type { Reporter } from '../report/events.js';
import { systemClock } from '../run/clock.js';
import { createConnectionPool } from '../run/connections.js';
import type { RunDeps, RunOptions, RunState } from '../run/context.js';
import { newRunState, runPlaybooks, type RunOutcome } from '../run/index.js';
import { handleInterrupts } from '../run/interrupt.js';
import { checkLimitMatches, limitPatterns } from '../run/resolve-play.js';
import { splitTagOption } from '../run/tags.js';
import { checkStartAtTask } from '../run/start-at.js';
import { indexGroups } from '../inventory/groups.js';
import { inventoryVars } from '../inventory/host-vars.js';
import { createTemplater, Scope } from '../template/index.js';
import { createSchemaRegistry } from '../validate/schemas.js';
import { loadModule } from '../../modules/index.js';
import type { ModuleDef } from '../module.js';
import type { CommandIO } from './io.js';
import { loadInput } from './load-input.js';
import type { AnsibleFlags } from './ansible-flags.js';
import { connectionDefaults, requireTerminal } from './connection-flags.js';
import { stepper } from './prompt.js';
import { promptHidden } from '../hidden-prompt.js';
import { openVaultSession, withVaultSession, type VaultFlags } from './vault-options.js';

export type RunFlags = AnsibleFlags &
  VaultFlags & {
    inventory?: string[];
    extraVars?: string[];
    check?: boolean;
    diff?: boolean;
    detailedExitcode?: boolean;
    limit?: string[];
    tags?: string[];
    skipTags?: string[];
    startAtTask?: string;
    forks?: number;
    output?: 'text' | 'json';
    junit?: string;
    forceHandlers?: boolean;
    verbose?: number;
  };

export function exitCode(o: RunOutcome, flags: RunFlags): number {
  if (o.interrupted) return 130;
  if (o.failedHosts.length) return 2;
  if (o.unreachableHosts.length) return 3;
  if (o.stopped) return 2;
  if (flags.check && flags.detailedExitcode && o.changesPending) return 10;
  return 0;
}

/** Swapped in by callers that drive the run themselves (the scale benchmark's in-process stand-in connection). */
export type RunOverrides = { connection?: RunDeps['connection'] };

export async function runCommand(
  playbooks: string[],
  flags: RunFlags,
  io: CommandIO,
  overrides: RunOverrides = {},
): Promise<number> {
  requireTerminal(flags, Boolean(process.stdin.isTTY));
  if (flags.syntaxCheck) {
    const { validateCommand } = await import('./validate.js');
    return validateCommand(playbooks, flags, io);
  }
  if (flags.listTags) {
    const { listTagsCommand } = await import('./list-tags.js');
    return listTagsCommand(playbooks, flags, io);
  }
  if (flags.flushCache) io.err('note: --flush-cache does nothing: herdbook keeps no fact cache between runs');

  // Every vaulted value must decrypt before anything runs (Ansible decrypts inline values when
  // first read; a wrong password halfway through a rollout is worse than exit 4 now).
  const vault = await openVaultSession(flags, 'all');
  return withVaultSession(vault, () => run(playbooks, flags, io, overrides, vault.revealed));
}

async function run(
  playbooks: string[],
  flags: RunFlags,
  io: CommandIO,
  overrides: RunOverrides,
  secrets: Set<string>,
): Promise<number> {
  const v = loadInput(playbooks, flags, io);
  checkStartAtTask(v.playbooks, flags.startAtTask);
  const conn = await connectionDefaults(flags, (q) =>
    promptHidden(
      q,
      'standard input is not a terminal: give the password as ansible_password / ansible_become_password instead',
    ),
  );
  if ((flags.verbose ?? 0) >= 1) for (const n of conn.notes) io.err(`note: ${n}`);
  const inventory = v.inventory ?? finishInventory(emptyInventory());
  const options: RunOptions = {
    check: Boolean(flags.check),
    diff: Boolean(flags.diff),
    forks: flags.forks,
    limit: limitPatterns(flags.limit),
    tags: splitTagOption(flags.tags),
    skipTags: splitTagOption(flags.skipTags),
    startAtTask: flags.startAtTask,
    forceHandlers: Boolean(flags.forceHandlers),
    verbosity: flags.verbose ?? 0,
    extraVars: v.extraVars,
    connectionDefaults: conn.defaults,
  };
  if (options.verbosity > 0) for (const line of translatedLines(inventory, v.playbookVarsFiles)) io.err(line);
  const state = newRunState(options, secrets);
  for (const s of conn.secrets) state.secrets.add(s);
  const reporters: Reporter[] = [];
  // The reporters' colours follow stdout (where they write), not stderr as io.paint does.
  const paint = paintFor(process.env, io.isTTY);
  let live = false;
  if (flags.output === 'json') reporters.push(jsonReporter((line) => process.stdout.write(line)));
  // A live view needs the terminal's width: a pty of size 0 (script, some containers) gets plain lines.
  // --step asks on the terminal between tasks: plain lines, which a question does not disturb.
  else if (io.isTTY && !process.env.CI && !flags.step && (process.stdout.columns ?? 0) > 0) {
    reporters.push(ttyReporter((t) => io.out(t), paint));
    live = true;
  } else reporters.push(plainReporter((t) => io.out(t), paint, { verbosity: options.verbosity }));
  if (flags.junit) reporters.push(junitReporter(flags.junit));
  const reporter = fanOut(reporters, state.secrets);

  const templater = createTemplater();
  const groups = indexGroups(inventory);
  checkLimitMatches(options.limit, inventory, groups);
  const firstVarsFiles = v.playbookVarsFiles.get(path.resolve(playbooks[0]));
  const varsOf = (host: string) => {
    const scope = new Scope([
      v.extraVars,
      inventory.hosts.has(host) ? inventoryVars(inventory, groups, host, firstVarsFiles) : {},
    ]);
    return (name: string) => (scope.has(name) ? templater.variable(name, scope) : undefined);
  };
  const pool = createConnectionPool(varsOf, conn.defaults, options.verbosity >= 3 ? (line) => io.err(line) : undefined);
  const tunnels: Tunnel[] = [];
  const checker = documentChecker(v.registry);
  const deps: RunDeps = {
    reporter,
    connection: overrides.connection ?? ((host, settings) => (settings ? pool.open(settings) : pool.get(host))),
    kube: createKubeFactory({
      connection: (h) => pool.get(h),
      settings: (h) => pool.settings(h),
      tunnel: async (through, host, port) => {
        const t = await openTunnel(await pool.get(through), host, port);
        tunnels.push(t);
        return t.port;
      },
    }),
    loadModule: cachedModules(loadModule),
    templater,
    registry: createSchemaRegistry({ useDefaults: true, coerce: true }),
    clock: systemClock,
    ...(flags.step ? { step: stepper() } : {}),
    operator: `${os.userInfo().username}@${os.hostname()}`,
    loadTasks: async (file, baseDir, role, moduleDefaults) => {
      const ctx: LoadContext = {
        diagnostics: [],
        files: new Set(),
        check: checker,
        modules: new Set(v.registry.modules.keys()),
        keywords: v.registry.keywords,
        freeForm: v.registry.freeForm,
        moduleSchemas: v.registry.modules,
        stack: [],
        playbookDir: baseDir,
        rolesPath: flags.rolesPath ?? [],
        moduleDefaults: [...(moduleDefaults ?? [])],
      };
      const full = path.resolve(baseDir, file);
      const nodes = loadTaskFile(full, { file: full, baseDir: path.dirname(full), role }, ctx);
      if (ctx.diagnostics.some((d) => d.severity === 'error')) throw new InputError(ctx.diagnostics);
      return nodes;
    },
  };
  const stopInterrupts = handleInterrupts(
    state,
    () =>
      io.err(
        '\ninterrupt: finishing the commands already running, starting nothing new (Ctrl-C again to abort at once)',
      ),
    () => {
      // No recap comes after this: the cordoned nodes are said here or nowhere.
      const cordoned = leftCordoned(state);
      if (cordoned && flags.output === 'json')
        reporter.emit({ type: 'warning', msg: `aborted (second Ctrl-C): ${cordoned}` });
      reporter.flush?.();
      const text = `\naborted${cordoned ? `: ${cordoned}` : ''}\n`;
      // The live view holds back stderr while it renders, and we exit now: straight to the terminal.
      if (live) writeSync(2, text);
      else io.err(text);
      process.exit(130);
    },
  );
  try {
    const outcome = await runPlaybooks(v.playbooks, inventory, v.playbookVarsFiles, options, deps, state);
    await reporter.close();
    return exitCode(outcome, flags);
  } catch (e) {
    // The run threw before its recap: the cordoned nodes still have to be told.
    const cordoned = leftCordoned(state);
    if (cordoned) {
      if (flags.output === 'json') reporter.emit({ type: 'warning', msg: `the run failed: ${cordoned}` });
      io.err(cordoned);
    }
    throw e;
  } finally {
    // Events held back for one event-loop turn reach stdout even when the run threw.
    reporter.flush?.();
    stopInterrupts();
    await Promise.all(tunnels.map((t) => t.close()));
    await pool.closeAll();
  }
}

/** `-v`: each inventory value that was Jinja, once, with what herdbook reads it as. */
function translatedLines(inventory: Inventory, playbookVarsFiles: Map<string, VarsFiles>): string[] {
  const all = [
    inventory.translations,
    inventory.varsFiles.translations,
    ...[...playbookVarsFiles.values()].map((f) => f.translations),
  ];
  const seen = new Set<string>();
  const out: string[] = [];
  for (const t of all.flat()) {
    if (!t) continue;
    const where = t.pos ? `${path.relative(process.cwd(), t.pos.file) || t.pos.file}:${t.pos.line}` : 'inventory';
    const line = `${where}: ${t.variable} is Jinja, read as ${t.handlebars.trim()} (was ${t.jinja.trim()})`;
    if (!seen.has(line)) out.push(line);
    seen.add(line);
  }
  return out;
}

/** The nodes this run cordoned and did not uncordon, for a stop that prints no recap. */
export function leftCordoned(state: RunState): string | undefined {
  if (!state.cordoned.size) return undefined;
  const nodes = [...state.cordoned];
  return `nodes left cordoned by this run: ${nodes.map(([node, reason]) => `${node} (${reason})`).join(', ')}; uncordon them when safe: kubectl uncordon ${nodes.map(([node]) => node).join(' ')}`;
}

/** A module is looked up once per run: a dynamic import per task and host went through the loader each time. */
function cachedModules(load: (name: string) => Promise<ModuleDef>): (name: string) => Promise<ModuleDef> {
  const cache = new Map<string, Promise<ModuleDef>>();
  return (name) => {
    let m = cache.get(name);
    if (!m) {
      m = load(name);
      // A failed load is not kept: the next task reports the same error afresh.
      m.catch(() => cache.delete(name));
      cache.set(name, m);
    }
    return m;
  };
}
