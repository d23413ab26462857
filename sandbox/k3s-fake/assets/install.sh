#!/bin/sh
# herdbook's stand-in for get.k3s.io (k3s-io/k3s install.sh): same variables, same [INFO]
# lines, same files, same decisions; our own code. It keeps the real script's sharp edges on
# purpose, because herdbook must cope with them:
#   - the systemd unit and its .env are REGENERATED from the current INSTALL_K3S_EXEC,
#     arguments and K3S_* variables on every run: flags from the first install are lost
#     unless passed again;
#   - the role comes from the first word of INSTALL_K3S_EXEC/arguments, so re-running on an
#     agent without `agent` (and without K3S_URL) installs a server beside it.
# Left out, because the sandbox has none of it: OpenRC, SELinux RPMs, PR/commit builds,
# iptables clean-up, and killing processes or network interfaces (k3s-killall.sh only stops
# the units). The release server rewrites the two default URLs below to point at itself.
set -e
set -o noglob

GITHUB_URL=${GITHUB_URL:-https://github.com/k3s-io/k3s/releases}
DEFAULT_CHANNEL_URL=https://update.k3s.io/v1-release/channels
DOWNLOADER=

info() { echo '[INFO] ' "$@"; }
warn() { echo '[WARN] ' "$@" >&2; }
fatal() { echo '[ERROR] ' "$@" >&2; exit 1; }

# A real systemd (PID 1) would really start k3s: the fake only drives the sandbox's systemctl.
verify_system() {
    if [ -d /run/systemd/system ]; then
        fatal 'this fake install.sh only runs on herdbook sandbox nodes (a real systemd manages this machine)'
    fi
    command -v systemctl >/dev/null 2>&1 || fatal 'Can not find systemd or openrc to use as a process supervisor for k3s'
    HAS_SYSTEMD=true
}

# --- quoting: every word of the unit's ExecStart is single-quoted, as the real script does
squote() { printf "'%s'" "$(printf '%s\n' "$1" | sed "s/'/'\\\\''/g")"; }
quote_words() { for _w in "$@"; do printf '%s ' "$(squote "$_w")"; done; }
exec_lines() { # " \" then one tab-indented quoted word per line, each ending with " \"
    printf ' \\\n'
    for _w in "$@"; do printf '\t%s \\\n' "$(squote "$_w")"; done
}
# INSTALL_K3S_EXEC is split into words as a shell would (its own quotes count) with no
# expansion; the script's arguments follow it unchanged.
shell_safe() { printf '%s' "$1" | sed 's/[][\\!#$%&()*;<=>?`{|}]/\\&/g'; }

setup_env() {
    case "${1:-}" in
        -* | '')
            if [ -z "${K3S_URL:-}" ]; then
                CMD_K3S=server
            else
                if [ -z "${K3S_TOKEN:-}" ] && [ -z "${K3S_TOKEN_FILE:-}" ]; then
                    fatal "Defaulted k3s exec command to 'agent' because K3S_URL is defined, but K3S_TOKEN or K3S_TOKEN_FILE is not defined."
                fi
                CMD_K3S=agent
            fi
            ;;
        *) CMD_K3S=$1; shift ;;
    esac
    case "${K3S_URL:-}" in
        '' | https://*) ;;
        *) fatal "Only https:// URLs are supported for K3S_URL (have ${K3S_URL})" ;;
    esac
    CMD_K3S_EXEC="${CMD_K3S}$(exec_lines "$@")"

    if [ -n "${INSTALL_K3S_NAME:-}" ]; then
        SYSTEM_NAME=k3s-${INSTALL_K3S_NAME}
    elif [ "$CMD_K3S" = server ]; then
        SYSTEM_NAME=k3s
    else
        SYSTEM_NAME=k3s-${CMD_K3S}
    fi
    if printf '%s' "$SYSTEM_NAME" | grep -q '[][!#$%&()*;<=>?\\_`{|}/[:space:]]'; then
        fatal "Invalid characters for system name:
            ${SYSTEM_NAME}"
    fi

    SUDO=sudo
    [ "$(id -u)" -eq 0 ] && SUDO=
    SYSTEMD_TYPE=${INSTALL_K3S_TYPE:-notify}
    if [ -n "${INSTALL_K3S_BIN_DIR:-}" ]; then
        BIN_DIR=$INSTALL_K3S_BIN_DIR
    else
        BIN_DIR=/usr/local/bin
        if ! $SUDO sh -c "touch $BIN_DIR/k3s-ro-test && rm -rf $BIN_DIR/k3s-ro-test" 2>/dev/null; then
            [ -d /opt/bin ] && BIN_DIR=/opt/bin
        fi
    fi
    SYSTEMD_DIR=${INSTALL_K3S_SYSTEMD_DIR:-/etc/systemd/system}
    SERVICE_K3S=${SYSTEM_NAME}.service
    UNINSTALL_K3S_SH=${UNINSTALL_K3S_SH:-${BIN_DIR}/${SYSTEM_NAME}-uninstall.sh}
    KILLALL_K3S_SH=${KILLALL_K3S_SH:-${BIN_DIR}/k3s-killall.sh}
    FILE_K3S_SERVICE=${SYSTEMD_DIR}/${SERVICE_K3S}
    FILE_K3S_ENV=${SYSTEMD_DIR}/${SERVICE_K3S}.env

    # The restart decision compares these hashes before and after the install.
    PRE_INSTALL_HASHES=$(installed_hashes)
    [ "${INSTALL_K3S_BIN_DIR_READ_ONLY:-}" = true ] && INSTALL_K3S_SKIP_DOWNLOAD=true
    INSTALL_K3S_CHANNEL_URL=${INSTALL_K3S_CHANNEL_URL:-$DEFAULT_CHANNEL_URL}
    INSTALL_K3S_CHANNEL=${INSTALL_K3S_CHANNEL:-stable}
}

