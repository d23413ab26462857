// Argument parsing and exit codes, nothing else. Commands are loaded only when used, so
// `herdbook --version` stays fast.
import { Command, CommanderError, Option } from 'commander';
import { readFileSync } from 'node:fs';
import { HerdbookError, InputError, InterruptedError, TemplateError, UsageError } from './errors.js';
import { processIO, type CommandIO } from './commands/io.js';
import { addAnsibleFlags, applyAnsibleCfg, positive } from './commands/ansible-flags.js';
// Types only: commander hands each action its options untyped; these say what the options
// declared above parse to. The command modules themselves still load only when used.
import type { ConvertFlags } from './commands/convert.js';
import type { InventoryOptions } from './commands/inventory.js';
import type { InputOptions } from './commands/load-input.js';
import type { RunFlags } from './commands/run.js';
import type { SandboxFlags } from './commands/sandbox.js';
import { PACKAGE_ROOT } from './paths.js';
import { formatDiagnostics } from './report/diagnostics.js';
import { vaultCommand } from './commands/vault-command.js';
import { vaultOptions } from './commands/vault-options.js';

export const EXIT = {
  ok: 0,
  internal: 1,
  hostFailed: 2,
  unreachable: 3,
  invalidInput: 4,
  usage: 5,
  changesPending: 10,
  interrupted: 130,
} as const;

const collect = (v: string, prev: string[] = []) => [...prev, v];
const increase = (_v: string, prev = 0) => prev + 1;

function inputOptions(cmd: Command): Command {
  return vaultOptions(cmd)
    .option('-i, --inventory <path>', 'inventory file, directory or host list (repeatable)', collect)
    .option('-e, --extra-vars <vars>', 'key=value, @file.yaml or JSON (repeatable; strongest variables)', collect);
}

export function buildProgram(io: CommandIO, setExit: (code: number) => void): Command {
  const version = (JSON.parse(readFileSync(`${PACKAGE_ROOT}/package.json`, 'utf8')) as { version: string }).version;
  const program = new Command('herdbook')
    .description('Run Ansible-style playbooks against k3s clusters: fast, checked, one node at a time.')
    .version(version, '-V, --version')
    .showSuggestionAfterError()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) })
    .exitOverride()
    // ansible.cfg's values where the command line gave none, before any command that reads an inventory.
    .hook('preAction', (_program, action) => applyAnsibleCfg(action, io));

  addAnsibleFlags(inputOptions(program.command('run').argument('<playbook...>')))
    .description('run playbooks (add --check to see exactly what would change, without changing anything)')
    .option('-C, --check', 'change nothing; report what would change')
    .option('-D, --diff', 'show content changes as unified diffs')
    .option('--detailed-exitcode', 'with --check: exit 10 when changes are pending, 0 when none')
    .option('-l, --limit <pattern>', 'only these hosts (pattern, or @file) (repeatable)', collect)
    .option('-t, --tags <tags>', 'only tasks with these tags (comma-separated)', collect)
    .option('--skip-tags <tags>', 'skip tasks with these tags (comma-separated)', collect)
    .option('--start-at-task <name>', 'start at the first task with this name')
    .option(
      '-f, --forks <n>',
      'hosts to run at once within a batch (default: the batch, up to 50)',
      positive('--forks'),
    )
    .addOption(
      new Option('-o, --output <format>', 'text (default) or json: NDJSON events on stdout')
        .choices(['text', 'json'])
        .default('text'),
    )
    .option('--junit <file>', 'write a JUnit XML report (one testcase per host and task)')
    .option('--force-handlers', 'run notified handlers even on hosts that failed')
    .option(
      '-v, --verbose',
      'more output: -v stdout/stderr, -vv commands sent, -vvv timings and internals',
      increase,
      0,
    )
    .action(async (playbooks: string[], o: RunFlags) => {
      const { runCommand } = await import('./commands/run.js');
      setExit(await runCommand(playbooks, o, io));
    });

  inputOptions(program.command('validate').argument('<playbook...>'))
    .description('check playbooks, everything they include and the inventory, without contacting any host')
    .action(async (playbooks: string[], o: InputOptions) => {
      const { validateCommand } = await import('./commands/validate.js');
      setExit(await validateCommand(playbooks, o, io));
    });

  inputOptions(program.command('list-hosts').argument('<playbook...>'))
    .description("show each play's hosts in batch order")
    .option('-l, --limit <pattern>', 'only these hosts (pattern, or @file) (repeatable)', collect)
    .action(async (playbooks: string[], o: InputOptions & { limit?: string[] }) => {
      const { listHostsCommand } = await import('./commands/list-hosts.js');
      setExit(await listHostsCommand(playbooks, o, io));
    });

  inputOptions(program.command('list-tasks').argument('<playbook...>'))
    .description('show every task with its tags and file:line')
    .action(async (playbooks: string[], o: InputOptions) => {
      const { listTasksCommand } = await import('./commands/list-tasks.js');
      setExit(await listTasksCommand(playbooks, o, io));
    });

  program
    .command('convert')
    .argument('<playbook...>', 'playbooks (and .j2 templates) to convert, with everything they reach')
    .description(
      "rewrite an Ansible repository's Jinja in herdbook's expressions: templates, conditions, with_* loops, module names; what cannot be translated is listed as file:line:col",
    )
    .option('--out <dir>', "write a converted copy of the playbooks' folder there (the rest copied as is)")
    .option('--in-place', 'rewrite the files where they are')
    .option('--check', 'change nothing; show the changes as unified diffs')
    .option('--detailed-exitcode', 'with --check: exit 10 when files would change')
    .option('-i, --inventory <path>', 'inventory file or directory to convert too (repeatable)', collect)
    .option(
      '--rewrite-inventory',
      "also rewrite inventories, group_vars/ and host_vars/ (by default they stay Ansible's: herdbook translates their Jinja when it loads them)",
    )
    .addOption(
      new Option('-o, --output <format>', 'text (default) or json: NDJSON, one event per item, then a summary')
        .choices(['text', 'json'])
        .default('text'),
    )
    .addHelpText(
      'after',
      '\nExit codes: 0 everything converted, 2 something left or not followed (listed), 4 unreadable input,\n10 with --check --detailed-exitcode: files would change. README "Converting an Ansible repository".',
    )
    .action(async (paths: string[], o: ConvertFlags) => {
      const { convertCommand } = await import('./commands/convert.js');
      setExit(convertCommand(paths, o, io));
    });

  vaultOptions(program.command('inventory'))
    .description('show an inventory as herdbook reads it')
    .option('-i, --inventory <path>', 'inventory file, directory or host list (repeatable)', collect)
    .option('--list', 'every group and host with their variables, as JSON')
    .option('--graph', 'the group tree')
    .option('--host <name>', "one host's variables, as JSON")
    .action(async (o: InventoryOptions) => {
      const { inventoryCommand } = await import('./commands/inventory.js');
      setExit(await inventoryCommand(o, io));
    });

  vaultCommand(program, io, setExit);

  program
    .command('doc')
    .description("a module's arguments, defaults, choices, examples and check-mode behaviour, from its schema")
    .argument('[module]', 'the module (herdbook doc copy)')
    .option('--list', 'every module with a one-line description')
    .action(async (name: string | undefined, o: { list?: boolean }) => {
      const { docCommand } = await import('./commands/doc.js');
      setExit(await docCommand(name, o, io));
    });

  program
    .command('sandbox')
    .description('a local k3s cluster to rehearse on: real sshd nodes, a fake k3s, a Kubernetes API simulator')
    .argument('<action>', 'up, status or down')
    .option('--state-dir <dir>', 'where it lives (default: $HERDBOOK_SANDBOX_DIR or <tmp>/herdbook-sandbox)')
    .option('--servers <n>', 'server nodes (default 1)')
    .option('--agents <n>', 'agent nodes (default 2)')
    .option('--spare <n>', 'nodes without k3s, in group k3s_new (for join-node.yaml)')
    .option('--no-k3s', 'servers and agents without k3s too, and no workloads (for a playbook that installs k3s)')
    .option('--proxmox', 'k3s in Proxmox LXC containers behind a Proxmox node (the pct connection)')
    .option('--k3s-version <tag>', 'the k3s version to start at (default v1.31.4+k3s1)')
    .option('--fast', 'fast simulated time (for tests)')
    .option(
      '--kube-apiserver [dir]',
      'a real kube-apiserver v1.32.13 with etcd, controller manager and scheduler instead of the simulator; DIR holds the binaries or their archive (default: $HERDBOOK_KUBE_BIN_DIR, or ../shared/kube)',
    )
    .action(async (action: string, o: SandboxFlags) => {
      if (!['up', 'status', 'down'].includes(action))
        throw new UsageError(`sandbox: unknown action '${action}' (use up, status or down)`);
      const { sandboxCommand } = await import('./commands/sandbox.js');
      setExit(await sandboxCommand(action, o, io));
    });

  program
    .command('demo')
    .description(
      'bring the sandbox up at an old k3s, rehearse the upgrade with --check, run it, then check the cluster health',
    )
    .option('--state-dir <dir>', 'the sandbox directory (default: $HERDBOOK_SANDBOX_DIR or <tmp>/herdbook-sandbox)')
    .action(async (o: { stateDir?: string }) => {
      const { demoCommand } = await import('./commands/demo.js');
      setExit(await demoCommand(o, io));
    });

  return program;
}

