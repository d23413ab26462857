// ansible-vault's file and string commands. What they write, the real ansible-vault reads (and
// the other way round): test/engine/vault/ansible-vault.test.ts runs both.
import { readFileSync, renameSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import { InputError, UsageError } from '../errors.js';
import { decryptText, encryptSecret, encryptText, type VaultSecret } from '../vault/codec.js';
import { isVaultText } from '../vault/envelope.js';
import { loadSecrets } from '../vault/passwords.js';
import { promptHidden } from '../hidden-prompt.js';
import { splitVaultId, vaultSources, type VaultSource } from '../vault/sources.js';
import type { CommandIO } from './io.js';
import type { VaultFlags } from './vault-options.js';

export type VaultAction = 'encrypt' | 'decrypt' | 'view' | 'encrypt_string' | 'rekey';

export type VaultCommandFlags = VaultFlags & {
  output?: string;
  encryptVaultId?: string;
  name?: string[];
  stdinName?: string;
  prompt?: boolean;
  showInput?: boolean;
  newVaultPasswordFile?: string;
  newVaultId?: string;
};

/** Raw bytes to stdout: decrypted files are written exactly, without a newline added. */
export type RawOut = (data: Buffer | string) => void;

export async function vaultCommandRun(
  action: VaultAction,
  args: string[],
  flags: VaultCommandFlags,
  io: CommandIO,
  raw: RawOut = (d) => process.stdout.write(d),
): Promise<number> {
  if (flags.output && args.length > 1) throw new UsageError('--output takes one input file at a time');
  const writing = action === 'encrypt' || action === 'encrypt_string';
  const secrets = await passwords(vaultSources(flags), writing);
  const files = args.length ? args : ['-'];
  switch (action) {
    case 'encrypt': {
      const secret = encryptSecret(secrets, flags.encryptVaultId);
      for (const f of files) put(f, flags.output, encryptText(take(f, 'encrypt'), secret), raw);
      return done(io, 'Encryption successful');
    }
    case 'decrypt':
      for (const f of files) put(f, flags.output, open(f, secrets), raw);
      return done(io, 'Decryption successful');
    case 'view':
      for (const f of args) raw(open(f, secrets));
      return 0;
    case 'encrypt_string':
      return encryptStrings(args, flags, encryptSecret(secrets, flags.encryptVaultId), io, raw);
    case 'rekey': {
      const fresh = flags.newVaultId
        ? [splitVaultId(flags.newVaultId, '--new-vault-id')]
        : flags.newVaultPasswordFile
          ? [{ id: 'default', source: flags.newVaultPasswordFile, via: '--new-vault-password-file' }]
          : [{ id: 'default', source: 'prompt', via: '--new-vault-id' }];
      const secret = encryptSecret(await loadSecrets(fresh, { confirm: true }), flags.encryptVaultId);
      for (const f of args) {
        const mode = statSync(f).mode & 0o7777;
        put(f, undefined, encryptText(open(f, secrets), secret), raw, mode);
      }
      io.err('Rekey successful');
      return 0;
    }
  }
}

/** ansible-vault asks when no password source is named (a new one is typed twice). */
async function passwords(sources: VaultSource[], confirm: boolean): Promise<VaultSecret[]> {
  const all = sources.length ? sources : [{ id: 'default', source: 'prompt', via: '--ask-vault-pass' }];
  return loadSecrets(all, { confirm });
}

function done(io: CommandIO, message: string): number {
  if (io.isTTY) io.err(message);
  return 0;
}

function readInput(f: string): Buffer {
  try {
    return readFileSync(f === '-' ? 0 : f);
  } catch (e) {
    throw new UsageError(`cannot read ${f}: ${(e as Error).message}`);
  }
}

function take(f: string, action: string): Buffer {
  const data = readInput(f);
  if (isVaultText(data))
    throw new InputError([
      { severity: 'error', message: `${f} is already encrypted; nothing to ${action}`, pos: where(f) },
    ]);
  return data;
}

function where(f: string) {
  return f === '-' ? undefined : { file: path.resolve(f), line: 1, col: 1 };
}

function open(f: string, secrets: readonly VaultSecret[]): Buffer {
  const data = readInput(f);
  const name = f === '-' ? 'stdin' : f;
  if (!isVaultText(data))
    throw new InputError([{ severity: 'error', message: `${name} is not Ansible Vault data`, pos: where(f) }]);
  const r = decryptText(data.toString('latin1'), secrets);
  if (r.ok) return r.plaintext;
  const id = r.vaultId && r.vaultId !== 'default' ? ` (vault id '${r.vaultId}')` : '';
  throw new InputError([{ severity: 'error', message: `${name}${id}: ${r.reason}`, pos: where(f) }]);
}

/** In place, or to --output; a new file is private (0600) like ansible-vault writes it. */
function put(f: string, output: string | undefined, data: Buffer | string, raw: RawOut, mode = 0o600): void {
  const target = output ?? f;
  if (target === '-') return raw(data);
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.herdbook-${process.pid}`);
  writeFileSync(tmp, data, { mode, flag: 'wx' });
  chmodSync(tmp, mode);
  renameSync(tmp, target);
}

async function encryptStrings(
  args: string[],
  flags: VaultCommandFlags,
  secret: VaultSecret,
  io: CommandIO,
  raw: RawOut,
): Promise<number> {
  const plain = args.filter((a) => a !== '-');
  const fromStdin = args.includes('-') || !args.length || flags.stdinName !== undefined;
  if (flags.prompt && fromStdin && args.length)
    throw new UsageError('--prompt cannot be combined with reading from stdin');
  const items: { text: string; name?: string }[] = [];
  if (flags.prompt) {
    const text = flags.showInput
      ? await promptEchoed('String to encrypt: ')
      : await promptHidden('String to encrypt (hidden): ', noTty());
    if (!text) throw new UsageError('the string typed was empty; nothing to encrypt');
    items.push({ text, name: flags.name?.[0] });
  } else if (fromStdin) {
    const text = readInput('-').toString('utf8');
    if (!text) throw new UsageError('stdin was empty; nothing to encrypt');
    items.push({ text, name: flags.stdinName });
  }
  const names = flags.prompt ? [] : (flags.name ?? []);
  plain.forEach((text, i) => {
    if (!text) throw new UsageError('an empty string was given; nothing to encrypt');
    items.push({ text, name: names[i] });
  });
  if (names.length && plain.length > names.length)
    io.err(`${plain.length} strings but ${names.length} --name options: the last strings are written without a name`);
  const out = items.map(({ text, name }, i) => {
    if (items.length > 1) io.err(`# the encrypted version of string #${i + 1}${name ? ` (${name})` : ''}`);
    const lines = encryptText(text, secret).trimEnd().split('\n');
    return [`${name ? `${name}: ` : ''}!vault |`, ...lines.map((l) => `          ${l}`)].join('\n');
  });
  put('-', flags.output, out.join('\n') + '\n', raw);
  return done(io, 'Encryption successful');
}

async function promptEchoed(question: string): Promise<string> {
  if (!process.stdin.isTTY) throw new UsageError(noTty());
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return await rl.question(question);
  } finally {
    rl.close();
  }
}

function noTty(): string {
  return 'cannot ask for the string: there is no terminal; give it as an argument or on stdin';
}
