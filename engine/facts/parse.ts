// The facts script's output → Ansible's facts as its setup module returns them (`ansible_`
// names: ansible_hostname, ansible_os_family, ansible_eth0, ...), and herdbook's older `facts`
// object, which stays as an alias.
import { distributionFacts, lsbFacts } from './distribution.js';
import { networkFacts } from './network.js';

type Lines = { one: Map<string, string>; many: Map<string, string[]> };

function lines(text: string): Lines {
  const one = new Map<string, string>();
  const many = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const k = line.slice(0, eq).trim();
    const v = line.slice(eq + 1);
    if (!one.has(k)) one.set(k, v.trim());
    (many.get(k) ?? many.set(k, []).get(k)!).push(v);
  }
  return { one, many };
}

/** Ansible's service_mgr decision (service_mgr.py), on Linux. */
function serviceMgr(l: Lines): string {
  const map: Record<string, string> = {
    procd: 'openwrt_init',
    'runit-init': 'runit',
    svscan: 'svc',
    'openrc-init': 'openrc',
  };
  let proc1: string | undefined = l.one.get('init') || l.one.get('sbin_init') || undefined;
  if (proc1) proc1 = proc1.split('/').pop()!.trim();
  if (proc1 === 'init' || proc1?.endsWith('sh')) proc1 = undefined;
  if (proc1) return map[proc1] ?? proc1;
  const systemctl = l.one.has('systemctl');
  if (systemctl && l.one.has('systemd_canary')) return 'systemd';
  if (l.one.has('upstart')) return 'upstart';
  if (l.one.has('openrc')) return 'openrc';
  if (systemctl && (l.one.get('sbin_init') ?? '').split('/').pop() === 'systemd') return 'systemd';
  if (l.one.has('initd')) return 'sysvinit';
  return 'service';
}

function pkgMgr(paths: string[], family: string): string {
  const names: Record<string, string> = {
    '/usr/bin/rpm-ostree': 'atomic_container',
    '/usr/bin/yum': 'yum',
    '/usr/bin/dnf': 'dnf',
    '/usr/bin/apt-get': 'apt',
    '/usr/bin/zypper': 'zypper',
    '/usr/bin/pacman': 'pacman',
    '/sbin/apk': 'apk',
  };
  const found = paths.map((p) => names[p.trim()]).filter(Boolean);
  // Ansible prefers dnf on a RedHat-family host that has both (its _check_rh_versions).
  if (family === 'RedHat' && found.includes('dnf')) return 'dnf';
  // And apt on a Debian-family host whatever else is installed there (pacman, dnf, zypper from Debian's archive).
  if (family === 'Debian') return 'apt';
  return found.pop() ?? 'unknown';
}

function env(b64: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!b64) return out;
  for (const entry of Buffer.from(b64, 'base64').toString('utf8').split('\0')) {
    const eq = entry.indexOf('=');
    if (eq > 0) out[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  return out;
}

/** The facts as Ansible's setup returns them: every name starts with `ansible_`. */
export function parseAnsibleFacts(text: string): Record<string, unknown> {
  const l = lines(text);
  const get = (k: string) => l.one.get(k) ?? '';
  const all = (k: string) => l.many.get(k) ?? [];
  const system = get('system') || 'Linux';
  const dist = distributionFacts(
    {
      id: get('os_id'),
      version: get('os_version'),
      codename: get('os_codename'),
      prettyName: get('os_name'),
      debianVersion: l.one.get('debian_version'),
    },
    system,
  );
  const net = networkFacts(all('net'), all('addr'), get('route4'), get('route6'));
  const [userName, , uid, gid, gecos, dir, shell] = get('passwd').split(':');
  const bits = get('bits');
  const arch = get('arch');
  const hostname = get('hostname');
  const facts: Record<string, unknown> = {
    hostname: hostname.split('.')[0],
    nodename: hostname,
    fqdn: get('fqdn') || hostname,
    domain: (get('fqdn') || hostname).split('.').slice(1).join('.'),
    system,
    kernel: get('kernel'),
    kernel_version: get('kernel_version'),
    machine: arch,
    architecture: arch,
    userspace_bits: bits,
    ...(arch === 'x86_64' || arch === 'i386' ? { userspace_architecture: bits === '32' ? 'i386' : arch } : {}),
    ...dist,
    lsb: lsbFacts(all('lsb'), all('lsbfile')),
    pkg_mgr: pkgMgr(all('pkg'), dist.os_family),
    service_mgr: serviceMgr(l),
    user_id: get('user') || userName || '',
    ...(uid !== undefined
      ? { user_uid: Number(uid), user_gid: Number(gid), user_gecos: gecos, user_dir: dir, user_shell: shell }
      : {}),
    env: env(l.one.get('env')),
    // Ansible divides by 1024 with Python's //.
    memtotal_mb: Math.floor(Number(get('mem_kb') || 0) / 1024),
    memfree_mb: Math.floor(Number(get('memfree_kb') || 0) / 1024),
    processor_vcpus: Number(get('vcpus') || get('cpus') || 0),
    processor_nproc: Number(get('cpus') || 0),
    interfaces: net.interfaces,
    all_ipv4_addresses: net.all_ipv4_addresses,
    all_ipv6_addresses: net.all_ipv6_addresses,
    default_ipv4: net.default_ipv4,
    default_ipv6: net.default_ipv6,
  };
  // Each interface under its own name, '-' and ':' as '_' (Ansible's network facts).
  for (const [dev, i] of net.byDevice) facts[dev.replace(/[-:]/g, '_')] = i;
  return Object.fromEntries(Object.entries(facts).map(([k, v]) => [`ansible_${k}`, v]));
}

/** herdbook's first fact names (`facts.os.id`, `facts.cpus`), kept as an alias of Ansible's. */
export type Facts = {
  hostname: string;
  os: { id: string; version: string; name: string };
  architecture: string;
  kernel: string;
  init: string;
  cpus: number;
  memory_mb: number;
};

export function parseFacts(text: string): Facts {
  const l = lines(text);
  const get = (k: string) => l.one.get(k) ?? '';
  return {
    hostname: get('hostname'),
    os: { id: get('os_id'), version: get('os_version'), name: get('os_name') },
    architecture: get('arch'),
    kernel: get('kernel'),
    init: get('init'),
    cpus: Number(get('cpus') || 0) || 0,
    memory_mb: Math.round(Number(get('mem_kb') || 0) / 1024),
  };
}
