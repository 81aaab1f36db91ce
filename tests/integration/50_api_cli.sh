#!/usr/bin/env bash
# 50_api_cli.sh: cairn-api's options, start-up errors, start without a database, SIGTERM
set -u
. "$(dirname "$0")/lib.sh"
API="$CAIRN_BIN/cairn-api"
TMP=$(mktemp -d "$CAIRN_VAR/run/apicli.XXXXXX")
T_CLEANUP+=("rm -rf '$TMP'")

"$API" --help >"$TMP/help" 2>&1
check_eq "--help exits 0" "$?" 0
grep -q -- '--config FILE' "$TMP/help" && ok "--help names --config" || not_ok "--help names --config" "$(head -n 1 "$TMP/help")"
"$API" --config "$CAIRN_CONFIG" --check-config >/dev/null 2>&1
check_eq "--check-config of the stack's config exits 0" "$?" 0
"$API" --config "$TMP/missing.conf" --check-config 2>"$TMP/err"
rc=$?
[ "$rc" -ne 0 ] && [ "$(wc -l <"$TMP/err")" -eq 1 ] && ok "a missing config: one line, non-zero ($rc)" ||
	not_ok "a missing config: one line, non-zero" "rc $rc: $(cat "$TMP/err")"
bad=$(conf_with api_workers=0)
"$API" --config "$bad" --check-config 2>"$TMP/err"
[ $? -ne 0 ] && grep -q api_workers "$TMP/err" && ok "api_workers=0 is refused by name" ||
	not_ok "api_workers=0 is refused by name" "$(cat "$TMP/err")"
"$API" --bogus 2>/dev/null
check_eq "an unknown option exits 2" "$?" 2
"$API" --dump-routes | python3 -c 'import json,sys; r=json.load(sys.stdin); assert len(r) >= 19' &&
	ok "--dump-routes prints the routing table" || not_ok "--dump-routes prints the routing table" ""

# The stack's socket is busy: a second instance must refuse it and leave it alone.
sock=$(conf_get api_socket)
busy=$(conf_with "api_socket=$sock")
timeout 5 "$API" --config "$busy" 2>"$TMP/err"
rc=$?
[ "$rc" -ne 0 ] && [ "$rc" -ne 124 ] && grep -q busy "$TMP/err" && ok "a busy socket: clear error, exit $rc" ||
	not_ok "a busy socket: clear error" "rc $rc: $(cat "$TMP/err")"
check_eq "the running API still answers" "$(curl -s -o /dev/null -w '%{http_code}' "$CAIRN_URL/api/v1/health")" 200

# A TCP listener on a free port, with no database behind it: starts, answers 503, stops on SIGTERM.
port=$(free_port)
nodb=$(conf_with "api_socket=127.0.0.1:$port" "db_socket=$TMP/no-such.sock" "api_workers=2")
"$API" --config "$nodb" 2>"$TMP/nodb.log" &
pid=$!
T_CLEANUP+=("kill $pid 2>/dev/null")
wait_listen "$port"
if command -v cgi-fcgi >/dev/null 2>&1; then
	out=$(SCRIPT_NAME= PATH_INFO=/api/v1/gear REQUEST_METHOD=GET QUERY_STRING= cgi-fcgi -bind -connect "127.0.0.1:$port")
	printf '%s' "$out" | grep -q '^Status: 503' && ok "without a database: 503" || not_ok "without a database: 503" "$out"
else
	python3 - "$port" <<'PY' && ok "without a database: 503 (raw FastCGI)" || not_ok "without a database: 503 (raw FastCGI)" ""
import socket, struct, sys
def rec(t, rid, body):
    return struct.pack(">BBHHBx", 1, t, rid, len(body), 0) + body
def nv(k, v):
    return bytes([len(k), len(v)]) + k + v
params = b"".join(nv(k, v) for k, v in [(b"REQUEST_METHOD", b"GET"), (b"PATH_INFO", b"/api/v1/gear"), (b"QUERY_STRING", b"")])
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5)
s.sendall(rec(1, 1, struct.pack(">HB5x", 1, 0)) + rec(4, 1, params) + rec(4, 1, b"") + rec(5, 1, b""))
data = b""
while True:
    b = s.recv(65536)
    if not b: break
    data += b
sys.exit(0 if b"Status: 503" in data and b"db_unavailable" in data and b"Retry-After: 2" in data else 1)
PY
fi
grep -q 'cannot connect to MariaDB' "$TMP/nodb.log" && ok "the missing database is logged" ||
	not_ok "the missing database is logged" "$(tail -n 2 "$TMP/nodb.log")"
kill -TERM "$pid"
wait "$pid"
check_eq "SIGTERM: exit 0" "$?" 0
grep -q 'stopped' "$TMP/nodb.log" && ok "SIGTERM: logged as a clean stop" || not_ok "SIGTERM: logged as a clean stop" ""

# A unix socket of our own is removed on SIGTERM.
own=$(conf_with "api_socket=$TMP/own.sock" "api_workers=1")
"$API" --config "$own" 2>>"$TMP/nodb.log" &
pid=$!
for _ in $(seq 50); do [ -S "$TMP/own.sock" ] && break; sleep 0.1; done
[ -S "$TMP/own.sock" ] && ok "listens on a unix socket" || not_ok "listens on a unix socket" ""
kill -TERM "$pid"
wait "$pid"
check_eq "SIGTERM with a unix socket: exit 0" "$?" 0
[ ! -e "$TMP/own.sock" ] && ok "its socket is removed on exit" || not_ok "its socket is removed on exit" ""
[ "$T_FAIL" -eq 0 ]
