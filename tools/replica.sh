#!/usr/bin/env bash
# replica.sh: runs a MariaDB replica of the local stack's MariaDB on another loopback port (GTID replication)
#
# usage: tools/replica.sh start|stop|kill|status|wait|destroy RPORT
#   start    create (first time: install, seed from a consistent dump of the
#            primary, CHANGE MASTER TO ... MASTER_USE_GTID=slave_pos) and start
#            the replica on 127.0.0.1:RPORT; replication resumes by itself
#   stop     stop it cleanly (SIGTERM)            kill   SIGKILL it (a crash)
#   status   print IO/SQL thread state and lag; exit 0 when both run
#   wait     wait (up to REPLICA_WAIT seconds, default 60) until the replica has
#            applied everything the primary has written so far
#   destroy  stop it and delete its data
#
# The stack is CAIRN_PORT's (default 8080): primary on 127.0.0.1:CAIRN_PORT+1
# and its socket. Everything lives under var/<CAIRN_PORT>/replicas/<RPORT>/.
# The replica runs read-only with --server-id=RPORT. The replication account
# cairn_repl@127.0.0.1 gets a random password kept in
# var/<CAIRN_PORT>/replicas/repl.secret (mode 600); it only ever travels on
# stdin of the mariadb client, never on a command line. The Cairn accounts
# (cairn_etl, cairn_api, with their grants) are copied to the replica so that
# cairn-api can log in there with the same credentials.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
PORT=${CAIRN_PORT:-8080}
CMD=${1:-}
RPORT=${2:-}
case "$PORT$RPORT" in
*[!0-9]*) echo "replica: CAIRN_PORT and RPORT must be port numbers" >&2; exit 2 ;;
esac
if [ -z "$CMD" ] || [ -z "$RPORT" ]; then
	echo "usage: tools/replica.sh start|stop|kill|status|wait|destroy RPORT" >&2
	exit 2
fi
if [ "$RPORT" -lt 1024 ] || [ "$RPORT" -gt 65535 ]; then
	echo "replica: RPORT=$RPORT is out of range (1024-65535)" >&2
	exit 2
fi
VAR="$ROOT/var/$PORT"
PSOCK="$VAR/db/mysqld.sock"
PDB_PORT=$((PORT + 1))
BASE="$VAR/replicas"
DIR="$BASE/$RPORT"
RSOCK="$DIR/mysqld.sock"
PIDF="$DIR/mariadbd.pid"
SECRET="$BASE/repl.secret"
REPL_USER=cairn_repl

say() { printf 'replica: %s\n' "$*"; }
die() { printf 'replica: %s\n' "$*" >&2; exit 1; }

primary() { mariadb --no-defaults -S "$PSOCK" -uroot -N -B "$@"; }
replica() { mariadb --no-defaults -S "$RSOCK" -uroot -N -B "$@"; }

alive() { [ -f "$PIDF" ] && kill -0 "$(cat "$PIDF")" 2>/dev/null; }

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# One value of SHOW REPLICA STATUS (vertical output), empty when not a replica.
rstatus() { # field
	mariadb --no-defaults -S "$RSOCK" -uroot -E -e "SHOW REPLICA STATUS" 2>/dev/null | sed -n "s/^ *$1: //p" | head -n 1
}

ensure_secret() {
	mkdir -p "$BASE"
	chmod 700 "$BASE"
	if [ ! -s "$SECRET" ]; then
		(umask 077 && head -c 24 /dev/urandom | base64 | tr -d '/+=\n' >"$SECRET")
	fi
}

# The replication account on the primary (SQL through stdin: no password in argv).
repl_account() {
	local pw
	pw=$(cat "$SECRET")
	primary <<EOF || die "cannot create the replication account on the primary"
CREATE USER IF NOT EXISTS '$REPL_USER'@'127.0.0.1' IDENTIFIED BY '$pw';
ALTER USER '$REPL_USER'@'127.0.0.1' IDENTIFIED BY '$pw';
GRANT REPLICATION SLAVE ON *.* TO '$REPL_USER'@'127.0.0.1';
EOF
}

# CREATE USER and GRANT statements of the Cairn accounts (password hashes only).
dump_accounts() {
	local u h
	primary -e "SELECT User, Host FROM mysql.user WHERE User LIKE 'cairn\\_%' AND User <> '$REPL_USER'" |
		while IFS=$'\t' read -r u h; do
			printf 'DROP USER IF EXISTS %s;\n' "'$u'@'$h'"
			primary -e "SHOW CREATE USER '$u'@'$h'" | sed 's/$/;/'
			primary -e "SHOW GRANTS FOR '$u'@'$h'" | grep -v '^GRANT USAGE' | sed 's/$/;/' || true
		done
}

