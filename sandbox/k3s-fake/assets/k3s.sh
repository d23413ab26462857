#!/bin/sh
# A fake `k3s` binary for herdbook's sandbox: POSIX sh, no Kubernetes inside.
# It keeps the parts of k3s that an operator's tooling observes: `--version`, what a start
# under systemd leaves on disk (datastore, token, kubeconfig), the start-up failures that
# matter (agent without server/token, LXC without /dev/kmsg), `etcd-snapshot` and
# `server --cluster-reset`. The release server bakes the version in (binary.ts), so every
# release has its own sha256, like the real binaries.
#
# Fake-only knobs (all under paths the sandbox owns per node):
#   /etc/rancher/fake-lxc-no-kmsg   this node is an LXC container that boots without /dev/kmsg
#   /run/fake-lxc-kmsg              /dev/kmsg was created since the container booted
#   /etc/rancher/fake-node-name     the node's name when --node-name/K3S_NODE_NAME are absent
#   /etc/rancher/fake-kubeconfig.yaml  written as k3s.yaml at each server start (API simulator),
#                                   with the server's admin certificate (server/tls/client-admin.*)
#   /etc/rancher/fake-client-admin.{crt,key}  the admin certificate a start issues when missing
#   /etc/rancher/fake-etcd-cluster  names the file holding the etcd member list the servers share
#   /var/lib/rancher/k3s/fake/      what each start recorded (<role>.args, starts.log)
#   FAKE_K3S_NOW                    unix seconds to use instead of the clock (snapshot names)

K3S_VERSION='@@K3S_VERSION@@'
K3S_COMMIT='@@K3S_COMMIT@@'
K3S_GO_VERSION='@@K3S_GO_VERSION@@'

FAKE_DIR=/var/lib/rancher/k3s/fake
TAB=$(printf '\t')