installed_hashes() { $SUDO sha256sum "$BIN_DIR/k3s" "$FILE_K3S_SERVICE" "$FILE_K3S_ENV" 2>&1 || true; }

# --- download and verify
setup_arch() {
    ARCH=${ARCH:-$(uname -m)}
    case $ARCH in
        amd64 | x86_64) ARCH=amd64; SUFFIX= ;;
        arm64 | aarch64) ARCH=arm64; SUFFIX=-arm64 ;;
        s390x) ARCH=s390x; SUFFIX=-s390x ;;
        arm*) ARCH=arm; SUFFIX=-armhf ;;
        *) fatal "Unsupported architecture $ARCH" ;;
    esac
}
pick_downloader() {
    for _d in curl wget; do
        if [ -x "$(command -v "$_d" 2>/dev/null)" ]; then DOWNLOADER=$_d; return 0; fi
    done
    fatal 'Can not find curl or wget for downloading files'
}
setup_tmp() {
    TMP_DIR=$(mktemp -d -t k3s-install.XXXXXXXXXX)
    TMP_HASH=$TMP_DIR/k3s.hash
    TMP_BIN=$TMP_DIR/k3s.bin
    cleanup() {
        code=$?
        set +e
        trap - EXIT
        rm -rf "$TMP_DIR"
        exit $code
    }
    trap cleanup INT EXIT
}
# The channel URL redirects to .../releases/tag/<tag>; the tag is the last path segment.
release_version() {
    if [ -n "${INSTALL_K3S_VERSION:-}" ]; then
        VERSION_K3S=$INSTALL_K3S_VERSION
    else
        info "Finding release for channel ${INSTALL_K3S_CHANNEL}"
        _url="${INSTALL_K3S_CHANNEL_URL}/${INSTALL_K3S_CHANNEL}"
        case $DOWNLOADER in
            curl) VERSION_K3S=$(curl -w '%{url_effective}' -L -s -S "$_url" -o /dev/null | sed -e 's|.*/||') ;;
            wget) VERSION_K3S=$(wget -SqO /dev/null "$_url" 2>&1 | grep -i Location | sed -e 's|.*/||') ;;
        esac
    fi
    info "Using ${VERSION_K3S} as release"
}
fetch() { # fetch FILE URL
    set +e
    case $DOWNLOADER in
        curl) curl -o "$1" -sfL "$2" ;;
        wget) wget -qO "$1" "$2" ;;
    esac
    _st=$?
    set -e
    [ $_st -eq 0 ] || fatal 'Download failed'
}
download_hash() {
    HASH_URL=${GITHUB_URL}/download/${VERSION_K3S}/sha256sum-${ARCH}.txt
    info "Downloading hash ${HASH_URL}"
    fetch "$TMP_HASH" "$HASH_URL"
    HASH_EXPECTED=$(grep " k3s${SUFFIX}$" "$TMP_HASH" || true)
    HASH_EXPECTED=${HASH_EXPECTED%%[[:blank:]]*}
}
installed_hash_matches() {
    [ -x "$BIN_DIR/k3s" ] || return 1
    HASH_INSTALLED=$(sha256sum "$BIN_DIR/k3s")
    [ "$HASH_EXPECTED" = "${HASH_INSTALLED%%[[:blank:]]*}" ]
}
download_and_verify() {
    case "${INSTALL_K3S_SKIP_DOWNLOAD:-}" in
        true | binary)
            info 'Skipping k3s download and verify'
            [ -x "$BIN_DIR/k3s" ] || fatal "Executable k3s binary not found at ${BIN_DIR}/k3s"
            return
            ;;
    esac
    setup_arch
    pick_downloader
    setup_tmp
    release_version
    download_hash
    if installed_hash_matches; then
        info 'Skipping binary downloaded, installed k3s matches hash'
        return
    fi
    BIN_URL=${GITHUB_URL}/download/${VERSION_K3S}/k3s${SUFFIX}
    info "Downloading binary ${BIN_URL}"
    fetch "$TMP_BIN" "$BIN_URL"
    info 'Verifying binary download'
    HASH_BIN=$(sha256sum "$TMP_BIN")
    HASH_BIN=${HASH_BIN%%[[:blank:]]*}
    [ "$HASH_EXPECTED" = "$HASH_BIN" ] || fatal "Download sha256 does not match ${HASH_EXPECTED}, got ${HASH_BIN}"
    chmod 755 "$TMP_BIN"
    info "Installing k3s to ${BIN_DIR}/k3s"
    $SUDO chown root:root "$TMP_BIN"
    $SUDO mv -f "$TMP_BIN" "$BIN_DIR/k3s"
}

