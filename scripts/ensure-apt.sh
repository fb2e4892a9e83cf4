#!/usr/bin/env bash
# Makes sure a system program the e2e suite needs exists, installing its Debian/Ubuntu package
# when it is missing:   bash scripts/ensure-apt.sh <command> <package>
#   redis-server redis-server   n8n's queue mode (test/e2e/queue-mode.e2e.mjs starts its own Redis)
#   chromium     chromium       the browser walk of the editor (test/e2e/editor.e2e.mjs)
# Idempotent and quiet: prints nothing when the command is already there. No service is
# configured: the tests start what they need on free loopback ports.
set -euo pipefail
cmd=${1:?usage: ensure-apt.sh <command> <package>}
pkg=${2:?usage: ensure-apt.sh <command> <package>}
if command -v "$cmd" >/dev/null 2>&1; then
	exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
	echo "ensure-apt: $cmd is missing and apt-get is not available; install $pkg by hand" >&2
	exit 1
fi
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null 2>&1; then
		sudo_cmd=(sudo -n)
	else
		echo "ensure-apt: $cmd is missing; run as root or install it: apt-get install -y $pkg" >&2
		exit 1
	fi
fi
echo "ensure-apt: installing $pkg (apt-get)"
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq >/dev/null
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "$pkg" >/dev/null
command -v "$cmd" >/dev/null 2>&1 || { echo "ensure-apt: $cmd still missing after installing $pkg" >&2; exit 1; }
