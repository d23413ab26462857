#!/bin/sh
# The fleet's fake modprobe and lsmod (one script, by the name it is called with): the kernel side
# of the modprobe module on a machine whose kernel has no loadable modules. Modules the fake
# kernel knows are the lines of $FAKE_MODPROBE_DIR/available (default /run/fake-modprobe, private
# to the node; seeded with modules k3s hosts load), loaded ones the lines of `loaded`; every
# load and unload is a line `<unix-time> load|unload <name> [params]` in .log.
# modprobe options as kmod's: -n/--dry-run, -r/--remove, --first-time, -q; then name [params].
dir=${FAKE_MODPROBE_DIR:-/run/fake-modprobe}
mkdir -p "$dir" || exit 1
if [ ! -e "$dir/available" ]; then
  printf '%s\n' br_netfilter overlay ip_vs ip_vs_rr ip_vs_wrr ip_vs_sh nf_conntrack iscsi_tcp dm_crypt rbd \
    wireguard > "$dir/available"
fi
[ -e "$dir/loaded" ] || : > "$dir/loaded"
norm() { printf '%s' "$1" | tr - _; }
loaded() { grep -qx "$(norm "$1")" "$dir/loaded"; }
if [ "${0##*/}" = lsmod ]; then
  echo 'Module                  Size  Used by'
  while IFS= read -r m; do [ -n "$m" ] && printf '%-24s%6d  0\n' "$m" 16384; done < "$dir/loaded"
  exit 0
fi
dry=0 remove=0 first=0 quiet=0
while [ $# -gt 0 ]; do
  case $1 in
    -n | --dry-run | --show) dry=1 ;;
    -r | --remove) remove=1 ;;
    --first-time) first=1 ;;
    -q | --quiet) quiet=1 ;;
    -*) echo "modprobe: unrecognized option '$1'" >&2; exit 1 ;;
    *) break ;;
  esac
  shift
done
[ $# -gt 0 ] || { echo 'modprobe: ERROR: missing parameters. See -h.' >&2; exit 1; }
name=$1
shift
rel=$(uname -r)
if ! grep -qx "$(norm "$name")" "$dir/available"; then
  [ "$quiet" = 1 ] && exit 1
  if [ "$remove" = 1 ]; then echo "modprobe: FATAL: Module $name not found." >&2
  else echo "modprobe: FATAL: Module $name not found in directory /lib/modules/$rel" >&2; fi
  exit 1
fi
if [ "$remove" = 1 ]; then
  if ! loaded "$name"; then
    [ "$first" = 1 ] && { echo "modprobe: FATAL: Module $name is not in kernel." >&2; exit 1; }
    exit 0
  fi
  [ "$dry" = 1 ] && exit 0
  grep -vx "$(norm "$name")" "$dir/loaded" > "$dir/loaded.new"; mv "$dir/loaded.new" "$dir/loaded"
  echo "$(date +%s) unload $(norm "$name")" >> "$dir/.log"
  exit 0
fi
for p in "$@"; do
  case $p in *=*) ;; *) echo "modprobe: ERROR: could not insert '$name': Unknown symbol in module, or unknown parameter (see dmesg)" >&2; exit 1 ;; esac
done
if loaded "$name"; then
  [ "$first" = 1 ] && { echo "modprobe: ERROR: could not insert '$name': Module already in kernel" >&2; exit 1; }
  exit 0
fi
[ "$dry" = 1 ] && exit 0
norm "$name" >> "$dir/loaded"; echo >> "$dir/loaded"
echo "$(date +%s) load $(norm "$name")${*:+ $*}" >> "$dir/.log"
exit 0
