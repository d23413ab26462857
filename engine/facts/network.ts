// Ansible's network facts (module_utils/facts/network/linux.py) from /sys/class/net lines and
// `ip -o addr` / `ip route get` output: per-interface facts, default_ipv4/6, all_ipv4/6_addresses.
type Ipv4 = { address: string; broadcast: string; netmask: string; network: string; prefix: string };
type Ipv6 = { address: string; prefix: string; scope: string };
export type Interface = {
  device: string;
  active: boolean;
  type: string;
  mtu?: number;
  macaddress?: string;
  promisc: boolean;
  ipv4?: Ipv4;
  ipv4_secondaries?: Ipv4[];
  ipv6?: Ipv6[];
};

// /sys/class/net/<dev>/type → Ansible's name (INTERFACE_TYPE).
const TYPES: Record<string, string> = {
  '1': 'ether',
  '32': 'infiniband',
  '512': 'ppp',
  '772': 'loopback',
  '65534': 'tunnel',
};

function toNumber(ip: string): number {
  return ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
}
function toDotted(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}

function ipv4Of(cidr: string, brd: string | undefined): Ipv4 {
  const [address, bits = '32'] = cidr.split('/');
  const prefix = Number(bits);
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return {
    address,
    broadcast: brd ?? '',
    netmask: toDotted(mask),
    network: toDotted((toNumber(address) & mask) >>> 0),
    prefix: String(prefix),
  };
}

export type NetworkFacts = {
  interfaces: string[];
  byDevice: Map<string, Interface>;
  all_ipv4_addresses: string[];
  all_ipv6_addresses: string[];
  default_ipv4: Record<string, unknown>;
  default_ipv6: Record<string, unknown>;
};

export function networkFacts(net: string[], addrs: string[], route4: string, route6: string): NetworkFacts {
  const byDevice = new Map<string, Interface>();
  const interfaces: string[] = [];
  for (const line of net) {
    const [device, operstate, type, mac, mtu, flags] = line.split(/\s+/);
    if (!device) continue;
    interfaces.push(device);
    const i: Interface = {
      device,
      active: operstate !== 'down',
      type: TYPES[type] ?? 'unknown',
      promisc: (Number(flags) & 0x100) > 0,
    };
    if (mac && mac !== '00:00:00:00:00:00') i.macaddress = mac;
    if (mtu && !Number.isNaN(Number(mtu))) i.mtu = Number(mtu);
    byDevice.set(device, i);
  }
  const all4: string[] = [];
  const all6: string[] = [];
  // Which interface line each address came from: default_ipv4's alias is the label (last word).
  const alias = new Map<string, string>();
  for (const line of addrs) {
    const words = line.split('\\')[0].trim().split(/\s+/);
    const dev = (words[1] ?? '').replace(/@.*$/, '');
    const i = byDevice.get(dev);
    const family = words[2];
    const cidr = words[3];
    if (!i || !cidr) continue;
    const at = (k: string) => (words.includes(k) ? words[words.indexOf(k) + 1] : undefined);
    if (family === 'inet') {
      const v4 = ipv4Of(cidr, at('brd'));
      alias.set(v4.address, words[words.length - 1]);
      if (!i.ipv4 && !words.includes('secondary')) i.ipv4 = v4;
      else (i.ipv4_secondaries ??= []).push(v4);
      if (!v4.address.startsWith('127.')) all4.push(v4.address);
    } else if (family === 'inet6') {
      const [address, prefix = '128'] = cidr.split('/');
      (i.ipv6 ??= []).push({ address, prefix, scope: at('scope') ?? '' });
      if (address !== '::1') all6.push(address);
    }
  }
  return {
    interfaces,
    byDevice,
    all_ipv4_addresses: all4,
    all_ipv6_addresses: all6,
    default_ipv4: defaultV4(route4, byDevice, alias),
    default_ipv6: defaultV6(route6, byDevice),
  };
}

function routeWords(route: string): Map<string, string> {
  const w = route.trim().split(/\s+/);
  const m = new Map<string, string>();
  for (const k of ['via', 'dev', 'src']) if (w.includes(k)) m.set(k, w[w.indexOf(k) + 1]);
  return m;
}

function defaultV4(
  route: string,
  byDevice: Map<string, Interface>,
  alias: Map<string, string>,
): Record<string, unknown> {
  const r = routeWords(route);
  const dev = r.get('dev');
  const i = dev ? byDevice.get(dev) : undefined;
  if (!i) return {};
  const v4 = [i.ipv4, ...(i.ipv4_secondaries ?? [])].find((a) => a?.address === r.get('src')) ?? i.ipv4;
  return {
    ...(v4 ?? {}),
    ...(v4 ? { alias: alias.get(v4.address) ?? dev } : {}),
    gateway: r.get('via') ?? '',
    interface: dev,
    ...(i.macaddress ? { macaddress: i.macaddress } : {}),
    ...(i.mtu !== undefined ? { mtu: i.mtu } : {}),
    type: i.type,
  };
}

function defaultV6(route: string, byDevice: Map<string, Interface>): Record<string, unknown> {
  const r = routeWords(route);
  const dev = r.get('dev');
  const i = dev ? byDevice.get(dev) : undefined;
  if (!i) return {};
  const v6 = i.ipv6?.find((a) => a.address === r.get('src')) ?? i.ipv6?.find((a) => a.scope === 'global');
  return {
    ...(v6 ?? {}),
    gateway: r.get('via') ?? '',
    interface: dev,
    ...(i.macaddress ? { macaddress: i.macaddress } : {}),
    ...(i.mtu !== undefined ? { mtu: i.mtu } : {}),
    type: i.type,
  };
}
