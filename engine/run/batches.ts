// Hosts → batches, exactly as Ansible computes them: `serial` is a number, "N%" of all the
// play's hosts (floor, at least 1), or a list whose last entry repeats; 0 means one batch.

export type Serial = number | string | (number | string)[] | undefined | null;

export function batchSize(entry: number | string, total: number): number {
  if (typeof entry === 'string' && entry.trim().endsWith('%')) {
    const pct = Number(entry.trim().slice(0, -1));
    if (!Number.isFinite(pct)) throw new Error(`serial: '${entry}' is not a percentage`);
    return Math.floor((pct / 100) * total) || 1;
  }
  const n = Number(entry);
  if (!Number.isInteger(n) || n < 0) throw new Error(`serial: '${entry}' is not a whole number or a percentage`);
  return n;
}

export function computeBatches<T>(hosts: readonly T[], serial: Serial): T[][] {
  if (serial === undefined || serial === null || hosts.length === 0) return hosts.length ? [[...hosts]] : [];
  const list = Array.isArray(serial) ? serial : [serial];
  if (!list.length) return [[...hosts]];
  const out: T[][] = [];
  let rest = [...hosts];
  let i = 0;
  while (rest.length) {
    const size = batchSize(list[i], hosts.length);
    if (size <= 0) {
      out.push(rest);
      break;
    }
    out.push(rest.slice(0, size));
    rest = rest.slice(size);
    i = Math.min(i + 1, list.length - 1);
  }
  return out;
}

export type Order = 'inventory' | 'reverse_inventory' | 'sorted' | 'reverse_sorted' | 'shuffle';

export function orderHosts(hosts: readonly string[], order: Order, random: () => number = Math.random): string[] {
  switch (order) {
    case 'reverse_inventory':
      return [...hosts].reverse();
    case 'sorted':
      return [...hosts].sort();
    case 'reverse_sorted':
      return [...hosts].sort().reverse();
    case 'shuffle': {
      const a = [...hosts];
      for (let i = a.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [a[i], a[j]] = [a[j], a[i]];
      }
      return a;
    }
    default:
      return [...hosts];
  }
}
