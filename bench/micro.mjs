// Micro-benchmark of the node's own per-item work, in plain Node against the build (npm run build):
//
//   node --expose-gc bench/micro.mjs [--items 100000] [--dist <dir>] [--compiled <dir>] [--json]
//
// 1. Per-item work: what Send Bulk does for each input item before anything is sent, as in
//    actions/message/sendBulk.operation.ts — read the parameters through the bulk view
//    (shared/parameters.ts: constants once, `{{ $json.phone }}` read from the item), check and
//    normalise the number (libphonenumber), check the text and count its SMS parts
//    (readOutgoingMessageWith), and read SMSGateway24's own fields (its sendBulk.prepare) — over
//    100,000 items, with the same text and with personalised texts. The context is a stub that
//    answers like n8n for these parameters, so this measures our code, not n8n's (the n8n runs in
//    bench/run.mjs measure the whole). Also each step on its own, and memory per item (heap growth
//    while all results are kept, after a full GC).
// 2. The first items in a fresh process: Send Bulk's reading of 2,000 items (its executeAll, as the
//    node runs it, with SMSGateway24's prepare and a send that sends nothing) the first time a new
//    Node process runs our code, before V8 has compiled it: what a fresh `n8n execute` pays for our
//    part before the first batch leaves (bench/run.mjs measures the whole). Node 24 as n8n runs
//    it when bench/run.mjs hands it over (--probe-node), median of several processes.
// 3. Cold load: a fresh Node process requires every node and credential module the package
//    declares (package.json "n8n"), as n8n does at start-up, with n8n-workflow and zod already
//    loaded (n8n has its own copies loaded by then). Median of several processes. Also checks that
//    libphonenumber (dist/vendor) is NOT loaded then, and how long its first use (loading that
//    file) takes.
//
// The shipped code requires n8n-workflow and zod; plain Node finds them in the repo's
// node_modules (NODE_PATH points there too, for a dist outside the repo).

import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { median } from './lib/stats.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function arg(name, fallback) {
	const i = process.argv.indexOf(`--${name}`);
	return i === -1 ? fallback : process.argv[i + 1];
}
const ITEMS = Number(arg('items', 100_000));
const DIST = path.resolve(arg('dist', path.join(REPO, 'dist')));
// The per-item functions are read from the compiled tree the bundle is made of (the same code;
// the bundle exports only the node and credential classes), the cold load from dist/ as shipped.
const COMPILED = path.resolve(arg('compiled', path.join(DIST, '..', 'build', 'compiled')));
const JSON_OUT = process.argv.includes('--json');
const COLD_RUNS = Number(arg('cold-runs', 7));
const COLD_ITEMS = Number(arg('cold-items', 2000));
// The Node the fresh-process probes run on (bench/run.mjs passes the one n8n runs on).
const PROBE_NODE = arg('probe-node', process.execPath);
const PROBE = arg('cold-probe', undefined);

// Memory per item needs a full GC before and after; re-run ourselves with --expose-gc if needed.
if (typeof globalThis.gc !== 'function' && PROBE === undefined) {
	const r = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
	process.exit(r.status ?? 1);
}

const NODE_PATH = [path.join(REPO, 'node_modules'), process.env.NODE_PATH].filter(Boolean).join(path.delimiter);
process.env.NODE_PATH = NODE_PATH;
const require = createRequire(path.join(DIST, 'index.js'));
// Make NODE_PATH effective for this process's CommonJS resolution too.
require('node:module').Module._initPaths();
// The compiled tree reaches libphonenumber through build/compiled/vendor (a re-export of
// node_modules); the package ships its own bundle of it (dist/vendor). Measure the shipped one.
{
	const { Module } = require('node:module');
	const resolve = Module._resolveFilename;
	const shipped = path.join(DIST, 'vendor', 'libphonenumber.js');
	Module._resolveFilename = function (request, ...rest) {
		return /(^|[\\/])vendor[\\/]libphonenumber$/.test(request) ? shipped : resolve.call(this, request, ...rest);
	};
}

