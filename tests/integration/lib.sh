# lib.sh: helpers sourced by every integration suite (run by tools/test.sh with the stack's environment)
#
# Provided: CAIRN_ROOT CAIRN_PORT CAIRN_VAR CAIRN_CONFIG CAIRN_BIN CAIRN_TEST_DB_SOCKET
# CAIRN_URL CAIRN_FAKE_URL (from `tools/stack.sh env`), and:
#   ok NAME / not_ok NAME WHY      print one TAP-like result line
#   check NAME CMD...              ok when CMD succeeds
#   check_eq NAME GOT WANT         ok when the two strings are equal
#   sql "SQL"                      run SQL as root on the test database (-N -B output),
#                                  then rewrite the mart stamp (mart_stamp_bump)
#   fresh_db                       drop the three schemas and migrate again (with accounts)
#   start_fake [ARGS...]           start a private local Strava on a free port; sets FAKE_URL,
#                                  FAKE_PID; it is stopped when the suite exits
#   conf_with KEY=VALUE...         write a copy of the stack config with those keys changed,
#                                  print its path (for pointing programs at a private fake)
#   free_port                      print a free TCP port on 127.0.0.1
#   start_private_api CONF SOCK LOG start a private cairn-api on CONF (its api_socket SOCK), output
#                                  appended to LOG; waits up to 10 s for SOCK, sets API_PID
#   stop_private_api               SIGTERM that cairn-api and wait for it to exit
#   mart_metrics                   the per-activity metrics of cairn_mart.activity (mart_compare.py)
set -u
# Every CAIRN_<KEY> variable is also a setting (docs/CONFIG.md): the names
# above are chosen not to collide with real settings.

if [ -z "${CAIRN_CONFIG:-}" ]; then
	# Run by hand: use the stack of CAIRN_PORT (default: the test port of tools/test.sh).
	eval "$("$(dirname "${BASH_SOURCE[0]}")/../../tools/stack.sh" env)"
fi

T_PASS=0
T_FAIL=0
ok() { T_PASS=$((T_PASS + 1)); printf 'ok - %s\n' "$1"; }
not_ok() { T_FAIL=$((T_FAIL + 1)); printf 'not ok - %s # %s\n' "$1" "${2:-}"; }
check() {
	local name=$1
	shift
	if "$@" >/dev/null 2>&1; then ok "$name"; else not_ok "$name" "command failed: $*"; fi
}
check_eq() {
	if [ "$2" == "$3" ]; then ok "$1"; else not_ok "$1" "got '$2', want '$3'"; fi
}

# SQL by hand is a change cairn-transform did not make: rewrite the mart
# stamp (in place, like stamp_bump in lib/stamp.c), as docs/DEPLOY.md asks
# of anyone who changes the marts by hand, so cairn-api looks again.
mart_stamp_bump() { # [PATH]: default the stack's mart_stamp
	local p=${1:-$(conf_get mart_stamp)}
	if [ -n "$p" ] && [ -f "$p" ]; then
		head -c 16 /dev/urandom | dd of="$p" bs=16 count=1 conv=notrunc status=none
	fi
}

sql() {
	local rc
	mariadb --no-defaults -S "$CAIRN_TEST_DB_SOCKET" -uroot -N -B -e "$1"
	rc=$?
	mart_stamp_bump
	return $rc
}

fresh_db() {
	sql "DROP DATABASE IF EXISTS cairn_raw; DROP DATABASE IF EXISTS cairn_mart; DROP DATABASE IF EXISTS cairn_app;"
	"$CAIRN_BIN/cairn-migrate" --config "$CAIRN_CONFIG" --accounts >/dev/null 2>&1 ||
		"$CAIRN_BIN/cairn-migrate" --config "$CAIRN_CONFIG" --accounts
}

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

