#!/bin/sh
# A fake systemctl for herdbook's sshd test fleet, where no systemd runs.
#
# Units:  /etc/systemd/system/<unit> plus drop-ins /etc/systemd/system/<unit>.d/*.conf
# State:  /run/fake-systemd/<unit>.state   "ActiveState SubState" (absent: "inactive dead")
#         /run/fake-systemd/<unit>.loaded  checksum of the unit's files at the last daemon-reload
#         /run/fake-systemd/<unit>.out     output of the unit's ExecStart runs
#         /run/fake-systemd/log            one line per action: "<unix-time> <action> <unit> <result>"
# Enabled: a symlink in /etc/systemd/system/<target>.wants/, as systemd makes it.
#
# `start` never runs ExecStartPre (this node shares /dev with the real machine): it runs the
# ExecStart command once with FAKE_SYSTEMD_START=1 and FAKE_SYSTEMD_EXEC_START_PRE=<those lines>
# plus the unit's Environment/EnvironmentFile values; exit 0 means active (running), else failed.
set -u

UNIT_DIR=${FAKE_SYSTEMD_UNIT_DIR:-/etc/systemd/system}
STATE_DIR=${FAKE_SYSTEMD_STATE_DIR:-/run/fake-systemd}
LOG=$STATE_DIR/log
QUIET=no
VALUE=no
NOW=no
PROPS=
LIST_TYPE=
LIST_STATE=
LEGEND=yes

mkdir -p "$STATE_DIR"

log_event() { printf '%s %s %s %s\n' "$(date +%s)" "$1" "$2" "$3" >>"$LOG"; }
say() { [ "$QUIET" = yes ] || printf '%s\n' "$1"; }

unit_name() {
	case $1 in
	*.service | *.socket | *.timer | *.target | *.mount | *.path | *.slice | *.scope) printf '%s' "$1" ;;
	*) printf '%s.service' "$1" ;;
	esac
}

unit_file() { printf '%s/%s' "$UNIT_DIR" "$1"; }

is_masked() { [ -L "$(unit_file "$1")" ] && [ "$(readlink "$(unit_file "$1")")" = /dev/null ]; }

unit_exists() { [ -f "$(unit_file "$1")" ] || is_masked "$1"; }

# The unit file then its drop-ins, in the order systemd reads them.
unit_sources() {
	printf '%s\n' "$(unit_file "$1")"
	for f in "$(unit_file "$1").d"/*.conf; do
		[ -f "$f" ] && printf '%s\n' "$f"
	done
}

drop_in_paths() {
	for f in "$(unit_file "$1").d"/*.conf; do
		[ -f "$f" ] && printf '%s ' "$f"
	done
}

checksum() {
	unit_sources "$1" | while IFS= read -r f; do
		printf '%s\n' "$f"
		cat "$f" 2>/dev/null
	done | cksum | cut -d' ' -f1
}

# Effective values of one directive: continuation lines joined, an empty assignment resets
# the list (as in drop-ins that say `ExecStart=` before a new one). One value per line.
directive() {
	unit_sources "$1" | while IFS= read -r f; do cat "$f"; printf '\n'; done | awk -v want="$2" '
		{ sub(/\r$/, "") }
		cont != "" { $0 = cont " " $0; cont = "" }
		/\\$/ { cont = substr($0, 1, length($0) - 1); next }
		/^[ \t]*[#;]/ || /^[ \t]*$/ { next }
		/^[ \t]*\[/ { next }
		{
			eq = index($0, "="); if (eq == 0) next
			key = substr($0, 1, eq - 1); gsub(/^[ \t]+|[ \t]+$/, "", key)
			val = substr($0, eq + 1); gsub(/^[ \t]+|[ \t]+$/, "", val)
			if (key != want) next
			if (val == "") { n = 0; next }
			vals[++n] = val
		}
		END { for (i = 1; i <= n; i++) print vals[i] }'
}

last_directive() { directive "$1" "$2" | tail -n 1; }

has_install() { [ -n "$(directive "$1" WantedBy)$(directive "$1" RequiredBy)" ]; }

wants_links() {
	for l in "$UNIT_DIR"/*.wants/"$1" "$UNIT_DIR"/*.requires/"$1"; do
		[ -L "$l" ] && printf '%s\n' "$l"
	done
}

load_state() {
	if is_masked "$1"; then echo masked; elif unit_exists "$1"; then echo loaded; else echo not-found; fi
}

unit_file_state() {
	if is_masked "$1"; then echo masked
	elif ! unit_exists "$1"; then echo
	elif [ -n "$(wants_links "$1")" ]; then echo enabled
	elif has_install "$1"; then echo disabled
	else echo static
	fi
}

active_state() {
	if [ -f "$STATE_DIR/$1.state" ]; then cut -d' ' -f1 "$STATE_DIR/$1.state"; else echo inactive; fi
}

sub_state() {
	if [ -f "$STATE_DIR/$1.state" ]; then cut -d' ' -f2 "$STATE_DIR/$1.state"; else echo dead; fi
}

set_state() { printf '%s %s\n' "$2" "$3" >"$STATE_DIR/$1.state"; }

need_reload() {
	recorded=$(cat "$STATE_DIR/$1.loaded" 2>/dev/null || true)
	if [ -n "$recorded" ] && [ "$recorded" != "$(checksum "$1")" ]; then echo yes; else echo no; fi
}

# A unit counts as loaded from the moment systemd first uses it.
note_loaded() { [ -f "$STATE_DIR/$1.loaded" ] || checksum "$1" >"$STATE_DIR/$1.loaded"; }

# Split an ExecStart-style command line into words the way sh would, refusing command substitution.
split_words() {
	case $1 in *'`'* | *'$('*) return 1 ;; esac
	(
		set -f +u
		eval "set -- $1" || exit 1
		for w in "$@"; do printf '%s\n' "$w"; done
	)
}

strip_exec_prefix() {
	sp_line=$1
	while :; do
		case $sp_line in [-@+!:]*) sp_line=${sp_line#?} ;; *) break ;; esac
	done
	printf '%s' "$sp_line"
}

load_env_file() {
	while IFS= read -r env_line || [ -n "$env_line" ]; do
		case $env_line in '' | '#'* | ';'*) continue ;; esac
		key=${env_line%%=*}
		val=${env_line#*=}
		key=$(printf '%s' "$key" | sed 's/^[ \t]*//; s/^export[ \t]*//; s/[ \t]*$//')
		case $key in '' | [0-9]* | *[!A-Za-z0-9_]*) continue ;; esac
		case $val in
		\"*\") val=${val#\"} val=${val%\"} ;;
		\'*\') val=${val#\'} val=${val%\'} ;;
		esac
		export "$key=$val"
	done <"$1"
}

