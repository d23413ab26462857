// authorized_keys as ansible.posix 1.5.4's authorized_key reads and writes it (pure): each line
// parsed to (key, type, options, comment, rank); keys matched by their base64 body; a present key
// whose type, options or comment differ is rewritten at the end; unparsable lines kept as they
// are (exclusive drops them too); every key written as `[options ]type key comment`.
export type KeyOptions = [string, string | null][];
export type KeyEntry =
  | { skipped: false; id: string; type: string; options: KeyOptions; comment: string; rank: number }
  | { skipped: true; id: string; line: string; rank: number };

const KEY_TYPES = new Set([
  'sk-ecdsa-sha2-nistp256@openssh.com',
  'sk-ecdsa-sha2-nistp256-cert-v01@openssh.com',
  'webauthn-sk-ecdsa-sha2-nistp256@openssh.com',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp256-cert-v01@openssh.com',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp384-cert-v01@openssh.com',
  'ecdsa-sha2-nistp521',
  'ecdsa-sha2-nistp521-cert-v01@openssh.com',
  'sk-ssh-ed25519@openssh.com',
  'sk-ssh-ed25519-cert-v01@openssh.com',
  'ssh-ed25519',
  'ssh-ed25519-cert-v01@openssh.com',
  'ssh-dss',
  'ssh-rsa',
  'ssh-xmss@openssh.com',
  'ssh-xmss-cert-v01@openssh.com',
  'rsa-sha2-256',
  'rsa-sha2-512',
  'ssh-rsa-cert-v01@openssh.com',
  'rsa-sha2-256-cert-v01@openssh.com',
  'rsa-sha2-512-cert-v01@openssh.com',
  'ssh-dss-cert-v01@openssh.com',
]);

/** `no-pty,command="a,b"` → [['no-pty', null], ['command', '"a,b"']] (quotes kept, as Ansible keeps them). */
export function parseOptions(text: string | undefined): KeyOptions {
  if (!text) return [];
  const parts = text.split(/((?:[^,"']|"[^"]*"|'[^']*')+)/).slice(1, -1);
  const out: KeyOptions = [];
  for (const part of parts) {
    const eq = part.indexOf('=');
    if (eq >= 0) out.push([part.slice(0, eq), part.slice(eq + 1)]);
    else if (part !== ',') out.push([part, null]);
  }
  return out;
}

/** One line: a key with its parts, or undefined when it is not one (Ansible's parsekey). */
export function parseKey(raw: string, rank: number): KeyEntry | undefined {
  const text = raw.replace(/\\#/g, '#');
  const parts = text.split(/[ \t\r\n]+/).filter(Boolean);
  if (parts[0] === '#') return { skipped: true, id: text, line: text, rank };
  const i = parts.findIndex((p) => KEY_TYPES.has(p));
  if (i < 0 || i + 1 >= parts.length) return undefined;
  return {
    skipped: false,
    id: parts[i + 1],
    type: parts[i],
    options: parseOptions(i > 0 ? parts.slice(0, i).join(' ') : undefined),
    comment: parts.slice(i + 2).join(' '),
    rank,
  };
}

/** The file's entries by key (a later duplicate replaces an earlier one, keeping its place). */
export function parseKeysFile(text: string): Map<string, KeyEntry> {
  const keys = new Map<string, KeyEntry>();
  const lines = text.split(/(?<=\n)/).filter((l) => l !== '');
  lines.forEach((line, rank) => {
    const k = parseKey(line, rank) ?? { skipped: true as const, id: line, line, rank };
    keys.set(k.id, k);
  });
  return keys;
}

const optionsKey = (o: KeyOptions) => {
  const m = new Map<string, (string | null)[]>();
  for (const [k, v] of o) m.set(k, [...(m.get(k) ?? []), v]);
  return JSON.stringify([...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
};

function same(a: KeyEntry, b: KeyEntry): boolean {
  if (a.skipped || b.skipped) return a.skipped === b.skipped && a.id === b.id;
  return (
    a.id === b.id && a.type === b.type && a.comment === b.comment && optionsKey(a.options) === optionsKey(b.options)
  );
}

export function serializeKeys(keys: Map<string, KeyEntry>): string {
  // A stable sort by rank: equal ranks keep the map's order, as Python's sorted does.
  return [...keys.values()]
    .sort((a, b) => a.rank - b.rank)
    .map((k) => {
      if (k.skipped) return k.line;
      const opts = k.options.length ? `${k.options.map(([o, v]) => (v === null ? o : `${o}=${v}`)).join(',')} ` : '';
      return `${opts}${k.type} ${k.id} ${k.comment}\n`;
    })
    .join('');
}

export type KeyEdit = {
  text: string;
  changed: boolean;
  added: number;
  updated: number;
  removed: number;
  invalid?: string;
};

/** Ansible's enforce_state on the file's text: the new text and whether it must be written. */
export function editKeys(
  existingText: string,
  keyText: string,
  o: { state: 'present' | 'absent'; exclusive: boolean; keyOptions?: string; comment?: string },
): KeyEdit {
  const existing = parseKeysFile(existingText);
  // Python's str.splitlines: \x1c-\x1e are line boundaries too.
  // eslint-disable-next-line no-control-regex -- the separators splitlines knows, on purpose
  const wanted = keyText.split(/\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]/).filter((s) => s && !s.startsWith('#'));
  const maxRank = existing.size;
  const keep: string[] = [];
  let changed = false;
  let added = 0;
  let updated = 0;
  let removed = 0;
  for (const [rank, line] of wanted.entries()) {
    let k = parseKey(line, rank);
    if (!k)
      return { text: existingText, changed: false, added, updated, removed, invalid: `invalid key specified: ${line}` };
    if (!k.skipped) {
      if (o.keyOptions !== undefined) k = { ...k, options: parseOptions(o.keyOptions) };
      if (o.comment !== undefined) k = { ...k, comment: o.comment };
    }
    const old = existing.get(k.id);
    const matched = old !== undefined && (o.state !== 'present' || same(k, old));
    if (o.state === 'present') {
      keep.push(k.id);
      if (old && !matched) {
        existing.delete(k.id);
        updated++;
      } else if (!matched) added++;
      if (!matched) {
        existing.set(k.id, { ...k, rank: maxRank + rank });
        changed = true;
      }
    } else if (matched) {
      existing.delete(k.id);
      changed = true;
      removed++;
    }
  }
  if (o.state === 'present' && o.exclusive)
    for (const id of [...existing.keys()])
      if (!keep.includes(id)) {
        existing.delete(id);
        changed = true;
        removed++;
      }
  return { text: changed ? serializeKeys(existing) : existingText, changed, added, updated, removed };
}
