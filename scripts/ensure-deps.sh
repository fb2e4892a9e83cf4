#!/usr/bin/env bash
# Installs the npm packages exactly as locked, once per lock-file change.
# --ignore-scripts: a dev dependency of n8n's lint tooling (eslint-plugin-n8n-nodes-base) runs
# "npx only-allow pnpm" on install, which fails under npm; nothing we use needs an install
# script (esbuild ships its binary as a platform package).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -f node_modules/.package-lock.json ] && cmp -s package-lock.json node_modules/.sms-gateway-lock 2>/dev/null; then
	exit 0
fi
npm ci --ignore-scripts --no-audit --no-fund
cp package-lock.json node_modules/.sms-gateway-lock
