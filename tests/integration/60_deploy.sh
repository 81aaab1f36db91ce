#!/usr/bin/env bash
# 60_deploy.sh: the deployment files: systemd units verify, nginx configs pass nginx -t, make install lays out FHS
source "$(dirname "$0")/lib.sh"

tmp=$(mktemp -d)
T_CLEANUP+=("rm -rf '$tmp'")

# --- systemd units, with the programs where make install would put them
mkdir -p "$tmp/units"
for u in "$CAIRN_ROOT"/systemd/*.service "$CAIRN_ROOT"/systemd/*.socket "$CAIRN_ROOT"/systemd/*.timer; do
	sed "s|@BINDIR@|$CAIRN_ROOT/build/bin|g" "$u" >"$tmp/units/$(basename "$u")"
done
for u in "$tmp"/units/*; do
	out=$(cd "$tmp/units" && SYSTEMD_LOG_LEVEL=notice systemd-analyze verify --man=no "$(basename "$u")" 2>&1)
	rc=$?
	# verify also looks at units on this machine it cannot see; only our own lines count.
	ours=$(printf '%s\n' "$out" | grep -F "$(basename "$u")" || true)
	if [ $rc -eq 0 ] || [ -z "$ours" ]; then ok "systemd-analyze verify $(basename "$u")"; else not_ok "systemd-analyze verify $(basename "$u")" "$ours"; fi
done
for u in cairn-sync.service cairn-events.service cairn-api.service; do
	f="$CAIRN_ROOT/systemd/$u"
	if grep -q '^NoNewPrivileges=yes' "$f" && grep -q '^ProtectSystem=strict' "$f" &&
		grep -q '^PrivateTmp=yes' "$f" && grep -q '^SystemCallFilter=@system-service' "$f" &&
		grep -q '^User=cairn' "$f"; then
		ok "$u runs as a dedicated user with hardening"
	else
		not_ok "$u runs as a dedicated user with hardening"
	fi
done
if grep -q 'flock --exclusive .*/run/cairn/sync.lock .*cairn-extract' "$CAIRN_ROOT/systemd/cairn-sync.service" &&
	grep -q 'flock --exclusive .*/run/cairn/events.lock .*cairn-extract' "$CAIRN_ROOT/systemd/cairn-events.service" &&
	[ "$(grep -c 'flock --exclusive .*/run/cairn/transform.lock .*cairn-transform' "$CAIRN_ROOT"/systemd/cairn-{sync,events}.service | awk -F: '{s+=$2} END {print s}')" = 2 ]; then
	ok "overlapping syncs, event runs and transforms are each prevented by a lock"
else
	not_ok "overlapping syncs, event runs and transforms are each prevented by a lock"
fi

# --- nginx: the production site with placeholders filled, under nginx -t
openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=cairn.test -days 1 \
	-keyout "$tmp/key.pem" -out "$tmp/cert.pem" >/dev/null 2>&1
mkdir -p "$tmp/nginx/logs"
sed -e "s|@SERVER_NAME@|cairn.test|g" -e "s|@CERT@|$tmp/cert.pem|g" -e "s|@KEY@|$tmp/key.pem|g" \
	-e "s|@WWW@|$CAIRN_ROOT/static|g" -e "s|@API_SOCK@|$tmp/api.sock|g" \
	-e "s|@TILES@|https://tile.openstreetmap.org|g" "$CAIRN_ROOT/nginx/cairn.conf" >"$tmp/nginx/site.conf"
cat >"$tmp/nginx/nginx.conf" <<CONF
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/logs/error.log;
events { worker_connections 64; }
http {
	include /etc/nginx/mime.types;
	access_log off;
	include /etc/nginx/fastcgi_params;
	include $tmp/nginx/site.conf;
}
CONF
sed -i 's|include fastcgi_params;|include /etc/nginx/fastcgi_params;|' "$tmp/nginx/site.conf"
out=$(/usr/sbin/nginx -t -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" 2>&1)
if [ $? -eq 0 ]; then ok "nginx -t accepts the production site"; else not_ok "nginx -t accepts the production site" "$out"; fi
out=$(/usr/sbin/nginx -t -c "$CAIRN_VAR/nginx/nginx.conf" -p "$CAIRN_VAR/nginx" 2>&1)
if [ $? -eq 0 ]; then ok "nginx -t accepts the local-stack config"; else not_ok "nginx -t accepts the local-stack config" "$out"; fi
for h in Content-Security-Policy Strict-Transport-Security 'limit_req zone=cairn_api' 'limit_req zone=cairn_hook' 'http2' 'gzip on'; do
	if grep -q "$h" "$CAIRN_ROOT/nginx/cairn.conf"; then ok "the production site has $h"; else not_ok "the production site has $h"; fi
done
hdrs=$(curl -sI "$CAIRN_URL/")
case "$hdrs" in
*"Content-Security-Policy: default-src 'self'; script-src 'self'; style-src 'self'"*) ok "the local stack sends a strict CSP" ;;
*) not_ok "the local stack sends a strict CSP" "$hdrs" ;;
esac

# --- make install into a staging root
out=$(make -C "$CAIRN_ROOT" --no-print-directory install DESTDIR="$tmp/root" PREFIX=/usr 2>&1)
if [ $? -eq 0 ]; then ok "make install DESTDIR=... PREFIX=/usr succeeds"; else not_ok "make install DESTDIR=... PREFIX=/usr succeeds" "$(printf '%s' "$out" | tail -n 3)"; fi
for f in usr/bin/cairn-migrate usr/bin/cairn-extract usr/bin/cairn-import usr/bin/cairn-transform usr/bin/cairn-api \
	usr/share/cairn/sql/001_init.sql usr/share/cairn/www/index.html usr/share/cairn/www/vendor/chart.umd.js \
	usr/share/cairn/nginx/cairn.conf usr/lib/systemd/system/cairn-sync.timer usr/lib/systemd/system/cairn-api.socket \
	etc/cairn/cairn.conf; do
	if [ -e "$tmp/root/$f" ]; then ok "make install puts /$f"; else not_ok "make install puts /$f"; fi
done
if grep -q "ExecStart=/usr/bin/cairn-api" "$tmp/root/usr/lib/systemd/system/cairn-api.service" 2>/dev/null; then
	ok "installed units point at the installed programs"
else
	not_ok "installed units point at the installed programs"
fi
mode=$(stat -c %a "$tmp/root/etc/cairn/cairn.conf" 2>/dev/null)
check_eq "the installed config is not world-readable" "$mode" "640"
