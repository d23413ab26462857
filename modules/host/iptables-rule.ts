// iptables' rule as ansible.builtin.iptables (ansible-core 2.14) builds it (pure): the same
// arguments in the same order, so `iptables -C` finds a rule Ansible added and the registered
// `rule` is Ansible's string. Every value is one argv word: nothing goes through a shell.

export type IptablesArgs = {
  table: 'filter' | 'nat' | 'mangle' | 'raw' | 'security';
  state: 'present' | 'absent';
  action: 'append' | 'insert';
  ip_version: 'ipv4' | 'ipv6';
  chain?: string;
  rule_num?: string | number;
  protocol?: string;
  wait?: string | number;
  source?: string;
  to_source?: string;
  destination?: string;
  to_destination?: string;
  match: string[] | string;
  tcp_flags?: { flags?: string[]; flags_set?: string[] };
  jump?: string;
  gateway?: string;
  log_prefix?: string;
  log_level?: string;
  goto?: string;
  in_interface?: string;
  out_interface?: string;
  fragment?: string;
  set_counters?: string | number;
  source_port?: string | number;
  destination_port?: string | number;
  destination_ports: (string | number)[] | string | number;
  to_ports?: string | number;
  set_dscp_mark?: string | number;
  set_dscp_mark_class?: string;
  comment?: string;
  ctstate: string[] | string;
  src_range?: string;
  dst_range?: string;
  match_set?: string;
  match_set_flags?: 'src' | 'dst' | 'src,dst' | 'dst,src';
  limit?: string;
  limit_burst?: string | number;
  uid_owner?: string | number;
  gid_owner?: string | number;
  reject_with?: string;
  icmp_type?: string | number;
  syn: 'ignore' | 'match' | 'negate';
  flush: boolean;
  policy?: 'ACCEPT' | 'DROP' | 'QUEUE' | 'RETURN';
  chain_management: boolean;
};

/** Ansible's list type: a string is split on commas; numbers (ports) are their text. */
export const asList = (v: readonly (string | number)[] | string | number | undefined): string[] =>
  v === undefined
    ? []
    : typeof v === 'string'
      ? v === ''
        ? []
        : v.split(',').map((s) => s.trim())
      : typeof v === 'number'
        ? [String(v)]
        : v.map(String);

function param(rule: string[], v: string | number | undefined, flag: string): void {
  if (v === undefined || v === null) return;
  // YAML gives `destination_port: 6443` as a number; Ansible's str type makes it text.
  const value = String(v);
  // A leading '!' negates the match, as Ansible writes it.
  if (value.startsWith('!')) rule.push('!', flag, value.slice(1));
  else rule.push(flag, value);
}

const matchFlag = (rule: string[], value: string | number | undefined, flag: string, negatable: boolean) => {
  if (value === 'match') rule.push(flag);
  else if (negatable && value === 'negate') rule.push('!', flag);
};

const csv = (rule: string[], values: string[], flag: string) => {
  if (values.length) rule.push(flag, values.join(','));
};

const useMatch = (rule: string[], when: unknown, match: string) => {
  if (when) rule.push('-m', match);
};

/** construct_rule: `args.jump` as given (the caller sets LOG for log options, after `rule` is reported). */
export function constructRule(a: IptablesArgs): string[] {
  const rule: string[] = [];
  const match = asList(a.match);
  const ports = asList(a.destination_ports);
  const ctstate = asList(a.ctstate);
  if (a.wait !== undefined && a.wait !== '') rule.push('-w', String(a.wait));
  param(rule, a.protocol, '-p');
  param(rule, a.source, '-s');
  param(rule, a.destination, '-d');
  for (const m of match) param(rule, m, '-m');
  if (a.tcp_flags?.flags && a.tcp_flags.flags_set)
    rule.push('--tcp-flags', a.tcp_flags.flags.join(','), a.tcp_flags.flags_set.join(','));
  param(rule, a.jump, '-j');
  if (a.jump?.toLowerCase() === 'tee') param(rule, a.gateway, '--gateway');
  param(rule, a.log_prefix, '--log-prefix');
  param(rule, a.log_level, '--log-level');
  param(rule, a.to_destination, '--to-destination');
  useMatch(rule, ports.length, 'multiport');
  csv(rule, ports, '--dports');
  param(rule, a.to_source, '--to-source');
  param(rule, a.goto, '-g');
  param(rule, a.in_interface, '-i');
  param(rule, a.out_interface, '-o');
  param(rule, a.fragment, '-f');
  param(rule, a.set_counters, '-c');
  param(rule, a.source_port, '--source-port');
  param(rule, a.destination_port, '--destination-port');
  param(rule, a.to_ports, '--to-ports');
  param(rule, a.set_dscp_mark, '--set-dscp');
  param(rule, a.set_dscp_mark_class, '--set-dscp-class');
  matchFlag(rule, a.syn, '--syn', true);
  if (match.includes('conntrack')) csv(rule, ctstate, '--ctstate');
  else if (match.includes('state')) csv(rule, ctstate, '--state');
  else if (ctstate.length) {
    rule.push('-m', 'conntrack');
    csv(rule, ctstate, '--ctstate');
  }
  if (match.includes('iprange') || a.src_range || a.dst_range) {
    if (!match.includes('iprange')) rule.push('-m', 'iprange');
    param(rule, a.src_range, '--src-range');
    param(rule, a.dst_range, '--dst-range');
  }
  if (match.includes('set') || a.match_set) {
    if (!match.includes('set')) rule.push('-m', 'set');
    param(rule, a.match_set, '--match-set');
    if (a.match_set_flags) rule.push(a.match_set_flags);
  }
  useMatch(rule, a.limit || a.limit_burst, 'limit');
  param(rule, a.limit, '--limit');
  param(rule, a.limit_burst, '--limit-burst');
  useMatch(rule, a.uid_owner, 'owner');
  matchFlag(rule, a.uid_owner, '--uid-owner', true);
  param(rule, a.uid_owner, '--uid-owner');
  useMatch(rule, a.gid_owner, 'owner');
  matchFlag(rule, a.gid_owner, '--gid-owner', true);
  param(rule, a.gid_owner, '--gid-owner');
  if (a.jump === undefined && a.reject_with) rule.push('-j', 'REJECT');
  param(rule, a.reject_with, '--reject-with');
  param(rule, a.icmp_type, a.ip_version === 'ipv6' ? '--icmpv6-type' : '--icmp-type');
  useMatch(rule, a.comment, 'comment');
  param(rule, a.comment, '--comment');
  return rule;
}

/** `-t table ACTION chain [rule_num] [rule]` (push_arguments). */
export function ruleArgv(a: IptablesArgs, action: string, withRule = true): string[] {
  const argv = ['-t', a.table, action, a.chain ?? ''];
  if (action === '-I' && a.rule_num) argv.push(String(a.rule_num));
  if (withRule) argv.push(...constructRule(a));
  return argv;
}

/** The arguments as the rule is run: log options without a jump jump to LOG (after `rule` was reported). */
export function effectiveArgs(a: IptablesArgs): IptablesArgs {
  return (a.log_prefix || a.log_level) && a.jump === undefined ? { ...a, jump: 'LOG' } : a;
}
