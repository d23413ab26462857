// ansible.cfg as Ansible finds and reads it: the first of $ANSIBLE_CONFIG (a file, or a directory
// holding ansible.cfg), ./ansible.cfg (ignored when the working directory is world-writable, as
// Ansible does, since anyone could have put it there), ~/.ansible.cfg, /etc/ansible/ansible.cfg.
// The keys herdbook honours become command-line option values (the options object's names),
// so a flag given on the command line always wins; every other key is listed as ignored. The
// ANSIBLE_* environment variables of the same keys sit between the two, as in Ansible.
import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { InputError, UsageError, type Diagnostic } from '../errors.js';
import { parseConfig, type ConfigEntry } from './configparser.js';

/** What ansible.cfg sets, named as the command-line options they stand in for. */
export type AnsibleCfgOptions = {
  inventory?: string[];
  user?: string;
  privateKey?: string;
  forks?: number;
  timeout?: number;
  configVaultPasswordFile?: string;
  become?: boolean;
  becomeUser?: string;
  /** No flag of their own: [defaults] host_key_checking, roles_path, [ssh_connection] ssh_args. */
  hostKeyChecking?: boolean;
  rolesPath?: string[];
  sshArgs?: string;
};

export type AnsibleCfg = {
  file: string;
  options: AnsibleCfgOptions;
  /** Keys in the file herdbook does not use, as `[section] key`, in file order. */
  ignored: string[];
};

export type CfgEnv = { env: NodeJS.ProcessEnv; cwd: string; home: string };

export function defaultCfgEnv(): CfgEnv {
  return { env: process.env, cwd: process.cwd(), home: process.env.HOME ?? os.homedir() };
}

