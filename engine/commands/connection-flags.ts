// The connection settings the command line and ansible.cfg give (-u, --private-key, -c, -T,
// -b, --become-user, -k, -K, --ssh-common-args, ssh_args, host_key_checking): the weakest
// layer, under every keyword and variable, as in Ansible. Passwords are asked for here.
import { UsageError } from '../errors.js';
import type { ConnectionDefaults } from '../inventory/connection-vars.js';
import { parseSshArgs } from '../connection/ssh-args.js';
import type { AnsibleFlags } from './ansible-flags.js';

export type Ask = (question: string) => Promise<string>;

/** Flags that read from the terminal: refused up front when standard input is none. */
export function requireTerminal(flags: AnsibleFlags, stdinIsTTY: boolean): void {
  const asking = [
    flags.askPass && '-k/--ask-pass',
    flags.askBecomePass && '-K/--ask-become-pass',
    flags.step && '--step',
  ].filter(Boolean);
  if (!asking.length || stdinIsTTY) return;
  throw new UsageError(
    `${asking.join(', ')} ${asking.length === 1 ? 'asks' : 'ask'} on a terminal, and standard input is not one; ` +
      (flags.step
        ? 'run without --step (use --check to see what would change)'
        : 'give the password as ansible_password / ansible_become_password instead (in the inventory or a vars file passed with -e @file)'),
  );
}

export async function connectionDefaults(
  flags: AnsibleFlags,
  ask: Ask,
): Promise<{ defaults: ConnectionDefaults; notes: string[]; secrets: string[] }> {
  const notes: string[] = [];
  const defaults: ConnectionDefaults = {};
  // ansible.cfg's ssh_args, then --ssh-common-args, then the dedicated flags: the later wins.
  for (const [text, what] of [
    [flags.sshArgs, 'ansible.cfg ssh_args'],
    [flags.sshCommonArgs, '--ssh-common-args'],
  ] as const) {
    if (!text) continue;
    const parsed = parseSshArgs(text, what);
    Object.assign(defaults, parsed.settings);
    notes.push(...parsed.notes);
  }
  const set = (key: keyof ConnectionDefaults, value: unknown) => {
    if (value !== undefined) defaults[key] = value;
  };
  set('connection', flags.connection);
  set('user', flags.user);
  set('private_key_file', flags.privateKey);
  set('connect_timeout', flags.timeout);
  set('become', flags.become);
  set('become_user', flags.becomeUser);
  if (flags.hostKeyChecking !== undefined && defaults.host_key_checking === undefined)
    defaults.host_key_checking = flags.hostKeyChecking;
  const secrets: string[] = [];
  if (flags.askPass) {
    defaults.password = await ask('SSH password: ');
    secrets.push(defaults.password as string);
  }
  if (flags.askBecomePass) {
    // As Ansible: with -k too, an empty answer means "the same as the SSH password".
    const answer = await ask(flags.askPass ? 'BECOME password[defaults to SSH password]: ' : 'BECOME password: ');
    defaults.become_password = answer === '' && flags.askPass ? defaults.password : answer;
    secrets.push(defaults.become_password as string);
  }
  return { defaults, notes, secrets: secrets.filter(Boolean) };
}
