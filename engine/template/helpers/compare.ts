// Comparison and logic helpers: (eq a b), (lt a b), (not x), (in x list), (contains list x).
import type { HelperFn } from '../evaluate.js';
import { truthy } from '../truthy.js';

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b as object);
  return (
    ka.length === kb.length &&
    ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
  );
}

function ordered(name: string, test: (c: number) => boolean): HelperFn {
  return ([a, b]) => {
    if (typeof a === 'number' && typeof b === 'number') return test(a - b);
    if (typeof a === 'string' && typeof b === 'string') return test(a < b ? -1 : a > b ? 1 : 0);
    throw new Error(
      `(${name} a b) compares two numbers or two strings, got ${typeof a} and ${typeof b}; convert with (int x)`,
    );
  };
}

export function membership(item: unknown, container: unknown): boolean {
  if (Array.isArray(container)) return container.some((x) => deepEqual(x, item));
  if (typeof container === 'string') return container.includes(String(item));
  if (container && typeof container === 'object') return Object.prototype.hasOwnProperty.call(container, String(item));
  return false;
}

export const compareHelpers: Record<string, HelperFn> = {
  eq: ([a, b]) => deepEqual(a, b),
  ne: ([a, b]) => !deepEqual(a, b),
  lt: ordered('lt', (c) => c < 0),
  lte: ordered('lte', (c) => c <= 0),
  gt: ordered('gt', (c) => c > 0),
  gte: ordered('gte', (c) => c >= 0),
  not: ([a]) => !truthy(a),
  in: ([item, container]) => membership(item, container),
  contains: ([container, item]) => membership(item, container),
  ternary: ([cond, a, b]) => (truthy(cond) ? a : b),
  is_string: ([a]) => typeof a === 'string',
  is_number: ([a]) => typeof a === 'number',
};
