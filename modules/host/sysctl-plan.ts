// sysctl's decisions, as ansible.posix 1.5.4 makes them (pure): the value normalized (yes/true →
// 1), the file read as key=value lines, and when it is written, every line normalized
// (`k = v` → `k=v`, a key's later duplicates dropped), the key's line replaced, removed or added.

const TRUE = new Set(['y', 'yes', 'on', '1', 'true', 't']);
const FALSE = new Set(['n', 'no', 'off', '0', 'false', 'f']);

export function sysctlValue(v: string | number | boolean | undefined | null): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'boolean') return v ? '1' : '0';
  const s = String(v);
  if (TRUE.has(s.toLowerCase())) return '1';
  if (FALSE.has(s.toLowerCase())) return '0';
  return s.trim();
}

const isSetting = (line: string) => line !== '' && !line.startsWith('#') && !line.startsWith(';') && line.includes('=');

/** Each key's value in the file (the last line for a key wins, as Ansible's dict does). */
export function fileValues(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!isSetting(line)) continue;
    const eq = line.indexOf('=');
    out.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
  }
  return out;
}

/** The file as Ansible writes it: every line stripped; settings as k=v, each key once; `name` set or removed. */
export function rewriteFile(text: string, name: string, value: string | undefined): string {
  const lines = text === '' ? [] : text.replace(/\n$/, '').split('\n');
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of lines) {
    const line = raw.trim();
    if (!isSetting(line)) {
      out.push(line);
      continue;
    }
    const eq = line.indexOf('=');
    const k = line.slice(0, eq).trim();
    if (seen.has(k)) continue;
    seen.add(k);
    if (k !== name) out.push(`${k}=${line.slice(eq + 1).trim()}`);
    else if (value !== undefined) out.push(`${k}=${value}`);
  }
  if (!seen.has(name) && value !== undefined) out.push(`${name}=${value}`);
  return out.map((l) => `${l}\n`).join('');
}

/** Ansible's _values_is_equal: the same whitespace-separated words. */
export function sameValue(a: string | undefined, b: string): boolean {
  if (a === undefined) return false;
  const [x, y] = [a.split(/\s+/).filter(Boolean), b.split(/\s+/).filter(Boolean)];
  return x.length === y.length && x.every((w, i) => w === y[i]);
}

export type SysctlDecision = { changed: boolean; writeFile: boolean; setProc: boolean; reload: boolean };

export function decide(o: {
  state: 'present' | 'absent';
  value: string;
  fileValue: string | undefined;
  procValue: string | undefined;
  reload: boolean;
  sysctlSet: boolean;
}): SysctlDecision {
  let changed = false;
  let writeFile = false;
  let setProc = false;
  if (o.fileValue === undefined) {
    if (o.state === 'present') changed = writeFile = true;
  } else if (o.state === 'absent') {
    // An empty value in the file is falsy to Ansible: nothing to remove.
    if (o.fileValue !== '') changed = writeFile = true;
  } else if (o.fileValue !== o.value) {
    changed = writeFile = true;
  } else if (o.reload && !sameValue(o.procValue, o.value)) {
    changed = true;
  }
  if (o.sysctlSet && o.state === 'present' && !sameValue(o.procValue, o.value)) {
    changed = true;
    // Ansible sets the value only when it could read one.
    if (o.procValue !== undefined) setProc = true;
  }
  return { changed, writeFile, setProc, reload: changed && o.reload };
}
