#!/usr/bin/env bash
# own.sh: `make import` and `make connect`: a person's own Strava history into the local stack (docs/EXTRACT.md, "Your own data")
#
# usage: tools/own.sh import PATH...   an export ZIP, an unpacked export folder, FIT/GPX/TCX files
#        tools/own.sh connect          connect a Strava account, first sync, transform
#
# Both start the stack of CAIRN_PORT when it is not running (without
# authorising the demo athlete) and end with the dashboard's URL.
#   import   DROP_DEMO=1 deletes the demo athlete (`make demo`) first and
#            points the stack's config at Strava (`cairn-extract drop-demo`);
#            without it cairn-import refuses (exit 2) to put anything into a
#            stack that holds the demo athlete.
#   connect  DROP_DEMO=1 as for import (without it, the connection of
#            anyone but the demo athlete is refused on a stack that holds
#            it). The Strava application from CAIRN_STRAVA_CLIENT_ID /
#            CAIRN_STRAVA_CLIENT_SECRET, else asked for (the secret without
#            echo); both are written only into the stack's config (0600).
#            CAIRN_STRAVA_API_URL / CAIRN_STRAVA_OAUTH_URL point it elsewhere
#            than Strava (the tests' local Strava). The browser comes back
#            to a one-shot listener on 127.0.0.1 (tools/oauth_callback.py)
#            within CAIRN_CONNECT_TIMEOUT seconds (600).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
PORT=${CAIRN_PORT:-8080}
BIN="${CAIRN_BIN:-$ROOT/build/bin}"
VAR="$ROOT/var/$PORT"
CONF="$VAR/cairn.conf"
STRAVA_API=https://www.strava.com/api/v3
STRAVA_OAUTH=https://www.strava.com/oauth

say() { printf 'own: %s\n' "$*"; }
die() { printf 'own: %s\n' "$*" >&2; exit "${2:-1}"; }

# conf_set KEY: set KEY to $CONF_VALUE in the stack's config, in place, the
# file staying 0600; the value travels in the environment, never on a
# command line.
conf_set() {
	local tmp="$CONF.tmp.$$"
	(
		umask 077
		CONF_KEY=$1 awk 'BEGIN { k = ENVIRON["CONF_KEY"]; v = ENVIRON["CONF_VALUE"] }
			index($0, k " = ") == 1 { if (!done) print k " = " v; done = 1; next }
			{ print }
			END { if (!done) print k " = " v }' "$CONF" >"$tmp"
	) || { rm -f "$tmp"; die "cannot rewrite $CONF"; }
	chmod 600 "$tmp"
	mv "$tmp" "$CONF"
}

stack_up() {
	[ -x "$BIN/cairn-import" ] || die "programs are not built: run make"
	"$ROOT/tools/stack.sh" start
}

dashboard() { echo "Dashboard: http://127.0.0.1:$PORT/"; }

cmd_import() {
	local f rc=0 files=()
	for f in "$@"; do
		[ -n "$f" ] || continue
		case "$f" in "~/"*) f="$HOME/${f#\~/}" ;; esac
		files+=("$f")
	done
	[ ${#files[@]} -gt 0 ] ||
		die "no FILE: make import FILE=~/Downloads/export_12345.zip (Strava's \"Download your data\" ZIP, an unpacked export folder, or .fit/.gpx/.tcx files)"
	for f in "${files[@]}"; do
		[ -e "$f" ] || die "$f: no such file or folder"
		[ -r "$f" ] || die "$f: not readable (permissions)"
	done
	stack_up
	if [ "${DROP_DEMO:-0}" = 1 ]; then
		"$BIN/cairn-extract" --config "$CONF" drop-demo || die "cannot drop the demo athlete"
		# The demo's local Strava is no source of anyone's data: a plain
		# `cairn-extract auth` now names Strava (`make connect` sets the
		# application).
		CONF_VALUE=$STRAVA_API conf_set strava_api_url
		CONF_VALUE=$STRAVA_OAUTH conf_set strava_oauth_url
	fi
	say "importing ${files[*]}"
	"$BIN/cairn-import" --config "$CONF" "${files[@]}" || rc=$?
	case $rc in
	0) ;;
	3) say "some files failed (listed above); the rest is stored" ;;
	2) die "cairn-import refused (the reason is above); nothing was stored" 2 ;;
	*) die "cairn-import failed (exit $rc): nothing could be imported" ;;
	esac
	say "running cairn-transform"
	"$BIN/cairn-transform" --config "$CONF" || die "cairn-transform failed"
	dashboard
}

# explain LOG: what Strava's refusals in LOG mean, in plain words.
explain() {
	if grep -q 'HTTP 403' "$1"; then
		say "Strava answered 403 Forbidden: the application may not read this account. Strava's limited" \
			"(free or paid) API tiers cap who may connect (a new application only its own developer's" \
			"account) and what it may read; check the application at https://www.strava.com/settings/api" \
			"and its tier. The export archive works without the API: make import FILE=..."
	fi
	if grep -q 'HTTP 429\|rate limit\|request budget' "$1"; then
		say "Strava's rate limit (429): the application's request budget is spent for now. What was" \
			"fetched is kept; run \`make connect\` or \`build/bin/cairn-extract --config $CONF\` again later" \
			"and it goes on where it stopped. A long history is faster through the export: make import FILE=..."
	fi
}

