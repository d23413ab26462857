// Go's time.Parse for the two layouts the API server reads times with, error texts included:
// metav1.Time uses time.RFC3339 (fractional seconds accepted, written back as whole seconds),
// metav1.MicroTime uses "2006-01-02T15:04:05.000000Z07:00", whose ".000000" demands exactly
// six digits (transcript 15: `cannot parse ".405Z" as ".000000"`). Follows Go's src/time/format.go.

export const RFC3339 = '2006-01-02T15:04:05Z07:00';
export const RFC3339_MICRO = '2006-01-02T15:04:05.000000Z07:00';

export class GoTimeError extends Error {}

// Layout chunks as nextStdChunk splits them: [literal prefix, std element].
const CHUNKS: Record<string, Array<[string, string]>> = {
  [RFC3339]: [
    ['', '2006'],
    ['-', '01'],
    ['-', '02'],
    ['T', '15'],
    [':', '04'],
    [':', '05'],
    ['', 'Z07:00'],
  ],
  [RFC3339_MICRO]: [
    ['', '2006'],
    ['-', '01'],
    ['-', '02'],
    ['T', '15'],
    [':', '04'],
    [':', '05'],
    ['', '.000000'],
    ['', 'Z07:00'],
  ],
};

/** time's own quote(): `"` and `\` escaped, bytes outside printable ASCII as \xNN. */
export function goTimeQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c < 0x20 || c >= 0x80) for (const b of Buffer.from(ch)) out += `\\x${b.toString(16).padStart(2, '0')}`;
    else out += (ch === '"' || ch === '\\' ? '\\' : '') + ch;
  }
  return out + '"';
}

const isDigit = (s: string, i: number) => i < s.length && s[i] >= '0' && s[i] <= '9';

// Go reads a comma as a decimal separator too (commaOrPeriod).
const isPoint = (c: string | undefined) => c === '.' || c === ',';

/** getnum: one or two digits (exactly two when fixed). */
function getnum(s: string, fixed: boolean): [number, string] | undefined {
  if (!isDigit(s, 0)) return undefined;
  if (!isDigit(s, 1)) return fixed ? undefined : [Number(s[0]), s.slice(1)];
  return [Number(s.slice(0, 2)), s.slice(2)];
}

/** atoi: an optional sign and digits, nothing else. */
const atoi = (s: string): number | undefined => (/^[+-]?\d+$/.test(s) ? Number(s) : undefined);

type Parsed = {
  year: number;
  month: number;
  day: number;
  hour: number;
  min: number;
  sec: number;
  nsec: number;
  offset: number;
};

/** Milliseconds since the epoch and the nanoseconds of the second, or a GoTimeError with Go's text. */
export function goParse(layout: typeof RFC3339 | typeof RFC3339_MICRO, value: string): { ms: number; nsec: number } {
  const fail = (layoutElem: string, valueElem: string, message = ''): never => {
    const head = `parsing time ${goTimeQuote(value)}`;
    throw new GoTimeError(
      message
        ? head + message
        : `${head} as ${goTimeQuote(layout)}: cannot parse ${goTimeQuote(valueElem)} as ${goTimeQuote(layoutElem)}`,
    );
  };
  const p: Parsed = { year: 0, month: 1, day: 1, hour: 0, min: 0, sec: 0, nsec: 0, offset: 0 };
  let v = value;
  const chunks = CHUNKS[layout];
  for (let i = 0; i < chunks.length; i++) {
    const [prefix, std] = chunks[i];
    if (prefix && v[0] !== prefix) fail(prefix, v);
    v = v.slice(prefix.length);
    const hold = v;
    let range = '';
    let ok = true;
    const num = (fixed: boolean, max: number, name: string, set: (n: number) => void) => {
      const r = getnum(v, fixed);
      if (!r) return (ok = false);
      set(r[0]);
      v = r[1];
      if (r[0] > max) range = name;
      return true;
    };
    switch (std) {
      case '2006': {
        const y = v.length >= 4 && isDigit(v, 0) ? atoi(v.slice(0, 4)) : undefined;
        if (y === undefined) ok = false;
        else [p.year, v] = [y, v.slice(4)];
        break;
      }
      case '01':
        if (num(true, 12, 'month', (n) => (p.month = n)) && p.month === 0) range = 'month';
        break;
      case '02':
        num(true, 99, '', (n) => (p.day = n));
        break;
      case '15':
        num(false, 23, 'hour', (n) => (p.hour = n));
        break;
      case '04':
        num(true, 59, 'minute', (n) => (p.min = n));
        break;
      case '05':
        if (!num(true, 59, 'second', (n) => (p.sec = n)) || range) break;
        // A fraction the layout does not ask for is still read (only for RFC3339).
        if (chunks[i + 1]?.[1] !== '.000000' && v.length >= 2 && isPoint(v[0]) && isDigit(v, 1)) {
          let n = 2;
          while (isDigit(v, n)) n++;
          p.nsec = Number(v.slice(1, Math.min(n, 10)).padEnd(9, '0'));
          v = v.slice(n);
        }
        break;
      case '.000000': {
        const ns = v.length >= 7 && isPoint(v[0]) ? atoi(v.slice(1, 7)) : undefined;
        if (ns === undefined) ok = false;
        else if (ns < 0) range = 'fractional second';
        else [p.nsec, v] = [ns * 1000, v.slice(7)];
        break;
      }
      case 'Z07:00':
        if (v[0] === 'Z') v = v.slice(1);
        else if (v.length < 6 || v[3] !== ':' || (v[0] !== '+' && v[0] !== '-')) ok = false;
        else {
          const h = getnum(v.slice(1, 3), true);
          const m = getnum(v.slice(4, 6), true);
          if (!h || !m) ok = false;
          else {
            if (h[0] > 24) range = 'time zone offset hour';
            if (m[0] > 60) range = 'time zone offset minute';
            p.offset = (v[0] === '-' ? -1 : 1) * (h[0] * 60 + m[0]) * 60;
            v = v.slice(6);
          }
        }
        break;
    }
    if (range) fail(std, v, `: ${range} out of range`);
    if (!ok) fail(std, hold);
  }
  if (v.length) fail('', v, `: extra text: ${goTimeQuote(v)}`);
  const daysIn = new Date(Date.UTC(2000, p.month, 0)).getUTCDate() - (p.month === 2 && !leap(p.year) ? 1 : 0);
  if (p.day < 1 || p.day > daysIn) fail('', v, ': day out of range');
  const d = new Date(0);
  d.setUTCFullYear(p.year, p.month - 1, p.day);
  d.setUTCHours(p.hour, p.min, p.sec, 0);
  return { ms: d.getTime() - p.offset * 1000, nsec: p.nsec };
}

const leap = (y: number) => y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);

const pad = (n: number, w: number) => String(n).padStart(w, '0');

/** How the server writes it back: UTC, whole seconds for Time, microseconds for MicroTime. */
export function goFormat(ms: number, nsec: number, micro: boolean): string {
  const d = new Date(Math.floor(ms / 1000) * 1000);
  const base = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}T${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}`;
  return micro ? `${base}.${pad(Math.floor(nsec / 1000), 6)}Z` : `${base}Z`;
}