const { readOutgoingMessageWith } = require(path.join(COMPILED, 'nodes/SmsGateway/actions/message/send.operation.js'));
const { withBulkParameters } = require(path.join(COMPILED, 'nodes/SmsGateway/shared/parameters.js'));
const { sendBulk: sendBulkOperation } = require(path.join(COMPILED, 'nodes/SmsGateway/actions/message/sendBulk.operation.js'));
const { sendBulk: smsGateway24Bulk } = require(path.join(COMPILED, 'nodes/SmsGateway/providers/smsGateway24/bulk.js'));
const { loadPhoneNumbers } = require(path.join(COMPILED, 'nodes/SmsGateway/shared/phone.js'));
const { readMessageText } = require(path.join(COMPILED, 'nodes/SmsGateway/shared/message.js'));
const { countSegments } = require(path.join(COMPILED, 'nodes/SmsGateway/shared/segments.js'));

const SAME_TEXT = 'Our spring sale starts today: 20% off everything with code SPRING.';
const PERSONAL_TEXT = '=Hi {{ $json.firstName }}, your spring code is {{ $json.code }}: 20% off everything until Sunday.';

/** The input items, as the bench workflows make them (bench/lib/workflows.mjs). */
function workload(count) {
	return Array.from({ length: count }, (_, i) => ({
		json: { phone: `+4915710${String(100000 + (i % 100000))}`, firstName: `Customer ${i + 1}`, code: `SPRING${10000 + i}` },
	}));
}

let deviceListReads = 0;

/**
 * Just enough of IExecuteFunctions for the bulk read phase, answering as n8n does for these
 * parameters: raw values on request, `{{ $json.x }}` filled from the item, resource locators
 * unwrapped with extractValue.
 */
function stubContext(items, personalised) {
	const parameters = {
		recipients: '={{ $json.phone }}',
		defaultCountry: '',
		message: personalised ? PERSONAL_TEXT : SAME_TEXT,
		device: { __rl: true, mode: 'id', value: '260' },
		channel: 0,
		smsGateway24Options: {},
	};
	return {
		getInputData: () => items,
		getTimezone: () => 'UTC',
		continueOnFail: () => false,
		getNode: () => ({ name: 'Send', type: 'n8n-nodes-sms-gateway.smsGateway', typeVersion: 1, parameters: {}, credentials: {} }),
		logger: { debug() {}, info() {}, warn() {}, error() {} },
		// The Device check reads the account's devices once per run (providers/smsGateway24/devices.ts):
		// answered here like SMSGateway24's getalldevices, so the check itself is part of the per-item work.
		getCredentials: async () => ({ authMethod: 'token', apiToken: 'micro-token-0123456789', baseUrl: 'http://simulated.invalid/smsgateway24' }),
		helpers: {
			httpRequestWithAuthentication: async () => {
				deviceListReads += 1;
				return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: { count: 1, device: { 260: { id: '260', title: 'Shop phone', siminfo: [] } } } };
			},
		},
		getNodeParameter(name, itemIndex, fallback, options) {
			const raw = parameters[name] ?? fallback;
			if (options?.rawExpressions) return raw;
			if (typeof raw === 'string' && raw.startsWith('=')) {
				const filled = raw.slice(1).replace(/\{\{\s*\$json\.(\w+)\s*\}\}/g, (_, field) => String(items[itemIndex].json[field]));
				return raw === '={{ $json.phone }}' ? items[itemIndex].json.phone : filled;
			}
			if (options?.extractValue && raw && typeof raw === 'object' && raw.__rl) return raw.value;
			return raw;
		},
	};
}

async function timeLoop(count, fn) {
	const t0 = performance.now();
	for (let i = 0; i < count; i++) {
		const result = fn(i);
		if (result instanceof Promise) await result;
	}
	return performance.now() - t0;
}

function heapAfterGc() {
	globalThis.gc();
	globalThis.gc();
	return process.memoryUsage().heapUsed;
}

