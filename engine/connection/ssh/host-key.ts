// Host key verification against known_hosts, per hop: strict (default), accept-new, off.
// The verdict is kept so a refused handshake becomes an UnreachableError that says what to do.
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { UnreachableError } from '../../errors.js';
import {
  fingerprint,
  hostToken,
  keyTypeOf,
  knownHostsLine,
  knownKeyTypes,
  readKnownHosts,
  verifyHostKey,
} from './known-hosts.js';
import type { Hop, HostKeyPolicy, SshEvent } from './types.js';

// ssh2's default host key algorithms (ed25519 first), reordered so known key types come first.
const DEFAULT_ALGOS = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'rsa-sha2-512',
  'rsa-sha2-256',
  'ssh-rsa',
];

function algosFor(keyType: string): string[] {
  return keyType === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [keyType];
}

export type HostKeyCheck = {
  /** For ssh2's `algorithms.serverHostKey`: known key types first, as OpenSSH orders them. */
  algorithms: string[];
  /** ssh2's `hostVerifier` (callback form). */
  verifier: (key: Buffer, verify: (ok: boolean) => void) => void;
  /** Why the last key was refused, if it was. */
  refusal(): UnreachableError | undefined;
};

export type HostKeyContext = {
  host: string;
  hop: Hop;
  policy: HostKeyPolicy;
  files: string[];
  onEvent?: (e: SshEvent) => void;
};

function where(ctx: HostKeyContext): string {
  const at = `${ctx.hop.address}:${ctx.hop.port}`;
  const via = ctx.hop.name === ctx.host ? '' : ` (bastion for ${ctx.host})`;
  return `${ctx.hop.name === ctx.hop.address ? at : `${ctx.hop.name} (${at})`}${via}`;
}

async function appendKey(file: string, line: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const current = await readFile(file, 'utf8').catch(() => '');
  const sep = current === '' || current.endsWith('\n') ? '' : '\n';
  await appendFile(file, `${sep}${line}\n`, { mode: 0o600 });
}

export async function prepareHostKeyCheck(ctx: HostKeyContext): Promise<HostKeyCheck> {
  const token = hostToken(ctx.hop.address, ctx.hop.port);
  const entries = ctx.policy === 'off' ? [] : await readKnownHosts(ctx.files);
  const known = knownKeyTypes(entries, token).flatMap(algosFor);
  const algorithms = [...new Set([...known.filter((a) => DEFAULT_ALGOS.includes(a)), ...DEFAULT_ALGOS])];
  let refused: UnreachableError | undefined;
  const refuse = (message: string): false => {
    refused = new UnreachableError(ctx.host, 'hostkey', message);
    return false;
  };
  const file = ctx.files[0];
  const check = async (key: Buffer): Promise<boolean> => {
    if (ctx.policy === 'off') return true;
    const fp = `${keyTypeOf(key)} ${fingerprint(key)}`;
    const verdict = verifyHostKey(entries, token, key);
    switch (verdict.kind) {
      case 'match':
        return true;
      case 'revoked':
        return refuse(
          `host key of ${where(ctx)} is revoked (${fp}, line ${verdict.entry.line} of ${verdict.entry.file})`,
        );
      case 'changed':
        return refuse(
          `host key of ${where(ctx)} has CHANGED: it now presents ${fp}, which does not match line ${verdict.entry.line} of ${verdict.entry.file}. ` +
            `This may be an attack, or the host was reinstalled. If you trust the new key, remove line ${verdict.entry.line} of ${verdict.entry.file} ` +
            `(ssh-keygen -R '${token}' -f ${verdict.entry.file}) and connect again.`,
        );
      case 'other-type':
        return refuse(
          `host key of ${where(ctx)} is ${fp}, but ${verdict.entries[0].file} only knows a ${verdict.entries[0].keyType} key for it (line ${verdict.entries[0].line}); ` +
            `refusing a key of another type. If the host changed keys, remove that line and connect again.`,
        );
      case 'unknown':
        if (ctx.policy === 'accept-new') {
          await appendKey(file, knownHostsLine(token, key));
          ctx.onEvent?.({ type: 'host-key-added', host: ctx.host, file, fingerprint: fingerprint(key) });
          return true;
        }
        return refuse(
          `host key of ${where(ctx)} is not known: ${fp} is not in ${ctx.files.join(', ')}. ` +
            `Check the fingerprint on the host (ssh-keygen -lf /etc/ssh/ssh_host_${keyTypeOf(key).replace(/^ssh-|-.*$/g, '')}_key.pub), then add it ` +
            `(ssh-keyscan -p ${ctx.hop.port} ${ctx.hop.address} >> ${file}) or set host key checking to accept-new for this host.`,
        );
    }
  };
  return {
    algorithms,
    verifier: (key, verify) => {
      check(key).then(verify, (e) => {
        refused = new UnreachableError(
          ctx.host,
          'hostkey',
          `cannot record the host key of ${where(ctx)} in ${file}: ${(e as Error).message}`,
          { cause: e },
        );
        verify(false);
      });
    },
    refusal: () => refused,
  };
}
