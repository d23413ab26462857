// An IP network as Python's netaddr (0.8) sees it, for ansible.utils' ipaddr filters: parsing
// (an address is a /32 or /128 network), its numbers, and netaddr's printing (glibc's
// inet_ntop for IPv6: '::ffff:10.0.0.1' stays dotted). Parsing is ipaddr.js'; the rest is the
// arithmetic netaddr does, on BigInt.
import ipaddr from 'ipaddr.js';

export type Net = { version: 4 | 6; ip: bigint; prefix: number };

export const width = (n: Net) => (n.version === 4 ? 32 : 128);
const ones = (bits: number) => (1n << BigInt(bits)) - 1n;
export const hostmask = (n: Net) => ones(width(n) - n.prefix);
export const netmask = (n: Net) => ones(width(n)) ^ hostmask(n);
export const first = (n: Net) => n.ip & netmask(n);
export const last = (n: Net) => first(n) | hostmask(n);
export const size = (n: Net) => hostmask(n) + 1n;
/** netaddr has no broadcast address for /31, /32, /127, /128. */
export const broadcast = (n: Net) => (width(n) - n.prefix <= 1 ? undefined : last(n));

function bytesToBig(bytes: number[]): bigint {
  return bytes.reduce((acc, b) => (acc << 8n) | BigInt(b), 0n);
}

/** One address in netaddr's INET_PTON rules (IPv4: four decimal parts, no leading zeros). */
function parseAddress(text: string, version: 4 | 6): bigint | undefined {
  if (version === 4) {
    if (!/^(0|[1-9]\d{0,2})(\.(0|[1-9]\d{0,2})){3}$/.test(text) || !ipaddr.IPv4.isValidFourPartDecimal(text))
      return undefined;
    return bytesToBig(ipaddr.IPv4.parse(text).toByteArray());
  }
  if (!ipaddr.IPv6.isValid(text) || text.includes('%')) return undefined;
  return bytesToBig(ipaddr.IPv6.parse(text).toByteArray());
}

/** A mask's prefix length when it is a netmask (255.255.0.0) or a hostmask (0.0.255.255). */
function maskPrefix(mask: bigint, w: number): number | undefined {
  for (let p = 0; p <= w; p++) {
    const nm = ones(w) ^ ones(w - p);
    if (mask === nm || mask === ones(w - p)) return p;
  }
  return undefined;
}

/** netaddr.IPNetwork(text): IPv4 first (partial '10.1' expanded), then IPv6; undefined when neither. */
export function parseNet(text: string): Net | undefined {
  const slash = text.indexOf('/');
  const addr = slash < 0 ? text : text.slice(0, slash);
  const suffix = slash < 0 ? undefined : text.slice(slash + 1);
  for (const version of [4, 6] as const) {
    const w = version === 4 ? 32 : 128;
    let ip = parseAddress(addr, version);
    if (ip === undefined && version === 4 && /^\d+(\.\d+){0,2}$/.test(addr))
      ip = parseAddress([...addr.split('.'), '0', '0', '0'].slice(0, 4).join('.'), 4);
    if (ip === undefined) continue;
    if (suffix === undefined) return { version, ip, prefix: w };
    if (/^\d+$/.test(suffix)) {
      const prefix = Number(suffix);
      return prefix <= w ? { version, ip, prefix } : undefined;
    }
    const mask = parseAddress(suffix, version);
    const prefix = mask === undefined ? undefined : maskPrefix(mask, w);
    return prefix === undefined ? undefined : { version, ip, prefix };
  }
  return undefined;
}

/** An address as netaddr prints it. */
export function addrText(ip: bigint, version: 4 | 6): string {
  if (version === 4) return [24n, 16n, 8n, 0n].map((s) => String((ip >> s) & 255n)).join('.');
  const words = [...Array(8).keys()].map((i) => Number((ip >> BigInt(112 - 16 * i)) & 0xffffn));
  // The longest run of two or more zero words, the leftmost on a tie (glibc's inet_ntop).
  let best = { at: -1, len: 0 };
  for (let i = 0; i < 8;) {
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > best.len) best = { at: i, len: j - i };
    i = j === i ? i + 1 : j;
  }
  if (best.len < 2) best = { at: -1, len: 0 };
  const v4 = best.at === 0 && (best.len === 6 || (best.len === 5 && words[5] === 0xffff));
  const parts: string[] = [];
  for (let i = 0; i < 8; i++) {
    if (i === best.at) {
      parts.push(i === 0 ? ':' : '');
      i += best.len - 1;
      if (i === 7) parts.push('');
      continue;
    }
    if (v4 && i === 6) {
      parts.push(addrText(ip & 0xffffffffn, 4));
      break;
    }
    parts.push(words[i].toString(16));
  }
  return parts.join(':');
}

export const netText = (n: Net) => `${addrText(n.ip, n.version)}/${n.prefix}`;

/** Whether every address of n lies within [lo, hi]. */
export function within(n: Net, lo: bigint, hi: bigint): boolean {
  return first(n) >= lo && last(n) <= hi;
}

export function inNet(n: Net, cidr: string): boolean {
  const c = parseNet(cidr)!;
  return c.version === n.version && within(n, first(c), last(c));
}