# ---------------------------------------------------------------- logging (logrus text format)
rfc3339() { # rfc3339 EPOCH: Go's time.RFC3339 in the local zone (Z for UTC)
    _d=$(date -d "@$1" +%Y-%m-%dT%H:%M:%S%:z)
    case $_d in *+00:00) _d="${_d%+00:00}Z" ;; esac
    printf '%s\n' "$_d"
}
now_s() { printf '%s\n' "${FAKE_K3S_NOW:-$(date +%s)}"; }
log() {
    _lvl=$1; shift
    _msg=$(printf '%s' "$*" | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g')
    printf 'time="%s" level=%s msg="%s"\n' "$(rfc3339 "$(now_s)")" "$_lvl" "$_msg" >&2
}
# k3s's main prints every command error as `level=fatal msg="Error: ..."` and exits 1.
fail() { log fatal "Error: $*"; exit 1; }

# ---------------------------------------------------------------- flags, env, config.yaml
# flag_value "NAMES" ARGS...: the value of the last of NAMES given as `--n v` or `--n=v`.
flag_value() {
    _fv_names=$1; shift
    _fv_val=; _fv_found=1
    while [ $# -gt 0 ]; do
        _fv_a=$1; shift
        for _fv_n in $_fv_names; do
            case $_fv_a in
                "$_fv_n")
                    if [ $# -gt 0 ]; then _fv_val=$1; _fv_found=0; shift; fi
                    break ;;
                "$_fv_n"=*) _fv_val=${_fv_a#*=}; _fv_found=0; break ;;
            esac
        done
    done
    [ $_fv_found -eq 0 ] && printf '%s\n' "$_fv_val"
    return $_fv_found
}
# flag_bool "NAMES" ARGS...: 0 when a boolean flag is on, 1 when off, 2 when absent.
flag_bool() {
    _fb_names=$1; shift
    _fb_r=2
    for _fb_a in "$@"; do
        for _fb_n in $_fb_names; do
            case $_fb_a in
                "$_fb_n" | "$_fb_n"=true | "$_fb_n"=1) _fb_r=0 ;;
                "$_fb_n"=false | "$_fb_n"=0) _fb_r=1 ;;
            esac
        done
    done
    return $_fb_r
}
config_file() { printf '%s\n' "${K3S_CONFIG_FILE:-/etc/rancher/k3s/config.yaml}"; }
# cfg_get KEY: a top-level scalar of config.yaml (and config.yaml.d/*.yaml, later files win).
cfg_get() {
    _cf=$(config_file)
    # shellcheck disable=SC2086
    set -- "$1" "$_cf" $(ls "$_cf.d"/*.yaml 2>/dev/null)
    _key=$1; shift
    _found=1
    for _f in "$@"; do
        [ -f "$_f" ] || continue
        if _v=$(awk -v k="$_key" '
            { line = $0; sub(/\r$/, "", line)
              if (index(line, k ":") == 1) v = substr(line, length(k) + 2)
              else if (index(line, "\"" k "\":") == 1) v = substr(line, length(k) + 4)
              else next
              sub(/^[ \t]+/, "", v); sub(/[ \t]+$/, "", v)
              if (v ~ /^".*"$/ || v ~ /^\047.*\047$/) v = substr(v, 2, length(v) - 2)
              else sub(/[ \t]+#.*$/, "", v)
              val = v; found = 1 }
            END { if (found) print val; exit found ? 0 : 1 }' "$_f"); then
            _cv=$_v; _found=0
        fi
    done
    [ $_found -eq 0 ] && printf '%s\n' "$_cv"
    return $_found
}
# setting "FLAGS" ENVVAR CFGKEY ARGS...: a value from the command line, else the env, else config.yaml.
setting() {
    _s_flags=$1 _s_env=$2 _s_key=$3; shift 3
    flag_value "$_s_flags" "$@" && return 0
    if [ -n "$_s_env" ]; then
        eval "_s_v=\${$_s_env:-}"
        if [ -n "$_s_v" ]; then printf '%s\n' "$_s_v"; return 0; fi
    fi
    [ -n "$_s_key" ] && cfg_get "$_s_key"
}
setting_bool() {
    _sb_flags=$1 _sb_env=$2 _sb_key=$3; shift 3
    flag_bool "$_sb_flags" "$@"
    case $? in 0) return 0 ;; 1) return 1 ;; esac
    _sb_v=
    [ -n "$_sb_env" ] && eval "_sb_v=\${$_sb_env:-}"
    [ -n "$_sb_v" ] || [ -z "$_sb_key" ] || _sb_v=$(cfg_get "$_sb_key") || _sb_v=
    [ "$_sb_v" = true ] || [ "$_sb_v" = 1 ]
}

# ---------------------------------------------------------------- node facts
resolve_data_dir() { setting "--data-dir -d" K3S_DATA_DIR data-dir "$@" || echo /var/lib/rancher/k3s; }
resolve_node_name() {
    setting "--node-name" K3S_NODE_NAME node-name "$@" && return 0
    if [ -s /etc/rancher/fake-node-name ]; then head -n 1 /etc/rancher/fake-node-name; return 0; fi
    (hostname 2>/dev/null || cat /proc/sys/kernel/hostname) | tr 'A-Z' 'a-z'
}
# resolve_token ARGS...: the join token; exits 2 (after logging) when a token file is unreadable.
resolve_token() {
    setting "--token -t" K3S_TOKEN token "$@" && return 0
    _tf=$(setting "--token-file" K3S_TOKEN_FILE token-file "$@") || return 1
    if [ ! -r "$_tf" ]; then log fatal "Error: open $_tf: no such file or directory"; return 2; fi
    head -n 1 "$_tf"
}
random_hex() { od -An -N"$1" -tx1 /dev/urandom | tr -d ' \n'; }
# The LXC problem (shared/seeds/003): containers boot without /dev/kmsg and kubelet dies,
# unless an ExecStartPre of the unit recreates it (the fake systemd hands them to us).
kmsg_missing() {
    [ -e /etc/rancher/fake-lxc-no-kmsg ] || return 1
    [ -e /run/fake-lxc-kmsg ] && return 1
    if printf '%s\n' "${FAKE_SYSTEMD_EXEC_START_PRE:-}" | grep '/dev/kmsg' |
        grep -Eq '(^|[^[:alnum:]_])(ln|mknod)[[:space:]]'; then
        : > /run/fake-lxc-kmsg
        return 1
    fi
    return 0
}
check_kubelet() {
    if kmsg_missing; then
        echo 'Error: failed to run Kubelet: failed to create kubelet: open /dev/kmsg: no such file or directory' >&2
        log fatal 'kubelet exited: failed to run Kubelet: failed to create kubelet: open /dev/kmsg: no such file or directory'
        record_result failed
        exit 1
    fi
}
# Secrets never reach the record: token-like flags and env values are masked.
record_start() { # record_start ROLE NODE DATASTORE ARGS...
    _role=$1 _node=$2 _ds=$3; shift 3
    mkdir -p "$FAKE_DIR"
    {
        echo "version=$K3S_VERSION"
        echo "role=$_role"
        echo "node_name=$_node"
        echo "datastore=$_ds"
        _mask_next=0
        for _a in "$@"; do
            if [ $_mask_next -eq 1 ]; then echo 'arg=********'; _mask_next=0; continue; fi
            case $_a in
                --token | -t | --agent-token | --datastore-endpoint) echo "arg=$_a"; _mask_next=1 ;;
                --token=* | -t=* | --agent-token=* | --datastore-endpoint=*) echo "arg=${_a%%=*}=********" ;;
                *) echo "arg=$_a" ;;
            esac
        done
        env | grep -E '^K3S_[A-Z0-9_]*=' | sort | while IFS= read -r _kv; do
            case ${_kv%%=*} in
                K3S_TOKEN | K3S_AGENT_TOKEN | K3S_DATASTORE_ENDPOINT) echo "env=${_kv%%=*}=********" ;;
                *) echo "env=$_kv" ;;
            esac
        done
        printf '%s\n' "${FAKE_SYSTEMD_EXEC_START_PRE:-}" | sed -n 's/^\(..*\)$/exec_start_pre=\1/p'
    } > "$FAKE_DIR/$_role.args"
    START_ROLE=$_role
}
record_result() {
    [ -n "${START_ROLE:-}" ] || return 0
    echo "start role=$START_ROLE version=$K3S_VERSION result=$1" >> "$FAKE_DIR/starts.log"
}

# ---------------------------------------------------------------- datastore files
write_sqlite() { # the kine datastore: state.db (+ -wal, -shm), changed by every start
    _db=$1
    if [ ! -f "$_db/state.db" ]; then
        { printf 'SQLite format 3\000'; printf 'fake kine datastore of %s\n' "$NODE_NAME"; head -c 4000 /dev/zero; } > "$_db/state.db"
        head -c 32768 /dev/zero > "$_db/state.db-shm"
    fi
    echo "start $K3S_VERSION $(now_s)" >> "$_db/state.db-wal"
}
write_etcd() {
    _etcd=$1/etcd
    mkdir -p "$_etcd/member/snap" "$_etcd/member/wal"
    if [ ! -f "$_etcd/member/snap/db" ]; then
        { printf 'fake etcd bbolt db of %s\n' "$NODE_NAME"; head -c 4096 /dev/urandom | base64; } > "$_etcd/member/snap/db"
        printf 'name: %s\n' "$(cat "$_etcd/name")" > "$_etcd/config"
        # k3s migrates an existing SQLite datastore into etcd on the first --cluster-init start,
        # then renames it state.db.migrated (pkg/etcd/etcd.go, migrateFromSQLite).
        if [ -f "$1/state.db" ]; then
            echo "migrated from sqlite state.db" >> "$_etcd/member/snap/db"
            mv "$1/state.db" "$1/state.db.migrated"
            log info 'Migrating content from sqlite to etcd'
        fi
    fi
    echo "start $K3S_VERSION $(now_s)" >> "$_etcd/member/snap/db"
}

# ---------------------------------------------------------------- etcd membership
# As pkg/etcd/etcd.go: a member is named <node name>-<8 hex> (kept in db/etcd/name); a new
# cluster has its first server as its only member; a joining server adds itself
# (MemberAddAsLearner; the leader promotes it, the fake at once) unless a member from another
# life has its node name: "duplicate node name found" (join). The list is etcd's, so every
# member sees the same one: the fake keeps it in the file that /etc/rancher/fake-etcd-cluster
# names (one for the sandbox's servers), else in db/etcd/members. Lines: <member name> <peer URL>.
members_file() {
    if [ -s /etc/rancher/fake-etcd-cluster ]; then head -n 1 /etc/rancher/fake-etcd-cluster; else printf '%s\n' "$DB/etcd/members"; fi
}
etcd_initialized() { [ -d "$DB/etcd/member/wal" ]; }
etcd_member_name() {
    mkdir -p "$DB/etcd" && chmod 700 "$DB/etcd"
    [ -s "$DB/etcd/name" ] || (umask 077; printf '%s-%s' "$NODE_NAME" "$(random_hex 4)" > "$DB/etcd/name")
}
etcd_new_cluster() {
    _mf=$(members_file)
    mkdir -p "$(dirname "$_mf")"
    printf '%s https://%s:2380\n' "$(cat "$DB/etcd/name")" "$NODE_NAME" > "$_mf"
    log info 'Starting etcd for new cluster, cluster-reset=false'
}
etcd_join() {
    _mf=$(members_file)
    _me=$(cat "$DB/etcd/name")
    # No shared list: the server joined is not simulated, its list starts with this member.
    if [ ! -f "$_mf" ]; then mkdir -p "$(dirname "$_mf")"; : > "$_mf"; fi
    while read -r _mn _peer; do
        [ -n "$_mn" ] || continue
        [ "$_mn" = "$_me" ] && return 0
        if [ "${_mn%-*}" = "$NODE_NAME" ]; then
            # k3s removes the name file so that a fixed node name gets a new member name.
            rm -f "$DB/etcd/name"
            rmdir "$DB/etcd" 2>/dev/null
            log fatal 'etcd cluster join failed: duplicate node name found, please use a unique name for this node'
            record_result failed
            exit 1
        fi
    done < "$_mf"
    log info "Adding member $_me=https://$NODE_NAME:2380 to etcd cluster"
    printf '%s https://%s:2380\n' "$_me" "$NODE_NAME" >> "$_mf"
}

write_server_identity() { # write_server_identity SERVERDIR TOKEN
    mkdir -p "$1/tls" "$1/cred"
    if [ ! -s "$1/tls/server-ca.crt" ]; then
        { echo '-----BEGIN CERTIFICATE-----'; head -c 300 /dev/urandom | base64; echo '-----END CERTIFICATE-----'; } > "$1/tls/server-ca.crt"
    fi
    if [ ! -s "$1/token" ]; then
        _pw=${2:-$(random_hex 16)}
        case $_pw in
            K10*::*:*) _full=$_pw ;;
            *) _full="K10$(sha256sum "$1/tls/server-ca.crt" | cut -c1-64)::server:$_pw" ;;
        esac
        (umask 077; printf '%s\n' "$_full" > "$1/token")
    fi
    ln -sfn token "$1/node-token"
}
# k3s's admin identity, embedded in k3s.yaml: server/tls/client-admin.{crt,key}. k3s issues
# the certificates that are missing at every start (pkg/daemons/control/deps), and
# `certificate rotate` removes them; the fake's issuer is the pair the sandbox seeded, which
# the API (kube-sim or a real control plane) accepts, else a placeholder.
issue_client_admin() { # issue_client_admin SERVERDIR
    [ -s "$1/tls/client-admin.crt" ] && [ -s "$1/tls/client-admin.key" ] && return 0
    if [ -s /etc/rancher/fake-client-admin.crt ] && [ -s /etc/rancher/fake-client-admin.key ]; then
        cat /etc/rancher/fake-client-admin.crt > "$1/tls/client-admin.crt"
        (umask 077; cat /etc/rancher/fake-client-admin.key > "$1/tls/client-admin.key")
    else
        printf 'fake client certificate of %s\n' "$NODE_NAME" > "$1/tls/client-admin.crt"
        (umask 077; printf 'fake client key of %s\n' "$NODE_NAME" > "$1/tls/client-admin.key")
    fi
}
write_kubeconfig() { # write_kubeconfig SERVERDIR ARGS...
    _out=$(setting "--write-kubeconfig -o" K3S_KUBECONFIG_OUTPUT write-kubeconfig "$@") || _out=/etc/rancher/k3s/k3s.yaml
    _mode=$(setting "--write-kubeconfig-mode" K3S_KUBECONFIG_MODE write-kubeconfig-mode "$@") || _mode=600
    mkdir -p "$(dirname "$_out")"
    issue_client_admin "$1"
    _crt=$(base64 -w0 < "$1/tls/client-admin.crt")
    _key=$(base64 -w0 < "$1/tls/client-admin.key")
    if [ -f /etc/rancher/fake-kubeconfig.yaml ]; then
        # The seeded kubeconfig (the API's address and CA) with this server's admin identity.
        awk -v crt="$_crt" -v key="$_key" '
            /^[ \t]*client-certificate-data:/ { sub(/client-certificate-data:.*/, "client-certificate-data: " crt) }
            /^[ \t]*client-key-data:/ { sub(/client-key-data:.*/, "client-key-data: " key) }
            { print }' /etc/rancher/fake-kubeconfig.yaml > "$_out.tmp"
    else
        _ca=$(base64 -w0 < "$1/tls/server-ca.crt")
        cat > "$_out.tmp" <<EOF
apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: $_ca
    server: https://127.0.0.1:6443
  name: default
contexts:
- context:
    cluster: default
    user: default
  name: default
current-context: default
kind: Config
preferences: {}
users:
- name: default
  user:
    client-certificate-data: $_crt
    client-key-data: $_key
EOF
    fi
    chmod "$_mode" "$_out.tmp" && mv -f "$_out.tmp" "$_out"
}

# ---------------------------------------------------------------- k3s server / agent
cmd_server() {
    DATA_DIR=$(resolve_data_dir "$@")
    SRV=$DATA_DIR/server
    DB=$SRV/db
    if setting_bool "--cluster-reset" K3S_CLUSTER_RESET cluster-reset "$@"; then
        cluster_reset "$@"
        exit $?
    fi
    if setting "--cluster-reset-restore-path" K3S_CLUSTER_RESET_RESTORE_PATH cluster-reset-restore-path "$@" >/dev/null; then
        fail 'invalid flag use; --cluster-reset required with --cluster-reset-restore-path'
    fi
    NODE_NAME=$(resolve_node_name "$@")
    _token=$(resolve_token "$@") || { [ $? -eq 2 ] && exit 1; _token=; }
    _join=$(setting "--server -s" K3S_URL server "$@") || _join=
    _endpoint=$(setting "--datastore-endpoint" K3S_DATASTORE_ENDPOINT datastore-endpoint "$@") || _endpoint=
    if [ -n "$_join" ] && [ -z "$_token" ]; then fail '--token is required'; fi
    # The datastore follows k3s's choice: etcd already on disk, else an external endpoint,
    # else embedded etcd for --cluster-init or a join, else SQLite (kine).
    if etcd_initialized; then _ds=etcd
    elif [ -n "$_endpoint" ]; then _ds=external
    elif setting_bool "--cluster-init" K3S_CLUSTER_INIT cluster-init "$@"; then _ds=etcd
    elif [ -n "$_join" ]; then _ds=etcd
    else _ds=sqlite
    fi
    record_start server "$NODE_NAME" "$_ds" "$@"
    log info "Starting k3s $K3S_VERSION ($K3S_COMMIT)"
    mkdir -p "$DB"
    # A start without --cluster-reset clears the flag a previous reset left.
    rm -f "$DB/reset-flag"
    if [ "$_ds" = etcd ] && ! etcd_initialized; then
        etcd_member_name
        if [ -n "$_join" ]; then etcd_join; else etcd_new_cluster; fi
    fi
    case $_ds in
        etcd) write_etcd "$DB" ;;
        sqlite) write_sqlite "$DB" ;;
    esac
    write_server_identity "$SRV" "$_token"
    write_kubeconfig "$SRV" "$@"
    if ! setting_bool "--disable-agent" K3S_DISABLE_AGENT disable-agent "$@"; then check_kubelet; fi
    record_result ok
    log info "k3s is up and running"
}