server_start() {
	mkdir -p "$DIR"
	if [ ! -d "$DIR/data/mysql" ]; then
		mariadb-install-db --no-defaults --datadir="$DIR/data" --user=root \
			--auth-root-authentication-method=socket --skip-test-db \
			>"$DIR/install.log" 2>&1 || die "mariadb-install-db failed (see $DIR/install.log)"
	fi
	rm -f "$RSOCK"
	setsid /usr/sbin/mariadbd --no-defaults --datadir="$DIR/data" --socket="$RSOCK" \
		--port="$RPORT" --bind-address=127.0.0.1 --pid-file="$DIR/mysqld.pid" \
		--log-error="$DIR/mariadb.err" --user=root --character-set-server=utf8mb4 \
		--collation-server=utf8mb4_unicode_ci --innodb-buffer-pool-size=128M \
		--innodb-flush-log-at-trx-commit=2 --max-connections=400 --skip-name-resolve \
		--server-id="$RPORT" --read-only=1 --relay-log="$DIR/data/relay" \
		--relay-log-recovery=1 </dev/null >/dev/null 2>&1 &
	echo $! >"$PIDF"
	local i
	for ((i = 0; i < 600; i++)); do
		mariadb-admin --no-defaults --socket="$RSOCK" -uroot ping >/dev/null 2>&1 && return 0
		alive || break
		sleep 0.1
	done
	die "the replica did not come up (see $DIR/mariadb.err)"
}

# Seed from a consistent snapshot of the primary and point it at the primary.
seed() {
	local pw
	say "seeding 127.0.0.1:$RPORT from the primary (127.0.0.1:$PDB_PORT)"
	repl_account
	{
		echo "STOP SLAVE; RESET SLAVE ALL;"
		# --master-data=1 --gtid: the dump ends by setting gtid_slave_pos to
		# the primary's position at the snapshot.
		mariadb-dump --no-defaults -S "$PSOCK" -uroot --single-transaction \
			--master-data=1 --gtid --routines --events --triggers \
			--databases cairn_raw cairn_app cairn_mart
		# after the tables: table-level grants need them
		dump_accounts
		echo "FLUSH PRIVILEGES;"
	} >"$DIR/seed.sql" 2>"$DIR/seed.err" || die "cannot dump the primary (see $DIR/seed.err)"
	chmod 600 "$DIR/seed.sql"
	replica <"$DIR/seed.sql" 2>>"$DIR/seed.err" || die "cannot load the seed into the replica (see $DIR/seed.err)"
	rm -f "$DIR/seed.sql"
	pw=$(cat "$SECRET")
	replica <<EOF || die "CHANGE MASTER failed on the replica"
CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=$PDB_PORT,
	MASTER_USER='$REPL_USER', MASTER_PASSWORD='$pw',
	MASTER_CONNECT_RETRY=1, MASTER_USE_GTID=slave_pos;
START SLAVE;
EOF
	touch "$DIR/seeded"
}

cmd_start() {
	mariadb-admin --no-defaults --socket="$PSOCK" -uroot ping >/dev/null 2>&1 ||
		die "the primary of stack $PORT is not running (CAIRN_PORT=$PORT tools/stack.sh start)"
	ensure_secret
	if alive; then
		say "already running on 127.0.0.1:$RPORT"
		return 0
	fi
	port_busy "$RPORT" && die "port $RPORT is busy"
	server_start
	if [ ! -f "$DIR/seeded" ]; then
		seed
	else
		replica -e "START SLAVE" >/dev/null 2>&1 || true
	fi
	local i
	for ((i = 0; i < 300; i++)); do
		[ "$(rstatus Slave_IO_Running)" = Yes ] && [ "$(rstatus Slave_SQL_Running)" = Yes ] && break
		sleep 0.1
	done
	[ "$(rstatus Slave_SQL_Running)" = Yes ] ||
		die "replication does not run: $(rstatus Last_SQL_Error) $(rstatus Last_IO_Error)"
	say "up on 127.0.0.1:$RPORT, replicating 127.0.0.1:$PDB_PORT (var/$PORT/replicas/$RPORT)"
}

cmd_stop() { # signal
	local pid i
	[ -f "$PIDF" ] || return 0
	pid=$(cat "$PIDF")
	if kill -0 "$pid" 2>/dev/null; then
		kill -"$1" "$pid" 2>/dev/null || true
		for ((i = 0; i < 300; i++)); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
	fi
	rm -f "$PIDF"
	say "stopped 127.0.0.1:$RPORT"
}

cmd_status() {
	if ! alive; then
		echo "replica $RPORT stopped"
		return 1
	fi
	local io sqlt lag
	io=$(rstatus Slave_IO_Running)
	sqlt=$(rstatus Slave_SQL_Running)
	lag=$(rstatus Seconds_Behind_Master)
	echo "replica $RPORT running (pid $(cat "$PIDF")) io=$io sql=$sqlt lag=$lag gtid=$(rstatus Gtid_IO_Pos)"
	[ "$io" = Yes ] && [ "$sqlt" = Yes ]
}

cmd_wait() {
	local pos secs=${REPLICA_WAIT:-60} got
	alive || die "replica $RPORT is not running"
	pos=$(primary -e "SELECT @@gtid_binlog_pos")
	got=$(replica -e "SELECT MASTER_GTID_WAIT('$pos', $secs)")
	[ "$got" = 0 ] || die "replica $RPORT did not reach $pos within ${secs}s"
}

case "$CMD" in
start) cmd_start ;;
stop) cmd_stop TERM ;;
kill) cmd_stop KILL ;;
status) cmd_status ;;
wait) cmd_wait ;;
destroy)
	cmd_stop TERM
	rm -rf "$DIR"
	say "destroyed var/$PORT/replicas/$RPORT"
	;;
*) echo "usage: tools/replica.sh start|stop|kill|status|wait|destroy RPORT" >&2; exit 2 ;;
esac
