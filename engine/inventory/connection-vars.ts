// Connection settings from host variables: ours first, then the Ansible names users already
// have in their inventories (ansible_host, ansible_user, ...), which work unchanged.
import type { ConnectionSettings } from '../connection/types.js';
import { IMPLICIT_LOCALHOST } from './patterns.js';
import { asText } from '../text.js';

/** Our variable → the Ansible aliases it accepts, in order. */
export const CONNECTION_VARS = {
  connection: ['ansible_connection'],
  address: ['ansible_host', 'ansible_ssh_host'],
  port: ['ansible_port', 'ansible_ssh_port'],
  user: ['ansible_user', 'ansible_ssh_user'],
  password: ['ansible_password', 'ansible_ssh_pass'],
  private_key_file: ['ansible_ssh_private_key_file', 'ansible_private_key_file'],
  private_key_passphrase: ['ansible_ssh_private_key_passphrase'],
  become: ['ansible_become'],
  become_user: ['ansible_become_user'],
  become_password: ['ansible_become_password', 'ansible_become_pass'],
  host_key_checking: ['ansible_host_key_checking', 'ansible_ssh_host_key_checking'],
  known_hosts_file: ['ansible_ssh_known_hosts_file'],
  proxy_jump: ['ansible_ssh_proxy_jump'],
  connect_timeout: ['ansible_ssh_timeout', 'ansible_timeout'],
  // No ansible_* spelling: Ansible sets these only through ssh_args (-o ServerAliveInterval=N).
  keepalive_interval: [],
  keepalive_count_max: [],
  pct_host: ['proxmox_host'],
  pct_vmid: ['pct_id', 'proxmox_vmid', 'ansible_proxmox_vmid'],
  // Ours only: the persistent executor (one long-lived shell per host); false execs per command.
  herdbook_executor: [],
} as const;

export type ConnectionVar = keyof typeof CONNECTION_VARS;

/** Read a connection setting by our name or any alias. */
export function connectionVar(get: (name: string) => unknown, name: ConnectionVar): unknown {
  for (const n of [name, ...CONNECTION_VARS[name]]) {
    const v = get(n);
    if (v !== undefined && v !== null && v !== '') return v;
  }
  return undefined;
}

/** The settings the command line and ansible.cfg give: weaker than every variable and keyword. */
export type ConnectionDefaults = Partial<Record<ConnectionVar, unknown>>;

export const KIND_ALIASES: Record<string, ConnectionSettings['kind']> = {
  ssh: 'ssh',
  smart: 'ssh',
  paramiko: 'ssh',
  'ansible.builtin.ssh': 'ssh',
  local: 'local',
  'ansible.builtin.local': 'local',
  pct: 'pct',
  'community.proxmox.proxmox_pct_remote': 'pct',
  'community.general.proxmox_pct_remote': 'pct',
};

function bool(v: unknown): boolean | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'boolean') return v;
  return ['true', 'yes', 'on', '1'].includes(asText(v).toLowerCase());
}

/**
 * `keywords`: the play/block/task keywords (connection, remote_user, port), used where no
 * variable of any name sets the value: in Ansible the variables win over the keywords.
 * `defaults`: the command line's and ansible.cfg's (-u, --private-key, -c, -T, ...), weaker
 * still: Ansible's order is config < command line < keywords < variables.
 */
export function connectionSettings(
  host: string,
  get: (name: string) => unknown,
  keywords: Partial<Record<ConnectionVar, unknown>> = {},
  defaults: ConnectionDefaults = {},
): ConnectionSettings & { become?: boolean; becomeUser?: string } {
  const v = (n: ConnectionVar) => connectionVar(get, n) ?? keywords[n] ?? defaults[n];
  const kindText = v('connection');
  let kind: ConnectionSettings['kind'];
  if (kindText !== undefined) {
    kind = KIND_ALIASES[asText(kindText)];
    if (!kind) throw new Error(`host ${host}: unknown connection '${asText(kindText)}' (use ssh, local or pct)`);
  } else {
    kind = IMPLICIT_LOCALHOST.has(host) && v('address') === undefined ? 'local' : 'ssh';
  }
  if (kind === 'ssh' && v('pct_vmid') !== undefined && v('pct_host') !== undefined) kind = 'pct';
  const hkc = v('host_key_checking');
  const hostKeyChecking =
    hkc === undefined
      ? undefined
      : hkc === false || hkc === 'false' || hkc === 'off' || hkc === 'no'
        ? 'off'
        : hkc === 'accept-new'
          ? 'accept-new'
          : 'strict';
  const num = (n: ConnectionVar) => (v(n) === undefined ? undefined : Number(v(n)));
  const str = (n: ConnectionVar) => (v(n) === undefined ? undefined : String(v(n)));
  return {
    kind,
    host,
    address: str('address') ?? host,
    port: num('port'),
    user: str('user'),
    password: str('password'),
    privateKeyFile: str('private_key_file'),
    privateKeyPassphrase: str('private_key_passphrase'),
    becomePassword: str('become_password'),
    hostKeyChecking,
    knownHostsFile: str('known_hosts_file'),
    proxyJump: str('proxy_jump'),
    connectTimeout: num('connect_timeout') === undefined ? undefined : num('connect_timeout')! * 1000,
    keepaliveInterval: num('keepalive_interval') === undefined ? undefined : num('keepalive_interval')! * 1000,
    keepaliveCountMax: num('keepalive_count_max'),
    pctHost: str('pct_host'),
    pctVmid: num('pct_vmid'),
    executor: bool(v('herdbook_executor')),
    become: bool(v('become')),
    becomeUser: str('become_user'),
  };
}
