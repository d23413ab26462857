// alternatives' decisions, as community.general 6.6.2 makes them (pure): `update-alternatives
// --display NAME` read with the reference's regular expressions, then install (a new path, or
// another priority or subcommands), --set (state selected, another path current), --auto (state
// auto, manual mode) or --remove (state absent); the diff is the reference's before/after dicts.

export type Subcommand = { name: string; path: string; link: string };

export type AlternativesArgs = {
  name: string;
  path: string;
  link?: string;
  priority?: number;
  state: 'present' | 'selected' | 'auto' | 'absent';
  subcommands?: Subcommand[];
  /** Ansible's alias of subcommands. */
  slaves?: Subcommand[];
};

export type Alternative = { priority: number; subcommands: Subcommand[] };

export type AlternativesState = {
  mode?: string;
  currentPath?: string;
  currentLink?: string;
  alternatives: Record<string, Alternative>;
  /** args.path exists on the host (install needs it). */
  pathExists: boolean;
};

export type AlternativesChange =
  | { kind: 'install'; summary: string; argv: string[] }
  | { kind: 'set' | 'auto' | 'remove'; summary: string; argv: string[] };

const MODE = /\s-\s(?:status\sis\s)?(\w*)(?:\smode|.)$/m;
const CURRENT_PATH = /^\s*link currently points to (.*)$/m;
const CURRENT_LINK = /^\s*link \w+ is (.*)$/m;
const SUBCMD_LINK = /^\s*(?:slave|follower) (\S+) is (.*)$/gm;
const ALTERNATIVE = /^(\/.*)\s-\s(?:family\s\S+\s)?priority\s(\d+)((?:\s+(?:slave|follower).*)*)/gm;
const SUBCMD = /^\s+(?:slave|follower) (.*): (.*)$/gm;

/** `update-alternatives --display` (LC_ALL=C) as the reference reads it; rc ≠ 0: no alternative yet. */
export function parseDisplay(rc: number, out: string, wanted?: Subcommand[]): Omit<AlternativesState, 'pathExists'> {
  const s: Omit<AlternativesState, 'pathExists'> = { alternatives: {} };
  if (rc !== 0) return s;
  const mode = MODE.exec(out);
  if (!mode) return s;
  s.mode = mode[1];
  s.currentPath = CURRENT_PATH.exec(out)?.[1];
  s.currentLink = CURRENT_LINK.exec(out)?.[1];
  let links = new Map([...out.matchAll(SUBCMD_LINK)].map((m) => [m[1], m[2]]));
  if (!links.size && wanted) links = new Map(wanted.map((w) => [w.name, w.link]));
  for (const m of out.matchAll(ALTERNATIVE)) {
    const subcommands = [...m[3].matchAll(SUBCMD)]
      .filter((x) => x[2] !== '(null)')
      .map((x) => ({ name: x[1], path: x[2], link: links.get(x[1]) as string }));
    s.alternatives[m[1]] = { priority: Number(m[2]), subcommands };
  }
  return s;
}

const sameSub = (a: Subcommand, b: Subcommand) => a.name === b.name && a.path === b.path && a.link === b.link;

export type AltDecision = {
  changes: AlternativesChange[];
  messages: string[];
  before: Record<string, unknown>;
  after: Record<string, unknown>;
  error?: string;
};

export function decideAlternatives(s: AlternativesState, given: AlternativesArgs): AltDecision {
  const args = { ...given, subcommands: given.subcommands ?? given.slaves };
  const { name, path } = args;
  const cur = s.alternatives[path];
  const link = args.link ?? s.currentLink;
  const priority = args.priority ?? cur?.priority ?? 50;
  const subcommands = args.subcommands ?? (cur?.subcommands.length ? cur.subcommands : undefined);
  const before: Record<string, unknown> = {};
  if (cur) {
    Object.assign(before, { state: 'present', path, priority: cur.priority, link: s.currentLink });
    if (cur.subcommands.length) before.subcommands = cur.subcommands;
    if (s.mode === 'manual' && s.currentPath !== path) before.state = 'selected';
  } else before.state = 'absent';
  const d: AltDecision = { changes: [], messages: [], before, after: {} };
  if (args.state === 'absent') {
    if (cur) {
      d.changes.push({ kind: 'remove', summary: `remove ${path} from ${name}`, argv: ['--remove', name, path] });
      d.messages.push(`Remove alternative '${path}' from '${name}'.`);
      d.after = { state: 'absent' };
    }
    return d;
  }
  const subsDiffer =
    args.subcommands !== undefined &&
    !!cur &&
    (!cur.subcommands.every((c) => args.subcommands!.some((w) => sameSub(c, w))) ||
      !args.subcommands.every((w) => cur.subcommands.some((c) => sameSub(c, w))));
  if (!cur || (args.priority !== undefined && cur.priority !== args.priority) || subsDiffer) {
    if (!s.pathExists) return { ...d, error: `Specified path ${path} does not exist` };
    if (!link)
      return { ...d, error: 'Needed to install the alternative, but unable to do so as we are missing the link' };
    const argv = ['--install', link, name, path, String(priority)];
    if (args.subcommands !== undefined) for (const c of subcommands ?? []) argv.push('--slave', c.link, c.name, c.path);
    d.changes.push({ kind: 'install', summary: `install ${path} for ${name} (${link}, priority ${priority})`, argv });
    d.messages.push(`Install alternative '${path}' for '${name}'.`);
    d.after = { state: 'present', path, priority, link, ...(subcommands ? { subcommands } : {}) };
  }
  if (args.state === 'selected' && s.currentPath !== path) {
    d.changes.push({ kind: 'set', summary: `select ${path} for ${name}`, argv: ['--set', name, path] });
    d.messages.push(`Set alternative '${path}' for '${name}'.`);
    d.after.state = 'selected';
  }
  if (args.state === 'auto' && s.mode === 'manual') {
    d.changes.push({ kind: 'auto', summary: `set ${name} to auto mode`, argv: ['--auto', name] });
    d.messages.push(`Set alternative to auto for '${name}'.`);
    d.after.state = 'present';
  }
  return d;
}