exec_start_line() { directive "$1" ExecStart | head -n 1; }

# Runs ExecStart once (in a subshell, so the unit's environment does not leak into ours).
run_exec_start() {
	u=$1
	es_line=$(exec_start_line "$u")
	if [ -z "$es_line" ]; then
		echo "$u has no ExecStart= setting." >&2
		return 1
	fi
	(
		for f in $(directive "$u" EnvironmentFile); do
			case $f in
			-*) f=${f#-}; [ -f "$f" ] || continue ;;
			esac
			if [ ! -f "$f" ]; then
				echo "Failed to load environment files: $f" >&2
				exit 1
			fi
			load_env_file "$f"
		done
		directive "$u" Environment >"$STATE_DIR/.env.$$"
		while IFS= read -r assignments; do
			split_words "$assignments" >"$STATE_DIR/.words.$$" || continue
			while IFS= read -r kv; do
				case ${kv%%=*} in '' | *[!A-Za-z0-9_]*) continue ;; esac
				export "$kv"
			done <"$STATE_DIR/.words.$$"
		done <"$STATE_DIR/.env.$$"
		rm -f "$STATE_DIR/.env.$$" "$STATE_DIR/.words.$$"
		FAKE_SYSTEMD_START=1
		FAKE_SYSTEMD_UNIT=$u
		FAKE_SYSTEMD_EXEC_START_PRE=$(directive "$u" ExecStartPre)
		export FAKE_SYSTEMD_START FAKE_SYSTEMD_UNIT FAKE_SYSTEMD_EXEC_START_PRE
		cmd=$(strip_exec_prefix "$es_line")
		if ! split_words "$cmd" >/dev/null; then
			echo "fake systemctl: refusing to run ExecStart with command substitution: $cmd" >&2
			exit 1
		fi
		set -f +u
		eval "set -- $cmd"
		exec "$@" </dev/null >>"$STATE_DIR/$u.out" 2>&1
	)
	rc=$?
	# `ExecStart=-...` ignores the command's failure, as systemd does.
	case $es_line in -* | [@+!:]-*) rc=0 ;; esac
	return $rc
}

unit_not_found() { echo "Failed to $1 $2: Unit $2 not found." >&2; }

