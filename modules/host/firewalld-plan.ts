// firewalld's decisions, as ansible.posix 1.5.4 makes them (pure): one item of a zone (a port,
// a service, a source, an interface, a rich rule, masquerade, a protocol) or the zone itself,
// enabled or disabled in the permanent configuration, the running one (immediate), or both;
// the `msg` the reference registers, phrase for phrase.

export type FirewalldArgs = {
  state: 'enabled' | 'disabled' | 'present' | 'absent';
  zone?: string;
  port?: string;
  service?: string;
  protocol?: string;
  source?: string;
  interface?: string;
  rich_rule?: string;
  masquerade?: string | boolean;
  permanent?: boolean;
  immediate: boolean;
  offline?: boolean;
  timeout: number;
};

/** The item a task is about: firewall-cmd's option name (port → --query-port=) and its value. */
export type Item = {
  kind: 'port' | 'service' | 'protocol' | 'source' | 'interface' | 'rich-rule' | 'masquerade' | 'zone';
  value: string;
};

export type FirewalldState = {
  /** No daemon answers: firewall-offline-cmd on the permanent configuration only. */
  offline: boolean;
  zone: string;
  /** Whether the item is enabled (the zone exists) in each configuration read. */
  permanent?: boolean;
  immediate?: boolean;
};

export type FirewalldChange = { summary: string; where: 'permanent' | 'immediate'; action: 'add' | 'remove' };

// masquerade is a string to the reference: these read as false, anything else as true.
const FALSE = new Set(['0', 'off', 'false', 'no', 'n', 'f']);

export function itemOf(a: FirewalldArgs): Item | undefined {
  if (a.service !== undefined) return { kind: 'service', value: a.service };
  if (a.protocol !== undefined) return { kind: 'protocol', value: a.protocol };
  if (a.source !== undefined) return { kind: 'source', value: a.source };
  if (a.port !== undefined) return { kind: 'port', value: a.port.trim() };
  if (a.rich_rule !== undefined) return { kind: 'rich-rule', value: a.rich_rule };
  if (a.interface !== undefined) return { kind: 'interface', value: a.interface };
  if (a.masquerade !== undefined) return { kind: 'masquerade', value: String(a.masquerade) };
  return a.state === 'present' || a.state === 'absent' ? { kind: 'zone', value: a.zone ?? '' } : undefined;
}

/** Where the task acts: the reference's defaults (neither given: immediate). */
export function targets(a: FirewalldArgs): { permanent: boolean; immediate: boolean } {
  const permanent = !!a.permanent;
  return { permanent, immediate: a.immediate || !permanent };
}

/** The reference's argument checks, in its order; undefined when the task may run. */
export function argsError(a: FirewalldArgs, offline: boolean | undefined): string | undefined {
  const given = ['service', 'protocol', 'port', 'rich_rule', 'interface', 'masquerade', 'source'].filter(
    (k) => a[k as keyof FirewalldArgs] !== undefined,
  );
  if (given.length > 1) return `parameters are mutually exclusive: ${given.join('|')}`;
  if (a.interface !== undefined && a.zone === undefined) return "missing parameter(s) required by 'interface': zone";
  if (a.source !== undefined && a.permanent === undefined)
    return "missing parameter(s) required by 'source': permanent";
  if (offline && targets(a).immediate)
    return 'firewall is not currently running, unable to perform immediate actions without a running firewall daemon';
  if (a.port !== undefined && !/^[^/]+\/[^/]+$/.test(a.port.trim())) return 'improper port format (missing protocol?)';
  if (given.length && (a.state === 'present' || a.state === 'absent'))
    return 'absent and present state can only be used in zone level operations';
  if (!given.length && (a.state === 'present' || a.state === 'absent') && targets(a).immediate)
    return "Zone operations must be permanent. Make sure you didn't set the 'permanent' flag to 'false' or the 'immediate' flag to 'true'.";
  return undefined;
}

/** enabled or disabled, as the reference reads masquerade's value against state. */
export function wanted(a: FirewalldArgs, item: Item): boolean {
  if (item.kind === 'zone') return a.state === 'present';
  if (item.kind === 'masquerade') {
    const v = typeof a.masquerade === 'boolean' ? a.masquerade : !FALSE.has(String(a.masquerade).toLowerCase());
    return (a.state === 'enabled') === v;
  }
  return a.state === 'enabled';
}

/** The changes, each configuration that differs from what is wanted (permanent first). */
export function decideFirewalld(state: FirewalldState, a: FirewalldArgs, item: Item): FirewalldChange[] {
  const want = wanted(a, item);
  const t = targets(a);
  const action = want ? 'add' : 'remove';
  const what =
    item.kind === 'masquerade'
      ? 'masquerade'
      : item.kind === 'zone'
        ? `zone ${state.zone}`
        : `${item.kind} ${item.value}`;
  const verb = want ? (item.kind === 'interface' ? 'move' : 'add') : 'remove';
  const into = item.kind === 'zone' ? '' : ` ${want ? 'to' : 'from'} zone ${state.zone}`;
  const out: FirewalldChange[] = [];
  if (t.permanent && state.permanent !== want)
    out.push({
      summary: `${verb} ${what}${into} (permanent${state.offline ? ', offline' : ''})`,
      where: 'permanent',
      action,
    });
  if (t.immediate && !state.offline && state.immediate !== want)
    out.push({ summary: `${verb} ${what}${into} (running)`, where: 'immediate', action });
  return out;
}

/** The reference's first msg for an item or zone task: which configurations it acts on. */
export function operation(t: { permanent: boolean; immediate: boolean }): string {
  if (t.permanent && t.immediate) return 'Permanent and Non-Permanent(immediate) operation';
  return t.permanent ? 'Permanent operation' : 'Non-permanent operation';
}

/** The reference's registered msg for the task. */
export function firewalldMsg(
  state: FirewalldState,
  a: FirewalldArgs,
  item: Item | undefined,
  changed: boolean,
): string {
  const msgs: string[] = [];
  const t = targets(a);
  const st = a.state;
  if (item) {
    msgs.push(operation(t));
    const want = wanted(a, item);
    const z = state.zone;
    if (changed) {
      if (item.kind === 'source')
        msgs.push(want ? `Added ${item.value} to zone ${z}` : `Removed ${item.value} from zone ${z}`);
      if (item.kind === 'interface')
        msgs.push(want ? `Changed ${item.value} to zone ${z}` : `Removed ${item.value} from zone ${z}`);
      if (item.kind === 'masquerade')
        msgs.push(want ? `Added masquerade to zone ${z}` : `Removed masquerade from zone ${z}`);
      if (item.kind === 'zone')
        msgs.push(want ? `Added zone ${z}` : `Removed zone ${z}`, `Changed zone ${a.zone ?? 'None'} to ${st}`);
      if (item.kind === 'service' || item.kind === 'protocol') msgs.push(`Changed ${item.kind} ${item.value} to ${st}`);
      if (item.kind === 'port') msgs.push(`Changed port ${item.value} to ${st}`);
      if (item.kind === 'rich-rule') msgs.push(`Changed rich_rule ${item.value} to ${st}`);
    }
  }
  if (state.offline) msgs.push('(offline operation: only on-disk configs were altered)');
  return msgs.join(', ');
}