function readable(p: string): boolean {
  try {
    accessSync(p, constants.R_OK);
    return !statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** The file Ansible would read, and a note when a world-writable directory's ansible.cfg was skipped. */
export function findAnsibleCfg(where: CfgEnv = defaultCfgEnv()): { file?: string; notes: string[] } {
  const notes: string[] = [];
  const candidates: string[] = [];
  let fromEnv: string | undefined;
  if (where.env.ANSIBLE_CONFIG !== undefined) {
    fromEnv = path.resolve(where.cwd, expandHome(where.env.ANSIBLE_CONFIG, where.home));
    if (existsSync(fromEnv) && statSync(fromEnv).isDirectory()) fromEnv = path.join(fromEnv, 'ansible.cfg');
    candidates.push(fromEnv);
    if (where.env.ANSIBLE_CONFIG && !readable(fromEnv))
      notes.push(`ANSIBLE_CONFIG=${where.env.ANSIBLE_CONFIG}: no readable file there; skipped`);
  }
  const cwdCfg = path.join(where.cwd, 'ansible.cfg');
  let worldWritable = false;
  try {
    worldWritable = (statSync(where.cwd).mode & 0o002) !== 0;
  } catch {
    // A working directory that cannot be read has no ansible.cfg of its own to offer.
  }
  if (!worldWritable) candidates.push(cwdCfg);
  candidates.push(path.join(where.home, '.ansible.cfg'), '/etc/ansible/ansible.cfg');
  const file = candidates.find(readable);
  if (worldWritable && existsSync(cwdCfg) && file !== cwdCfg)
    notes.push(
      `${cwdCfg} ignored: ${where.cwd} is world-writable, so anyone could have written it (as Ansible does); set ANSIBLE_CONFIG=${cwdCfg} to use it`,
    );
  return { file, notes };
}

function expandHome(p: string, home: string): string {
  return p === '~' ? home : p.startsWith('~/') ? path.join(home, p.slice(2)) : p;
}

// Ansible's boolean(): these spellings, any case; anything else is an error.
const TRUE = new Set(['y', 'yes', 'on', '1', 'true', 't']);
const FALSE = new Set(['n', 'no', 'off', '0', 'false', 'f']);

type Mapper = (e: ConfigEntry, base: string, home: string) => Partial<AnsibleCfgOptions> | string;

const pathOf = (v: string, base: string, home: string) => path.resolve(base, expandHome(v, home));

function bool(e: ConfigEntry, set: (b: boolean) => Partial<AnsibleCfgOptions>): Partial<AnsibleCfgOptions> | string {
  const v = e.value.toLowerCase();
  if (TRUE.has(v)) return set(true);
  if (FALSE.has(v)) return set(false);
  return `${e.key} = ${e.value}: not a boolean (use True or False)`;
}

function int(e: ConfigEntry, set: (n: number) => Partial<AnsibleCfgOptions>): Partial<AnsibleCfgOptions> | string {
  const n = Number(e.value);
  return Number.isInteger(n) && n >= 1 ? set(n) : `${e.key} = ${e.value}: needs a whole number of at least 1`;
}

/** `section` → `key` → how it maps. Paths are relative to the file's directory, as in Ansible. */
const MAPPED: Record<string, Record<string, Mapper>> = {
  defaults: {
    // Ansible's pathlist: comma-separated.
    inventory: (e, b, h) => ({
      inventory: e.value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
        .map((s) => pathOf(s, b, h)),
    }),
    remote_user: (e) => ({ user: e.value }),
    private_key_file: (e, b, h) => ({ privateKey: pathOf(e.value, b, h) }),
    host_key_checking: (e) => bool(e, (v) => ({ hostKeyChecking: v })),
    forks: (e) => int(e, (v) => ({ forks: v })),
    timeout: (e) => int(e, (v) => ({ timeout: v })),
    vault_password_file: (e, b, h) => ({ configVaultPasswordFile: pathOf(e.value, b, h) }),
    // Ansible's pathspec: colon-separated.
    roles_path: (e, b, h) => ({
      rolesPath: e.value
        .split(':')
        .filter(Boolean)
        .map((s) => pathOf(s, b, h)),
    }),
  },
  privilege_escalation: {
    become: (e) => bool(e, (v) => ({ become: v })),
    become_user: (e) => ({ becomeUser: e.value }),
  },
  ssh_connection: { ssh_args: (e) => ({ sshArgs: e.value }) },
};

/** Read and map one ansible.cfg; a file Python's configparser would refuse is an InputError (exit 4). */
export function readAnsibleCfg(file: string, home: string = defaultCfgEnv().home): AnsibleCfg {
  const parsed = parseConfig(readFileSync(file, 'utf8'), file);
  const diagnostics: Diagnostic[] = [...parsed.diagnostics];
  const options: AnsibleCfgOptions = {};
  const ignored: string[] = [];
  const base = path.dirname(file);
  for (const e of parsed.entries) {
    const map = MAPPED[e.section]?.[e.key];
    if (!map) {
      const mappedDefault = e.section === 'DEFAULT' && Object.values(MAPPED).some((keys) => keys[e.key]);
      if (!mappedDefault) ignored.push(`[${e.section}] ${e.key}`);
      continue;
    }
    const r = map(e, base, home);
    if (typeof r === 'string')
      diagnostics.push({
        severity: 'error',
        message: r,
        pos: e.pos,
        hint: 'fix it in ansible.cfg, or set ANSIBLE_CONFIG',
      });
    else Object.assign(options, r);
  }
  // Python's configparser shows [DEFAULT]'s keys in every section: a mapped key there counts too.
  for (const e of parsed.entries.filter((x) => x.section === 'DEFAULT')) {
    for (const [section, keys] of Object.entries(MAPPED)) {
      const map = keys[e.key];
      if (!map || parsed.entries.some((x) => x.section === section && x.key === e.key)) continue;
      const r = map(e, base, home);
      if (typeof r !== 'string') for (const [k, v] of Object.entries(r)) (options as Record<string, unknown>)[k] ??= v;
    }
  }
  if (diagnostics.some((d) => d.severity === 'error')) throw new InputError(diagnostics);
  return { file, options, ignored };
}

/** The environment variables Ansible reads for the keys above (its config/base.yml), as `[section, key]`. */
export const ENV_KEYS: Record<string, [string, string]> = {
  ANSIBLE_INVENTORY: ['defaults', 'inventory'],
  ANSIBLE_REMOTE_USER: ['defaults', 'remote_user'],
  ANSIBLE_PRIVATE_KEY_FILE: ['defaults', 'private_key_file'],
  ANSIBLE_HOST_KEY_CHECKING: ['defaults', 'host_key_checking'],
  ANSIBLE_FORKS: ['defaults', 'forks'],
  ANSIBLE_TIMEOUT: ['defaults', 'timeout'],
  ANSIBLE_BECOME: ['privilege_escalation', 'become'],
  ANSIBLE_BECOME_USER: ['privilege_escalation', 'become_user'],
  ANSIBLE_SSH_ARGS: ['ssh_connection', 'ssh_args'],
  // ANSIBLE_VAULT_PASSWORD_FILE is a vault password source of its own (engine/vault/sources.ts);
  // ANSIBLE_ROLES_PATH is read where roles are found, beside HERDBOOK_ROLES_PATH (load-input.ts).
};

/**
 * What the ANSIBLE_* variables set, with the variable behind each option. Paths are relative to
 * the working directory (Ansible resolves a value from the environment there, not beside a file);
 * an empty variable counts as unset. A bad value is an error naming the variable.
 */
export function ansibleEnvOptions(where: CfgEnv = defaultCfgEnv()): {
  options: AnsibleCfgOptions;
  from: Partial<Record<keyof AnsibleCfgOptions, string>>;
} {
  const options: AnsibleCfgOptions = {};
  const from: Partial<Record<keyof AnsibleCfgOptions, string>> = {};
  const problems: string[] = [];
  for (const [name, [section, key]] of Object.entries(ENV_KEYS)) {
    const value = where.env[name];
    if (!value) continue;
    const r = MAPPED[section][key](
      { section, key, value, pos: { file: name, line: 1, col: 1 } },
      where.cwd,
      where.home,
    );
    if (typeof r === 'string') {
      problems.push(`${name}=${value}: ${r.slice(r.indexOf(': ') + 2)}`);
      continue;
    }
    Object.assign(options, r);
    for (const k of Object.keys(r) as (keyof AnsibleCfgOptions)[]) from[k] = name;
  }
  if (problems.length) throw new UsageError(`${problems.join('; ')}; fix or unset the variable`);
  return { options, from };
}
