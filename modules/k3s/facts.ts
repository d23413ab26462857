// k3s facts in one round trip: the installed version, the role and flags of the installed
// unit, its .env, whether it runs, the datastore, config.yaml. A probe script plus a pure
// parser tested on captured output.
import type { ModuleContext } from '../../engine/module.js';
import { splitWords } from '../../engine/shell-words.js';
import { parseVersion } from '../../engine/versions.js';

export const K3S_PROBE = [
  'b=$(command -v k3s 2>/dev/null || echo /usr/local/bin/k3s)',
  'echo "=== version"; "$b" --version 2>/dev/null',
  'for s in k3s k3s-agent; do',
  '  echo "=== unit $s"; cat /etc/systemd/system/$s.service 2>/dev/null',
  '  echo "=== env $s"; cat /etc/systemd/system/$s.service.env 2>/dev/null',
  '  echo "=== active $s"; systemctl is-active $s 2>/dev/null',
  'done',
  'echo "=== config"; cat /etc/rancher/k3s/config.yaml 2>/dev/null',
  'echo "=== datastore"; [ -d /var/lib/rancher/k3s/server/db/etcd ] && echo etcd; [ -f /var/lib/rancher/k3s/server/db/state.db ] && echo sqlite',
  // The etcd member name k3s gave this server (setName in pkg/etcd/etcd.go): <node name>-<8 hex>.
  'echo "=== etcd member"; cat /var/lib/rancher/k3s/server/db/etcd/name 2>/dev/null; echo',
  'echo "=== end"',
].join('\n');

export type K3sFacts = {
  installed: boolean;
  version?: string;
  role?: 'server' | 'agent';
  service?: 'k3s' | 'k3s-agent';
  active: boolean;
  /** The unit's ExecStart arguments after the role word (flags), exactly as installed. */
  args: string[];
  /** The unit's .env (K3S_URL, K3S_TOKEN, ...). */
  env: Record<string, string>;
  config_yaml: boolean;
  /** external: --datastore-endpoint (flag, env or config.yaml), a database the servers share. */
  datastore: 'etcd' | 'sqlite' | 'external' | 'none';
  /** The server's etcd member name (server/db/etcd/name), when it has one. */
  etcd_member?: string;
};

function sections(text: string): Map<string, string> {
  const out = new Map<string, string>();
  let current = '';
  for (const line of text.split('\n')) {
    const m = /^=== (.+)$/.exec(line);
    if (m) {
      current = m[1];
      out.set(current, '');
    } else if (current) out.set(current, `${out.get(current)}${line}\n`);
  }
  return out;
}

/** ExecStart of a unit (continuation lines joined), as words: [binary, role, ...flags]. */
export function execStartWords(unit: string): string[] {
  const joined = unit.replace(/\\\r?\n/g, ' ');
  const line = joined.split('\n').find((l) => /^\s*ExecStart=/.test(l));
  return line ? splitWords(line.replace(/^\s*ExecStart=/, '').trim()) : [];
}

