// Summarises a V8 CPU profile of an `n8n execute` run (node bench/run.mjs --cpu-prof DIR):
// where the CPU time went while the SMS Gateway node ran, ours against n8n's.
//
//   node bench/profile.mjs FILE.cpuprofile [--top 25] [--all]
//
// The window is from the first sample of the node at work (route, getNodeParameter, …) to the last sample with a frame of
// this package on the stack (the node's run; async continuations lose their callers, so the window is by time, not by stack);
// --all takes the whole process instead. Self time is grouped by where the function's code lives:
// this package (dist/, its bundled libphonenumber apart), n8n-core, n8n-workflow, axios and the
// other packages, Node's own modules, and V8's garbage collector / idle time.

import { readFileSync } from 'node:fs';

const file = process.argv[2];
if (!file) {
	console.error('usage: node bench/profile.mjs FILE.cpuprofile [--top N] [--all]');
	process.exit(2);
}
const topIndex = process.argv.indexOf('--top');
const TOP = topIndex === -1 ? 25 : Number(process.argv[topIndex + 1]);
const ALL = process.argv.includes('--all');

const profile = JSON.parse(readFileSync(file, 'utf8'));
const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
const parent = new Map();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

const OURS = /n8n-nodes-sms-gateway[/\\]dist[/\\]/;

function category(frame) {
	const url = frame.url ?? '';
	if (!url) return frame.functionName.startsWith('(') ? frame.functionName : 'native / V8 builtins';
	if (OURS.test(url)) return /[/\\]vendor[/\\]/.test(url) ? 'ours: libphonenumber (vendor)' : 'ours: package code';
	const pkg = /node_modules[/\\]((?:@[^/\\]+[/\\])?[^/\\]+)[/\\](?!.*node_modules)/.exec(url);
	if (pkg) return pkg[1].replace(/\\/g, '/');
	if (url.startsWith('node:')) return 'node: built-in modules';
	return 'other';
}

/** Functions that only run while the node executes (not while n8n loads its modules). */
const RUNNING = new Set(['route', 'execute', 'executeAll', 'withBulkParameters', 'getNodeParameter', 'readOutgoingMessage', 'readOutgoingMessageWith']);

function onStackOurs(id, names) {
	for (let at = id; at !== undefined; at = parent.get(at)) {
		const frame = nodes.get(at).callFrame;
		if (OURS.test(frame.url ?? '') && (names === undefined || names.has(frame.functionName))) return true;
	}
	return false;
}

// Sample times: startTime + cumulative timeDeltas (µs).
const times = [];
let now = profile.startTime;
for (const delta of profile.timeDeltas) times.push((now += delta));
let first = 0;
let last = profile.samples.length - 1;
if (!ALL) {
	// From the node's first sample at work (not the loading of its modules at start-up) to its last sample.
	const ours = profile.samples.map((id, index) => (onStackOurs(id) ? index : -1)).filter((index) => index !== -1);
	const start = profile.samples.findIndex((id) => onStackOurs(id, RUNNING));
	if (ours.length === 0 || start === -1) {
		console.error('no sample of this package running in the profile; use --all');
		process.exit(1);
	}
	first = start;
	last = ours.at(-1);
}

const byCategory = new Map();
const byFunction = new Map();
let total = 0;
for (let index = first; index <= last; index++) {
	const duration = (times[index + 1] ?? times[index]) - times[index];
	const frame = nodes.get(profile.samples[index]).callFrame;
	total += duration;
	const group = category(frame);
	byCategory.set(group, (byCategory.get(group) ?? 0) + duration);
	const where = frame.url ? `${frame.url.replace(/^.*node_modules[/\\]/, '').replace(/^file:\/\//, '')}:${frame.lineNumber + 1}` : '';
	const key = `${frame.functionName || '(anonymous)'} ${where}`;
	byFunction.set(key, { group, us: (byFunction.get(key)?.us ?? 0) + duration });
}

const ms = (us) => `${(us / 1000).toFixed(1).padStart(8)} ms`;
const pct = (us) => `${((100 * us) / total).toFixed(1).padStart(5)} %`;
console.log(`${file}\nwindow: ${ms(times[last] - times[first])} (${ALL ? 'whole process' : 'from the node’s first to its last sample'}), ${last - first + 1} samples\n`);
console.log('Self time by where the code lives:');
for (const [group, us] of [...byCategory].sort((a, b) => b[1] - a[1])) console.log(`${ms(us)} ${pct(us)}  ${group}`);
console.log(`\nTop ${TOP} functions by self time:`);
for (const [key, { group, us }] of [...byFunction].sort((a, b) => b[1].us - a[1].us).slice(0, TOP)) {
	console.log(`${ms(us)} ${pct(us)}  [${group}] ${key}`);
}