setup_selinux() {
    if [ "${INSTALL_K3S_SKIP_SELINUX_RPM:-}" = true ] || [ "${INSTALL_K3S_SKIP_DOWNLOAD:-}" = true ] ||
        [ "${INSTALL_K3S_SKIP_DOWNLOAD:-}" = selinux ] || [ ! -d /usr/share/selinux ]; then
        info 'Skipping installation of SELinux RPM'
        return
    fi
    warn 'fake install.sh: SELinux policy installation is not simulated'
}

create_symlinks() {
    [ "${INSTALL_K3S_BIN_DIR_READ_ONLY:-}" = true ] && return
    [ "${INSTALL_K3S_SYMLINK:-}" = skip ] && return
    for cmd in kubectl crictl ctr; do
        if [ ! -e "$BIN_DIR/$cmd" ] || [ "${INSTALL_K3S_SYMLINK:-}" = force ]; then
            which_cmd=$(command -v $cmd 2>/dev/null || true)
            if [ -z "$which_cmd" ] || [ "${INSTALL_K3S_SYMLINK:-}" = force ]; then
                info "Creating ${BIN_DIR}/${cmd} symlink to k3s"
                $SUDO ln -sf k3s "$BIN_DIR/$cmd"
            else
                info "Skipping ${BIN_DIR}/${cmd} symlink to k3s, command exists in PATH at ${which_cmd}"
            fi
        else
            info "Skipping ${BIN_DIR}/${cmd} symlink to k3s, already exists"
        fi
    done
}

create_killall() {
    [ "${INSTALL_K3S_BIN_DIR_READ_ONLY:-}" = true ] && return
    info "Creating killall script ${KILLALL_K3S_SH}"
    $SUDO tee "$KILLALL_K3S_SH" >/dev/null <<EOF
#!/bin/sh
[ \$(id -u) -eq 0 ] || exec sudo --preserve-env=K3S_DATA_DIR \$0 \$@
# herdbook sandbox: stops the k3s units; there are no processes, mounts, interfaces or
# iptables rules of a real k3s to clean up here.
set -x
for service in $(squote "$SYSTEMD_DIR")/k3s*.service; do
    [ -s \$service ] && systemctl stop \$(basename \$service)
done
rm -rf /run/k3s
exit 0
EOF
    $SUDO chmod 755 "$KILLALL_K3S_SH"
    $SUDO chown root:root "$KILLALL_K3S_SH"
}

create_uninstall() {
    [ "${INSTALL_K3S_BIN_DIR_READ_ONLY:-}" = true ] && return
    info "Creating uninstall script ${UNINSTALL_K3S_SH}"
    _bin=$(squote "$BIN_DIR")
    $SUDO tee "$UNINSTALL_K3S_SH" >/dev/null <<EOF
#!/bin/sh
set -x
[ \$(id -u) -eq 0 ] || exec sudo --preserve-env=K3S_DATA_DIR \$0 \$@

K3S_DATA_DIR=\${K3S_DATA_DIR:-/var/lib/rancher/k3s}

$(squote "$KILLALL_K3S_SH")

if command -v systemctl; then
    systemctl disable ${SYSTEM_NAME}
    systemctl reset-failed ${SYSTEM_NAME}
    systemctl daemon-reload
fi

rm -f $(squote "$FILE_K3S_SERVICE")
rm -f $(squote "$FILE_K3S_ENV")

remove_uninstall() {
    rm -f $(squote "$UNINSTALL_K3S_SH")
}
trap remove_uninstall EXIT

if (ls $(squote "$SYSTEMD_DIR")/k3s*.service) >/dev/null 2>&1; then
    set +x; echo 'Additional k3s services installed, skipping uninstall of k3s'; set -x
    exit
fi

for cmd in kubectl crictl ctr; do
    if [ -L $_bin/\$cmd ]; then
        rm -f $_bin/\$cmd
    fi
done

rm -rf /etc/rancher/k3s
rm -rf /run/k3s
rm -rf /run/flannel
rm -rf "\${K3S_DATA_DIR}"
# herdbook sandbox: /var/lib/kubelet is not a per-node path, so it is left alone.
rm -f $_bin/k3s
rm -f $(squote "$KILLALL_K3S_SH")
EOF
    $SUDO chmod 755 "$UNINSTALL_K3S_SH"
    $SUDO chown root:root "$UNINSTALL_K3S_SH"
}

