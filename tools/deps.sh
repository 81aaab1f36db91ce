#!/usr/bin/env bash
# deps.sh: installs whatever Cairn needs that this Debian 12 machine lacks (idempotent)
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages: build tools, libraries, servers, the browser for tests.
PKGS=(build-essential pkg-config clang libcurl4-openssl-dev libjansson-dev
      libmariadb-dev mariadb-server mariadb-client libfcgi-dev libfcgi-bin libarchive-dev
      libexpat1-dev zlib1g-dev nginx-light chromium wrk python3 nodejs npm
      curl valgrind systemd time openssl)

missing=()
for p in "${PKGS[@]}"; do
	# nodejs/npm may come from elsewhere (the image's own node): accept a binary.
	case "$p" in
	nodejs) command -v node >/dev/null 2>&1 && continue ;;
	npm) command -v npm >/dev/null 2>&1 && continue ;;
	python3) command -v python3 >/dev/null 2>&1 && continue ;;
	esac
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	if [ "$(id -u)" != 0 ]; then
		echo "deps: missing Debian packages: ${missing[*]} (run as root, or: apt-get install ${missing[*]})" >&2
		exit 1
	fi
	echo "deps: installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >/dev/null
	# Servers must not start as system services: Cairn runs its own under var/.
	printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d.cairn
	had_policy=0; [ -e /usr/sbin/policy-rc.d ] && had_policy=1
	[ $had_policy = 1 ] || { cp /usr/sbin/policy-rc.d.cairn /usr/sbin/policy-rc.d; chmod 755 /usr/sbin/policy-rc.d; }
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
	[ $had_policy = 1 ] || rm -f /usr/sbin/policy-rc.d
	rm -f /usr/sbin/policy-rc.d.cairn
fi

# npm packages pinned by package-lock.json.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
	npm ci --no-audit --no-fund --loglevel=error
fi
