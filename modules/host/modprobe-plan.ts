// modprobe's decisions, as community.general 6.6.2 makes them (pure): loaded is the kernel's list
// (or modules.builtin); persistent means a line `name` in a file of /etc/modules-load.d and, for
// the params, `options name key=value` lines in /etc/modprobe.d. Files are rewritten the way the
// reference does: a new NAME.conf, or the lines that match commented out with '#'.

export const MODULES_LOAD = '/etc/modules-load.d';
export const MODPROBE_D = '/etc/modprobe.d';

export type ConfFile = { path: string; text: string; mode: string };

export type ModprobeArgs = {
  name: string;
  state: 'present' | 'absent';
  params: string;
  persistent: 'disabled' | 'present' | 'absent';
};

export type ModprobeState = {
  /** Loaded module names as the kernel lists them ('-' as '_'). */
  loaded: string[];
  /** modules.builtin lines (kernel/net/bridge/br_netfilter.ko). */
  builtin: string[];
  modulesLoad: ConfFile[];
  modprobeD: ConfFile[];
};

export type ModprobeChange =
  | { kind: 'load' | 'unload'; summary: string; name: string; params: string }
  | { kind: 'write'; summary: string; path: string; content: string; mode: string };

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
// The reference's own patterns (name is not escaped there; names are [\w-], so escaping changes nothing).
const findModule = (n: string) => new RegExp(`^ *${esc(n)} *(?:[#;].*)?\\n?$`);
const findParams = (n: string) => new RegExp(`^options ${esc(n)} \\w+=\\S+ *(?:[#;].*)?\\n?$`);
const getParams = (n: string) => new RegExp(`^options ${esc(n)} (\\w+=\\S+) *(?:[#;].*)?\\n?$`);

const linesOf = (text: string) => text.split(/(?<=\n)/).filter((l) => l !== '');

export function isLoaded(state: ModprobeState, name: string): boolean {
  const n = name.replace(/-/g, '_');
  return state.loaded.includes(n) || state.builtin.some((l) => l.trimEnd().endsWith(`/${name}.ko`));
}

export function loadedPersistently(files: readonly ConfFile[], name: string): boolean {
  const re = findModule(name);
  return files.some((f) => linesOf(f.text).some((l) => re.test(l)));
}

export function permanentParams(files: readonly ConfFile[], name: string): Set<string> {
  const re = getParams(name);
  const out = new Set<string>();
  for (const f of files) for (const l of linesOf(f.text)) out.add(re.exec(l)?.[1] ?? '');
  out.delete('');
  return out;
}

const words = (s: string) => s.split(/\s+/).filter(Boolean);

function paramsSet(state: ModprobeState, args: ModprobeArgs): boolean {
  const want = new Set(words(args.params));
  const have = permanentParams(state.modprobeD, args.name);
  return want.size === have.size && [...want].every((p) => have.has(p));
}

/** Lines matching `re` commented out, written back as the reference does: lines joined with '\n' (each keeps its own). */
function commentOut(files: readonly ConfFile[], re: RegExp, what: string): ModprobeChange[] {
  const out: ModprobeChange[] = [];
  for (const f of files) {
    const lines = linesOf(f.text);
    if (!lines.some((l) => re.test(l))) continue;
    const content = lines.map((l) => (re.test(l) ? `#${l}` : l)).join('\n');
    out.push({ kind: 'write', summary: `comment out ${what} in ${f.path}`, path: f.path, content, mode: f.mode });
  }
  return out;
}

export function decideModprobe(state: ModprobeState, args: ModprobeArgs): ModprobeChange[] {
  const { name, params } = args;
  const changes: ModprobeChange[] = [];
  const loaded = isLoaded(state, name);
  const p = words(params);
  if (args.state === 'present' && !loaded)
    changes.push({
      kind: 'load',
      summary: `load kernel module ${name}${p.length ? ` (${p.join(' ')})` : ''}`,
      name,
      params,
    });
  else if (args.state === 'absent' && loaded)
    changes.push({ kind: 'unload', summary: `unload kernel module ${name}`, name, params });
  const persistent = loadedPersistently(state.modulesLoad, name);
  const fileMode = (dir: string, f: string) =>
    (dir === MODULES_LOAD ? state.modulesLoad : state.modprobeD).find((c) => c.path === f)?.mode ?? '0644';
  if (args.persistent === 'present' && !(persistent && paramsSet(state, args))) {
    if (!persistent) {
      const path = `${MODULES_LOAD}/${name}.conf`;
      changes.push({
        kind: 'write',
        summary: `load ${name} at boot (${path})`,
        path,
        content: `${name}\n`,
        mode: fileMode(MODULES_LOAD, path),
      });
    }
    if (!paramsSet(state, args)) {
      const path = `${MODPROBE_D}/${name}.conf`;
      const old = commentOut(state.modprobeD, findParams(name), `old options of ${name}`).filter(
        (c) => !('path' in c) || c.path !== path,
      );
      changes.push(...old, {
        kind: 'write',
        summary: `options of ${name} at boot: ${p.length ? p.join(' ') : 'none'} (${path})`,
        path,
        content: `${p.map((x) => `options ${name} ${x}`).join('\n')}\n`,
        mode: fileMode(MODPROBE_D, path),
      });
    }
  } else if (args.persistent === 'absent' && (persistent || permanentParams(state.modprobeD, name).size)) {
    if (persistent) changes.push(...commentOut(state.modulesLoad, findModule(name), `${name}`));
    if (permanentParams(state.modprobeD, name).size)
      changes.push(...commentOut(state.modprobeD, findParams(name), `options of ${name}`));
  }
  return changes;
}
