// OpenSSH command-line options (ansible-playbook's --ssh-common-args, ansible.cfg's ssh_args)
// turned into the connection settings herdbook's SSH client (ssh2) has. Options that only shape
// OpenSSH's own process (connection sharing, compression, logging) are dropped with a note;
// any other is refused: silently not applying an option such as ForwardAgent or
// PubkeyAcceptedAlgorithms would connect differently from what the user asked for.
import type { ConnectionDefaults } from '../inventory/connection-vars.js';
import { splitWords } from '../shell-words.js';

export type SshArgs = { settings: ConnectionDefaults; notes: string[] };

/** `-o Name` (lower-case) → the connection variable it sets. */
const OPTIONS: Record<string, keyof ConnectionDefaults> = {
  stricthostkeychecking: 'host_key_checking',
  userknownhostsfile: 'known_hosts_file',
  identityfile: 'private_key_file',
  port: 'port',
  user: 'user',
  proxyjump: 'proxy_jump',
  connecttimeout: 'connect_timeout',
  serveraliveinterval: 'keepalive_interval',
  serveralivecountmax: 'keepalive_count_max',
};

const FLAGS: Record<string, keyof ConnectionDefaults> = {
  '-i': 'private_key_file',
  '-p': 'port',
  '-l': 'user',
  '-J': 'proxy_jump',
};

/** Shape OpenSSH's process only: herdbook holds one connection per host for the whole run anyway. */
const HARMLESS_OPTIONS = new Set(['controlmaster', 'controlpersist', 'controlpath', 'compression', 'loglevel']);
const HARMLESS_FLAGS = new Set(['-C', '-q', '-v', '-vv', '-vvv', '-T', '-tt', '-t', '-n', '-x']);

export const SUPPORTED_SSH_ARGS =
  '-o StrictHostKeyChecking, UserKnownHostsFile, IdentityFile, Port, User, ProxyJump, ConnectTimeout, ServerAliveInterval, ServerAliveCountMax; -i, -p, -l, -J';

const NUMERIC = new Set<keyof ConnectionDefaults>([
  'port',
  'connect_timeout',
  'keepalive_interval',
  'keepalive_count_max',
]);

/** Parse one option string; `what` names its origin in messages. Throws an Error with the message to show. */
export function parseSshArgs(text: string, what: string): SshArgs {
  let words: string[];
  try {
    words = splitWords(text);
  } catch (e) {
    throw new Error(`${what}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  const settings: ConnectionDefaults = {};
  const notes: string[] = [];
  const set = (key: keyof ConnectionDefaults, value: string, shown: string) => {
    if (NUMERIC.has(key) && !/^\d+$/.test(value)) throw new Error(`${what}: ${shown} needs a number, got '${value}'`);
    settings[key] = key === 'host_key_checking' ? value.toLowerCase() : value;
  };
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    const value = () => {
      if (i + 1 >= words.length) throw new Error(`${what}: ${w} needs a value`);
      return words[++i];
    };
    if (w === '-o' || (w.startsWith('-o') && w.length > 2)) {
      const spec = w === '-o' ? value() : w.slice(2);
      const m = /^([A-Za-z]+)\s*(?:=|\s)\s*(.*)$/.exec(spec.trim());
      if (!m) throw new Error(`${what}: -o ${spec} is not Name=value`);
      const name = m[1].toLowerCase();
      const key = OPTIONS[name];
      if (key) set(key, m[2], `-o ${m[1]}`);
      else if (HARMLESS_OPTIONS.has(name))
        notes.push(`${what}: -o ${m[1]} ignored (herdbook keeps one SSH connection per host for the whole run)`);
      else
        throw new Error(
          `${what}: -o ${m[1]} is not supported by herdbook's SSH client; supported: ${SUPPORTED_SSH_ARGS} (remove it, or use an inventory variable)`,
        );
      continue;
    }
    const flag = Object.keys(FLAGS).find((f) => w === f || (w.startsWith(f) && w.length > 2));
    if (flag) {
      set(FLAGS[flag], w === flag ? value() : w.slice(2), flag);
      continue;
    }
    if (HARMLESS_FLAGS.has(w)) {
      notes.push(`${what}: ${w} ignored (it shapes OpenSSH's own process, which herdbook does not start)`);
      continue;
    }
    throw new Error(`${what}: ${w} is not supported by herdbook's SSH client; supported: ${SUPPORTED_SSH_ARGS}`);
  }
  return { settings, notes };
}
