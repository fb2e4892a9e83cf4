#!/usr/bin/env bash
# Makes sure `redis-server` exists for the e2e suite's queue-mode file (test/e2e/queue-mode.e2e.mjs):
# installs Debian/Ubuntu's redis-server package when it is missing. Idempotent and quiet: prints
# nothing when Redis is already there. The package's system service is not needed (the suite
# starts its own redis-server on a free loopback port), so nothing else is configured.
set -euo pipefail
if command -v redis-server >/dev/null 2>&1; then
	exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
	echo "ensure-redis: redis-server is missing and apt-get is not available; install Redis (7.x) by hand" >&2
	exit 1
fi
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null 2>&1; then
		sudo_cmd=(sudo -n)
	else
		echo "ensure-redis: redis-server is missing; run as root or install it: apt-get install -y redis-server" >&2
		exit 1
	fi
fi
echo "ensure-redis: installing redis-server (apt-get)"
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq >/dev/null
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends redis-server >/dev/null
command -v redis-server >/dev/null 2>&1 || { echo "ensure-redis: redis-server still missing after apt-get" >&2; exit 1; }
