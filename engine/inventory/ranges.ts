// Host ranges: w-[1:3] → w-1 w-2 w-3; [01:10] keeps zero padding; [a:c]; [0:10:2] steps.
const RANGE = /\[([0-9a-zA-Z]+):([0-9a-zA-Z]+)(?::(\d+))?\]/;

export function expandHostRange(pattern: string): string[] {
  const m = RANGE.exec(pattern);
  if (!m) return [pattern];
  const [whole, from, to, stepText] = m;
  const head = pattern.slice(0, m.index);
  const tail = pattern.slice(m.index + whole.length);
  const step = stepText ? Number(stepText) : 1;
  if (step <= 0) throw new Error(`host range ${whole}: the step must be positive`);
  const items: string[] = [];
  if (/^\d+$/.test(from) && /^\d+$/.test(to)) {
    const width = from.length > 1 && from.startsWith('0') ? from.length : 0;
    const a = Number(from);
    const b = Number(to);
    if (a > b) throw new Error(`host range ${whole}: start is after end`);
    for (let i = a; i <= b; i += step) items.push(width ? String(i).padStart(width, '0') : String(i));
  } else if (/^[a-zA-Z]$/.test(from) && /^[a-zA-Z]$/.test(to)) {
    const a = from.charCodeAt(0);
    const b = to.charCodeAt(0);
    if (a > b) throw new Error(`host range ${whole}: start is after end`);
    for (let c = a; c <= b; c += step) items.push(String.fromCharCode(c));
  } else {
    throw new Error(`host range ${whole}: use numbers ([1:3], [01:10]) or single letters ([a:c])`);
  }
  return items.flatMap((x) => expandHostRange(`${head}${x}${tail}`));
}