export async function main(argv: string[], io: CommandIO = processIO()): Promise<number> {
  let code: number = EXIT.ok;
  const program = buildProgram(io, (c) => (code = c));
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (e) {
    return exitCodeFor(e, io);
  }
}

export function exitCodeFor(e: unknown, io: CommandIO): number {
  if (e instanceof CommanderError) {
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help')
      return EXIT.ok;
    return EXIT.usage;
  }
  if (e instanceof InputError) {
    io.err(formatDiagnostics(e.diagnostics, io.paint));
    const n = e.diagnostics.filter((d) => d.severity === 'error').length;
    io.err(`\n${n} error${n === 1 ? '' : 's'}; nothing was run.`);
    return EXIT.invalidInput;
  }
  if (e instanceof InterruptedError) return EXIT.interrupted;
  if (e instanceof UsageError) {
    io.err(`herdbook: ${e.message}`);
    return EXIT.usage;
  }
  if (e instanceof TemplateError) {
    const where = e.pos ? `${e.pos.file}:${e.pos.line}:${e.pos.col}: ` : '';
    io.err(`${where}error: ${e.message}${e.hint ? `\n  = ${e.hint}` : ''}`);
    return EXIT.invalidInput;
  }
  if (e instanceof HerdbookError) {
    io.err(`herdbook: ${e.message}`);
    return EXIT.internal;
  }
  io.err(
    `herdbook: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\nThis is a bug in herdbook; please report it with the command you ran.`,
  );
  return EXIT.internal;
}

const isMain = process.argv[1] && /herdbook(\.js)?$|cli\.js$/.test(process.argv[1]);
if (isMain) {
  // `herdbook run ... --output json | head`: a closed pipe ends output quietly.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  });
  // main turns every error into an exit code.
  process.exitCode = await main(process.argv.slice(2));
}
