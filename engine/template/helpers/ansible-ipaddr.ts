// ansible.utils (2.10.3) ipaddr, ipv4, ipv6 and ipwrap with their basic queries, as
// plugin_utils/base/ipaddr_utils.py computes them over netaddr: a value that is not an address
// gives false, a query that does not apply gives null (Python's None), a list keeps its truthy results.
import type { HelperFn } from '../evaluate.js';
import { asText } from '../../text.js';
import {
  addrText,
  broadcast,
  first,
  hostmask,
  inNet,
  last,
  netmask,
  netText,
  parseNet,
  size,
  width,
  within,
  type Net,
} from './ip-network.js';

type VType = 'address' | 'network';
type Query = (v: Net, vtype: VType, value: string) => unknown;

const isNetworkAddress = (v: Net) => v.ip === first(v);

function ipQuery(v: Net): string | null {
  if (size(v) === 1n || !isNetworkAddress(v) || broadcast(v) === undefined || v.version === 6)
    return addrText(v.ip, v.version);
  return null;
}

function isPrivate(v: Net): boolean {
  const ranges =
    v.version === 4
      ? ['10.0.0.0/8', '100.64.0.0/10', '172.16.0.0/12', '192.0.0.0/24', '192.168.0.0/16', '198.18.0.0/15']
      : ['fc00::/7', 'fec0::/10'];
  if (ranges.some((r) => inNet(v, r))) return true;
  // netaddr's IPRange 239.0.0.0-239.255.255.255 (administrative multicast), then link-local.
  if (v.version === 4 && within(v, 0xef000000n, 0xefffffffn)) return true;
  return inNet(v, v.version === 4 ? '169.254.0.0/16' : 'fe80::/10');
}

function isPublic(v: Net): boolean {
  const ip: Net = { ...v, prefix: width(v) };
  const max = (1n << BigInt(width(v))) - 1n;
  const pow2 = (x: bigint) => (x & (x - 1n)) === 0n;
  const multicast = inNet(ip, v.version === 4 ? '224.0.0.0/4' : 'ff00::/8');
  const loopback = v.version === 4 ? inNet(ip, '127.0.0.0/8') : ip.ip === 1n;
  return !multicast && !isPrivate(ip) && !loopback && !pow2((ip.ip ^ max) + 1n) && !pow2(ip.ip + 1n);
}

const QUERIES: Record<string, Query> = {
  '': (v, vtype) => (vtype === 'address' ? addrText(v.ip, v.version) : netText(v)),
  address: ipQuery,
  ip: ipQuery,
  host: (v) =>
    size(v) === 1n
      ? netText(v)
      : !isNetworkAddress(v) || broadcast(v) === undefined
        ? `${addrText(v.ip, v.version)}/${v.prefix}`
        : null,
  network: (v) => addrText(first(v), v.version),
  network_id: (v) => addrText(first(v), v.version),
  netmask: (v) => addrText(netmask(v), v.version),
  hostmask: (v) => addrText(hostmask(v), v.version),
  broadcast: (v) => {
    const b = broadcast(v);
    return b === undefined ? null : addrText(b, v.version);
  },
  prefix: (v) => v.prefix,
  cidr: (v) => netText(v),
  subnet: (v) => `${addrText(first(v), v.version)}/${v.prefix}`,
  size: (v) => Number(size(v)),
  version: (v) => v.version,
  bool: () => true,
  private: (v, _t, value) => (isPrivate(v) ? value : null),
  public: (v, _t, value) => (isPublic(v) ? value : null),
  ipv4: (v, _t, value) => {
    if (v.version === 4) return value;
    // netaddr's ipv4(): an IPv4-compatible or -mapped address, the prefix less 96.
    const ip = v.ip <= 0xffffffffn ? v.ip : v.ip <= 0xffffffffffffn ? v.ip - 0xffff00000000n : undefined;
    return ip === undefined || v.prefix < 96 ? false : `${addrText(ip, 4)}/${v.prefix - 96}`;
  },
  ipv6: (v, _t, value) => (v.version === 6 ? value : `${addrText(0xffff00000000n + v.ip, 6)}/${v.prefix + 96}`),
  wrap: (v, vtype, value) =>
    v.version !== 6 ? value : vtype === 'address' ? `[${addrText(v.ip, 6)}]` : `[${addrText(v.ip, 6)}]/${v.prefix}`,
};
QUERIES.v4 = QUERIES.ipv4;
QUERIES.v6 = QUERIES.ipv6;

/** ipaddr(value, query, version): one value. */
export function ipaddr(value: unknown, query: unknown = '', version: 0 | 4 | 6 = 0, alias = 'ipaddr'): unknown {
  if (Array.isArray(value)) return value.map((e) => ipaddr(e, query, version, alias)).filter((x) => truthyPy(x));
  if (value === undefined || value === null || value === false || value === true || value === '' || value === 0)
    return false;
  let text = asText(value);
  let v: Net | undefined;
  let vtype: VType;
  if (/^\d+$/.test(text)) {
    // A number is an address: IPv4 when it fits (or when version 4 is asked), else IPv6.
    const n = BigInt(text);
    if (n <= 0xffffffffn && version !== 6) v = { version: 4, ip: n, prefix: 32 };
    else if (n < 1n << 128n) v = { version: 6, ip: n, prefix: 128 };
    else return false;
    text = netText(v);
    vtype = 'address';
  } else {
    v = parseNet(text);
    if (!v) return false;
    vtype = text.includes('/') ? 'network' : 'address';
  }
  const q = String(query);
  if (version && v.version !== version) return false;
  const fn = Object.prototype.hasOwnProperty.call(QUERIES, q) ? QUERIES[q] : undefined;
  if (fn) return fn(v, vtype, text);
  // A query that is itself a network: the value when it lies inside (cidr_lookup).
  if (!/^\d+$/.test(q) && parseNet(q)) return inNet(v, q) ? text : null;
  if (/^-?\d+$/.test(q)) {
    // A number picks the nth address of the network (negative: from its end).
    if (size(v) === 1n) return vtype === 'address' ? addrText(v.ip, v.version) : netText(v);
    const i = BigInt(q);
    const at = i < 0n ? last(v) + i + 1n : first(v) + i;
    if (at < first(v) || at > last(v)) return false;
    return `${addrText(at, v.version)}/${v.prefix}`;
  }
  throw new Error(`${alias}: unknown filter type: ${q}`);
}

function truthyPy(x: unknown): boolean {
  return !(x === null || x === undefined || x === false || x === '' || x === 0);
}

/** ipwrap: an IPv6 address in brackets, anything else (even a non-address) as it is. */
export function ipwrap(value: unknown, query: unknown = ''): unknown {
  try {
    // A list wraps each matching item itself; one value wraps what the query gave.
    if (Array.isArray(value))
      return value.map((e: unknown) => (truthyPy(ipaddr(e, query, 0, 'ipwrap')) ? ipaddr(e, 'wrap') : e));
    const r = ipaddr(value, query, 0, 'ipwrap');
    return truthyPy(r) ? ipaddr(r, 'wrap') : value;
  } catch {
    return value;
  }
}

export const ipaddrHelpers: Record<string, HelperFn> = {
  ipaddr: ([v, q]) => ipaddr(v, q ?? ''),
  ipv4: ([v, q]) => ipaddr(v, q ?? '', 4, 'ipv4'),
  ipv6: ([v, q]) => ipaddr(v, q ?? '', 6, 'ipv6'),
  ipwrap: ([v, q]) => ipwrap(v, q ?? ''),
};