do_start() {
	u=$1
	if is_masked "$u"; then echo "Failed to start $u: Unit $u is masked." >&2; return 1; fi
	if ! unit_exists "$u"; then unit_not_found start "$u"; return 5; fi
	note_loaded "$u"
	[ "$(active_state "$u")" = active ] && return 0
	set_state "$u" activating start
	if run_exec_start "$u"; then
		if [ "$(last_directive "$u" Type)" = oneshot ]; then set_state "$u" active exited; else set_state "$u" active running; fi
		log_event "${2:-start}" "$u" ok
		return 0
	fi
	set_state "$u" failed failed
	log_event "${2:-start}" "$u" failed
	echo "Job for $u failed because the control process exited with error code." >&2
	echo "See \"systemctl status $u\" and \"journalctl -xeu $u\" for details." >&2
	return 1
}

do_stop() {
	u=$1
	if ! unit_exists "$u" && [ ! -f "$STATE_DIR/$u.state" ]; then
		echo "Failed to ${2:-stop} $u: Unit $u not loaded." >&2
		return 5
	fi
	rm -f "$STATE_DIR/$u.state"
	[ "${2:-stop}" = stop ] && log_event stop "$u" ok
	return 0
}

do_restart() {
	u=$1
	if ! unit_exists "$u"; then unit_not_found restart "$u"; return 5; fi
	if is_masked "$u"; then echo "Failed to restart $u: Unit $u is masked." >&2; return 1; fi
	rm -f "$STATE_DIR/$u.state"
	do_start "$u" restart
}

do_reload() {
	u=$1
	if ! unit_exists "$u"; then unit_not_found reload "$u"; return 5; fi
	if [ "$(active_state "$u")" != active ]; then
		echo "Failed to reload $u: Unit $u is not active, cannot reload." >&2
		return 1
	fi
	log_event reload "$u" ok
}

do_enable() {
	u=$1
	if ! unit_exists "$u"; then echo "Failed to enable unit: Unit file $u does not exist." >&2; return 1; fi
	if is_masked "$u"; then echo "Failed to enable unit: Unit file $UNIT_DIR/$u is masked." >&2; return 1; fi
	targets="$(directive "$u" WantedBy | tr ' ' '\n')"
	if [ -z "$targets" ]; then
		echo "The unit files have no installation config (WantedBy=, RequiredBy=, Also=, Alias=" >&2
		echo "settings in the [Install] section, and DefaultInstance= for template units)." >&2
		return 0
	fi
	for t in $targets; do
		link="$UNIT_DIR/$t.wants/$u"
		[ -L "$link" ] && continue
		mkdir -p "$UNIT_DIR/$t.wants"
		ln -s "$(unit_file "$u")" "$link"
		echo "Created symlink $link → $(unit_file "$u")." >&2
	done
	log_event enable "$u" ok
	[ "$NOW" = yes ] && do_start "$u"
	return 0
}

do_disable() {
	u=$1
	if ! unit_exists "$u"; then echo "Failed to disable unit: Unit file $u does not exist." >&2; return 1; fi
	for l in $(wants_links "$u"); do
		rm -f "$l"
		echo "Removed \"$l\"." >&2
	done
	log_event disable "$u" ok
	[ "$NOW" = yes ] && do_stop "$u"
	return 0
}

do_mask() {
	u=$1
	f=$(unit_file "$u")
	if [ -e "$f" ] && ! is_masked "$u"; then
		echo "Failed to mask unit: File $f already exists." >&2
		return 1
	fi
	ln -sf /dev/null "$f"
	echo "Created symlink $f → /dev/null." >&2
}

do_unmask() {
	u=$1
	if is_masked "$u"; then rm -f "$(unit_file "$u")"; echo "Removed \"$(unit_file "$u")\"." >&2; fi
	return 0
}

daemon_reload() {
	for f in "$UNIT_DIR"/*; do
		[ -f "$f" ] || continue
		u=${f##*/}
		case $u in *.conf) continue ;; esac
		checksum "$u" >"$STATE_DIR/$u.loaded"
	done
	log_event daemon-reload - ok
}

exec_start_prop() {
	ep_line=$(exec_start_line "$1")
	[ -n "$ep_line" ] || { echo; return; }
	ignore=no
	case $ep_line in -* | [@+!:]-*) ignore=yes ;; esac
	cmd=$(strip_exec_prefix "$ep_line")
	words=$(split_words "$cmd" | tr '\n' ' ' | sed 's/ $//')
	[ -n "$words" ] || words=$cmd
	path=${words%% *}
	echo "{ path=$path ; argv[]=$words ; ignore_errors=$ignore ; start_time=[n/a] ; stop_time=[n/a] ; pid=0 ; code=(null) ; status=0/0 }"
}

