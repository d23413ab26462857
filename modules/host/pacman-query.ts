// Reading pacman as community.general.pacman (6.6.2) does: what is installed (`--query`), by
// which reason (`--explicit`, `--deps`), what the sync databases hold (`--sync --list`), their
// groups (`--sync --groups --groups`), what `--query --upgrades` would upgrade, and the
// `--print-format` dry runs. Pure text in, data out.

/** `name version` lines (`pacman --query`, `--print-format '%n %v'`). */
export function parseNameVersion(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const [name, version] = line.trim().split(/\s+/);
    if (name && version) out[name] = version;
  }
  return out;
}

/** `pacman --sync --list`: `repo name version [installed]` → name → version (the last repository wins, as Ansible's dict does). */
export function parseSyncList(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const [, name, version] = line.trim().split(/\s+/);
    if (name && version) out[name] = version;
  }
  return out;
}

/** `pacman --sync --groups --groups`: `group package` lines → group → its packages. */
export function parseGroups(text: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const line of text.split('\n')) {
    const [group, pkg] = line.trim().split(/\s+/);
    if (!group || !pkg) continue;
    out[group] ??= [];
    if (!out[group].includes(pkg)) out[group].push(pkg);
  }
  return out;
}

export type Upgrade = { current: string; latest: string };

/** `pacman --query --upgrades`: `strace 5.14-1 -> 5.15-1`; `[ignored]` lines are left out, as Ansible does. */
export function parseUpgrades(text: string): { upgrades: Record<string, Upgrade>; invalid?: string } {
  const out: Record<string, Upgrade> = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.includes('[ignored]')) continue;
    const f = line.split(/\s+/);
    if (f.length !== 4) return { upgrades: out, invalid: line };
    out[f[0]] = { current: f[1], latest: f[3] };
  }
  return { upgrades: out };
}

/** A `--print-format` dry run's lines, without what pacman says around them ("loading packages..."). */
export function printedLines(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.includes('loading packages') && !l.includes('there is nothing to do'));
}
