#!/usr/bin/env node
// End-to-end entry point: runs every test/e2e/*.e2e.mjs against a REAL n8n, on each n8n line.
//
//   node test/e2e/run.mjs [--tarball path.tgz] [--line 2.x] [--line 1.x] [--filter text]
//                         [--install] [--list]
//
// It builds nothing: pass a tarball from `npm run build && npm pack`, or it takes the newest
// n8n-nodes-sms-gateway-*.tgz in the repo root. `--install` first runs
// scripts/install-n8n.sh for the selected lines (a few seconds when already cached).
//
// A test file exports either
//   export async function run(ctx) { ... }               // one test named after the file
// or
//   export const tests = { 'name': async (ctx) => {...}, ... }
// and optionally
//   export const lines = ['2.x'];          // restrict to some n8n lines (default: all)
//   export async function after({ line, n8n, sim }) {}  // after the suite's tests on one line
//   export const needsSimulator = true;    // fail clearly when the simulator can't start
//
// ctx = { line, version, n8n (see lib/n8n.mjs), sim (lib/simulator.mjs handle or null),
//         tarball, assert (node:assert/strict), wf (lib/workflow.mjs helpers), log(msg) }
// The simulator is started once per run and reset before every test.
//
// Output: `PASS|FAIL|SKIP [line] file > test (ms)` per test and, alone on the last line,
// `E2E: N passed, M failed` (", K skipped" appended when some were skipped). Exit 1 on any
// failure.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

import { REPO_ROOT, assertInstalled } from '../../scripts/n8n-env.mjs';
import { LINES, prepareN8n } from './lib/n8n.mjs';
import { SimulatorUnavailableError, startSimulatorProcess } from './lib/simulator.mjs';
import * as wf from './lib/workflow.mjs';

const { values: opts } = parseArgs({
	options: {
		tarball: { type: 'string' },
		line: { type: 'string', multiple: true },
		filter: { type: 'string' },
		install: { type: 'boolean', default: false },
		list: { type: 'boolean', default: false },
		'test-timeout': { type: 'string', default: '900000' },
	},
});

const E2E_DIR = path.join(REPO_ROOT, 'test', 'e2e');
const lines = opts.line?.length ? opts.line : LINES;
for (const l of lines) if (!LINES.includes(l)) throw new Error(`unknown --line ${l} (use ${LINES.join(' / ')})`);
const testTimeoutMs = Number(opts['test-timeout']);

function newestTarball() {
	const candidates = fs
		.readdirSync(REPO_ROOT)
		.filter((f) => /^n8n-nodes-sms-gateway-.*\.tgz$/.test(f))
		.map((f) => path.join(REPO_ROOT, f))
		.sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs);
	return candidates[0];
}

async function discover() {
	const files = fs
		.readdirSync(E2E_DIR)
		.filter((f) => f.endsWith('.e2e.mjs'))
		.sort();
	const suites = [];
	for (const f of files) {
		const mod = await import(pathToFileURL(path.join(E2E_DIR, f)).href);
		const base = f.replace(/\.e2e\.mjs$/, '');
		let tests;
		if (mod.tests && typeof mod.tests === 'object') tests = Object.entries(mod.tests);
		else if (typeof mod.run === 'function') tests = [[base, mod.run]];
		else throw new Error(`${f}: export run(ctx) or tests = {name: fn}`);
		tests = tests.filter(([name]) => !opts.filter || `${f} > ${name}`.includes(opts.filter));
		if (tests.length) {
			suites.push({ file: f, tests, lines: mod.lines ?? LINES, needsSimulator: !!mod.needsSimulator, after: mod.after });
		}
	}
	return suites;
}

function withTimeout(promise, ms, what) {
	let t;
	return Promise.race([
		promise.finally(() => clearTimeout(t)),
		new Promise((_, reject) => {
			t = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
		}),
	]);
}

function indent(s) {
	return String(s).replace(/^/gm, '    ');
}

const suites = await discover();
if (opts.list) {
	for (const s of suites) for (const [name] of s.tests) console.log(`${s.file} > ${name}  [${s.lines.join(', ')}]`);
	process.exit(0);
}

let passed = 0;
let failed = 0;
let skipped = 0;
const failures = [];
const t0All = Date.now();

