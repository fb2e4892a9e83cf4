#!/usr/bin/env bash
# `npm run demo`: the package working in a real n8n, from a fresh clone, with nothing to configure.
# Builds and packs the package, installs Node 24 and the tested n8n 2.x (cached), then scripts/demo.mjs
# starts the simulator and n8n with the package, a credential and the example workflows.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
npx gulp build
bash scripts/install-n8n.sh 2.x
rm -f n8n-nodes-sms-gateway-*.tgz
npm pack --silent >/dev/null
exec node scripts/demo.mjs "$@"
