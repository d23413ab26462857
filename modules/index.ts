// Every module, loaded only when a task uses it (the Kubernetes client is heavy to import).
import type { ModuleDef } from '../engine/module.js';

const LOADERS: Record<string, () => Promise<ModuleDef>> = {
  debug: () => import('./control/debug.js').then((m) => m.debug as ModuleDef),
  set_fact: () => import('./control/set_fact.js').then((m) => m.setFact as ModuleDef),
  assert: () => import('./control/assert.js').then((m) => m.assertModule as ModuleDef),
  fail: () => import('./control/fail.js').then((m) => m.fail as ModuleDef),
  meta: () => import('./control/meta.js').then((m) => m.meta as ModuleDef),
  pause: () => import('./control/pause.js').then((m) => m.pause as ModuleDef),
  include_vars: () => import('./control/include_vars.js').then((m) => m.includeVars as ModuleDef),
  command: () => import('./host/command.js').then((m) => m.command as ModuleDef),
  shell: () => import('./host/shell.js').then((m) => m.shell as ModuleDef),
  copy: () => import('./host/copy.js').then((m) => m.copy as ModuleDef),
  template: () => import('./host/template.js').then((m) => m.template as ModuleDef),
  file: () => import('./host/file.js').then((m) => m.file as ModuleDef),
  uri: () => import('./host/uri.js').then((m) => m.uri as ModuleDef),
  wait_for: () => import('./host/wait_for.js').then((m) => m.waitFor as ModuleDef),
  wait_for_connection: () => import('./host/wait_for_connection.js').then((m) => m.waitForConnection as ModuleDef),
  reboot: () => import('./host/reboot.js').then((m) => m.reboot as ModuleDef),
  systemd: () => import('./host/systemd.js').then((m) => m.systemd as ModuleDef),
  service: () => import('./host/service.js').then((m) => m.service as ModuleDef),
  stat: () => import('./host/stat.js').then((m) => m.stat as ModuleDef),
  slurp: () => import('./host/slurp.js').then((m) => m.slurp as ModuleDef),
  fetch: () => import('./host/fetch.js').then((m) => m.fetch as ModuleDef),
  blockinfile: () => import('./host/blockinfile.js').then((m) => m.blockinfile as ModuleDef),
  lineinfile: () => import('./host/lineinfile.js').then((m) => m.lineinfile as ModuleDef),
  get_url: () => import('./host/get_url.js').then((m) => m.getUrl as ModuleDef),
  sysctl: () => import('./host/sysctl.js').then((m) => m.sysctl as ModuleDef),
  replace: () => import('./host/replace.js').then((m) => m.replace as ModuleDef),
  apt: () => import('./host/apt.js').then((m) => m.apt as ModuleDef),
  dnf: () => import('./host/dnf.js').then((m) => m.dnf as ModuleDef),
  // Ansible 2.14 runs yum's tasks with dnf on hosts that have it; herdbook's dnf falls back to yum's CLI.
  yum: () => import('./host/dnf.js').then((m) => m.dnf as ModuleDef),
  pacman: () => import('./host/pacman.js').then((m) => m.pacmanModule as ModuleDef),
  package: () => import('./host/package.js').then((m) => m.packageModule as ModuleDef),
  service_facts: () => import('./host/service_facts.js').then((m) => m.serviceFacts as ModuleDef),
  package_facts: () => import('./host/package_facts.js').then((m) => m.packageFacts as ModuleDef),
  user: () => import('./host/user.js').then((m) => m.user as ModuleDef),
  group: () => import('./host/group.js').then((m) => m.group as ModuleDef),
  find: () => import('./host/find.js').then((m) => m.find as ModuleDef),
  modprobe: () => import('./host/modprobe.js').then((m) => m.modprobe as ModuleDef),
  unarchive: () => import('./host/unarchive.js').then((m) => m.unarchive as ModuleDef),
  alternatives: () => import('./host/alternatives.js').then((m) => m.alternatives as ModuleDef),
  mount: () => import('./host/mount.js').then((m) => m.mount as ModuleDef),
  timezone: () => import('./host/timezone.js').then((m) => m.timezone as ModuleDef),
  iptables: () => import('./host/iptables.js').then((m) => m.iptables as ModuleDef),
  ufw: () => import('./host/ufw.js').then((m) => m.ufwModule as ModuleDef),
  firewalld: () => import('./host/firewalld.js').then((m) => m.firewalld as ModuleDef),
  selinux: () => import('./host/selinux.js').then((m) => m.selinux as ModuleDef),
  authorized_key: () => import('./host/authorized_key.js').then((m) => m.authorizedKey as ModuleDef),
  drain: () => import('./kube/drain/index.js').then((m) => m.drain as ModuleDef),
  taint: () => import('./kube/taint.js').then((m) => m.taint as ModuleDef),
  k8s_node: () => import('./kube/k8s_node.js').then((m) => m.k8sNode as ModuleDef),
  cluster_info: () => import('./kube/cluster_info.js').then((m) => m.clusterInfo as ModuleDef),
  workload_health: () => import('./kube/workload_health.js').then((m) => m.workloadHealth as ModuleDef),
  workloads_moved: () => import('./kube/workloads_moved.js').then((m) => m.workloadsMoved as ModuleDef),
  k3s_facts: () => import('./k3s/k3s_facts.js').then((m) => m.k3sFacts as ModuleDef),
  k3s_version: () => import('./k3s/version/index.js').then((m) => m.k3sVersion as ModuleDef),
  etcd_snapshot: () => import('./k3s/etcd_snapshot.js').then((m) => m.etcdSnapshot as ModuleDef),
  k3s_certificate: () => import('./k3s/k3s_certificate.js').then((m) => m.k3sCertificate as ModuleDef),
  cluster_lock: () => import('./kube/cluster_lock.js').then((m) => m.clusterLock as ModuleDef),
  k3s_release: () => import('./k3s/k3s_release.js').then((m) => m.k3sRelease as ModuleDef),
  pct_exec: () => import('./proxmox/pct_exec.js').then((m) => m.pctExec as ModuleDef),
  pct_container: () => import('./proxmox/pct_container.js').then((m) => m.pctContainer as ModuleDef),
};

export const MODULE_NAMES: readonly string[] = Object.keys(LOADERS);

export async function loadModule(name: string): Promise<ModuleDef> {
  const load = LOADERS[name];
  if (!load) throw new Error(`module '${name}' has a schema but no implementation`);
  return load();
}
