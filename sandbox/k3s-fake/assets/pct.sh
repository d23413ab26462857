#!/bin/sh
# A fake Proxmox `pct` for herdbook's sandbox, installed in a "Proxmox" node's /usr/local/bin.
# Containers are other sandbox nodes: /etc/pve/nodes/<this node>/lxc/<vmid>.conf names the
# container node and the PID of its sshd, and `pct exec` enters that PID's mount namespace
# (the real pct runs lxc-attach; the environment is kept, as with --keep-env, the default).
# Messages and exit codes are pct's: errors print the message and exit 255 (pve-container's
# src/PVE/CLI/pct.pm `die`s, uncaught, so perl exits 255; it exits with errno instead when one
# is set, which this fake does not imitate). exec checks as pct.pm does: the config
# (AbstractConfig::load_config's message), then "container '<vmid>' not running!", then the command.
# Fake-only state: /run/fake-pct/<vmid>.status (running|stopped; absent means running), and
# /run/fake-pct/<vmid>.attached: the pids `pct exec` became, which a stop kills with everything
# they started, as stopping a real container ends every process attached to it.
PVE_DIR=/etc/pve
STATUS_DIR=/run/fake-pct
PCT_PM=/usr/share/perl5/PVE/CLI/pct.pm

die() { printf '%s\n' "$*" >&2; exit 255; }
# A Perl `die` without a trailing newline: Perl appends where it happened.
die_at() { die "$1 at $PCT_PM line $2."; }
usage_error() { printf '400 %s\n' "$1" >&2; printf 'pct %s\n' "${2:-<command> [ARGS] [OPTIONS]}" >&2; exit 255; }

nodename() {
    _l=$(readlink "$PVE_DIR/local" 2>/dev/null) && { printf '%s\n' "${_l##*/}"; return; }
    hostname -s 2>/dev/null || cut -d. -f1 /proc/sys/kernel/hostname
}
NODE=$(nodename)
LXC_DIR=$PVE_DIR/nodes/$NODE/lxc

