#!/usr/bin/env bash
# soak_dump.sh: a deterministic dump of cairn_raw and cairn_mart (every table by primary key, run-time columns left out)
#
# usage: tools/soak_dump.sh OUTFILE        (environment: CAIRN_TEST_DB_SOCKET, root by socket;
#        SOAK_DUMP_SCRIPT: a file caching the generated SELECTs: written when
#        missing, read when present, so a soak asks information_schema once)
#
# Two dumps are equal exactly when the two databases hold the same data. Each
# table is printed as a `## schema.table (columns)` line and its rows in
# primary-key order; long texts and blobs (verbatim JSON, packed streams,
# curves) are printed as their SHA-256, and so are the OAuth tokens (the dump
# and any diff of it must never show a secret).
#
# Left out, because they legitimately differ between two correct runs over the
# same input (each is the wall-clock time or the story of one run, not data):
#   cairn_raw.athlete.fetched_at, .created_at, .updated_at    when the row was written
#   cairn_raw.token.updated_at                                 when the token was stored
#   cairn_raw.athlete_zones.fetched_at, cairn_raw.gear.fetched_at,
#   cairn_raw.activity.fetched_at, cairn_raw.activity_stream.fetched_at
#                                                              when Strava/the file was read
#   cairn_raw.activity.changed_at    when the row last changed (µs clock); only the
#                                    transform's ordering watermark, not content
#   cairn_raw.sync_state.last_run_at, .last_success_at, .last_full_at
#                                    when runs happened
#   cairn_raw.sync_state.last_result the text summary of the last run: a rerun after
#                                    a kill reports "12 new" where a clean run said "40 new"
#   cairn_mart.athlete.last_transform_at   when the transform ran
#   cairn_mart.transform_state.updated_at  when the transform ran
#   cairn_mart.athlete.last_sync_at        a copy of raw.sync_state.last_success_at
#   cairn_mart.transform_state.watermark   a copy of the newest raw.activity.changed_at
#   cairn_mart.activity_seen.changed_at    a copy of raw.activity.changed_at
#   cairn_mart.athlete.mart_version        a clock stamp (µs) taken when a transform
#                                          changed the marts, so that it never repeats
# Everything else is compared, including cairn_raw.sync_state.cursor_start.
set -euo pipefail

OUTFILE=${1:?usage: soak_dump.sh OUTFILE}
SOCK=${CAIRN_TEST_DB_SOCKET:?CAIRN_TEST_DB_SOCKET is not set}

SOAK_EXCLUDE="'cairn_raw.athlete.fetched_at','cairn_raw.athlete.created_at','cairn_raw.athlete.updated_at',
'cairn_raw.token.updated_at','cairn_raw.athlete_zones.fetched_at','cairn_raw.gear.fetched_at',
'cairn_raw.activity.fetched_at','cairn_raw.activity_stream.fetched_at','cairn_raw.activity.changed_at',
'cairn_raw.sync_state.last_run_at','cairn_raw.sync_state.last_success_at','cairn_raw.sync_state.last_full_at',
'cairn_raw.sync_state.last_result','cairn_mart.athlete.last_transform_at','cairn_mart.transform_state.updated_at',
'cairn_mart.athlete.last_sync_at','cairn_mart.transform_state.watermark',
'cairn_mart.activity_seen.changed_at','cairn_mart.athlete.mart_version'"
SOAK_HASHED="'cairn_raw.token.access_token','cairn_raw.token.refresh_token'"

db() { mariadb --no-defaults -S "$SOCK" -uroot -N -B "$@"; }

umask 077
if [ -n "${SOAK_DUMP_SCRIPT:-}" ] && [ -s "$SOAK_DUMP_SCRIPT" ]; then
	db <"$SOAK_DUMP_SCRIPT" >"$OUTFILE"
	exit 0
fi

# One SELECT per table, generated from information_schema.
script=$(db -e "
SELECT CONCAT('SELECT ''## ', c.table_schema, '.', c.table_name, ' (',
	GROUP_CONCAT(c.column_name ORDER BY c.ordinal_position SEPARATOR ','), ')'';\n',
	'SELECT ', GROUP_CONCAT(
		IF(c.data_type IN ('longtext','mediumtext','longblob','mediumblob','blob','tinyblob')
			OR CONCAT(c.table_schema,'.',c.table_name,'.',c.column_name) IN ($SOAK_HASHED),
			CONCAT('SHA2(\`', c.column_name, '\`,256)'), CONCAT('\`', c.column_name, '\`'))
		ORDER BY c.ordinal_position SEPARATOR ', '),
	' FROM \`', c.table_schema, '\`.\`', c.table_name, '\` ORDER BY ',
	(SELECT GROUP_CONCAT(CONCAT('\`', s.column_name, '\`') ORDER BY s.seq_in_index SEPARATOR ', ')
		FROM information_schema.statistics s
		WHERE s.table_schema = c.table_schema AND s.table_name = c.table_name AND s.index_name = 'PRIMARY'),
	';')
FROM information_schema.columns c
WHERE c.table_schema IN ('cairn_raw', 'cairn_mart')
	AND CONCAT(c.table_schema,'.',c.table_name,'.',c.column_name) NOT IN ($SOAK_EXCLUDE)
GROUP BY c.table_schema, c.table_name
ORDER BY c.table_schema, c.table_name")
[ -n "$script" ] || { echo "soak_dump: no cairn_raw/cairn_mart tables found" >&2; exit 1; }
if [ -n "${SOAK_DUMP_SCRIPT:-}" ]; then
	printf '%b\n' "$script" >"$SOAK_DUMP_SCRIPT"
	db <"$SOAK_DUMP_SCRIPT" >"$OUTFILE"
else
	printf '%b\n' "$script" | db >"$OUTFILE"
fi