cmd_agent() {
    DATA_DIR=$(resolve_data_dir "$@")
    NODE_NAME=$(resolve_node_name "$@")
    _token=$(resolve_token "$@") || { [ $? -eq 2 ] && exit 1; _token=; }
    _server=$(setting "--server -s" K3S_URL server "$@") || _server=
    # An agent that joined before keeps its kubelet certificate and needs no token again.
    if [ -z "$_token" ] && [ ! -f "$DATA_DIR/agent/client-kubelet.crt" ]; then fail '--token is required'; fi
    [ -n "$_server" ] || fail '--server is required'
    record_start agent "$NODE_NAME" none "$@"
    log info "Starting k3s agent $K3S_VERSION ($K3S_COMMIT)"
    check_kubelet
    mkdir -p "$DATA_DIR/agent"
    printf 'fake kubelet certificate of %s for %s\n' "$NODE_NAME" "$_server" > "$DATA_DIR/agent/client-kubelet.crt"
    record_result ok
}

# ---------------------------------------------------------------- cluster reset (restore)
server_active() { # is a k3s server unit running? (the fake systemd knows; no systemctl: assume yes)
    command -v systemctl >/dev/null 2>&1 || return 0
    for _u in /etc/systemd/system/k3s*.service; do
        [ -f "$_u" ] || continue
        grep -Eq '^[[:space:]]*(ExecStart=.*[[:space:]])?'"'"'?server'"'"'?([[:space:]]|$)' "$_u" || continue
        systemctl is-active --quiet "${_u##*/}" 2>/dev/null && return 0
    done
    return 1
}
cluster_reset() {
    _restore=$(setting "--cluster-reset-restore-path" K3S_CLUSTER_RESET_RESTORE_PATH cluster-reset-restore-path "$@") || _restore=
    NODE_NAME=$(resolve_node_name "$@")
    if server_active; then
        fail 'starting kubernetes: preparing server: init cluster datastore and https: listen tcp :6443: bind: address already in use'
    fi
    if [ ! -d "$DB/etcd" ] && ! setting_bool "--cluster-init" K3S_CLUSTER_INIT cluster-init "$@"; then
        fail "fake k3s: --cluster-reset needs the embedded etcd datastore and $DB holds SQLite (real k3s ignores the flag and starts normally)"
    fi
    if [ -z "$_restore" ] && [ -e "$DB/reset-flag" ]; then
        fail "Managed etcd cluster membership was previously reset, please remove the cluster-reset flag and start k3s normally. If you need to perform another cluster reset, you must first manually delete the $DB/reset-flag file"
    fi
    log info "Starting k3s $K3S_VERSION ($K3S_COMMIT)"
    if [ -n "$_restore" ]; then
        [ -e "$_restore" ] || fail "etcd: snapshot path does not exist: $_restore"
        [ -d "$_restore" ] && fail "etcd: snapshot path must be a file, not a directory: $_restore"
        if [ -d "$DB/etcd" ]; then
            mv "$DB/etcd" "$DB/etcd-old-$(now_s)"
            log info "Pre-restore etcd database moved to $DB/etcd-old-$(now_s)"
        fi
        mkdir -p "$DB/etcd/member/snap" "$DB/etcd/member/wal"
        case $_restore in
            *.zip) log info "Decompressing etcd snapshot file: $_restore"; unzip_one "$_restore" > "$DB/etcd/member/snap/db" || fail "zip: not a valid zip file" ;;
            *) cat "$_restore" > "$DB/etcd/member/snap/db" ;;
        esac
        log info "etcd: restored snapshot $_restore"
    fi
    mkdir -p "$DB/etcd/member/wal"
    # A reset forces a new member name and a cluster of one (etcd.go Reset: setName(true), newCluster).
    rm -f "$DB/etcd/name"
    etcd_member_name
    printf 'name: %s\n' "$(cat "$DB/etcd/name")" > "$DB/etcd/config"
    etcd_new_cluster
    : > "$DB/reset-flag"
    mkdir -p "$FAKE_DIR"
    echo "cluster-reset restore=${_restore:-none} version=$K3S_VERSION" >> "$FAKE_DIR/cluster-reset.log"
    log info 'Managed etcd cluster membership has been reset, restart without --cluster-reset flag now. Backup and delete ${datadir}/server/db on each peer etcd server and rejoin the nodes'
    return 0
}

