// ansible-playbook's command-line flags on `herdbook run`, and ansible.cfg's values put in the
// options object where the command line gave none (commander's 'config' source), so a flag
// always wins over the file and the file over the built-in defaults, as in Ansible.
// Loaded by the CLI up front: only commander, the config reader and small parsers.
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { KIND_ALIASES } from '../inventory/connection-vars.js';
import { parseSshArgs } from '../connection/ssh-args.js';
import { ansibleEnvOptions, findAnsibleCfg, readAnsibleCfg, type AnsibleCfgOptions } from '../config/ansible-cfg.js';
import type { CommandIO } from './io.js';

/** What these flags parse to (merged into RunFlags). */
export type AnsibleFlags = {
  user?: string;
  privateKey?: string;
  askPass?: boolean;
  askBecomePass?: boolean;
  become?: boolean;
  becomeUser?: string;
  becomeMethod?: 'sudo';
  connection?: string;
  timeout?: number;
  sshCommonArgs?: string;
  listTags?: boolean;
  syntaxCheck?: boolean;
  step?: boolean;
  flushCache?: boolean;
  /** From ansible.cfg only (no flag of their own). */
  hostKeyChecking?: boolean;
  sshArgs?: string;
  rolesPath?: string[];
  /** ansible.cfg's vault_password_file: weaker than ANSIBLE_VAULT_PASSWORD_FILE and the flags (engine/vault/sources.ts). */
  configVaultPasswordFile?: string;
};

/** A flag's value that must be a whole number of at least 1 (--forks, --timeout). */
export function positive(flag: string) {
  return (v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} needs a whole number of at least 1, got '${v}'`);
    return n;
  };
}

export function addAnsibleFlags(cmd: Command): Command {
  return cmd
    .option(
      '-u, --user <name>',
      "connect as this user (ansible_user and a play's remote_user win over it, as in Ansible)",
    )
    .option('--private-key <file>', 'SSH private key (ansible_ssh_private_key_file wins over it)')
    .option('-k, --ask-pass', 'ask for the SSH password (on a terminal, not echoed)')
    .option('-K, --ask-become-pass', 'ask for the sudo password (on a terminal, not echoed)')
    .option('-b, --become', "run tasks with sudo (a play's or task's become: and ansible_become win over it)")
    .option('--become-user <user>', 'become this user (default root)')
    .option('--become-method <method>', 'only sudo', (v: string) => {
      if (v !== 'sudo')
        throw new UsageError(
          `--become-method ${v}: herdbook becomes another user with sudo only; drop the flag or use --become-method sudo`,
        );
      return v;
    })
    .option('-c, --connection <kind>', 'ssh (also smart, paramiko), local or pct', (v: string) => {
      if (!KIND_ALIASES[v]) throw new UsageError(`--connection ${v}: unknown connection (use ssh, local or pct)`);
      return v;
    })
    .option('-T, --timeout <seconds>', 'SSH connection timeout (default 10)', positive('--timeout'))
    .option(
      '--ssh-common-args <args>',
      'OpenSSH options herdbook applies: -o StrictHostKeyChecking, ...',
      (v: string) => {
        try {
          parseSshArgs(v, '--ssh-common-args');
        } catch (e) {
          throw new UsageError(e instanceof Error ? e.message : String(e));
        }
        return v;
      },
    )
    .option('--list-tags', 'list every tag of the plays and tasks, then exit (nothing runs)')
    .option('--syntax-check', 'check the playbooks and inventory (as `herdbook validate`), then exit')
    .option('--step', 'confirm each task before it runs (y/n/c), on a terminal')
    .option('--flush-cache', 'accepted for ansible-playbook compatibility; herdbook keeps no fact cache');
}

/** Options that no flag declares, set from ansible.cfg on the commands that read playbooks. */
const WITHOUT_FLAG: Record<string, (cmd: Command) => boolean> = {
  rolesPath: (cmd) => has(cmd, 'extraVars'),
  configVaultPasswordFile: (cmd) => has(cmd, 'extraVars'),
  hostKeyChecking: (cmd) => has(cmd, 'user'),
  sshArgs: (cmd) => has(cmd, 'user'),
};

function has(cmd: Command, attribute: string): boolean {
  return cmd.options.some((o) => o.attributeName() === attribute);
}

/**
 * Before a command that reads an inventory runs: the ANSIBLE_* variables' values, then
 * ansible.cfg's, where the command line gave none (Ansible: command line > environment >
 * ansible.cfg > defaults). Notes (a skipped world-writable ./ansible.cfg) are always shown;
 * which file was read, its ignored keys and the variables used with -v.
 */
export function applyAnsibleCfg(cmd: Command, io: CommandIO): void {
  if (!has(cmd, 'inventory')) return;
  const verbose = Number(cmd.getOptionValue('verbose') ?? 0);
  const applies = (key: keyof AnsibleCfgOptions) => has(cmd, key) || WITHOUT_FLAG[key]?.(cmd);
  const fromEnv = ansibleEnvOptions();
  const used: string[] = [];
  for (const [key, value] of Object.entries(fromEnv.options) as [keyof AnsibleCfgOptions, unknown][]) {
    if (!applies(key) || cmd.getOptionValueSource(key) === 'cli') continue;
    if (key === 'sshArgs') checkSshArgs(value as string, fromEnv.from[key]!);
    cmd.setOptionValueWithSource(key, value, 'env');
    used.push(fromEnv.from[key]!);
  }
  if (verbose >= 1 && used.length) io.err(`from the environment: ${[...new Set(used)].join(', ')}`);
  const found = findAnsibleCfg();
  for (const n of found.notes) io.err(`[WARNING]: ${n}`);
  if (!found.file) return;
  const cfg = readAnsibleCfg(found.file);
  for (const [key, value] of Object.entries(cfg.options) as [keyof AnsibleCfgOptions, unknown][]) {
    if (!applies(key)) continue;
    const source = cmd.getOptionValueSource(key);
    if (source === 'cli' || source === 'env') continue;
    if (key === 'sshArgs') checkSshArgs(value as string, `${cfg.file}: [ssh_connection] ssh_args`);
    cmd.setOptionValueWithSource(key, value, 'config');
  }
  if (verbose >= 1) {
    io.err(`using ${cfg.file}`);
    if (cfg.ignored.length) io.err(`${cfg.file}: ignored (herdbook does not use them): ${cfg.ignored.join(', ')}`);
  }
}

function checkSshArgs(value: string, where: string): void {
  try {
    parseSshArgs(value, where);
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
}
