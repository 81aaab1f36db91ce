#!/usr/bin/env bash
# spool_run.sh: one pass of the Data page's runner: cairn-import spool, cairn-extract sync --requested, cairn-transform (installed as cairn-spool; cairn-spool.service and the local stack's watcher both run it)
#
# usage: spool_run.sh --config FILE [--bin DIR] [--lock-dir DIR]
#
# The spool is spool_dir/new (docs/CONFIG.md; CAIRN_SPOOL_DIR overrides): cairn-api
# renames each uploaded file there as upload-<id>.<ext> and drops an empty
# sync-<id> for each "Sync now". The markers are removed before cairn-extract
# reads the queue, so a request made meanwhile leaves a marker of its own and
# wakes the runner again. --lock-dir: take the same flock files as
# cairn-sync.service and cairn-events.service (sync.lock, transform.lock).
set -uo pipefail

CONF= BIN= LOCKS=
while [ $# -gt 0 ]; do
	case "$1" in
	--config) CONF=$2; shift 2 ;;
	--bin) BIN=$2; shift 2 ;;
	--lock-dir) LOCKS=$2; shift 2 ;;
	*) echo "spool_run: unknown argument '$1'" >&2; exit 2 ;;
	esac
done
[ -n "$CONF" ] || { echo "spool_run: --config FILE is needed" >&2; exit 2; }
[ -n "$BIN" ] || BIN=$(dirname "$0")
SPOOL=${CAIRN_SPOOL_DIR:-$(sed -n 's/^[[:space:]]*spool_dir[[:space:]]*=[[:space:]]*//p' "$CONF" | tail -n 1)}
SPOOL=${SPOOL:-/var/spool/cairn}

locked() { # lockname command...
	local l=$1
	shift
	if [ -n "$LOCKS" ]; then
		flock --exclusive --wait 3600 "$LOCKS/$l" "$@"
	else
		"$@"
	fi
}

rc=0 ran=0
shopt -s nullglob
uploads=("$SPOOL"/new/upload-*)
syncs=("$SPOOL"/new/sync-*)
if [ ${#uploads[@]} -gt 0 ]; then
	ran=1
	"$BIN/cairn-import" --config "$CONF" spool || rc=$?
fi
if [ ${#syncs[@]} -gt 0 ]; then
	ran=1
	rm -f -- "${syncs[@]}"
	# 3 (partial) and 4 (rate limit) end the request with its message
	locked sync.lock "$BIN/cairn-extract" --config "$CONF" sync --requested
	s=$?
	case $s in 0 | 3 | 4 | 5) ;; *) rc=$s ;; esac
fi
if [ $ran = 1 ]; then
	locked transform.lock "$BIN/cairn-transform" --config "$CONF" || rc=$?
fi
exit $rc
