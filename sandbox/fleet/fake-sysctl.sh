#!/bin/sh
# The fleet's fake sysctl: the kernel side of the sysctl module without touching this machine's
# kernel. Values live in $FAKE_SYSCTL_DIR (default /run/fake-sysctl, private to the node), one
# file per key, seeded with the keys k3s playbooks set; every write is logged to .log (or to
# $FAKE_SYSCTL_LOG).
# Options as procps: -e (ignore unknown keys), -n (values only), -w, -q, -p [FILE] / --load=FILE.
dir=${FAKE_SYSCTL_DIR:-/run/fake-sysctl}
log=${FAKE_SYSCTL_LOG:-$dir/.log}
mkdir -p "$dir" || exit 1
if [ ! -e "$dir/.seeded" ]; then
  for kv in net.ipv4.ip_forward=0 net.ipv6.conf.all.forwarding=0 net.bridge.bridge-nf-call-iptables=0 \
    net.bridge.bridge-nf-call-ip6tables=0 vm.swappiness=60 vm.overcommit_memory=0 kernel.panic=0 \
    kernel.panic_on_oops=0 fs.inotify.max_user_instances=128 fs.inotify.max_user_watches=8192 \
    net.ipv4.conf.all.rp_filter=2; do
    printf '%s\n' "${kv#*=}" > "$dir/${kv%%=*}"
  done
  : > "$dir/.seeded"
fi
ignore=0 names=1 quiet=0 load=
while [ $# -gt 0 ]; do
  case $1 in
    -e | --ignore) ignore=1 ;;
    -n | --values) names=0 ;;
    -w | --write) ;;
    -q | --quiet) quiet=1 ;;
    -p | --load)
      load=/etc/sysctl.conf
      if [ $# -gt 1 ] && [ "${2#-}" = "$2" ]; then load=$2; shift; fi ;;
    --load=*) load=${1#--load=} ;;
    -p*) load=${1#-p} ;;
    -*) echo "sysctl: unknown option $1" >&2; exit 1 ;;
    *) break ;;
  esac
  shift
done
rc=0
missing() {
  [ "$ignore" = 1 ] && return 0
  echo "sysctl: cannot stat /proc/sys/$(printf '%s' "$1" | tr . /): No such file or directory" >&2
  rc=255
}
set1() {
  if [ ! -e "$dir/$1" ]; then missing "$1"; return; fi
  printf '%s\n' "$2" > "$dir/$1"
  echo "$(date +%s) set $1 $2" >> "$log"
  [ "$quiet" = 1 ] || echo "$1 = $2"
}
get1() {
  if [ ! -e "$dir/$1" ]; then missing "$1"; return; fi
  if [ "$names" = 1 ]; then echo "$1 = $(cat "$dir/$1")"; else cat "$dir/$1"; fi
}
trim() { printf '%s' "$1" | sed 's/^[[:space:]]*//;s/[[:space:]]*$//'; }
if [ -n "$load" ]; then
  if [ ! -r "$load" ]; then echo "sysctl: cannot open \"$load\": No such file or directory" >&2; exit 255; fi
  while IFS= read -r line || [ -n "$line" ]; do
    line=$(trim "$line")
    case $line in '' | '#'* | ';'*) continue ;; *=*) ;; *) continue ;; esac
    k=$(trim "${line%%=*}")
    set1 "${k#-}" "$(trim "${line#*=}")"
  done < "$load"
  exit $rc
fi
for a in "$@"; do
  case $a in
    *=*) set1 "${a%%=*}" "${a#*=}" ;;
    *) get1 "$a" ;;
  esac
done
exit $rc
