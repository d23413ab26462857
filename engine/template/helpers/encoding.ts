// Conversions and encodings: (int x), (bool x), (to_json x), (from_yaml s), (b64encode s), (sha256 s).
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type * as YamlModule from 'yaml';
import type { HelperFn } from '../evaluate.js';
import { LazyVars } from '../scope.js';
import { asText } from '../../text.js';

// The `yaml` library loads on first use: every command loads the helpers, few call these two.
const require = createRequire(import.meta.url);
const yamlLib = () => require('yaml') as typeof YamlModule;

const plain = (v: unknown) => (v instanceof LazyVars ? v.toJSON() : v);

function toInt(v: unknown): number {
  if (typeof v === 'number') return Math.trunc(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  const s = String(v).trim();
  const n = /^0x[0-9a-f]+$/i.test(s) ? parseInt(s, 16) : /^0o[0-7]+$/i.test(s) ? parseInt(s.slice(2), 8) : Number(s);
  if (!Number.isFinite(n)) throw new Error(`(int x) cannot read ${JSON.stringify(v)} as a number`);
  return Math.trunc(n);
}

export function toBool(v: unknown): boolean {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  const s = asText(v ?? '')
    .trim()
    .toLowerCase();
  if (['true', 'yes', 'on', '1', 'y'].includes(s)) return true;
  if (['false', 'no', 'off', '0', 'n', '', 'none', 'null'].includes(s)) return false;
  throw new Error(`(bool x) cannot read ${JSON.stringify(v)} as true or false`);
}

export const encodingHelpers: Record<string, HelperFn> = {
  int: ([v]) => toInt(v),
  float: ([v]) => {
    const n = Number(v);
    if (!Number.isFinite(n)) throw new Error(`(float x) cannot read ${JSON.stringify(v)} as a number`);
    return n;
  },
  bool: ([v]) => toBool(v),
  string: ([v]) => (typeof v === 'string' ? v : v === null || v === undefined ? '' : asText(plain(v))),
  to_json: ([v], h) => JSON.stringify(plain(v), null, h.indent === undefined ? undefined : Number(h.indent)),
  from_json: ([s]) => JSON.parse(String(s)) as unknown,
  to_yaml: ([v]) => yamlLib().stringify(plain(v)),
  from_yaml: ([s]) => yamlLib().parse(String(s)) as unknown,
  b64encode: ([s]) => Buffer.from(String(s), 'utf8').toString('base64'),
  b64decode: ([s]) => Buffer.from(String(s), 'base64').toString('utf8'),
  sha256: ([s]) => createHash('sha256').update(String(s)).digest('hex'),
  add: ([a, b]) => Number(a) + Number(b),
  sub: ([a, b]) => Number(a) - Number(b),
  mul: ([a, b]) => Number(a) * Number(b),
  div: ([a, b]) => Number(a) / Number(b),
};
