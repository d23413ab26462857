// Authentication attempts in OpenSSH's order (agent, key files, password), recording what was
// tried so a refusal can say so: "permission denied for root@10.0.0.5:22 (tried: agent, ...)".
import { readFile } from 'node:fs/promises';
// ssh2 is CommonJS: Node's ESM loader only offers its default export.
import ssh2, { type AnyAuthMethod, type AuthenticationType, type AuthHandlerMiddleware } from 'ssh2';
import { UnreachableError } from '../../errors.js';
import { abbreviateHome } from './settings.js';
import type { Hop } from './types.js';

type Attempt = { label: string; method: AuthenticationType; auth: AnyAuthMethod };

export type AuthPlan = {
  handler: AuthHandlerMiddleware;
  /** What was offered, and keys that could not be offered, for the failure message. */
  tried(): string[];
};

async function keyAttempt(
  host: string,
  hop: Hop,
  file: string,
  env: NodeJS.ProcessEnv,
): Promise<Attempt | string | undefined> {
  const label = `publickey ${abbreviateHome(file, env)}`;
  let data: Buffer;
  try {
    data = await readFile(file);
  } catch (e) {
    if (!hop.explicitIdentity && (e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new UnreachableError(
      host,
      'config',
      `cannot read private key ${file} for ${hop.user}@${hop.address}: ${(e as Error).message}`,
      { cause: e },
    );
  }
  const parsed = ssh2.utils.parseKey(data, hop.passphrase);
  if (parsed instanceof Error) {
    if (/no passphrase/i.test(parsed.message)) return `${label} (encrypted; no passphrase given)`;
    if (/passphrase|decrypt/i.test(parsed.message)) return `${label} (wrong passphrase)`;
    return `${label} (unreadable: ${parsed.message})`;
  }
  return {
    label,
    method: 'publickey',
    auth: { type: 'publickey', username: hop.user, key: data, passphrase: hop.passphrase },
  };
}

export async function planAuth(host: string, hop: Hop, env: NodeJS.ProcessEnv): Promise<AuthPlan> {
  const attempts: Attempt[] = [];
  const notes: string[] = [];
  if (hop.agent)
    attempts.push({
      label: 'agent',
      method: 'publickey',
      auth: { type: 'agent', username: hop.user, agent: hop.agent },
    });
  for (const file of hop.identityFiles) {
    const a = await keyAttempt(host, hop, file, env);
    if (typeof a === 'string') notes.push(a);
    else if (a) attempts.push(a);
  }
  if (hop.password !== undefined)
    attempts.push({
      label: 'password',
      method: 'password',
      auth: { type: 'password', username: hop.user, password: hop.password },
    });
  const tried: string[] = [];
  let i = 0;
  return {
    handler(methodsLeft, _partial, next) {
      while (i < attempts.length) {
        const a = attempts[i++];
        // The server lists what it still accepts; agent keys are publickey to the server.
        if (methodsLeft && !methodsLeft.includes(a.method)) continue;
        tried.push(a.label);
        next(a.auth);
        return;
      }
      // ssh2 ends authentication when handed `false` (its typings omit that case).
      next(false as unknown as AnyAuthMethod);
    },
    tried: () => [...tried, ...notes],
  };
}

export function authFailure(host: string, hop: Hop, tried: string[]): UnreachableError {
  const what = tried.length > 0 ? tried.join(', ') : 'nothing: no agent, no key file, no password';
  // sshd gives every refusal the same answer: a user whose login shell does not exist (or that
  // AllowUsers leaves out) looks like a wrong key from here; only the server's log tells them apart.
  return new UnreachableError(
    host,
    'auth',
    `permission denied for ${hop.user}@${hop.address}:${hop.port} (tried: ${what}); sshd refuses a wrong key the same way as a user whose login shell does not exist or that AllowUsers excludes: its log says which`,
  );
}
