// `herdbook vault encrypt | decrypt | view | encrypt_string | rekey`, with ansible-vault's flags.
// The work is in vault.ts, loaded only when a vault command runs.
import type { Command } from 'commander';
import type { CommandIO } from './io.js';
import type { VaultAction, VaultCommandFlags } from './vault.js';
import { vaultOptions } from './vault-options.js';

const collect = (v: string, prev: string[] = []) => [...prev, v];

export function vaultCommand(program: Command, io: CommandIO, setExit: (code: number) => void): void {
  const vault = program
    .command('vault')
    .description("encrypt and decrypt Ansible Vault files and strings (ansible-vault's commands and flags)");
  const action = (name: VaultAction, args: string, description: string) =>
    vaultOptions(vault.command(name).argument(args).description(description)).action(
      async (files: string[], o: VaultCommandFlags) => {
        const { vaultCommandRun } = await import('./vault.js');
        setExit(await vaultCommandRun(name, files, o, io));
      },
    );
  const output = ['--output <file>', 'write here instead of in place ("-": stdout)'] as const;
  const encryptId = ['--encrypt-vault-id <label>', 'the vault id to encrypt with, when several are given'] as const;
  action('encrypt', '[file...]', 'encrypt files in place (stdin when none or "-")')
    .option(...output)
    .option(...encryptId);
  action('decrypt', '[file...]', 'decrypt files in place (stdin when none or "-")').option(...output);
  action('view', '<file...>', 'print the decrypted content of vault files');
  action('encrypt_string', '[string...]', 'encrypt strings into `!vault |` YAML values (stdin when none or "-")')
    .option(...output)
    .option(...encryptId)
    .option('-n, --name <name>', 'the variable name for each string, in order (repeatable)', collect)
    .option('--stdin-name <name>', 'the variable name for the string read from stdin')
    .option('-p, --prompt', 'ask for the string on the terminal')
    .option('--show-input', 'with --prompt: echo what is typed');
  action('rekey', '<file...>', 'encrypt vault files again with a new password')
    .option(...encryptId)
    .option('--new-vault-password-file <file>', 'the new password: a file, or a script that prints it')
    .option('--new-vault-id <[label@]source>', 'the new password and its vault id');
}