# ---------------------------------------------------------------- zip (one entry, deflate)
# Built from gzip's raw deflate stream and its CRC, so the archive is a real .zip.
le() { # le BYTES VALUE: VALUE as little-endian bytes
    _n=$1 _v=$2
    while [ "$_n" -gt 0 ]; do
        printf "\\$(printf '%03o' $((_v & 255)))"
        _v=$((_v >> 8)); _n=$((_n - 1))
    done
}
read_le() { # read_le FILE OFFSET BYTES: a little-endian number read from FILE
    od -An -j "$2" -N "$3" -tu1 "$1" | awk '{ for (i = 1; i <= NF; i++) b[n++] = $i } END { v = 0; for (i = n - 1; i >= 0; i--) v = v * 256 + b[i]; printf "%.0f\n", v }'
}
zip_one() { # zip_one SRC ENTRY OUT
    _gz=$(mktemp)
    gzip -n -c "$1" > "$_gz"
    _gzsize=$(wc -c < "$_gz")
    _csize=$((_gzsize - 18))
    _crc=$(read_le "$_gz" $((_gzsize - 8)) 4)
    _usize=$(wc -c < "$1")
    _nlen=$(printf '%s' "$2" | wc -c)
    _t=$(date -u +'%H %M %S %Y %m %d' | awk '{ printf "%d %d", $1 * 2048 + $2 * 32 + int($3 / 2), ($4 - 1980) * 512 + $5 * 32 + $6 }')
    _dtime=${_t% *} _ddate=${_t#* }
    {
        le 4 $((0x04034b50)); le 2 20; le 2 0; le 2 8; le 2 "$_dtime"; le 2 "$_ddate"
        le 4 "$_crc"; le 4 "$_csize"; le 4 "$_usize"; le 2 "$_nlen"; le 2 0; printf '%s' "$2"
        tail -c +11 "$_gz" | head -c "$_csize"
        le 4 $((0x02014b50)); le 2 $((0x031e)); le 2 20; le 2 0; le 2 8; le 2 "$_dtime"; le 2 "$_ddate"
        le 4 "$_crc"; le 4 "$_csize"; le 4 "$_usize"; le 2 "$_nlen"; le 2 0; le 2 0; le 2 0; le 2 0
        le 4 $((0x81a40000)); le 4 0; printf '%s' "$2"
        le 4 $((0x06054b50)); le 2 0; le 2 0; le 2 1; le 2 1
        le 4 $((46 + _nlen)); le 4 $((30 + _nlen + _csize)); le 2 0
    } > "$3"
    rm -f "$_gz"
}
unzip_one() { # unzip_one ZIP: the first entry's content on stdout
    [ "$(read_le "$1" 0 4)" = "$((0x04034b50))" ] || return 1
    _csize=$(read_le "$1" 18 4)
    _nlen=$(read_le "$1" 26 2)
    _xlen=$(read_le "$1" 28 2)
    {
        printf '\037\213\010\000\000\000\000\000\000\003'
        tail -c +$((31 + _nlen + _xlen)) "$1" | head -c "$_csize"
        tail -c +15 "$1" | head -c 4
        tail -c +23 "$1" | head -c 4
    } | gzip -dc
}

# ---------------------------------------------------------------- etcd-snapshot
SNAP_VALUE_FLAGS='--name --dir --etcd-snapshot-dir --data-dir -d --node-name --token -t --server -s --snapshot-retention --etcd-snapshot-retention -o --output --etcd-snapshot-list-format --config -c --s3-endpoint --s3-endpoint-ca --s3-access-key --s3-secret-key --s3-bucket --s3-region --s3-folder --s3-timeout --s3-proxy --s3-config-secret --etcd-s3-endpoint --etcd-s3-endpoint-ca --etcd-s3-access-key --etcd-s3-secret-key --etcd-s3-bucket --etcd-s3-region --etcd-s3-folder --etcd-s3-timeout'
positionals() { # the words of ARGS that are neither flags nor flag values
    _skip=0
    for _a in "$@"; do
        if [ $_skip -eq 1 ]; then _skip=0; continue; fi
        case $_a in
            -*=*) ;;
            -*) for _vf in $SNAP_VALUE_FLAGS; do [ "$_a" = "$_vf" ] && _skip=1; done ;;
            *) printf '%s\n' "$_a" ;;
        esac
    done
}
# The CLI asks the running server (POST /db/snapshot); the server answers from its datastore.
snapshot_setup() {
    DATA_DIR=$(resolve_data_dir "$@")
    SRV=$DATA_DIR/server
    DB=$SRV/db
    if ! setting "--token -t" K3S_TOKEN token "$@" >/dev/null; then
        [ -r "$SRV/token" ] || fail "open $SRV/token: no such file or directory"
    fi
    server_active || fail 'see server log for details: Post "https://127.0.0.1:6443/db/snapshot": dial tcp 127.0.0.1:6443: connect: connection refused'
    [ -d "$DB/etcd" ] || fail 'see server log for details: etcd datastore disabled'
    NODE_NAME=$(sed -n 's/^node_name=//p' "$FAKE_DIR/server.args" 2>/dev/null)
    [ -n "$NODE_NAME" ] || NODE_NAME=$(resolve_node_name "$@")
    SNAP_DEFAULT_DIR=$DB/snapshots
    SNAP_DIR=$(setting "--dir --etcd-snapshot-dir" "" etcd-snapshot-dir "$@") || SNAP_DIR=$SNAP_DEFAULT_DIR
    SNAP_NAME=$(setting "--name --etcd-snapshot-name" "" etcd-snapshot-name "$@") || SNAP_NAME=on-demand
}
snapshot_dir_ready() { # only the default directory is created; others must exist
    if [ ! -d "$SNAP_DIR" ]; then
        [ "$SNAP_DIR" = "$SNAP_DEFAULT_DIR" ] || fail "see server log for details: failed to get etcd-snapshot-dir: stat $SNAP_DIR: no such file or directory"
        mkdir -p "$SNAP_DIR" && chmod 700 "$SNAP_DIR"
    fi
}
snapshot_rows() { # "created<TAB>name<TAB>size" per snapshot file, oldest first
    [ -d "$SNAP_DIR" ] || return 0
    for _f in "$SNAP_DIR"/*; do
        [ -f "$_f" ] || continue
        _n=${_f##*/}
        _b=${_n%.zip}
        _ts=${_b##*-}
        case $_ts in '' | *[!0-9]*) _ts=$(stat -c %Y "$_f") ;; esac
        printf '%s\t%s\t%s\n' "$_ts" "$_n" "$(wc -c < "$_f" | tr -d ' ')"
    done | sort -t "$TAB" -k1,1n -k2,2
}
snap_save() {
    [ -z "$(positionals "$@")" ] || fail 'this command does not take any arguments'
    snapshot_dir_ready
    _now=$(now_s)
    _file="$SNAP_NAME-$NODE_NAME-$_now"
    if setting_bool "--snapshot-compress --etcd-snapshot-compress --compress" "" etcd-snapshot-compress "$@"; then
        zip_one "$DB/etcd/member/snap/db" "$_file" "$SNAP_DIR/$_file.zip"
        _file=$_file.zip
    else
        cat "$DB/etcd/member/snap/db" > "$SNAP_DIR/$_file"
    fi
    chmod 600 "$SNAP_DIR/$_file"
    log info "Snapshot $_file saved."
}
json_str() { printf '"%s"' "$(printf '%s' "$1" | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g')"; }
snap_ls() {
    _fmt=$(setting "-o --output --etcd-snapshot-list-format" "" "" "$@") || _fmt=table
    case $_fmt in json | yaml | table) ;; *) fail "invalid output format: $_fmt" ;; esac
    _rows=$(snapshot_rows)
    case $_fmt in
        table)
            { printf 'Name\tLocation\tSize\tCreated\n'
              [ -z "$_rows" ] || printf '%s\n' "$_rows" | while IFS="$TAB" read -r _ts _n _sz; do
                  printf '%s\tfile://%s\t%s\t%s\n' "$_n" "$SNAP_DIR/$_n" "$_sz" "$(rfc3339 "$_ts")"
              done
            } | awk -F '\t' '
                # text/tabwriter (minwidth 0, padding 1): each tab-terminated cell padded to its column
                { n++; nf[n] = NF; for (i = 1; i <= NF; i++) { c[n, i] = $i; if (i < NF && length($i) > w[i]) w[i] = length($i) } }
                END { for (r = 1; r <= n; r++) { s = ""; for (i = 1; i < nf[r]; i++) s = s sprintf("%-" (w[i] + 1) "s", c[r, i]); print s c[r, nf[r]] } }'
            ;;
        json | yaml)
            _items=
            if [ -n "$_rows" ]; then
                _items=$(printf '%s\n' "$_rows" | while IFS="$TAB" read -r _ts _n _sz; do
                    _loc="file://$SNAP_DIR/$_n"
                    _id="local-$(printf '%s' "$_n" | tr 'A-Z' 'a-z' | sed 's/[^a-z0-9.-]/-/g')-$(printf '%s%s' "$NODE_NAME" "$_loc" | sha256sum | cut -c1-6)"
                    printf '%s\t%s\t%s\t%s\t%s\n' "$_id" "$_n" "$_loc" "$_sz" "$(rfc3339 "$_ts")"
                done)
            fi
            if [ "$_fmt" = json ]; then print_list_json "$_items"; else print_list_yaml "$_items"; fi
            ;;
    esac
}
print_list_json() { # kubectl's JSONPrinter: typed field order, four-space indent
    printf '{\n    "kind": "List",\n    "apiVersion": "v1",\n    "metadata": {},\n'
    if [ -z "$1" ]; then printf '    "items": null\n}\n'; return; fi
    printf '    "items": [\n'
    _first=1
    printf '%s\n' "$1" | while IFS="$TAB" read -r _id _n _loc _sz _created; do
        [ $_first -eq 1 ] || printf ',\n'
        _first=0
        printf '        {\n            "kind": "ETCDSnapshotFile",\n            "apiVersion": "k3s.cattle.io/v1",\n'
        printf '            "metadata": {\n                "name": %s,\n                "creationTimestamp": null\n            },\n' "$(json_str "$_id")"
        printf '            "spec": {\n                "snapshotName": %s,\n                "nodeName": %s,\n                "location": %s\n            },\n' \
            "$(json_str "$_n")" "$(json_str "$NODE_NAME")" "$(json_str "$_loc")"
        printf '            "status": {\n                "readyToUse": true,\n                "creationTime": %s,\n                "size": "%s"\n            }\n        }' \
            "$(json_str "$_created")" "$_sz"
    done
    printf '\n    ]\n}\n'
}
print_list_yaml() { # kubectl's YAMLPrinter: keys sorted, as sigs.k8s.io/yaml writes them
    printf 'apiVersion: v1\n'
    if [ -z "$1" ]; then printf 'items: null\n'; else
        printf 'items:\n'
        printf '%s\n' "$1" | while IFS="$TAB" read -r _id _n _loc _sz _created; do
            printf -- '- apiVersion: k3s.cattle.io/v1\n  kind: ETCDSnapshotFile\n  metadata:\n    creationTimestamp: null\n    name: %s\n' "$_id"
            printf '  spec:\n    location: %s\n    nodeName: %s\n    snapshotName: %s\n' "$_loc" "$NODE_NAME" "$_n"
            printf '  status:\n    creationTime: "%s"\n    readyToUse: true\n    size: "%s"\n' "$_created" "$_sz"
        done
    fi
    printf 'kind: List\nmetadata: {}\n'
}
snap_delete() {
    _names=$(positionals "$@")
    [ -n "$_names" ] || fail 'no snapshots given for removal'
    _missing=
    for _n in $_names; do
        if [ -f "$SNAP_DIR/$_n" ]; then
            rm -f "$SNAP_DIR/$_n" "$SNAP_DIR/../.metadata/$_n"
            log info "Snapshot $_n deleted."
        else
            _missing="$_missing $_n"
        fi
    done
    for _n in $_missing; do log warning "Snapshot $_n not found."; done
}
snap_prune() {
    _keep=$(setting "--snapshot-retention --etcd-snapshot-retention" "" etcd-snapshot-retention "$@") || _keep=5
    case $_keep in '' | *[!0-9]*) fail "invalid value \"$_keep\" for flag -snapshot-retention: parse error" ;; esac
    [ "$_keep" -ge 1 ] || return 0
    _matching=$(snapshot_rows | awk -F '\t' -v p="$SNAP_NAME" 'index($2, p) == 1 { print $2 }')
    _count=$(printf '%s' "$_matching" | grep -c . || true)
    [ "$_count" -gt "$_keep" ] || return 0
    printf '%s\n' "$_matching" | head -n $((_count - _keep)) | while IFS= read -r _n; do
        rm -f "$SNAP_DIR/$_n" "$SNAP_DIR/../.metadata/$_n"
        log info "Snapshot $_n deleted."
    done
}
cmd_etcd_snapshot() {
    _sub=save
    case ${1:-} in
        save | delete | prune) _sub=$1; shift ;;
        ls | list | l) _sub=ls; shift ;;
        -h | --help | help) echo 'USAGE: k3s etcd-snapshot command [command options] [arguments...]'; return 0 ;;
        -*) ;;
        '') ;;
        *) echo "No help topic for '$1'" >&2; exit 3 ;;
    esac
    if [ "$_sub" = ls ]; then # the format is checked before the server is asked
        _fmt=$(setting "-o --output --etcd-snapshot-list-format" "" "" "$@") || _fmt=table
        case $_fmt in json | yaml | table) ;; *) fail "invalid output format: $_fmt" ;; esac
    fi
    snapshot_setup "$@"
    case $_sub in
        save) snap_save "$@" ;;
        ls) snap_ls "$@" ;;
        delete) snap_delete "$@" ;;
        prune) snap_prune "$@" ;;
    esac
}