wait_listen() { # port: until something listens on it (5 s at most)
	local i
	for ((i = 0; i < 50; i++)); do
		(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

T_CLEANUP=()
t_cleanup() {
	local c
	for c in "${T_CLEANUP[@]+"${T_CLEANUP[@]}"}"; do eval "$c" || true; done
}
trap t_cleanup EXIT

conf_get() { sed -n "s/^$1 = //p" "$CAIRN_CONFIG" | head -n 1; }

start_fake() {
	local port i
	port=$(free_port)
	CAIRN_STRAVA_CLIENT_ID=$(conf_get strava_client_id) \
		CAIRN_STRAVA_CLIENT_SECRET=$(conf_get strava_client_secret) \
		"$CAIRN_BIN/cairn-fakestrava" --port "$port" "$@" >>"$CAIRN_VAR/log/fake-$port.log" 2>&1 &
	FAKE_PID=$!
	FAKE_URL="http://127.0.0.1:$port"
	T_CLEANUP+=("kill $FAKE_PID 2>/dev/null; wait $FAKE_PID 2>/dev/null")
	for ((i = 0; i < 600; i++)); do
		curl -sf "$FAKE_URL/_fake/athletes" >/dev/null 2>&1 && return 0
		kill -0 "$FAKE_PID" 2>/dev/null || break
		sleep 0.1
	done
	echo "start_fake: the local Strava did not start (see $CAIRN_VAR/log/fake-$port.log)" >&2
	return 1
}

# The per-activity metrics two paths to the same activities must agree on
# (tests/integration/mart_compare.py), one row each, oldest first.
mart_metrics() {
	sql "SELECT DATE_FORMAT(start_utc, '%Y-%m-%dT%H:%i:%s'), sport, sport_group,
		ROUND(distance, 1), moving_time, elapsed_time, ROUND(avg_hr, 2), ROUND(max_hr, 1),
		ROUND(avg_power, 2), ROUND(np, 2), ROUND(training_load, 2), load_kind,
		ROUND(elevation_gain, 1)
		FROM cairn_mart.activity ORDER BY start_utc"
}

# An authorisation code of the local Strava (start_fake) for athlete $1
# (default 1001) with scopes $2 (default every scope Cairn asks for).
fake_code() {
	curl -sf -X POST "$FAKE_URL/_fake/code?athlete=${1:-1001}&scope=${2:-read,activity:read_all,profile:read_all}" |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["code"])'
}

# Authorise athlete 1001 at the local Strava, sync and transform, with the
# stack's config and CAIRN_STRAVA_*_URL pointing at $FAKE_URL; output to
# the log $1; one check line per step.
fake_sync() {
	fake_code | "$CAIRN_BIN/cairn-extract" auth --code - >>"$1" 2>&1
	check_eq "cairn-extract auth exits 0" "$?" 0
	"$CAIRN_BIN/cairn-extract" >>"$1" 2>&1
	check_eq "cairn-extract sync exits 0" "$?" 0
	"$CAIRN_BIN/cairn-transform" >>"$1" 2>&1
	check_eq "cairn-transform exits 0" "$?" 0
}

# Private copies of the config live in one folder per suite, removed at exit
# (conf_with runs in a $(...) subshell, so it cannot register its own cleanup).
T_CONF_DIR=$(mktemp -d "$CAIRN_VAR/suite-conf.XXXXXX")
chmod 700 "$T_CONF_DIR"
T_CLEANUP+=("rm -rf '$T_CONF_DIR'")

start_private_api() { # config socket log
	local i
	setsid "$CAIRN_BIN/cairn-api" --config "$1" </dev/null >>"$3" 2>&1 &
	API_PID=$!
	T_CLEANUP+=("kill $API_PID 2>/dev/null")
	for ((i = 0; i < 100; i++)); do
		[ -S "$2" ] && return 0
		sleep 0.1
	done
	return 1
}

stop_private_api() {
	kill "$API_PID" 2>/dev/null
	wait "$API_PID" 2>/dev/null
}

conf_with() {
	local f kv
	f=$(mktemp "$T_CONF_DIR/conf.XXXXXX")
	chmod 600 "$f"
	cp "$CAIRN_CONFIG" "$f"
	for kv in "$@"; do
		sed -i "/^${kv%%=*} = /d" "$f"
		printf '%s = %s\n' "${kv%%=*}" "${kv#*=}" >>"$f"
	done
	printf '%s\n' "$f"
}
