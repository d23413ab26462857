// Hosts → batches, exactly as Ansible computes them: `serial` is a number, "N%" of all the
// play's hosts (floor, at least 1), or a list whose last entry repeats; 0 means one batch.

import { HerdbookError } from '../errors.js';

export type Serial = number | string | (number | string)[] | undefined | null;

/** A `serial` value that is no batch size (a template can render anything); the caller says where. */
export class SerialError extends HerdbookError {
  constructor(message: string) {
    super('E_SERIAL', message);
  }
}

export function batchSize(entry: number | string, total: number): number {
  if (typeof entry === 'string' && entry.trim().endsWith('%')) {
    const pct = Number(entry.trim().slice(0, -1));
    if (!Number.isFinite(pct)) throw new SerialError(`serial: '${entry}' is not a percentage`);
    return Math.floor((pct / 100) * total) || 1;
  }
  const n = Number(entry);
  if (!Number.isInteger(n) || n < 0) throw new SerialError(`serial: '${entry}' is not a whole number or a percentage`);
  return n;
}

export function computeBatches<T>(hosts: readonly T[], serial: Serial): T[][] {
  if (serial === undefined || serial === null || hosts.length === 0) return hosts.length ? [[...hosts]] : [];
  const list = Array.isArray(serial) ? serial : [serial];
  if (!list.length) return [[...hosts]];
  for (const entry of list) {
    if (typeof entry !== 'number' && typeof entry !== 'string')
      throw new SerialError(`serial: ${JSON.stringify(entry)} is not a whole number or a percentage`);
  }
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
    case 'inventory':
      return [...hosts];
  }
}
