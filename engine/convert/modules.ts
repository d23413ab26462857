// A task's module: collection names to herdbook's short names, Ansible's argument aliases that
// herdbook's schema does not take renamed to the argument they alias, and arguments herdbook has
// no equivalent for listed (herdbook's validation would refuse them).
import { looksLikeFqcn, moduleNames, unknownFqcn } from '../load/fqcn.js';

/**
 * Ansible 2.14's aliases (ansible-doc -j) of arguments herdbook's schemas name otherwise:
 * module → Ansible's name → herdbook's.
 */
const RENAMED: Record<string, Record<string, string>> = {
  blockinfile: { destfile: 'path' },
  get_url: { password: 'url_password', username: 'url_username' },
  lineinfile: { value: 'line', destfile: 'path', regex: 'regexp' },
  replace: { destfile: 'path' },
  stat: { checksum: 'checksum_algorithm', checksum_algo: 'checksum_algorithm' },
  systemd: { 'daemon-reload': 'daemon_reload', service: 'name', unit: 'name' },
  uri: { password: 'url_password', user: 'url_username' },
  sysctl: { key: 'name', val: 'value' },
  selinux: { conf: 'configfile', file: 'configfile' },
  ufw: {
    from: 'from_ip',
    src: 'from_ip',
    to: 'to_ip',
    dest: 'to_ip',
    protocol: 'proto',
    if: 'interface',
    if_in: 'interface_in',
    if_out: 'interface_out',
    app: 'name',
  },
};

/** Keys of a task that are not its module (Ansible's task keywords, herdbook's own). */
export const TASK_KEYWORDS = new Set([
  'action',
  'always',
  'any_errors_fatal',
  'args',
  'async',
  'become',
  'become_exe',
  'become_flags',
  'become_method',
  'become_user',
  'block',
  'changed_when',
  'check_mode',
  'collections',
  'connection',
  'debugger',
  'delay',
  'delegate_facts',
  'delegate_to',
  'diff',
  'environment',
  'failed_when',
  'ignore_errors',
  'ignore_unreachable',
  'listen',
  'local_action',
  'loop',
  'loop_control',
  'module_defaults',
  'name',
  'no_log',
  'notify',
  'poll',
  'port',
  'register',
  'remote_user',
  'rescue',
  'retries',
  'run_once',
  'tags',
  'throttle',
  'timeout',
  'until',
  'vars',
  'when',
]);

export type ModuleVerdict = {
  /** herdbook's name for the module key, when it differs from what was written. */
  rename?: string;
  /** The module herdbook runs (its schema's name), when it has one. */
  module?: string;
  /** Why herdbook cannot run it, and what to write. */
  left?: { why: string; write?: string };
};

export function moduleKey(key: string, schemas: ReadonlyMap<string, Record<string, unknown>>): ModuleVerdict {
  const names = moduleNames(schemas);
  if (key === 'ansible.builtin.import_playbook' || key === 'ansible.legacy.import_playbook')
    return { rename: 'import_playbook' };
  if (looksLikeFqcn(key)) {
    const target = names.byFqcn.get(key);
    if (target) return { rename: target, module: schemas.has(target) ? target : undefined };
    const u = unknownFqcn(key, schemas);
    return { left: { why: u.message, write: u.hint } };
  }
  if (schemas.has(key)) return { module: key };
  if (['include_tasks', 'import_tasks', 'include_role', 'import_role', 'import_playbook'].includes(key)) return {};
  return {
    left: { why: `module '${key}' is not one herdbook implements`, write: 'herdbook doc --list shows the modules' },
  };
}

export type ArgVerdict = { rename: string } | { left: string } | undefined;

/** What to do with one argument of a module herdbook runs. */
export function argument(module: string, arg: string, schema: Record<string, unknown>): ArgVerdict {
  const props = (schema.properties ?? {}) as Record<string, unknown>;
  if (Object.prototype.hasOwnProperty.call(props, arg)) return undefined;
  const to = RENAMED[module]?.[arg];
  if (to && Object.prototype.hasOwnProperty.call(props, to)) return { rename: to };
  // A free-form module's schema may take anything (command's argv, set_fact's names).
  if (schema.additionalProperties !== false) return undefined;
  return { left: `herdbook's ${module} has no argument '${arg}' (validation would refuse it)` };
}