# ---------------------------------------------------------------- certificate rotate
# As pkg/cli/cert/cert.go: the server's tls directory is copied to tls-<unix time>, then the
# certificates of every service are deleted (admin: client-admin.crt/.key, ...) and the
# dynamic listener told to regenerate; the next start issues new ones (issue_client_admin).
ROTATED_SERVER_FILES='client-admin client-kube-apiserver serving-kube-apiserver client-controller client-scheduler client-auth-proxy client-k3s-controller client-kube-proxy client-kubelet serving-kubelet client-cloud-controller etcd/client etcd/server-client etcd/peer-server-client'
cmd_certificate() {
    [ "${1:-}" = rotate ] || { echo "No help topic for '${1:-}'" >&2; exit 3; }
    shift
    DATA_DIR=$(resolve_data_dir "$@")
    _now=$(now_s)
    if [ -d "$DATA_DIR/server/tls" ]; then
        cp -a "$DATA_DIR/server/tls" "$DATA_DIR/server/tls-$_now"
        log info 'Server detected, rotating server certificates'
        for _c in $ROTATED_SERVER_FILES; do rm -f "$DATA_DIR/server/tls/$_c.crt" "$DATA_DIR/server/tls/$_c.key"; done
        rm -f "$DATA_DIR/agent/client-kubelet.crt" "$DATA_DIR/agent/client-kubelet.key"
        : > "$DATA_DIR/server/tls/dynamic-cert-regenerate"
        log info 'Rotating dynamic listener certificate'
        log info "Successfully backed up certificates for all services to path $DATA_DIR/server/tls-$_now, please restart k3s server or agent to rotate certificates"
    elif [ -d "$DATA_DIR/agent" ]; then
        log info 'Agent detected, rotating agent certificates'
        rm -f "$DATA_DIR/agent/client-kubelet.crt"
        log info 'Successfully rotated agent certificates, please restart k3s agent'
    else
        fail "stat $DATA_DIR/server/tls: no such file or directory"
    fi
}