prop_value() {
	u=$1
	case $2 in
	Id | Names) echo "$u" ;;
	Description) d=$(last_directive "$u" Description); echo "${d:-$u}" ;;
	Type) t=$(last_directive "$u" Type); echo "${t:-simple}" ;;
	LoadState) load_state "$u" ;;
	ActiveState) active_state "$u" ;;
	SubState) sub_state "$u" ;;
	UnitFileState) unit_file_state "$u" ;;
	NeedDaemonReload) need_reload "$u" ;;
	FragmentPath) unit_exists "$u" && ! is_masked "$u" && unit_file "$u"; echo ;;
	DropInPaths) drop_in_paths "$u" | sed 's/ $//'; echo ;;
	ExecStart) exec_start_prop "$u" ;;
	ExecStartPre) directive "$u" ExecStartPre | tr '\n' ';' | sed 's/;$//'; echo ;;
	EnvironmentFiles) directive "$u" EnvironmentFile | tr '\n' ' ' | sed 's/ $//'; echo ;;
	MainPID) echo 0 ;;
	Result) [ "$(active_state "$u")" = failed ] && echo exit-code || echo success ;;
	UnitFilePreset) echo enabled ;;
	*) return 1 ;;
	esac
}

ALL_PROPS="Type Result MainPID ExecStartPre ExecStart EnvironmentFiles Id Names Description LoadState ActiveState SubState FragmentPath DropInPaths UnitFileState UnitFilePreset NeedDaemonReload"

do_show() {
	u=$1
	wanted=$(printf '%s' "$PROPS" | tr ',' ' ')
	for p in $ALL_PROPS; do
		if [ -n "$wanted" ]; then
			case " $wanted " in *" $p "*) ;; *) continue ;; esac
		fi
		v=$(prop_value "$u" "$p" | head -n 1)
		if [ "$VALUE" = yes ]; then printf '%s\n' "$v"; else printf '%s=%s\n' "$p" "$v"; fi
	done
}

do_status() {
	u=$1
	if ! unit_exists "$u"; then echo "Unit $u could not be found." >&2; return 4; fi
	a=$(active_state "$u")
	echo "● $u - $(prop_value "$u" Description)"
	echo "     Loaded: $(load_state "$u") ($(unit_file "$u"); $(unit_file_state "$u"); preset: enabled)"
	echo "     Active: $a ($(sub_state "$u"))"
	if [ -f "$STATE_DIR/$u.out" ]; then echo; tail -n 10 "$STATE_DIR/$u.out"; fi
	[ "$a" = active ] && return 0
	return 3
}

matches_patterns() {
	[ $# -le 1 ] && return 0
	name=$1
	shift
	for p in "$@"; do
		# shellcheck disable=SC2254
		case $name in $p | $p.service) return 0 ;; esac
	done
	return 1
}

list_unit_files() {
	[ "$LEGEND" = yes ] && printf '%-40s %-15s %s\n' 'UNIT FILE' STATE 'VENDOR PRESET'
	n=0
	for f in "$UNIT_DIR"/*; do
		u=${f##*/}
		[ -f "$f" ] || [ -L "$f" ] || continue
		case $u in *.conf | *.env | *.wants | *.requires | *.d) continue ;; esac
		case $u in *.*) ;; *) continue ;; esac
		[ -n "$LIST_TYPE" ] && case $u in *".$LIST_TYPE") ;; *) continue ;; esac
		matches_patterns "$u" "$@" || continue
		s=$(unit_file_state "$u")
		[ -n "$LIST_STATE" ] && [ "$s" != "$LIST_STATE" ] && continue
		printf '%-40s %-15s %s\n' "$u" "$s" enabled
		n=$((n + 1))
	done
	[ "$LEGEND" = yes ] && printf '\n%s unit files listed.\n' "$n"
	return 0
}

list_units() {
	[ "$LEGEND" = yes ] && printf '  %-38s %-7s %-8s %-8s %s\n' UNIT LOAD ACTIVE SUB DESCRIPTION
	n=0
	for f in "$UNIT_DIR"/*.service; do
		[ -f "$f" ] || continue
		u=${f##*/}
		matches_patterns "$u" "$@" || continue
		a=$(active_state "$u")
		[ -n "$LIST_STATE" ] && [ "$a" != "$LIST_STATE" ] && [ "$(sub_state "$u")" != "$LIST_STATE" ] && continue
		# systemd marks a failed unit with a ● in the first column (Ansible's service_facts drops that field).
		mark=' '
		[ "$a" = failed ] && mark='●'
		printf '%s %-38s %-7s %-8s %-8s %s\n' "$mark" "$u" loaded "$a" "$(sub_state "$u")" "$(prop_value "$u" Description)"
		n=$((n + 1))
	done
	[ "$LEGEND" = yes ] && printf '\n%s loaded units listed.\n' "$n"
	return 0
}