async function perItem(personalised) {
	const items = workload(ITEMS);
	// Warm-up: libphonenumber's metadata, JIT (its own context: the bulk view plans once per run).
	const phones = await loadPhoneNumbers();
	const warm = withBulkParameters(stubContext(items, personalised), items);
	for (let i = 0; i < Math.min(5000, ITEMS); i++) await smsGateway24Bulk.prepare(warm, readOutgoingMessageWith(phones, warm, i));

	const ctx = withBulkParameters(stubContext(items, personalised), items);
	const results = new Array(ITEMS);
	const before = heapAfterGc();
	const totalMs = await timeLoop(ITEMS, async (i) => {
		const message = readOutgoingMessageWith(phones, ctx, i);
		results[i] = { message, settings: await smsGateway24Bulk.prepare(ctx, message) };
	});
	const after = heapAfterGc();
	const kept = results.length;

	const texts = results.map((r) => r.message.text);
	const phoneMs = await timeLoop(ITEMS, (i) => phones.normaliseRecipients(items[i].json.phone, ''));
	const textMs = await timeLoop(ITEMS, (i) => readMessageText(texts[i]));
	const segmentsMs = await timeLoop(ITEMS, (i) => countSegments(texts[i]));
	const us = (ms) => (ms * 1000) / ITEMS;
	return {
		workload: personalised ? 'personalised' : 'same text',
		items: ITEMS,
		usPerItem: us(totalMs),
		phoneUsPerItem: us(phoneMs),
		textUsPerItem: us(textMs),
		segmentsUsPerItem: us(segmentsMs),
		bytesPerItem: Math.max(0, after - before) / kept,
	};
}

/**
 * In a fresh process (`--cold-probe same|personalised`): Send Bulk's read phase over COLD_ITEMS items,
 * once, as the node runs it. The phone library is loaded first (its first use is reported with the
 * cold load), so this is our code running cold.
 */
async function coldProbe(personalised) {
	const items = workload(COLD_ITEMS);
	const ctx = stubContext(items, personalised);
	await loadPhoneNumbers();
	let prepared = 0;
	const provider = {
		// The stub context's node has no credentials, so Send Bulk asks for none ahead of the reading.
		credentialTypes: ['smsGateway24Api'],
		messaging: {
			sendBulk: {
				...smsGateway24Bulk,
				send: async (_ctx, ready) => {
					prepared = ready.length;
					return [];
				},
			},
		},
	};
	const t0 = performance.now();
	await sendBulkOperation.executeAll(ctx, items, { provider, ledger: undefined });
	const ms = performance.now() - t0;
	// Every item read and ready to send, or the figure would be of something else.
	if (prepared !== items.length) throw new Error(`the probe prepared ${prepared} of ${items.length} items`);
	return { ms };
}

/** Median (and worst) of COLD_RUNS fresh processes of coldProbe, for each workload. */
function coldItems() {
	return ['same text', 'personalised'].map((workloadName) => {
		const runs = [];
		for (let i = 0; i < COLD_RUNS; i++) {
			const r = spawnSync(PROBE_NODE, [fileURLToPath(import.meta.url), '--cold-probe', workloadName === 'personalised' ? 'personalised' : 'same', '--dist', DIST, '--compiled', COMPILED, '--cold-items', String(COLD_ITEMS)], {
				env: { ...process.env, NODE_PATH },
				encoding: 'utf8',
			});
			if (r.status !== 0) throw new Error(`cold-items probe failed:\n${r.stderr}`);
			runs.push(JSON.parse(r.stdout).ms);
		}
		const version = spawnSync(PROBE_NODE, ['--version'], { encoding: 'utf8' }).stdout.trim();
		return { workload: workloadName, items: COLD_ITEMS, node: version, runs: runs.length, ms: median(runs), msMax: Math.max(...runs) };
	});
}

