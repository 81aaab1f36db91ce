#!/usr/bin/env bash
# spool_watch.sh: the local stack's stand-in for cairn-spool.path: runs tools/spool_run.sh whenever spool_dir/new holds a file
#
# usage: spool_watch.sh CONFIG BIN SPOOL_DIR   (started and stopped by tools/stack.sh)
#
# Polls twice a second (no inotify tools needed); a pass that fails waits
# five seconds before the next, so a file it cannot handle does not spin.
set -uo pipefail

CONF=$1 BIN=$2 SPOOL=$3
HERE=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$SPOOL/new" "$SPOOL/tmp"
trap 'exit 0' TERM INT
while :; do
	if [ -n "$(ls -A "$SPOOL/new" 2>/dev/null)" ]; then
		echo "spool_watch: $(date -u +%FT%TZ) a pass"
		if ! "$HERE/spool_run.sh" --config "$CONF" --bin "$BIN"; then
			echo "spool_watch: the pass failed; the next in 5 s"
			sleep 5
		fi
	fi
	sleep 0.5
done
