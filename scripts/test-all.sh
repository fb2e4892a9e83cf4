#!/usr/bin/env bash
# `npm test`: everything, from a fresh clone. Installs what it needs (npm packages, Node 24 and
# the two n8n lines for the e2e suite, cached outside the repo), then:
#   types → lint → build → n8n's scanner (verify) → jest (unit, simulator, integration)
#   → pack → end-to-end in real n8n 2.x and 1.x.
# Ends with one line "Total: N passed, M failed" (M counts failed tests and failed stages).
# SKIP_E2E=1 skips the real-n8n stage (fast local loop); CI never sets it.
set -uo pipefail
cd "$(dirname "$0")/.."

stage_failures=0
stage() {
	local name="$1"; shift
	echo
	echo "=== $name"
	if "$@"; then return 0; fi
	echo "=== $name: FAILED"
	stage_failures=$((stage_failures + 1))
	return 1
}

stage "npm packages" bash scripts/ensure-deps.sh || { echo "Total: 0 passed, 1 failed"; exit 1; }

stage "typecheck" npx tsc --noEmit -p tsconfig.json
stage "lint (n8n community rules on shipped code, zero warnings)" npx eslint . --max-warnings 0
stage "build" npx gulp build || { echo "Total: 0 passed, 1 failed"; exit 1; }
stage "verify (n8n scanner on the packed tarball)" node scripts/verify.mjs

jest_json=$(mktemp)
stage "jest (unit, simulator, integration)" npx jest --ci --json --outputFile="$jest_json"
# The report file has no .json ending, so it is read as text (require() would parse it as JavaScript).
jest_passed=$(node -e "try{console.log(JSON.parse(require('fs').readFileSync('$jest_json','utf8')).numPassedTests)}catch{console.log(0)}")
jest_failed=$(node -e "try{console.log(JSON.parse(require('fs').readFileSync('$jest_json','utf8')).numFailedTests)}catch{console.log(1)}")
rm -f "$jest_json"

e2e_passed=0
e2e_failed=0
if [ "${SKIP_E2E:-0}" != "1" ]; then
	stage "install Node 24 and n8n (cached)" bash scripts/install-n8n.sh all
	rm -f n8n-nodes-sms-gateway-*.tgz
	stage "pack" npm pack --silent
	e2e_log=$(mktemp)
	stage "redis for the queue-mode e2e (installed if missing)" bash scripts/ensure-apt.sh redis-server redis-server
	stage "chromium for the editor e2e (installed if missing)" bash scripts/ensure-apt.sh chromium chromium
	stage "e2e in real n8n" bash -c "node test/e2e/run.mjs 2>&1 | tee '$e2e_log'; exit \${PIPESTATUS[0]}"
	summary=$(grep -E '^E2E: [0-9]+ passed, [0-9]+ failed' "$e2e_log" | tail -1)
	e2e_passed=$(echo "$summary" | sed -E 's/^E2E: ([0-9]+) passed.*/\1/')
	e2e_failed=$(echo "$summary" | sed -E 's/.* ([0-9]+) failed.*/\1/')
	[ -n "$summary" ] || { e2e_passed=0; e2e_failed=1; }
	rm -f "$e2e_log"
fi

echo
echo "jest: $jest_passed passed, $jest_failed failed; e2e: $e2e_passed passed, $e2e_failed failed; failed stages: $stage_failures"
total_passed=$((jest_passed + e2e_passed))
total_failed=$((jest_failed + e2e_failed + stage_failures))
echo "Total: $total_passed passed, $total_failed failed"
[ "$total_failed" -eq 0 ]
