// ufw's decisions, as community.general 6.6.2 makes them (pure), with one safety of herdbook's:
// the task's commands in the reference's order (state, default, rule, logging), each one's argv,
// and whether it changes anything, read from what ufw itself says: `ufw status verbose`, the
// `### tuple` lines of the rules files, a `--dry-run` of the rule (the rules files it would
// write), /etc/default/ufw and /etc/ufw/ufw.conf.
import { shellJoin } from '../../engine/connection/quote.js';

export type UfwArgs = {
  state?: 'enabled' | 'disabled' | 'reloaded' | 'reset';
  default?: 'allow' | 'deny' | 'reject';
  policy?: 'allow' | 'deny' | 'reject';
  logging?: 'full' | 'high' | 'low' | 'medium' | 'off' | 'on';
  direction?: 'in' | 'incoming' | 'out' | 'outgoing' | 'routed';
  delete: boolean;
  route: boolean;
  insert?: number;
  rule?: 'allow' | 'deny' | 'limit' | 'reject';
  interface?: string;
  interface_in?: string;
  interface_out?: string;
  log: boolean;
  from_ip: string;
  from_port?: string | number;
  to_ip: string;
  to_port?: string | number;
  port?: string | number;
  proto?: 'ah' | 'any' | 'esp' | 'ipv6' | 'tcp' | 'udp' | 'gre' | 'igmp';
  name?: string;
  comment?: string;
};

export type UfwState = {
  /** `ufw status verbose` says `Status: active`. */
  active: boolean;
  /** `ufw status verbose` itself: the reference's msg (its status after the task; unchanged on a noop). */
  status: string;
  /** Default policies from /etc/default/ufw (deny, allow, reject). */
  defaults: { incoming: string; outgoing: string; routed: string };
  /** LOGLEVEL of /etc/ufw/ufw.conf (off, low, medium, high, full). */
  logLevel: string;
  /** The `### tuple` lines of the rules files now. */
  rules: string[];
  /** The rule's `ufw --dry-run` output (when the task has a rule). */
  dryRun?: string;
  /** The port this task's SSH session came in on (SSH_CONNECTION), when there is one. */
  sshPort?: number;
  /** The session's address family: only that family's rules let it in. */
  sshIpv6?: boolean;
};

export type UfwChange = { summary: string; argv: string[] };

const POLICY: Record<string, string> = { DROP: 'deny', ACCEPT: 'allow', REJECT: 'reject' };

/** DEFAULT_*_POLICY of /etc/default/ufw as ufw names them. */
export function parseDefaults(text: string): UfwState['defaults'] {
  const get = (k: string) => {
    const m = new RegExp(`^${k}="?([A-Z]+)"?`, 'm').exec(text);
    return POLICY[m?.[1] ?? ''] ?? 'deny';
  };
  return {
    incoming: get('DEFAULT_INPUT_POLICY'),
    outgoing: get('DEFAULT_OUTPUT_POLICY'),
    routed: get('DEFAULT_FORWARD_POLICY'),
  };
}

export const parseLogLevel = (text: string) => /^LOGLEVEL=(\w+)/m.exec(text)?.[1] ?? 'low';

export const tupleLines = (text: string) =>
  text
    .split('\n')
    .filter((l) => l.startsWith('### tuple'))
    .map((l) => l.trimEnd());

/** The argv of the rule after `ufw` (the reference's words, each one argv word: no shell). */
export function ruleArgv(a: UfwArgs): string[] {
  const argv: string[] = [];
  if (a.route) argv.push('route');
  if (a.delete) argv.push('delete');
  if (a.insert !== undefined && !a.delete) argv.push('insert', String(a.insert));
  argv.push(a.rule!);
  if (a.direction) argv.push(a.direction);
  if (a.interface) argv.push('on', a.interface);
  if (a.interface_in) argv.push('in', 'on', a.interface_in);
  if (a.interface_out) argv.push('out', 'on', a.interface_out);
  if (a.log) argv.push('log');
  argv.push('from', a.from_ip);
  if (a.from_port !== undefined) argv.push('port', String(a.from_port));
  argv.push('to', a.to_ip);
  const port = a.to_port ?? a.port;
  if (port !== undefined) argv.push('port', String(port));
  if (a.proto) argv.push('proto', a.proto);
  if (a.name) argv.push('app', a.name);
  if (a.comment !== undefined) argv.push('comment', a.comment);
  return argv;
}

