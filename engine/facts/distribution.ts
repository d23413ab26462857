// Ansible's distribution facts (module_utils/facts/system/distribution.py) from os-release,
// /etc/debian_version and lsb_release: the names and families Ansible reports.
const NAMES: Record<string, string> = {
  debian: 'Debian',
  raspbian: 'Debian',
  ubuntu: 'Ubuntu',
  fedora: 'Fedora',
  centos: 'CentOS',
  rhel: 'RedHat',
  rocky: 'Rocky',
  almalinux: 'AlmaLinux',
  ol: 'OracleLinux',
  amzn: 'Amazon',
  arch: 'Archlinux',
  manjaro: 'Manjaro',
  alpine: 'Alpine',
  opensuse: 'openSUSE',
  'opensuse-leap': 'openSUSE Leap',
  'opensuse-tumbleweed': 'openSUSE Tumbleweed',
  sles: 'SLES',
  linuxmint: 'Linux Mint',
  pop: 'Pop!_OS',
  kali: 'Kali',
  devuan: 'Devuan',
};

// Ansible's OS_FAMILY_MAP, for the distributions herdbook names.
const FAMILIES: Record<string, string> = {
  ...Object.fromEntries(
    ['RedHat', 'Fedora', 'CentOS', 'OracleLinux', 'Amazon', 'AlmaLinux', 'Rocky'].map((n) => [n, 'RedHat']),
  ),
  ...Object.fromEntries(['Debian', 'Ubuntu', 'Linux Mint', 'Devuan', 'Kali', 'Pop!_OS'].map((n) => [n, 'Debian'])),
  ...Object.fromEntries(['SLES', 'openSUSE', 'openSUSE Leap', 'openSUSE Tumbleweed'].map((n) => [n, 'Suse'])),
  Archlinux: 'Archlinux',
  Manjaro: 'Archlinux',
  Alpine: 'Alpine',
};

export type OsRelease = { id: string; version: string; codename: string; prettyName: string; debianVersion?: string };

export function distributionFacts(os: OsRelease, system: string): Record<string, string> {
  const id = os.id.toLowerCase();
  const distribution = NAMES[id] ?? (os.id ? os.id.charAt(0).toUpperCase() + os.id.slice(1) : system || 'NA');
  // Debian's point release is in /etc/debian_version (12.11); os-release says only 12.
  const debian = distribution === 'Debian' && /^\d+(\.\d+)*$/.test(os.debianVersion ?? '') ? os.debianVersion! : '';
  const version = debian || os.version || 'NA';
  const [major, minor] = version.split('.');
  const release = os.codename || /\(([^)]+)\)/.exec(os.prettyName)?.[1] || 'NA';
  return {
    distribution,
    distribution_version: version,
    distribution_major_version: major || 'NA',
    ...(minor ? { distribution_minor_version: minor } : {}),
    distribution_release: release,
    os_family: FAMILIES[distribution] ?? distribution,
  };
}

/** `lsb_release -a` lines ("Distributor ID:\tDebian") or /etc/lsb-release (DISTRIB_ID=Debian) → ansible_lsb. */
export function lsbFacts(lsb: string[], lsbFile: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of lsb) {
    const c = line.indexOf(':');
    if (c < 0) continue;
    const k = line.slice(0, c).trim();
    const v = line.slice(c + 1).trim();
    if (k === 'Distributor ID') out.id = v;
    else if (k === 'Description') out.description = v;
    else if (k === 'Release') out.release = v;
    else if (k === 'Codename') out.codename = v;
  }
  for (const line of lsbFile) {
    const m = /^DISTRIB_(ID|RELEASE|DESCRIPTION|CODENAME)=(.*)$/.exec(line.trim());
    if (m) out[m[1] === 'ID' ? 'id' : m[1].toLowerCase()] = m[2].replace(/^"|"$/g, '');
  }
  if (out.release) out.major_release = out.release.split('.')[0];
  return out;
}