/** One fresh process: load the package's modules the way n8n does at start-up, and time it. */
const COLD_PROBE = `
const { performance } = require('node:perf_hooks');
const path = require('node:path');
const [dist, modulesJson] = process.argv.slice(1);
const modules = JSON.parse(modulesJson);
require('n8n-workflow'); require('zod');           // n8n has loaded its own copies already
const t0 = performance.now();
for (const m of modules) {
  const exported = require(path.join(dist, '..', m));
  for (const value of Object.values(exported)) if (typeof value === 'function') new value(); // n8n instantiates each class
}
const loadMs = performance.now() - t0;
const loaded = Object.keys(require.cache);
const vendorLoaded = loaded.some((f) => f.includes(path.join('vendor', 'libphonenumber')));
const ours = loaded.filter((f) => f.startsWith(dist)).length;
const t1 = performance.now();
require(path.join(dist, 'vendor/libphonenumber.js')); // what the node's first number loads
process.stdout.write(JSON.stringify({ loadMs, vendorLoaded, files: ours, phoneLibraryMs: performance.now() - t1 }));
`;

function coldLoad() {
	const pkg = require(path.join(DIST, '..', 'package.json'));
	const modules = [...pkg.n8n.nodes, ...pkg.n8n.credentials];
	const runs = [];
	for (let i = 0; i < COLD_RUNS; i++) {
		const r = spawnSync(process.execPath, ['-e', COLD_PROBE, DIST, JSON.stringify(modules)], {
			env: { ...process.env, NODE_PATH },
			encoding: 'utf8',
		});
		if (r.status !== 0) throw new Error(`cold-load probe failed:\n${r.stderr}`);
		runs.push(JSON.parse(r.stdout));
	}
	return {
		modules: modules.length,
		files: runs[0].files,
		runs: runs.length,
		loadMs: median(runs.map((r) => r.loadMs)),
		loadMsMax: Math.max(...runs.map((r) => r.loadMs)),
		vendorLoadedAtStart: runs.some((r) => r.vendorLoaded),
		phoneLibraryFirstUseMs: median(runs.map((r) => r.phoneLibraryMs)),
	};
}

if (PROBE !== undefined) {
	process.stdout.write(JSON.stringify(await coldProbe(PROBE === 'personalised')));
	process.exit(0);
}

const result = {
	node: process.version,
	dist: DIST,
	perItem: [await perItem(false), await perItem(true)],
	coldItems: coldItems(),
	coldLoad: coldLoad(),
};
// Two runs per workload (warm-up and measured), each reads the device list once: more would mean
// the check asks per item, and the figures above would not be the node's.
if (deviceListReads !== 4) throw new Error(`the Device check read the device list ${deviceListReads} times for 4 runs`);

if (JSON_OUT) {
	process.stdout.write(`${JSON.stringify(result)}\n`);
} else {
	const f = (n, d = 1) => n.toFixed(d);
	console.log(`Per-item work (${ITEMS.toLocaleString('en')} items, Node ${process.version}, ${DIST})`);
	for (const r of result.perItem) {
		console.log(
			`  ${r.workload.padEnd(13)} ${f(r.usPerItem, 2)} µs/item (phone ${f(r.phoneUsPerItem, 2)}, text check ${f(r.textUsPerItem, 2)}, ` +
				`segments ${f(r.segmentsUsPerItem, 2)}), ${f(r.bytesPerItem, 0)} bytes/item kept`,
		);
	}
	for (const r of result.coldItems) {
		console.log(`  first ${r.items.toLocaleString('en')} items in a fresh process (${r.workload}, Node ${r.node}): median ${f(r.ms)} ms of ${r.runs} (max ${f(r.msMax)})`);
	}
	const c = result.coldLoad;
	console.log(
		`Cold load of ${c.modules} modules (${c.files} files): median ${f(c.loadMs)} ms of ${c.runs} fresh processes (max ${f(c.loadMsMax)}); ` +
			`libphonenumber loaded at start: ${c.vendorLoadedAtStart ? 'YES' : 'no'}; its first use: ${f(c.phoneLibraryFirstUseMs)} ms`,
	);
}
