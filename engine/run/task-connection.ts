// How a task reaches a host, resolved per task as Ansible does it: the ansible_* connection
// variables of every layer (play vars, vars_files, block and task vars, set_fact,
// include_vars, role vars, the inventory, -e) win over the connection keywords of the
// play, blocks and task (connection, remote_user, port, become, become_user). herdbook's own
// short names (connection, port, user, become, ...) count from the inventory and -e only: a
// play variable called `port` or `user` is the playbook's own, not a login setting.
import type { ConnectionSettings } from '../connection/types.js';
import { errorMessage, UnreachableError } from '../errors.js';
import { CONNECTION_VARS, connectionSettings, connectionVar } from '../inventory/connection-vars.js';
import { Scope } from '../template/index.js';
import type { RunContext } from './context.js';
import { flag, keywordBool, text, type Chain } from './keywords.js';
import { asText } from '../text.js';
import { hostInventoryVars, readVar } from './scope.js';

export type TaskConnection = { settings: ConnectionSettings; become: boolean; becomeUser?: string };

const OWN_NAMES: ReadonlySet<string> = new Set(Object.keys(CONNECTION_VARS));

/**
 * `vars`: the variables of the host the task acts on (the delegate's, with delegate_to);
 * `keywordScope`: the task's own scope, in which its keywords are rendered.
 */
export function taskConnection(
  ctx: RunContext,
  chain: Chain,
  target: string,
  vars: Scope,
  keywordScope: Scope,
): TaskConnection {
  const t = ctx.deps.templater;
  const inventory = new Scope([ctx.options.extraVars, hostInventoryVars(ctx, target)]);
  const get = (name: string) => readVar(ctx, OWN_NAMES.has(name) ? inventory : vars, name);
  const defaults = ctx.options.connectionDefaults ?? {};
  let settings: ConnectionSettings;
  try {
    // become is per command (below), not a connection setting.
    const {
      become: _b,
      becomeUser: _u,
      ...s
    } = connectionSettings(
      target,
      get,
      {
        connection: text(t, chain, 'connection', keywordScope),
        user: text(t, chain, 'remoteUser', keywordScope),
        port: text(t, chain, 'port', keywordScope),
      },
      defaults,
    );
    settings = s;
  } catch (e) {
    if (e instanceof UnreachableError) throw e;
    throw new UnreachableError(target, 'config', errorMessage(e));
  }
  if (
    settings.port !== undefined &&
    !(Number.isInteger(settings.port) && settings.port >= 1 && settings.port <= 65535)
  ) {
    throw new UnreachableError(
      target,
      'config',
      `host ${target}: port ${asText(connectionVar(get, 'port') ?? settings.port)} is not a port number (1-65535)`,
    );
  }
  const becomeVar = connectionVar(get, 'become');
  const becomeUserVar = connectionVar(get, 'become_user');
  return {
    settings,
    become:
      becomeVar !== undefined
        ? keywordBool(becomeVar, 'ansible_become', undefined)
        : (flag(t, chain, 'become', keywordScope) ?? defaults.become === true),
    becomeUser:
      becomeUserVar !== undefined
        ? asText(becomeUserVar)
        : (text(t, chain, 'becomeUser', keywordScope) ?? (defaults.become_user as string | undefined)),
  };
}
