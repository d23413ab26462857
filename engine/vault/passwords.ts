// Each vault source read into a password as Ansible reads it: a file's content stripped of
// surrounding whitespace; an executable file run and its stdout stripped of line breaks (a
// `*-client` script gets `--vault-id LABEL`); 'prompt' asks on the terminal without echo.
import { spawn } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';
import type { VaultSecret } from './codec.js';
import { promptHidden, type PromptStreams } from '../hidden-prompt.js';
import type { VaultSource } from './sources.js';

const NO_TTY =
  'cannot ask for the vault password: there is no terminal; give it with --vault-password-file FILE or --vault-id LABEL@FILE (or ANSIBLE_VAULT_PASSWORD_FILE)';

/** `confirm`: a new password (encrypt, rekey) is typed twice, as ansible-vault asks. */
export async function loadSecrets(
  sources: readonly VaultSource[],
  o: { streams?: PromptStreams; confirm?: boolean } = {},
): Promise<VaultSecret[]> {
  const out: VaultSecret[] = [];
  for (const s of sources) out.push(await loadSecret(s, o.streams, o.confirm));
  return out;
}

async function loadSecret(s: VaultSource, streams?: PromptStreams, confirm = false): Promise<VaultSecret> {
  const spec = s.via === '--vault-id' || s.via === 'ANSIBLE_VAULT_IDENTITY_LIST' ? `${s.id}@${s.source}` : s.source;
  const label = s.source === 'prompt' || s.source === 'prompt_ask_vault_pass' ? 'prompt' : `${s.via} ${spec}`;
  const done = (password: Buffer): VaultSecret => {
    if (!password.length) throw new UsageError(`${label}: the vault password is empty`);
    return { id: s.id, password, source: label };
  };
  if (s.source === 'prompt' || s.source === 'prompt_ask_vault_pass') {
    const what = confirm ? 'New vault password' : 'Vault password';
    const q = s.id === 'default' ? `${what}: ` : `${what} (${s.id}): `;
    const typed = (await promptHidden(q, NO_TTY, streams)).trim();
    if (
      confirm &&
      (await promptHidden(`Confirm ${q.charAt(0).toLowerCase()}${q.slice(1)}`, NO_TTY, streams)).trim() !== typed
    )
      throw new UsageError('the two passwords typed differ');
    return done(Buffer.from(typed, 'utf8'));
  }
  const file = path.resolve(s.source);
  let mode: number;
  try {
    const st = statSync(file);
    if (!st.isFile()) throw new UsageError(`${label}: not a file`);
    mode = st.mode;
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`${label}: the vault password file was not found`);
  }
  // Any execute bit makes it a script, as Ansible's loader.is_executable decides.
  if (mode & 0o111) return done(stripLineBreaks(await runScript(file, s, label)));
  return done(stripLineBreaks(stripSpace(readFileSync(file))));
}

const SPACE = new Set([0x20, 0x09, 0x0a, 0x0d, 0x0b, 0x0c]);
function stripSpace(b: Buffer): Buffer {
  let i = 0;
  let j = b.length;
  while (i < j && SPACE.has(b[i])) i++;
  while (j > i && SPACE.has(b[j - 1])) j--;
  return b.subarray(i, j);
}

function stripLineBreaks(b: Buffer): Buffer {
  let i = 0;
  let j = b.length;
  while (i < j && (b[i] === 0x0a || b[i] === 0x0d)) i++;
  while (j > i && (b[j - 1] === 0x0a || b[j - 1] === 0x0d)) j--;
  return b.subarray(i, j);
}

/** `name-client` or `name-client.ext`: a script that serves several vault ids. */
export function isClientScript(file: string): boolean {
  return path.basename(file, path.extname(file)).endsWith('-client');
}

function runScript(file: string, s: VaultSource, label: string): Promise<Buffer> {
  const client = isClientScript(file);
  const argv = client ? ['--vault-id', s.id] : [];
  return new Promise((resolve, reject) => {
    // A plain script keeps the terminal's stderr (it may prompt there); a client's is reported.
    const child = spawn(file, argv, { stdio: ['inherit', 'pipe', client ? 'pipe' : 'inherit'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on('data', (d: Buffer) => out.push(d));
    child.stderr?.on('data', (d: Buffer) => err.push(d));
    child.on('error', (e) =>
      reject(
        new UsageError(
          `${label}: cannot run the vault password script (${e.message}); if it is not a script, remove its execute bit`,
        ),
      ),
    );
    child.on('close', (code) => {
      const stderr = Buffer.concat(err).toString('utf8').trim();
      if (code === 0) return resolve(Buffer.concat(out));
      const why = client && code === 2 ? `it does not know vault id '${s.id}'` : `it exited with ${code ?? 'a signal'}`;
      reject(new UsageError(`${label}: the vault password script failed: ${why}${stderr ? `: ${stderr}` : ''}`));
    });
  });
}
