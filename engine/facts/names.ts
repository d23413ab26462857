// Names the facts give a host, known to the validator before anything runs (this file is light:
// the gathering and parsing code loads only when a play gathers).

/** The Ansible release whose semantics herdbook follows (README, "Ansible's names"): `ansible_version`. */
export const ANSIBLE_VERSION = { full: '2.14.18', major: 2, minor: 14, revision: 18, string: '2.14.18' } as const;

/** What gather_facts sets, by Ansible's names without the prefix (ansible_facts.X and ansible_X). */
export const GATHERED_FACTS = [
  'hostname',
  'nodename',
  'fqdn',
  'domain',
  'system',
  'kernel',
  'kernel_version',
  'machine',
  'architecture',
  'userspace_bits',
  'userspace_architecture',
  'distribution',
  'distribution_version',
  'distribution_major_version',
  'distribution_minor_version',
  'distribution_release',
  'os_family',
  'lsb',
  'pkg_mgr',
  'service_mgr',
  'user_id',
  'user_uid',
  'user_gid',
  'user_gecos',
  'user_dir',
  'user_shell',
  'env',
  'memtotal_mb',
  'memfree_mb',
  'processor_vcpus',
  'processor_nproc',
  'interfaces',
  'all_ipv4_addresses',
  'all_ipv6_addresses',
  'default_ipv4',
  'default_ipv6',
] as const;

/**
 * Facts whose value is a list or a mapping: Ansible 2.14 takes a bare `when: ansible_interfaces`
 * as "not empty", where herdbook wants true or false (README, "What differs from Ansible").
 */
export const COLLECTION_FACTS: readonly (typeof GATHERED_FACTS)[number][] = [
  'interfaces',
  'all_ipv4_addresses',
  'all_ipv6_addresses',
  'default_ipv4',
  'default_ipv6',
  'lsb',
  'env',
];

/** Every variable the facts may define: ansible_facts, ansible_version and ansible_<fact>. */
export const FACT_VARIABLES: readonly string[] = [
  'ansible_facts',
  'ansible_version',
  ...GATHERED_FACTS.map((f) => `ansible_${f}`),
];

/** ansible_eth0, ansible_wlan0, ansible_lo, ansible_cni0: an interface's facts (names vary by host). */
export function isInterfaceFact(name: string): boolean {
  return /^ansible_(lo|[a-z]+[0-9][a-z0-9_]*|(eth|en|wl|br|bond|veth|cni|flannel|docker|tailscale|wg|vlan|vmbr|tap|tun)[a-z0-9_]*)$/.test(
    name,
  );
}
