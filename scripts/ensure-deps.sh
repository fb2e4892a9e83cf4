#!/usr/bin/env bash
# Installs the npm packages as locked, once per lock-file change.
# --ignore-scripts: a dev dependency of n8n's lint tooling (eslint-plugin-n8n-nodes-base) runs
# "npx only-allow pnpm" on install, which fails under npm; nothing we use needs an install
# script (esbuild ships its binary as a platform package).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -f node_modules/.package-lock.json ] && cmp -s package-lock.json node_modules/.sms-gateway-lock 2>/dev/null; then
	exit 0
fi
# `npm install` with the committed lock rather than `npm ci`: npm 11 leaves the optional platform
# packages of one dependency (@unrs/resolver-binding-*) out of the lock file it writes, and `npm ci`
# then refuses the lock as out of sync. --no-save keeps the lock file as committed.
npm install --ignore-scripts --no-audit --no-fund --no-save
cp package-lock.json node_modules/.sms-gateway-lock