# Options may come anywhere; collect the verb and its units.
VERB=
set -- "$@" --end-of-args--
while [ "$1" != --end-of-args-- ]; do
	a=$1
	shift
	case $a in
	-q | --quiet) QUIET=yes ;;
	--value) VALUE=yes ;;
	--now) NOW=yes ;;
	--no-pager | --no-block | --system | --full | -l | --plain | --no-ask-password | --all | -a | --force | -f) ;;
	--no-legend) LEGEND=no ;;
	--user) echo "fake systemctl: --user is not supported" >&2; exit 1 ;;
	--version) echo "systemd 252 (herdbook fake systemctl)"; exit 0 ;;
	-p | --property) PROPS="$PROPS,$1"; shift ;;
	-p* ) PROPS="$PROPS,${a#-p}" ;;
	--property=*) PROPS="$PROPS,${a#--property=}" ;;
	-t | --type) LIST_TYPE=$1; shift ;;
	--type=*) LIST_TYPE=${a#--type=} ;;
	--state=*) LIST_STATE=${a#--state=} ;;
	-*) echo "fake systemctl: unknown option $a" >&2; exit 1 ;;
	*) if [ -z "$VERB" ]; then VERB=$a; else set -- "$@" "$a"; fi ;;
	esac
done
shift
PROPS=${PROPS#,}

UNITS=
for a in "$@"; do UNITS="$UNITS $(unit_name "$a")"; done

need_units() {
	if [ -z "$UNITS" ]; then echo "Too few arguments." >&2; exit 1; fi
}

rc=0
case ${VERB:-list-units} in
daemon-reload | daemon-reexec) daemon_reload ;;
start | stop | restart | reload | enable | disable | mask | unmask | reset-failed | try-restart | reload-or-restart | try-reload-or-restart)
	need_units
	for u in $UNITS; do
		case $VERB in
		start) do_start "$u" || rc=$? ;;
		stop) do_stop "$u" || rc=$? ;;
		restart) do_restart "$u" || rc=$? ;;
		reload) do_reload "$u" || rc=$? ;;
		enable) do_enable "$u" || rc=$? ;;
		disable) do_disable "$u" || rc=$? ;;
		mask) do_mask "$u" || rc=$? ;;
		unmask) do_unmask "$u" || rc=$? ;;
		reset-failed) [ "$(active_state "$u")" = failed ] && rm -f "$STATE_DIR/$u.state" ;;
		try-restart)
			if [ "$(active_state "$u")" = active ]; then do_restart "$u" || rc=$?; fi ;;
		reload-or-restart)
			if [ "$(active_state "$u")" = active ]; then do_reload "$u" || rc=$?; else do_restart "$u" || rc=$?; fi ;;
		try-reload-or-restart)
			if [ "$(active_state "$u")" = active ]; then do_reload "$u" || rc=$?; fi ;;
		esac
	done
	;;
is-active)
	need_units
	rc=3
	for u in $UNITS; do
		s=$(active_state "$u")
		say "$s"
		if [ "$s" = active ]; then rc=0; elif [ $rc -ne 0 ] && ! unit_exists "$u"; then rc=4; fi
	done
	;;
is-failed)
	need_units
	rc=1
	for u in $UNITS; do
		s=$(active_state "$u")
		say "$s"
		[ "$s" = failed ] && rc=0
	done
	;;
is-enabled)
	need_units
	rc=1
	for u in $UNITS; do
		if ! unit_exists "$u"; then echo "Failed to get unit file state for $u: No such file or directory" >&2; continue; fi
		s=$(unit_file_state "$u")
		say "$s"
		case $s in enabled | static) rc=0 ;; esac
	done
	;;
status)
	need_units
	first=yes
	for u in $UNITS; do
		[ $first = yes ] || echo
		first=no
		do_status "$u" || { r=$?; [ $r -gt $rc ] && rc=$r; }
	done
	;;
show)
	need_units
	first=yes
	for u in $UNITS; do
		[ $first = yes ] || echo
		first=no
		do_show "$u"
	done
	;;
cat)
	need_units
	for u in $UNITS; do
		if ! unit_exists "$u"; then echo "No files found for $u." >&2; rc=1; continue; fi
		unit_sources "$u" | while IFS= read -r f; do echo "# $f"; cat "$f"; done
	done
	;;
list-unit-files) list_unit_files "$@" ;;
list-units) list_units "$@" ;;
*) echo "fake systemctl: unsupported command $VERB" >&2; rc=1 ;;
esac
exit $rc