check_vmid() {
    case ${1:-} in
        '') usage_error 'not enough arguments' "$2" ;;
        *[!0-9]* | 0* ) printf '400 Parameter verification failed.\nvmid: invalid format - value does not look like a valid VM ID\n' >&2; exit 255 ;;
    esac
    [ "$1" -ge 100 ] || { printf '400 Parameter verification failed.\nvmid: invalid format - value does not look like a valid VM ID\n' >&2; exit 255; }
}
conf() { printf '%s/%s.conf\n' "$LXC_DIR" "$1"; }
load_config() { [ -f "$(conf "$1")" ] || die "Configuration file 'nodes/$NODE/lxc/$1.conf' does not exist"; }
conf_get() { sed -n "s/^$2:[[:space:]]*//p" "$(conf "$1")" 2>/dev/null | head -n 1; }
ct_pid() { sed -n 's/^#fake-pid:[[:space:]]*//p' "$(conf "$1")" 2>/dev/null | head -n 1; }
is_running() {
    [ -f "$(conf "$1")" ] || return 1
    [ "$(cat "$STATUS_DIR/$1.status" 2>/dev/null || echo running)" = running ] || return 1
    _pid=$(ct_pid "$1")
    [ -n "$_pid" ] && [ -d "/proc/$_pid" ]
}
set_status() { mkdir -p "$STATUS_DIR" && echo "$2" > "$STATUS_DIR/$1.status"; }
# A process's start time (field 22 of its stat): with its pid, names it even after pid reuse.
started_at() { read -r _st < "/proc/$1/stat" 2>/dev/null || return 1; set -- ${_st##*) }; printf '%s\n' "${20}"; }
# kill_attached VMID: every process a `pct exec` into it started (still the same process), and
# their descendants.
kill_attached() {
    _ka=$STATUS_DIR/$1.attached
    [ -f "$_ka" ] || return 0
    _all=
    while read -r _p _t; do [ "$(started_at "$_p")" = "$_t" ] && _all="$_all $_p"; done < "$_ka"
    _new=$_all
    while [ -n "$_new" ]; do
        _next=
        for _f in /proc/[0-9]*/stat; do
            read -r _s < "$_f" 2>/dev/null || continue
            set -- ${_s##*) }
            for _p in $_new; do if [ "$2" = "$_p" ]; then _q=${_f#/proc/}; _next="$_next ${_q%/stat}"; fi; done
        done
        _all="$_all $_next"; _new=$_next
    done
    kill -KILL $_all 2>/dev/null
    rm -f "$_ka"
}
in_ct() { # in_ct VMID CMD...: run CMD inside the container's mount namespace
    _v=$1; shift
    nsenter --target "$(ct_pid "$_v")" --mount -- env container=lxc "$@"
}
# Booting a container starts its enabled k3s units; LXC recreates no /dev/kmsg on boot.
boot_services() {
    in_ct "$1" sh -c '
        rm -f /run/fake-lxc-kmsg
        for u in /etc/systemd/system/k3s*.service; do
            [ -f "$u" ] || continue
            n=${u##*/}
            systemctl is-enabled --quiet "$n" 2>/dev/null && systemctl start "$n" >/dev/null 2>&1
        done
        exit 0'
}
halt_services() {
    in_ct "$1" sh -c '
        for u in /etc/systemd/system/k3s*.service; do
            [ -f "$u" ] && systemctl stop "${u##*/}" >/dev/null 2>&1
        done
        rm -f /run/fake-lxc-kmsg
        exit 0'
}
# Options of push/pull: --perms (octal by default, 0x for hex), --user, --group.
parse_copy_opts() {
    PERMS= OWNER= GROUP=
    while [ $# -gt 0 ]; do
        case $1 in
            --perms | -perms) PERMS=$2; shift 2 ;;
            --perms=* | -perms=*) PERMS=${1#*=}; shift ;;
            --user | -user) OWNER=$2; shift 2 ;;
            --user=* | -user=*) OWNER=${1#*=}; shift ;;
            --group | -group) GROUP=$2; shift 2 ;;
            --group=* | -group=*) GROUP=${1#*=}; shift ;;
            *) usage_error "Unknown option: $1" ;;
        esac
    done
    if [ -n "$PERMS" ]; then
        case $PERMS in
            0x* | 0X*)
                _hex=${PERMS#0?}
                case $_hex in '' | *[!0-9a-fA-F]*) die "invalid mode: '$PERMS'" ;; esac
                PERMS=$(printf '%o' "$((0x$_hex))") ;;
            *[!0-7]*) die "invalid mode: '$PERMS'" ;;
        esac
    fi
}
# create_file PATH: pct's create_file() -- perms/owner explicit when given, else a new file
# gets 0666 & ~umask and an existing file keeps its mode. Runs wherever it is called.
CREATE_FILE='dest=$1 perms=$2 user=$3 group=$4
if [ -n "$user" ]; then
    case $user in *[!0-9]*) uid=$(id -u "$user" 2>/dev/null) || { echo "failed to get uid for: $user" >&2; exit 1; } ;; *) uid=$user ;; esac
fi
if [ -n "$group" ]; then
    case $group in *[!0-9]*) gid=$(getent group "$group" | cut -d: -f3); [ -n "$gid" ] || { echo "failed to get gid for: $group" >&2; exit 1; } ;; *) gid=$group ;; esac
fi
{ cat > "$dest"; } 2>/dev/null || { echo "failed to create file: $dest: No such file or directory" >&2; exit 1; }
[ -z "$perms" ] || chmod "$perms" "$dest"
if [ -n "${uid:-}${gid:-}" ]; then chown "${uid:-}${gid:+:$gid}" "$dest" || { echo "failed to change file owner" >&2; exit 1; }; fi'