# ---------------------------------------------------------------- kubectl
# k3s's embedded kubectl is a real one that reads /etc/rancher/k3s/k3s.yaml unless KUBECONFIG
# (or --kubeconfig) says otherwise: here the machine's own kubectl, on the k3s.yaml this fake
# wrote (the sandbox's API, kube-sim or a real control plane, and this server's admin identity).
cmd_kubectl() {
    _kubectl=
    for _d in /usr/bin /bin /usr/sbin /sbin; do
        if [ -x "$_d/kubectl" ]; then _kubectl=$_d/kubectl; break; fi
    done
    [ -n "$_kubectl" ] || fail "fake k3s: kubectl needs a kubectl on this machine (Debian: apt-get install kubernetes-client)"
    if [ -z "${KUBECONFIG:-}" ] && [ -f /etc/rancher/k3s/k3s.yaml ]; then
        KUBECONFIG=/etc/rancher/k3s/k3s.yaml
        export KUBECONFIG
    fi
    exec "$_kubectl" "$@"
}

# ---------------------------------------------------------------- main
case ${0##*/} in
    kubectl) cmd_kubectl "$@" ;;
    crictl | ctr)
        echo "fake k3s: '${0##*/}' is not simulated on sandbox nodes; use the Kubernetes API simulator" >&2
        exit 1 ;;
esac
case ${1:-} in
    --version | -v)
        echo "k3s version $K3S_VERSION ($K3S_COMMIT)"
        echo "go version $K3S_GO_VERSION" ;;
    server) shift; cmd_server "$@" ;;
    agent) shift; cmd_agent "$@" ;;
    etcd-snapshot) shift; cmd_etcd_snapshot "$@" ;;
    certificate) shift; cmd_certificate "$@" ;;
    kubectl) shift; cmd_kubectl "$@" ;;
    '' | -h | --help | help)
        echo 'NAME:'
        echo '   k3s - Kubernetes, but small and simple (herdbook sandbox fake)'
        echo 'COMMANDS:'
        echo '   server, agent, etcd-snapshot, certificate, kubectl'
        ;;
    *) echo "No help topic for '$1'" >&2; exit 3 ;;
esac