function report(status, label, ms, err) {
	console.log(`${status} ${label} (${ms} ms)`);
	if (status === 'PASS') passed++;
	else if (status === 'SKIP') skipped++;
	else {
		failed++;
		failures.push(label);
		if (err) console.log(indent(err?.stack ?? err));
	}
}

async function main() {
	if (suites.length === 0) {
		console.log(`no test/e2e/*.e2e.mjs files${opts.filter ? ` match --filter ${opts.filter}` : ''}`);
		return;
	}
	const tarball = opts.tarball ? path.resolve(opts.tarball) : newestTarball();
	if (!tarball || !fs.existsSync(tarball)) {
		report('FAIL', 'setup: package tarball', 0, new Error(
			`no tarball (${opts.tarball ?? 'n8n-nodes-sms-gateway-*.tgz in repo root'}); run \`npm run build && npm pack\` first or pass --tarball`,
		));
		return;
	}
	console.log(`tarball: ${tarball}`);

	if (opts.install) {
		const r = spawnSync('bash', [path.join(REPO_ROOT, 'scripts', 'install-n8n.sh'), ...lines], { stdio: 'inherit' });
		if (r.status !== 0) {
			report('FAIL', 'setup: scripts/install-n8n.sh', 0, new Error(`exit ${r.status}`));
			return;
		}
	}

	let sim = null;
	let simError = null;
	if (suites.some((s) => s.needsSimulator) || fs.existsSync(path.join(REPO_ROOT, 'simulator', 'cli.ts'))) {
		try {
			sim = await startSimulatorProcess();
			console.log(`simulator: ${sim.url}`);
		} catch (err) {
			simError = err;
			console.log(`simulator not available: ${err.message.split('\n')[0]}`);
			if (!(err instanceof SimulatorUnavailableError)) console.log(indent(err.message));
		}
	}

	try {
		for (const line of lines) {
			const lineSuites = suites.filter((s) => s.lines.includes(line));
			if (!lineSuites.length) continue;
			let n8n;
			const tPrep = Date.now();
			try {
				assertInstalled(line);
				n8n = await prepareN8n({ line, tarball });
				console.log(`\n== n8n ${n8n.version} (${line}) in ${n8n.userFolder} (prepared in ${Date.now() - tPrep} ms)`);
			} catch (err) {
				report('FAIL', `[${line}] setup: prepare n8n`, Date.now() - tPrep, err);
				continue;
			}
			try {
				for (const suite of lineSuites) {
					for (const [name, fn] of suite.tests) {
						const label = `[${line}] ${suite.file} > ${name}`;
						const t0 = Date.now();
						if (suite.needsSimulator && !sim) {
							report('FAIL', label, 0, new Error(`needs the simulator, which did not start: ${simError?.message}`));
							continue;
						}
						try {
							if (sim) await sim.reset();
							const ctx = {
								line,
								version: n8n.version,
								n8n,
								sim,
								tarball,
								assert,
								wf,
								log: (m) => console.log(`    ${m}`),
							};
							const out = await withTimeout(Promise.resolve().then(() => fn(ctx)), testTimeoutMs, label);
							if (out === 'skip' || out?.skip) {
								report('SKIP', `${label}${out?.reason ? ` — ${out.reason}` : ''}`, Date.now() - t0);
							} else report('PASS', label, Date.now() - t0);
						} catch (err) {
							report('FAIL', label, Date.now() - t0, err);
						}
					}
					// A suite may share something between its tests on one n8n (a running server): `after` ends it.
					if (suite.after) await suite.after({ line, n8n, sim }).catch((err) => console.log(`    (after ${suite.file}: ${err.message})`));
				}
			} finally {
				if (failed === 0) await n8n.cleanup();
				else console.log(`(kept ${n8n.userFolder} for inspection)`);
			}
		}
	} finally {
		if (sim) await sim.stop();
	}
}

try {
	await main();
} catch (err) {
	report('FAIL', 'harness', 0, err);
}

console.log(`\ne2e finished in ${((Date.now() - t0All) / 1000).toFixed(1)} s`);
if (failures.length) console.log(`failed:\n${failures.map((f) => `  ${f}`).join('\n')}`);
console.log(`E2E: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed ? 1 : 0);