cmd_exec() {
    _vmid=${1:-}; check_vmid "$_vmid" 'exec <vmid> [<extra-args>] [OPTIONS]'; shift
    _keep=1
    while [ $# -gt 0 ]; do
        case $1 in
            --) shift; break ;;
            --keep-env | -keep-env) _keep=$2; shift 2 ;;
            --keep-env=* | -keep-env=*) _keep=${1#*=}; shift ;;
            *) break ;;
        esac
    done
    load_config "$_vmid"
    is_running "$_vmid" || die "container '$_vmid' not running!"
    [ $# -gt 0 ] || die_at 'missing command' 318
    mkdir -p "$STATUS_DIR" && echo "$$ $(started_at $$)" >> "$STATUS_DIR/$_vmid.attached"
    if [ "$_keep" = 0 ]; then
        exec nsenter --target "$(ct_pid "$_vmid")" --mount -- env -i container=lxc \
            PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$@"
    fi
    exec nsenter --target "$(ct_pid "$_vmid")" --mount -- env container=lxc "$@"
}
cmd_status() {
    check_vmid "${1:-}" 'status <vmid> [OPTIONS]'
    load_config "$1"
    if is_running "$1"; then echo 'status: running'; else echo 'status: stopped'; fi
}
cmd_start() {
    check_vmid "${1:-}" 'start <vmid> [OPTIONS]'
    load_config "$1"
    is_running "$1" && die "CT $1 already running"
    _pid=$(ct_pid "$1")
    { [ -n "$_pid" ] && [ -d "/proc/$_pid" ]; } || die "startup for container '$1' failed"
    set_status "$1" running
    boot_services "$1"
}
cmd_stop() {
    check_vmid "${1:-}" 'stop <vmid> [OPTIONS]'
    load_config "$1"
    is_running "$1" || die "CT $1 not running"
    halt_services "$1"
    set_status "$1" stopped
    kill_attached "$1"
}
cmd_reboot() {
    check_vmid "${1:-}" 'reboot <vmid> [OPTIONS]'
    load_config "$1"
    is_running "$1" || die "CT $1 not running"
    halt_services "$1"
    boot_services "$1"
}
cmd_push() {
    [ $# -ge 3 ] || usage_error 'not enough arguments' 'push <vmid> <file> <destination> [OPTIONS]'
    _vmid=$1 _file=$2 _dest=$3; shift 3
    check_vmid "$_vmid"
    parse_copy_opts "$@"
    is_running "$_vmid" || die 'can only push files to a running CT'
    load_config "$_vmid"
    [ -r "$_file" ] && [ -f "$_file" ] || die "failed to open $_file for reading"
    in_ct "$_vmid" sh -c "$CREATE_FILE" sh "$_dest" "$PERMS" "$OWNER" "$GROUP" < "$_file" || exit 255
}
cmd_pull() {
    [ $# -ge 3 ] || usage_error 'not enough arguments' 'pull <vmid> <path> <destination> [OPTIONS]'
    _vmid=$1 _path=$2 _dest=$3; shift 3
    check_vmid "$_vmid"
    parse_copy_opts "$@"
    is_running "$_vmid" || die_at 'can only pull files from a running VM' 557
    # pct opens the destination first, then the source inside the container.
    : | sh -c "$CREATE_FILE" sh "$_dest" "$PERMS" "$OWNER" "$GROUP" || exit 255
    in_ct "$_vmid" sh -c '[ -f "$1" ] && [ -r "$1" ] || { echo "failed to open $1: No such file or directory" >&2; exit 1; }; cat "$1"' sh "$_path" > "$_dest" || exit 255
}
cmd_list() {
    [ -d "$LXC_DIR" ] || return 0
    _rows=$(for _c in "$LXC_DIR"/*.conf; do
        [ -f "$_c" ] || continue
        _v=${_c##*/}; _v=${_v%.conf}
        if is_running "$_v"; then _s=running; else _s=stopped; fi
        printf '%s\t%s\t%s\t%s\n' "$_v" "$_s" "$(conf_get "$_v" lock)" "$(conf_get "$_v" hostname)"
    done | sort -n)
    [ -n "$_rows" ] || return 0
    printf '%-10s %-10s %-12s %-20s\n' VMID Status Lock Name
    # awk, not read: IFS would merge the tabs around an empty Lock column.
    printf '%s\n' "$_rows" | awk -F '\t' '{ printf "%-10s %-10s %-12s %-20s\n", $1, $2, $3, $4 }'
}
cmd_config() {
    check_vmid "${1:-}" 'config <vmid> [OPTIONS]'
    load_config "$1"
    grep -v '^#' "$(conf "$1")" | grep -v '^[[:space:]]*$' | sort
}

sub=${1:-}
[ $# -gt 0 ] && shift
case $sub in
    exec) cmd_exec "$@" ;;
    status) cmd_status "$@" ;;
    start) cmd_start "$@" ;;
    stop | shutdown) cmd_stop "$@" ;;
    reboot) cmd_reboot "$@" ;;
    push) cmd_push "$@" ;;
    pull) cmd_pull "$@" ;;
    list) cmd_list ;;
    config) cmd_config "$@" ;;
    '') printf 'ERROR: no command specified\n' >&2; exit 255 ;;
    *) printf "ERROR: unknown command 'pct %s'\n" "$sub" >&2; exit 255 ;;
esac
