// The one shell script gather_facts (and the setup module) run on a host: a line per fact,
// `key=value`, read by parse.ts. It reads what Ansible's setup reads (os-release,
// /etc/debian_version, lsb_release, /sys/class/net, `ip`, /proc, the passwd entry) so the facts
// carry Ansible's values; POSIX sh, no Python on the host.
/** Ansible's pkg_mgr inputs (pkg_mgr.py: the last of its list that exists wins); also the package module's probe. */
export const PKG_MGR_SCRIPT =
  'for p in /usr/bin/rpm-ostree /usr/bin/yum /usr/bin/dnf /usr/bin/apt-get /usr/bin/zypper /usr/bin/pacman /sbin/apk; do [ -e "$p" ] && echo "pkg=$p"; done; [ -r /etc/os-release ] && . /etc/os-release && echo "os_id=$ID"; true';

export const FACTS_SCRIPT = [
  // First, before os-release's variables are set in this shell (they are not exported, but be sure).
  'echo "env=$(env -0 2>/dev/null | base64 | tr -d \'\\n\')"',
  'echo "hostname=$(hostname 2>/dev/null || cat /etc/hostname)"',
  'echo "fqdn=$(hostname -f 2>/dev/null)"',
  'if [ -r /etc/os-release ]; then . /etc/os-release; echo "os_id=$ID"; echo "os_version=$VERSION_ID"; echo "os_name=$PRETTY_NAME"; echo "os_codename=$VERSION_CODENAME"; echo "os_like=$ID_LIKE"; echo "os_full_name=$NAME"; fi',
  '[ -r /etc/debian_version ] && echo "debian_version=$(head -n 1 /etc/debian_version)"',
  'echo "arch=$(uname -m)"',
  'echo "kernel=$(uname -r)"',
  'echo "kernel_version=$(uname -v)"',
  'echo "system=$(uname -s)"',
  'echo "bits=$(getconf LONG_BIT 2>/dev/null)"',
  'echo "init=$(cat /proc/1/comm 2>/dev/null)"',
  'echo "cpus=$(nproc 2>/dev/null || grep -c ^processor /proc/cpuinfo)"',
  'echo "vcpus=$(grep -c ^processor /proc/cpuinfo 2>/dev/null)"',
  'echo "mem_kb=$(awk \'/^MemTotal:/ {print $2}\' /proc/meminfo 2>/dev/null)"',
  'echo "memfree_kb=$(awk \'/^MemFree:/ {print $2}\' /proc/meminfo 2>/dev/null)"',
  'if command -v lsb_release >/dev/null 2>&1; then lsb_release -a 2>/dev/null | sed "s/^/lsb=/"; elif [ -r /etc/lsb-release ]; then sed "s/^/lsbfile=/" /etc/lsb-release; fi',
  PKG_MGR_SCRIPT,
  // Ansible's service_mgr inputs (service_mgr.py): systemctl and sd_booted's canaries, then the others.
  'command -v systemctl >/dev/null 2>&1 && echo "systemctl=1"',
  'for d in /run/systemd/system/ /dev/.run/systemd/ /dev/.systemd/; do [ -e "$d" ] && echo "systemd_canary=$d"; done',
  '[ -L /sbin/init ] && echo "sbin_init=$(readlink /sbin/init)"',
  'command -v initctl >/dev/null 2>&1 && [ -e /etc/init/ ] && echo "upstart=1"',
  '[ -e /sbin/openrc ] && echo "openrc=1"',
  '[ -e /etc/init.d/ ] && echo "initd=1"',
  'echo "user=$(id -un)"',
  'echo "passwd=$(getent passwd "$(id -u)" 2>/dev/null)"',
  // Interfaces in directory order (Ansible's glob of /sys/class/net is unsorted).
  'for n in $(ls -U /sys/class/net 2>/dev/null); do d=/sys/class/net/$n; echo "net=$n $(cat $d/operstate 2>/dev/null) $(cat $d/type 2>/dev/null) $(cat $d/address 2>/dev/null) $(cat $d/mtu 2>/dev/null) $(cat $d/flags 2>/dev/null)"; done',
  'ip -o addr show 2>/dev/null | sed "s/^/addr=/"',
  // The addresses Ansible asks the route to (network/linux.py).
  'echo "route4=$(ip -4 route get 8.8.8.8 2>/dev/null | head -n 1)"',
  'echo "route6=$(ip -6 route get 2404:6800:400a:800::1012 2>/dev/null | head -n 1)"',
].join('\n');