export function parseEnvFile(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    env[line.slice(0, eq)] = line.slice(eq + 1).replace(/^(['"])(.*)\1$/, '$2');
  }
  return env;
}

export function parseK3sProbe(text: string): K3sFacts {
  const s = sections(text);
  const version = /^k3s version (\S+)/m.exec(s.get('version') ?? '')?.[1];
  let role: K3sFacts['role'];
  let service: K3sFacts['service'];
  let args: string[] = [];
  let env: Record<string, string> = {};
  let active = false;
  for (const svc of ['k3s', 'k3s-agent'] as const) {
    const unit = s.get(`unit ${svc}`) ?? '';
    if (!unit.trim()) continue;
    const words = execStartWords(unit);
    const r = words[1] === 'agent' ? 'agent' : words[1] === 'server' ? 'server' : svc === 'k3s' ? 'server' : 'agent';
    // A node with both units (the agent-turned-server accident) reports the one that runs.
    const isActive = (s.get(`active ${svc}`) ?? '').trim() === 'active';
    if (!role || isActive) {
      role = r;
      service = svc;
      args = words.slice(words[1] === 'server' || words[1] === 'agent' ? 2 : 1);
      env = parseEnvFile(s.get(`env ${svc}`) ?? '');
      active = isActive;
    }
  }
  const ds = (s.get('datastore') ?? '').trim();
  const member = (s.get('etcd member') ?? '').trim();
  const external =
    args.some((a) => a === '--datastore-endpoint' || a.startsWith('--datastore-endpoint=')) ||
    Boolean(env.K3S_DATASTORE_ENDPOINT) ||
    /^datastore-endpoint:\s*\S/m.test(s.get('config') ?? '');
  return {
    installed: Boolean(version && parseVersion(version)),
    ...(version ? { version } : {}),
    ...(role ? { role, service } : {}),
    active,
    args,
    env,
    config_yaml: Boolean((s.get('config') ?? '').trim()),
    datastore: external ? 'external' : ds.includes('etcd') ? 'etcd' : ds.includes('sqlite') ? 'sqlite' : 'none',
    ...(member ? { etcd_member: member } : {}),
  };
}

export async function probeK3s(ctx: ModuleContext): Promise<K3sFacts> {
  const r = await ctx.exec(K3S_PROBE, { become: true, idempotent: true });
  const facts = parseK3sProbe(r.stdout);
  for (const v of k3sSecrets(facts.env, facts.args)) ctx.secret(v);
  return facts;
}

// K3S_DATASTORE_ENDPOINT is a DSN with the database password (postgres://user:pass@host/db).
const SECRET_ENV = /TOKEN|PASSWORD|SECRET|KEY|DATASTORE_ENDPOINT|VPN_AUTH/i;
/** k3s flags whose value is a credential: the join tokens, a datastore DSN, S3 keys, VPN auth. */
const SECRET_FLAGS = new Set([
  '--token',
  '-t',
  '--agent-token',
  '--datastore-endpoint',
  '--etcd-s3-access-key',
  '--etcd-s3-secret-key',
  '--vpn-auth',
]);
const MASK = '********';

/** `--token X` / `--token=X`: for each secret flag, the word holding the value, what precedes the value in it, the value. */
function secretFlagWords(args: readonly string[]): { at: number; prefix: string; value: string }[] {
  const out: { at: number; prefix: string; value: string }[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const eq = a.indexOf('=');
    if (a.startsWith('-') && eq > 0 && SECRET_FLAGS.has(a.slice(0, eq)))
      out.push({ at: i, prefix: a.slice(0, eq + 1), value: a.slice(eq + 1) });
    else if (SECRET_FLAGS.has(a) && i + 1 < args.length) out.push({ at: ++i, prefix: '', value: args[i] });
  }
  return out;
}

/** A credential and, for a DSN, the password inside it (masked also where the DSN is reformatted). */
function credentialParts(value: string): string[] {
  const pw = /^[a-z][a-z0-9+.-]*:\/\/[^:/@]*:(.+)@[^@]*$/i.exec(value)?.[1];
  return pw ? [value, pw] : [value];
}

/** Every secret value in a unit's env and flags, to register with ctx.secret. */
export function k3sSecrets(env: Record<string, string>, args: readonly string[]): string[] {
  const values = [
    ...Object.entries(env)
      .filter(([k, v]) => SECRET_ENV.test(k) && v)
      .map(([, v]) => v),
    ...secretFlagWords(args)
      .map((w) => w.value)
      .filter(Boolean),
  ];
  return values.flatMap(credentialParts);
}

/** The env as it may be shown: tokens and datastore DSNs masked. */
export function maskEnv(env: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, SECRET_ENV.test(k) && v ? MASK : v]));
}

/** Flags as they may be shown: the value of --token, --datastore-endpoint, ... masked. */
export function maskArgs(args: readonly string[]): string[] {
  const out = [...args];
  for (const w of secretFlagWords(args)) out[w.at] = `${w.prefix}${MASK}`;
  return out;
}
