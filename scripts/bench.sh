#!/usr/bin/env bash
# `npm run bench`: the bulk-sending benchmark (issue #10) from a fresh clone, in one command.
# Installs the npm packages, builds, installs Node 24 and the tested n8n 2.x (cached outside the repo),
# packs the package, then bench/run.mjs runs every workload in a real n8n against the simulator
# and prints the table (also written to bench/results/latest.{json,md}). About a quarter of an hour.
# Options go to bench/run.mjs, e.g. `npm run bench -- --update-readme` or `-- --items 500`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
npx gulp build
bash scripts/install-n8n.sh 2.x
rm -f n8n-nodes-sms-gateway-*.tgz
npm pack --silent >/dev/null
exec node bench/run.mjs "$@"
