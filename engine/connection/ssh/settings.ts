// ConnectionSettings (from the inventory) merged with the user's ~/.ssh/config: inventory values
// win, the config fills the gaps, OpenSSH's defaults fill the rest.
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SSHConfig from 'ssh-config';
import { UnreachableError } from '../../errors.js';
import type { ConnectionSettings } from '../types.js';
import { DEFAULT_CONNECT_TIMEOUT, type Hop, type HostKeyPolicy, type ResolvedSsh, type SshDeps } from './types.js';

type Computed = Record<string, string | string[]>;

const DEFAULT_KEYS = ['id_ed25519', 'id_ecdsa', 'id_rsa'];

function homeOf(env: NodeJS.ProcessEnv): string {
  return env.HOME ?? os.homedir();
}

export function expandHome(p: string, env: NodeJS.ProcessEnv): string {
  if (p === '~') return homeOf(env);
  if (p.startsWith('~/')) return path.join(homeOf(env), p.slice(2));
  return p;
}

/** `~/...` again, for messages. */
export function abbreviateHome(p: string, env: NodeJS.ProcessEnv): string {
  const home = homeOf(env);
  return p.startsWith(`${home}/`) ? `~/${p.slice(home.length + 1)}` : p;
}

function loadConfig(deps: SshDeps, env: NodeJS.ProcessEnv): SSHConfig | undefined {
  const file =
    deps.sshConfigPath === undefined
      ? (env.HERDBOOK_SSH_CONFIG ?? path.join(homeOf(env), '.ssh', 'config'))
      : deps.sshConfigPath;
  if (!file) return undefined;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  return SSHConfig.parse(text);
}

function one(c: Computed, key: string): string | undefined {
  const v = c[key];
  return Array.isArray(v) ? v[0] : v;
}

function many(c: Computed, key: string): string[] {
  const v = c[key];
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

function lookup(config: SSHConfig | undefined, name: string): Computed {
  // `Match exec` would run commands from the config file: never while resolving a host.
  return config ? config.compute(name, { ignoreCase: true, matchExec: false }) : {};
}

function policyFrom(value: string | undefined): HostKeyPolicy | undefined {
  if (value === undefined) return undefined;
  switch (value.toLowerCase()) {
    case 'yes':
    case 'ask':
      return 'strict';
    case 'accept-new':
      return 'accept-new';
    case 'no':
    case 'off':
      return 'off';
    default:
      return undefined;
  }
}

function parsePort(value: string | number | undefined, host: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535)
    throw new UnreachableError(host, 'config', `invalid ssh port ${JSON.stringify(value)} for ${host}`);
  return n;
}

/** `user@host:port`, `host:port`, `[v6]:port` or `ssh://user@host:port`. */
export function parseJumpSpec(spec: string, host: string): { user?: string; name: string; port?: number } {
  let s = spec.trim().replace(/^ssh:\/\//, '');
  let user: string | undefined;
  const at = s.lastIndexOf('@');
  if (at >= 0) {
    user = s.slice(0, at);
    s = s.slice(at + 1);
  }
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(s);
  if (v6) return { user, name: v6[1], port: parsePort(v6[2], host) };
  const colon = s.lastIndexOf(':');
  if (colon > 0 && s.indexOf(':') === colon)
    return { user, name: s.slice(0, colon), port: parsePort(s.slice(colon + 1), host) };
  if (!s) throw new UnreachableError(host, 'config', `invalid ProxyJump entry ${JSON.stringify(spec)} for ${host}`);
  return { user, name: s };
}

type HopInput = {
  name: string;
  user?: string;
  port?: number;
  address?: string;
  identityFiles?: string[];
  password?: string;
};

function resolveHop(
  input: HopInput,
  config: SSHConfig | undefined,
  env: NodeJS.ProcessEnv,
  passphrase: string | undefined,
): Hop {
  const c = lookup(config, input.name);
  const hostName = one(c, 'hostname')?.replace(/%h/g, input.name);
  // IdentityFile accumulates over matching blocks, as in OpenSSH; the same file once is enough.
  const configured = [...new Set(many(c, 'identityfile').map((f) => expandHome(f, env)))];
  const explicit = input.identityFiles && input.identityFiles.length > 0 ? input.identityFiles : configured;
  const identitiesOnly = one(c, 'identitiesonly')?.toLowerCase() === 'yes';
  return {
    name: input.name,
    address: input.address ?? hostName ?? input.name,
    port: input.port ?? parsePort(one(c, 'port'), input.name) ?? 22,
    user: input.user ?? one(c, 'user') ?? env.USER ?? os.userInfo().username,
    identityFiles: explicit.length > 0 ? explicit : DEFAULT_KEYS.map((k) => path.join(homeOf(env), '.ssh', k)),
    explicitIdentity: (input.identityFiles?.length ?? 0) > 0,
    passphrase,
    password: input.password,
    agent: identitiesOnly ? undefined : env.SSH_AUTH_SOCK || undefined,
  };
}

export function resolveSshSettings(settings: ConnectionSettings, deps: SshDeps = {}): ResolvedSsh {
  const env = deps.env ?? process.env;
  const host = settings.host;
  const config = loadConfig(deps, env);
  // OpenSSH matches its config against the name it is given: the address when the inventory has one.
  const name = settings.address ?? host;
  const c = lookup(config, name);
  const passphrase = settings.privateKeyPassphrase ?? env.HERDBOOK_SSH_PASSPHRASE;
  const keyFile = settings.privateKeyFile ? [expandHome(settings.privateKeyFile, env)] : undefined;
  const target = resolveHop(
    {
      name,
      user: settings.user,
      port: parsePort(settings.port, host),
      identityFiles: keyFile,
      password: settings.password,
    },
    config,
    env,
    passphrase,
  );
  target.name = host;
  const jumpSpec = settings.proxyJump ?? one(c, 'proxyjump');
  const jumps =
    !jumpSpec || jumpSpec.toLowerCase() === 'none'
      ? []
      : jumpSpec.split(',').map((spec) => {
          const j = parseJumpSpec(spec, host);
          // A bastion without its own IdentityFile uses the target's key, the usual single-key setup.
          return resolveHop({ name: j.name, user: j.user, port: j.port }, config, env, passphrase);
        });
  for (const j of jumps) {
    if (!lookup(config, j.name).identityfile && keyFile) {
      j.identityFiles = keyFile;
      j.explicitIdentity = true;
    }
  }
  const knownHostsFiles = settings.knownHostsFile
    ? [expandHome(settings.knownHostsFile, env)]
    : (one(c, 'userknownhostsfile')?.split(/\s+/) ?? ['~/.ssh/known_hosts']).map((f) => expandHome(f, env));
  const configTimeout = one(c, 'connecttimeout');
  return {
    host,
    target,
    jumps,
    hostKeyChecking: settings.hostKeyChecking ?? policyFrom(one(c, 'stricthostkeychecking')) ?? 'strict',
    knownHostsFiles,
    connectTimeout: settings.connectTimeout ?? (configTimeout ? Number(configTimeout) * 1000 : DEFAULT_CONNECT_TIMEOUT),
    keepaliveInterval: settings.keepaliveInterval,
    keepaliveCountMax: settings.keepaliveCountMax,
    becomePassword: settings.becomePassword,
  };
}