/** The checks the reference makes before running anything (its argument_spec and its own). */
export function argsError(a: UfwArgs): string | undefined {
  if (a.default && a.policy && a.default !== a.policy) return 'parameters are mutually exclusive: default|policy';
  if (!a.state && !(a.default ?? a.policy) && !a.rule && !a.logging)
    return 'one of the following is required: state, default, rule, logging';
  const named = [a.name, a.proto, a.logging].filter((v) => v !== undefined).length;
  if (named > 1) return 'parameters are mutually exclusive: name|proto|logging';
  if (a.direction && (a.interface_in || a.interface_out))
    return 'parameters are mutually exclusive: direction|interface_in, direction|interface_out';
  if (a.interface && !a.direction) return "missing parameter(s) required by 'interface': direction";
  if (a.to_port !== undefined && a.port !== undefined && String(a.to_port) !== String(a.port))
    return 'parameters are mutually exclusive: to_port|port';
  if ((a.default ?? a.policy) && !['outgoing', 'incoming', 'routed', undefined].includes(a.direction))
    return 'For default, direction must be one of "outgoing", "incoming" and "routed", or direction must not be specified.';
  if (a.rule && !['in', 'out', undefined].includes(a.direction))
    return 'For rules, direction must be one of "in" and "out", or direction must not be specified.';
  if (a.rule && !a.route && a.interface_in && a.interface_out)
    return 'Only route rules can combine interface_in and interface_out';
  return undefined;
}

const IPV4 = /((25[0-5]|(2[0-4]|1{0,1}[0-9]){0,1}[0-9])\.){3,3}(25[0-5]|(2[0-4]|1{0,1}[0-9]){0,1}[0-9])/;
const startsIpv4 = (s: string) => new RegExp(`^${IPV4.source}`).test(s);
const startsIpv6 = (s: string) => /^[0-9a-fA-F]{0,4}:[0-9a-fA-F:]*/.test(s) && s.includes(':');

/** A tuple of the IPv6 rules file (its addresses have colons). */
const v6 = (l: string) => l.includes('::/') || /\s[0-9a-f]*:[0-9a-f:]+\/\d+/i.test(l);

/**
 * Whether the rule changes the rules files: a dry run that only skips existing rules changes
 * nothing; otherwise the tuples it would write against today's (only the address family the
 * rule names, since the dry run prints only that family's file then), as the reference compares.
 */
export function ruleChanges(state: UfwState, a: UfwArgs): boolean {
  const out = state.dryRun ?? '';
  const lines = out.split('\n').filter((l) => l.trim() !== '');
  if (lines.length && lines.every((l) => l.includes('Skipping'))) return false;
  let after = tupleLines(out);
  let before = state.rules;
  if (startsIpv4(a.from_ip) || startsIpv4(a.to_ip)) {
    [after, before] = [after.filter((l) => IPV4.test(l)), before.filter((l) => IPV4.test(l))];
  } else if (startsIpv6(a.from_ip) || startsIpv6(a.to_ip)) {
    [after, before] = [after.filter(v6), before.filter(v6)];
  }
  return after.join('\n') !== before.join('\n');
}

/** logging's change rule, the reference's. */
export function loggingChanges(current: string, want: string): boolean {
  if (want === 'off') return current !== 'off';
  if (current === 'off') return true;
  return want !== 'on' && want !== current;
}

function portMatches(spec: string, port: number): boolean {
  if (spec === 'any') return true;
  return spec.split(',').some((p) => {
    const [lo, hi] = p.split(':').map(Number);
    return hi === undefined ? lo === port : lo <= port && port <= hi;
  });
}

