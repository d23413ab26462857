// Facts by Ansible's names: the parser on a Raspberry Pi's captured output, and the real
// gathering on this machine compared with what `ansible -m setup` (connection local) reports.
import { execFileSync, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { LocalConnection } from '../../../engine/connection/local.js';
import { gatherFacts } from '../../../engine/facts/gather.js';
import { namespaced } from '../../../engine/facts/layer.js';
import { isInterfaceFact } from '../../../engine/facts/names.js';
import { parseAnsibleFacts, parseFacts } from '../../../engine/facts/parse.js';

// Captured from a Raspberry Pi 4 running Raspberry Pi OS 12 (the script's output, env left out).
const PI = `hostname=rpi-w-1
fqdn=rpi-w-1.lan
os_id=debian
os_version=12
os_name=Debian GNU/Linux 12 (bookworm)
os_codename=bookworm
debian_version=12.8
arch=aarch64
kernel=6.1.0-rpi7-rpi-v8
kernel_version=#1 SMP PREEMPT Debian 1:6.1.63-1+rpt1 (2023-11-24)
system=Linux
bits=64
init=systemd
cpus=4
vcpus=4
mem_kb=3884404
memfree_kb=2884404
lsb=No LSB modules are available.
lsb=Distributor ID:	Debian
lsb=Description:	Debian GNU/Linux 12 (bookworm)
lsb=Release:	12
lsb=Codename:	bookworm
pkg=/usr/bin/apt-get
systemctl=1
systemd_canary=/run/systemd/system/
initd=1
user=pi
passwd=pi:x:1000:1000:,,,:/home/pi:/bin/bash
net=lo unknown 772 00:00:00:00:00:00 65536 0x9
net=eth0 up 1 d8:3a:dd:01:02:03 1500 0x1003
net=wlan0 down 1 d8:3a:dd:01:02:04 1500 0x1003
net=cni0 up 1 6a:1b:2c:3d:4e:5f 1450 0x1103
addr=1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever
addr=1: lo    inet6 ::1/128 scope host noprefixroute \\       valid_lft forever preferred_lft forever
addr=2: eth0    inet 192.168.1.31/24 brd 192.168.1.255 scope global dynamic noprefixroute eth0\\       valid_lft 85000sec preferred_lft 85000sec
addr=2: eth0    inet 192.168.1.40/24 brd 192.168.1.255 scope global secondary eth0:vip\\       valid_lft forever preferred_lft forever
addr=2: eth0    inet6 fe80::da3a:ddff:fe01:203/64 scope link \\       valid_lft forever preferred_lft forever
addr=5: cni0    inet 10.42.1.1/24 brd 10.42.1.255 scope global cni0\\       valid_lft forever preferred_lft forever
route4=8.8.8.8 via 192.168.1.1 dev eth0 src 192.168.1.31 uid 1000
route6=
`;

describe('facts by Ansible’s names', () => {
  it('parses a Pi’s output into setup’s names and values', () => {
    const f = parseAnsibleFacts(PI);
    expect(f).toMatchObject({
      ansible_hostname: 'rpi-w-1',
      ansible_fqdn: 'rpi-w-1.lan',
      ansible_domain: 'lan',
      ansible_os_family: 'Debian',
      ansible_distribution: 'Debian',
      ansible_distribution_version: '12.8',
      ansible_distribution_major_version: '12',
      ansible_distribution_release: 'bookworm',
      ansible_lsb: {
        id: 'Debian',
        description: 'Debian GNU/Linux 12 (bookworm)',
        release: '12',
        codename: 'bookworm',
        major_release: '12',
      },
      ansible_architecture: 'aarch64',
      ansible_kernel: '6.1.0-rpi7-rpi-v8',
      ansible_userspace_bits: '64',
      ansible_pkg_mgr: 'apt',
      ansible_service_mgr: 'systemd',
      ansible_user_id: 'pi',
      ansible_user_dir: '/home/pi',
      ansible_user_uid: 1000,
      ansible_memtotal_mb: 3793,
      ansible_processor_vcpus: 4,
      ansible_interfaces: ['lo', 'eth0', 'wlan0', 'cni0'],
      ansible_all_ipv4_addresses: ['192.168.1.31', '192.168.1.40', '10.42.1.1'],
      ansible_all_ipv6_addresses: ['fe80::da3a:ddff:fe01:203'],
      ansible_default_ipv4: {
        address: '192.168.1.31',
        alias: 'eth0',
        broadcast: '192.168.1.255',
        gateway: '192.168.1.1',
        interface: 'eth0',
        macaddress: 'd8:3a:dd:01:02:03',
        mtu: 1500,
        netmask: '255.255.255.0',
        network: '192.168.1.0',
        prefix: '24',
        type: 'ether',
      },
      ansible_default_ipv6: {},
      ansible_eth0: {
        active: true,
        device: 'eth0',
        ipv4: { address: '192.168.1.31', prefix: '24', netmask: '255.255.255.0' },
        ipv4_secondaries: [{ address: '192.168.1.40' }],
        ipv6: [{ address: 'fe80::da3a:ddff:fe01:203', prefix: '64', scope: 'link' }],
        promisc: false,
        type: 'ether',
      },
      ansible_wlan0: { active: false, device: 'wlan0' },
      ansible_cni0: { promisc: true, mtu: 1450 },
      ansible_lo: { type: 'loopback', active: true, ipv4: { address: '127.0.0.1', broadcast: '' } },
    });
    expect(f.ansible_lo).not.toHaveProperty('macaddress');
    expect(namespaced(f)).toMatchObject({ hostname: 'rpi-w-1', os_family: 'Debian', eth0: { device: 'eth0' } });
  });

  it('names Ubuntu, Raspbian and the RedHat family as Ansible does', () => {
    const os = (id: string, version: string, extra = '') =>
      parseAnsibleFacts(`os_id=${id}\nos_version=${version}\nos_name=X (y)\n${extra}`);
    expect(os('ubuntu', '22.04', 'os_codename=jammy\n')).toMatchObject({
      ansible_distribution: 'Ubuntu',
      ansible_os_family: 'Debian',
      ansible_distribution_major_version: '22',
      ansible_distribution_release: 'jammy',
    });
    expect(os('raspbian', '11', 'debian_version=11.9\n')).toMatchObject({
      ansible_distribution: 'Debian',
      ansible_distribution_version: '11.9',
    });
    expect(os('rocky', '9.3', 'pkg=/usr/bin/yum\npkg=/usr/bin/dnf\n')).toMatchObject({
      ansible_distribution: 'Rocky',
      ansible_os_family: 'RedHat',
      ansible_pkg_mgr: 'dnf',
    });
    // Debian's pacman-package-manager installed beside apt: still apt, as Ansible's pkg_mgr says.
    expect(os('debian', '12', 'pkg=/usr/bin/apt-get\npkg=/usr/bin/pacman\n')).toMatchObject({ ansible_pkg_mgr: 'apt' });
    expect(os('arch', '', 'pkg=/usr/bin/pacman\n')).toMatchObject({ ansible_pkg_mgr: 'pacman' });
    // PID 1 a shell (a container): not trusted, so the canaries decide; none: 'service'.
    expect(os('debian', '12', 'init=bash\n')).toMatchObject({ ansible_service_mgr: 'service' });
  });

  it('keeps the older names as an alias', () => {
    expect(parseFacts(PI)).toEqual({
      hostname: 'rpi-w-1',
      os: { id: 'debian', version: '12', name: 'Debian GNU/Linux 12 (bookworm)' },
      architecture: 'aarch64',
      kernel: '6.1.0-rpi7-rpi-v8',
      init: 'systemd',
      cpus: 4,
      memory_mb: 3793,
    });
  });

  it('interface facts are known names to the validator, typos are not', () => {
    expect(
      ['ansible_eth0', 'ansible_wlan0', 'ansible_cni0', 'ansible_lo', 'ansible_enp3s0'].every(isInterfaceFact),
    ).toBe(true);
    expect(isInterfaceFact('ansible_hostnme')).toBe(false);
  });

  const hasAnsible = spawnSync('ansible', ['--version'], { stdio: 'ignore' }).status === 0;
  it.skipIf(!hasAnsible && !process.env.HERDBOOK_REQUIRE_ANSIBLE)(
    'gathers this machine in one command, with the values `ansible -m setup` reports',
    async () => {
      let calls = 0;
      const local = new LocalConnection('local');
      const f = await gatherFacts({ exec: (c, o) => (calls++, local.exec(c, o)) });
      expect(calls).toBe(1);
      const out = execFileSync('ansible', ['localhost', '-c', 'local', '-m', 'setup'], {
        encoding: 'utf8',
        env: { ...process.env, ANSIBLE_LOCALHOST_WARNING: 'false', ANSIBLE_NOCOLOR: '1' },
      });
      const real = (JSON.parse(out.slice(out.indexOf('{'))) as { ansible_facts: Record<string, unknown> })
        .ansible_facts;
      const names = [
        'hostname',
        'nodename',
        'os_family',
        'distribution',
        'distribution_version',
        'distribution_major_version',
        'distribution_release',
        'lsb',
        'architecture',
        'machine',
        'system',
        'kernel',
        'kernel_version',
        'userspace_bits',
        'pkg_mgr',
        'service_mgr',
        'default_ipv4',
        'all_ipv4_addresses',
        'all_ipv6_addresses',
        'interfaces',
        'user_id',
        'user_uid',
        'user_gid',
        'user_dir',
        'user_shell',
        'memtotal_mb',
        'processor_vcpus',
        'processor_nproc',
      ].map((n) => `ansible_${n}`);
      // Ansible's interface list comes out in hash order (a Python set): compared as a set.
      const pick = (o: Record<string, unknown>) =>
        Object.fromEntries(names.map((n) => [n, n === 'ansible_interfaces' ? [...(o[n] as string[])].sort() : o[n]]));
      expect(pick(f.ansible)).toEqual(pick(real));
      for (const i of real.ansible_interfaces as string[]) {
        const want = real[`ansible_${i}`] as Record<string, unknown>;
        const keys = ['device', 'active', 'type', 'mtu', 'macaddress', 'promisc', 'ipv4', 'ipv6'];
        expect(pick2(f.ansible[`ansible_${i}`], keys), i).toEqual(pick2(want, keys));
      }
      expect((f.ansible.ansible_env as Record<string, string>).HOME).toBe(
        (real.ansible_env as Record<string, string>).HOME,
      );
    },
    60_000,
  );
});

function pick2(o: unknown, keys: string[]): Record<string, unknown> {
  const r = o as Record<string, unknown>;
  return Object.fromEntries(keys.filter((k) => r[k] !== undefined).map((k) => [k, r[k]]));
}