systemd_disable() {
    $SUDO systemctl disable "$SYSTEM_NAME" >/dev/null 2>&1 || true
    $SUDO rm -f "$FILE_K3S_SERVICE" "$FILE_K3S_ENV" || true
}

# K3S_*, CONTAINERD_* and proxy variables of this shell, as `export -p` quotes them. Sorted,
# so the same variables always give the same file (and the same hash).
create_env_file() {
    info "env: Creating environment file ${FILE_K3S_ENV}"
    $SUDO touch "$FILE_K3S_ENV"
    $SUDO chmod 0600 "$FILE_K3S_ENV"
    _exported=$(sh -c 'export -p' | sed -n -E 's/^(export|declare -x) //p')
    {
        printf '%s\n' "$_exported" | grep -E '^(K3S|CONTAINERD)_' | sort || true
        printf '%s\n' "$_exported" | grep -Ei '^(NO|HTTP|HTTPS)_PROXY' | sort || true
    } | $SUDO tee "$FILE_K3S_ENV" >/dev/null
}

create_service_file() {
    info "systemd: Creating service file ${FILE_K3S_SERVICE}"
    $SUDO tee "$FILE_K3S_SERVICE" >/dev/null <<EOF
[Unit]
Description=Lightweight Kubernetes
Documentation=https://k3s.io
Wants=network-online.target
After=network-online.target

[Install]
WantedBy=multi-user.target

[Service]
Type=${SYSTEMD_TYPE}
EnvironmentFile=-/etc/default/%N
EnvironmentFile=-/etc/sysconfig/%N
EnvironmentFile=-${FILE_K3S_ENV}
KillMode=process
Delegate=yes
User=root
# Having non-zero Limit*s causes performance problems due to accounting overhead
# in the kernel. We recommend using cgroups to do container-local accounting.
LimitNOFILE=1048576
LimitNPROC=infinity
LimitCORE=infinity
TasksMax=infinity
TimeoutStartSec=0
Restart=always
RestartSec=5s
ExecStartPre=-/sbin/modprobe br_netfilter
ExecStartPre=-/sbin/modprobe overlay
ExecStart=${BIN_DIR}/k3s \\
    ${CMD_K3S_EXEC}

EOF
}

service_enable_and_start() {
    if ! grep -qs memory /sys/fs/cgroup/cgroup.controllers &&
        ! [ "$(grep -s memory /proc/cgroups | while read -r _n _n _n _enabled; do echo "$_enabled"; done)" = 1 ]; then
        info 'Failed to find memory cgroup, you may need to add "cgroup_memory=1 cgroup_enable=memory" to your linux cmdline (/boot/cmdline.txt on a Raspberry Pi)'
    fi
    [ "${INSTALL_K3S_SKIP_ENABLE:-}" = true ] && return
    info "systemd: Enabling ${SYSTEM_NAME} unit"
    # get.k3s.io enables by path; for a unit in systemd's own directory the name is the same
    # thing to systemd, and the sandbox's systemctl only takes names.
    _enable=$FILE_K3S_SERVICE
    [ "$SYSTEMD_DIR" = /etc/systemd/system ] && _enable=$SERVICE_K3S
    $SUDO systemctl enable "$_enable" >/dev/null
    $SUDO systemctl daemon-reload >/dev/null
    [ "${INSTALL_K3S_SKIP_START:-}" = true ] && return
    POST_INSTALL_HASHES=$(installed_hashes)
    if [ "$PRE_INSTALL_HASHES" = "$POST_INSTALL_HASHES" ] && [ "${INSTALL_K3S_FORCE_RESTART:-}" != true ]; then
        info 'No change detected so skipping service start'
        return
    fi
    info "systemd: Starting ${SYSTEM_NAME}"
    $SUDO systemctl restart "$SYSTEM_NAME"
}

eval "set -- $(shell_safe "${INSTALL_K3S_EXEC:-}") $(quote_words "$@")"

{
    verify_system
    setup_env "$@"
    download_and_verify
    setup_selinux
    create_symlinks
    create_killall
    create_uninstall
    systemd_disable
    create_env_file
    create_service_file
    service_enable_and_start
}