cmd_connect() {
	local id secret port url code scope error st rc=0
	stack_up
	if [ "${DROP_DEMO:-0}" = 1 ]; then
		"$BIN/cairn-extract" --config "$CONF" drop-demo || die "cannot drop the demo athlete"
	fi
	id=${CAIRN_STRAVA_CLIENT_ID:-}
	secret=${CAIRN_STRAVA_CLIENT_SECRET:-}
	if [ -z "$id" ]; then
		[ -t 0 ] || die "no CAIRN_STRAVA_CLIENT_ID and no terminal to ask on"
		echo "Your Strava API application (create one at https://www.strava.com/settings/api, with"
		echo "Authorization Callback Domain 127.0.0.1):"
		read -r -p "Client ID: " id
	fi
	if [ -z "$secret" ]; then
		[ -t 0 ] || die "no CAIRN_STRAVA_CLIENT_SECRET and no terminal to ask on"
		read -r -s -p "Client Secret (not shown): " secret
		echo
	fi
	case "$id" in '' | *[!0-9]*) die "the Client ID is a number (Strava's application page)" ;; esac
	[ -n "$secret" ] || die "no Client Secret"
	CONF_VALUE=$id conf_set strava_client_id
	CONF_VALUE=$secret conf_set strava_client_secret
	CONF_VALUE=${CAIRN_STRAVA_API_URL:-$STRAVA_API} conf_set strava_api_url
	CONF_VALUE=${CAIRN_STRAVA_OAUTH_URL:-$STRAVA_OAUTH} conf_set strava_oauth_url
	unset secret
	# The programs below read the application from the config only.
	unset CAIRN_STRAVA_CLIENT_ID CAIRN_STRAVA_CLIENT_SECRET CAIRN_STRAVA_API_URL CAIRN_STRAVA_OAUTH_URL

	dir=$(mktemp -d)
	chmod 700 "$dir"
	trap 'rm -rf "$dir"; [ -n "${lpid:-}" ] && kill "$lpid" 2>/dev/null; true' EXIT
	python3 "$ROOT/tools/oauth_callback.py" "$dir/result" "${CAIRN_CONNECT_TIMEOUT:-600}" >"$dir/port" 2>"$dir/listener.log" &
	lpid=$!
	for _ in $(seq 50); do [ -s "$dir/port" ] && break; sleep 0.1; done
	port=$(head -n 1 "$dir/port")
	[ -n "$port" ] || die "the local callback listener did not start: $(tail -n 1 "$dir/listener.log")"
	export CAIRN_STRAVA_REDIRECT_URI="http://127.0.0.1:$port/callback"
	url=$("$BIN/cairn-extract" --config "$CONF" auth | tail -n 1)
	case "$url" in http*) ;; *) die "cairn-extract gave no authorisation URL" ;; esac
	echo "Open this URL in a browser on this machine and authorise Cairn (keep \"View data about your"
	echo "private activities\" ticked):"
	echo "  $url"
	echo "Waiting for the browser to come back to 127.0.0.1:$port ..."
	wait "$lpid" || die "no answer from the browser within ${CAIRN_CONNECT_TIMEOUT:-600} s: run make connect again"
	lpid=
	code=$(sed -n 's/^code=//p' "$dir/result")
	scope=$(sed -n 's/^scope=//p' "$dir/result")
	error=$(sed -n 's/^error=//p' "$dir/result")
	[ -z "$error" ] || die "Strava said '$error': the authorisation was cancelled; run make connect again and press Authorize"
	[ -n "$code" ] || die "Strava's redirect carried no code"
	case ",$scope," in
	*,activity:read_all,*) ;;
	*,activity:read,*)
		say "Strava granted '$scope' without activity:read_all: your private activities (and the" \
			"private parts of others) will be missing. To have them, run make connect again and keep" \
			"\"View data about your private activities\" ticked." ;;
	*) die "Strava granted '$scope' without activity:read or activity:read_all: Cairn cannot list your activities; run make connect again and keep the activity boxes ticked" ;;
	esac
	set +e
	printf '%s\n' "$code" | "$BIN/cairn-extract" --config "$CONF" auth --code - --scope "$scope" 2>&1 |
		tee "$dir/auth.log"
	st=("${PIPESTATUS[@]}")
	set -e
	rc=${st[1]}
	if [ "$rc" != 0 ]; then
		explain "$dir/auth.log"
		die "the connection failed (cairn-extract auth, exit $rc)"
	fi
	say "first sync through cairn-extract (activities the import brought are not fetched again)"
	set +e
	"$BIN/cairn-extract" --config "$CONF" sync 2>&1 | tee "$dir/sync.log"
	st=("${PIPESTATUS[@]}")
	set -e
	rc=${st[0]}
	explain "$dir/sync.log"
	case $rc in
	0) ;;
	3) say "some activities were skipped; a later run retries them" ;;
	4) say "stopped for Strava's rate limit: what was fetched is kept; run make connect or cairn-extract again later" ;;
	5) die "Strava revoked the authorisation during the sync: run make connect again" ;;
	*) die "cairn-extract sync failed (exit $rc)" ;;
	esac
	say "running cairn-transform"
	"$BIN/cairn-transform" --config "$CONF" || die "cairn-transform failed"
	dashboard
}

case "${1:-}" in
import)
	shift
	cmd_import "$@"
	;;
connect) cmd_connect ;;
*)
	echo "usage: tools/own.sh import PATH... | connect" >&2
	exit 2
	;;
esac