/** A rule (`### tuple ### allow tcp 22 0.0.0.0/0 any 0.0.0.0/0 in`) letting connections to `port` in. */
export function allowsPort(tuples: readonly string[], port: number): boolean {
  return tuples.some((t) => {
    const w = t.replace(/^### tuple ###\s*/, '').split(/\s+/);
    const [action, proto, dport] = w;
    if (action.startsWith('route:')) return false;
    const dir = w.find((x) => x === 'in' || x === 'out' || x.startsWith('in_') || x.startsWith('out_')) ?? 'in';
    return (
      (action === 'allow' || action === 'limit') &&
      (proto === 'tcp' || proto === 'any') &&
      portMatches(dport, port) &&
      dir.startsWith('in')
    );
  });
}

const inbound = (d: string) => d === 'deny' || d === 'reject';

export type UfwDecision = { changes: UfwChange[]; refuse?: string };

export function decideUfw(state: UfwState, a: UfwArgs): UfwDecision {
  const changes: UfwChange[] = [];
  const policy = a.default ?? a.policy;
  const STATES = { enabled: 'enable', disabled: 'disable', reloaded: 'reload', reset: 'reset' } as const;
  if (a.state) {
    const needed =
      a.state === 'reloaded' ||
      a.state === 'reset' ||
      (a.state === 'enabled' && !state.active) ||
      (a.state === 'disabled' && state.active);
    if (needed) changes.push({ summary: `ufw ${STATES[a.state]}`, argv: ['-f', STATES[a.state]] });
  }
  const dir = (a.direction ?? 'incoming') as 'incoming' | 'outgoing' | 'routed';
  if (policy && state.defaults[dir] !== policy)
    changes.push({
      summary: `default ${dir} policy ${state.defaults[dir]} → ${policy}`,
      argv: ['default', policy, ...(a.direction ? [a.direction] : [])],
    });
  let rulesAfter = state.rules;
  if (a.rule && ruleChanges(state, a)) {
    const argv = ruleArgv(a);
    changes.push({ summary: shellJoin(['ufw', ...argv]), argv });
    rulesAfter = tupleLines(state.dryRun ?? '');
    // ufw dry-runs only the files it would write (one family for an address of one family, or a
    // limit rule where IPv6 has no limit): the other family's rules stay as they are.
    const out = state.dryRun ?? '';
    const [hasV4, hasV6] = [out.includes(':ufw-user-input'), out.includes(':ufw6-user-input')];
    rulesAfter = [...rulesAfter, ...state.rules.filter((l) => (v6(l) ? !hasV6 : !hasV4))];
  }
  if (a.logging && loggingChanges(state.logLevel, a.logging))
    changes.push({ summary: `logging ${state.logLevel} → ${a.logging}`, argv: ['logging', a.logging] });
  // herdbook's safety: never lock the controller out of the SSH session this task runs in.
  if (state.sshPort !== undefined && changes.length) {
    const activeAfter =
      a.state === 'enabled' ? true : a.state === 'disabled' || a.state === 'reset' ? false : state.active;
    const incomingAfter = policy && dir === 'incoming' ? policy : state.defaults.incoming;
    const locked = (active: boolean, incoming: string, rules: readonly string[]) =>
      active &&
      inbound(incoming) &&
      !allowsPort(
        rules.filter((l) => v6(l) === !!state.sshIpv6),
        state.sshPort!,
      );
    if (locked(activeAfter, incomingAfter, rulesAfter) && !locked(state.active, state.defaults.incoming, state.rules))
      return {
        changes: [],
        refuse: `refusing to leave ufw enabled with incoming policy ${incomingAfter} and no rule allowing SSH port ${state.sshPort}, which this connection uses: it would cut the controller off. Allow it first (ufw: rule=allow port=${state.sshPort} proto=tcp), then enable`,
      };
  }
  return { changes };
}
