// INI inventory values are read as Python literals, as Ansible's ast.literal_eval does:
// 6443 → number, True → true, "quoted" → string, [1, 2] → list; anything else stays text.

type Reader = { s: string; i: number };

export function pyLiteral(text: string): unknown {
  const r: Reader = { s: text.trim(), i: 0 };
  if (!r.s || text.includes('#')) return text.trim();
  try {
    const v = value(r);
    ws(r);
    return r.i === r.s.length ? v : text.trim();
  } catch {
    return text.trim();
  }
}

function ws(r: Reader): void {
  while (r.i < r.s.length && /\s/.test(r.s[r.i])) r.i++;
}

function value(r: Reader): unknown {
  ws(r);
  const c = r.s[r.i];
  if (c === '"' || c === "'") return str(r, c);
  if (c === '[' || c === '(') return seq(r, c === '[' ? ']' : ')');
  if (c === '{') return dict(r);
  const m =
    /^(?:True|False|None|[-+]?0[xX][0-9a-fA-F]+|[-+]?0[oO][0-7]+|[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?)/.exec(
      r.s.slice(r.i),
    );
  if (!m) throw new Error('not a literal');
  r.i += m[0].length;
  const w = m[0];
  if (w === 'True') return true;
  if (w === 'False') return false;
  if (w === 'None') return null;
  if (/^[-+]?0[xX]/.test(w)) return parseInt(w, 16);
  if (/^[-+]?0[oO]/.test(w)) return (w.startsWith('-') ? -1 : 1) * parseInt(w.replace(/^[-+]?0[oO]/, ''), 8);
  // Python 3 refuses 0644 (leading zeros): Ansible keeps it as the string '0644'.
  if (/^[-+]?0\d/.test(w)) throw new Error('leading zero');
  return Number(w);
}

function str(r: Reader, q: string): string {
  let out = '';
  r.i++;
  while (r.i < r.s.length && r.s[r.i] !== q) {
    if (r.s[r.i] === '\\' && r.i + 1 < r.s.length) {
      const n = r.s[++r.i];
      out += n === 'n' ? '\n' : n === 't' ? '\t' : n;
    } else out += r.s[r.i];
    r.i++;
  }
  if (r.s[r.i] !== q) throw new Error('unterminated');
  r.i++;
  return out;
}

function seq(r: Reader, close: string): unknown[] {
  const out: unknown[] = [];
  r.i++;
  for (;;) {
    ws(r);
    if (r.s[r.i] === close) {
      r.i++;
      return out;
    }
    out.push(value(r));
    ws(r);
    if (r.s[r.i] === ',') r.i++;
    else if (r.s[r.i] !== close) throw new Error('expected ,');
  }
}

function dict(r: Reader): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  r.i++;
  for (;;) {
    ws(r);
    if (r.s[r.i] === '}') {
      r.i++;
      return out;
    }
    const k = value(r);
    ws(r);
    if (r.s[r.i++] !== ':') throw new Error('expected :');
    out[String(k)] = value(r);
    ws(r);
    if (r.s[r.i] === ',') r.i++;
    else if (r.s[r.i] !== '}') throw new Error('expected ,');
  }
}
