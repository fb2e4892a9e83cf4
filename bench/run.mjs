// The bulk-sending benchmark (issue #10): this package's Send Bulk against what users do today,
// n8n's HTTP Request node with one request per item, in a REAL n8n 2.x against the simulator with
// a fixed latency, plus the floor each provider's own limits allow. A script that prints figures,
// not a timed test: nothing here fails a build.
//
//   npm run bench                        # build, pack, install n8n 2.x (cached), then this script
//   node bench/run.mjs [options]         # with an existing tarball and n8n install
//
// Options:
//   --items N            input items per workflow (2000)
//   --latency MS         the simulator's fixed latency per request (25)
//   --providers a,b      smsGateway24,messageFlow,ugsms (those the package has)
//   --tarball PATH       the packed package (default: newest n8n-nodes-sms-gateway-*.tgz in the repo)
//   --dist DIR           the built package for bench/micro.mjs (default: dist/)
//   --full               also UGSMS personalised at 60 per MINUTE (its floor is ~33 minutes)
//   --no-baseline        skip the HTTP Request runs
//   --no-micro           skip bench/micro.mjs
//   --update-readme      write the table into README.md (between the bench markers)
//
// Writes bench/results/latest.json and latest.md. See README.md "Performance" for the columns.

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import { prepareN8n } from '../test/e2e/lib/n8n.mjs';
import { startSimulatorProcess } from '../test/e2e/lib/simulator.mjs';
import { SEND_NODE, benchWorkflow, credentialsFor } from './lib/workflows.mjs';
import { floorFor, PLANS } from './lib/floor.mjs';
import { memorySampler } from './lib/memory.mjs';
import { renderMarkdown, renderText } from './lib/report.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function option(name, fallback) {
	const i = process.argv.indexOf(`--${name}`);
	return i === -1 ? fallback : process.argv[i + 1];
}
const flag = (name) => process.argv.includes(`--${name}`);

const ITEMS = Number(option('items', 2000));
const LATENCY = Number(option('latency', 25));
const FULL = flag('full');
const log = (...args) => console.error('[bench]', ...args);

function newestTarball() {
	const found = readdirSync(REPO).filter((f) => /^n8n-nodes-sms-gateway-.*\.tgz$/.test(f));
	if (found.length === 0) throw new Error('no n8n-nodes-sms-gateway-*.tgz in the repo root: run `npm run build && npm pack` (or `npm run bench`)');
	const byTime = found.map((f) => ({ f, t: statSync(path.join(REPO, f)).mtimeMs })).sort((a, b) => a.t - b.t);
	return path.join(REPO, byTime.at(-1).f);
}
const TARBALL = path.resolve(option('tarball', newestTarball()));

/** Which providers the packed package offers (UGSMS is being added while this is written). */
function providersInPackage() {
	const r = spawnSync('tar', ['-xzOf', TARBALL, 'package/dist/nodes/SmsGateway/providers/index.js'], { encoding: 'utf8' });
	const source = r.stdout ?? '';
	return { smsGateway24: /smsGateway24/.test(source), messageFlow: /messageFlow/.test(source), ugsms: /ugsms/i.test(source) };
}

/**
 * The scenarios. Each provider runs its limits as the real service has them; UGSMS personalised
 * needs one request per text at 60 per minute (about 33 minutes for 2,000), so by default it runs
 * with the window shortened to one second on both sides (simulator and the node's Window option):
 * the same pacing code at 60 times the speed, labelled as such. --full runs the real minute.
 */
function scenarios(available) {
	const wanted = (option('providers', 'smsGateway24,messageFlow,ugsms') ?? '').split(',');
	const list = [];
	for (const provider of ['smsGateway24', 'messageFlow', 'ugsms']) {
		if (!wanted.includes(provider)) continue;
		for (const personalised of [false, true]) {
			const base = { provider, personalised, items: ITEMS, available: available[provider] };
			if (provider === 'ugsms' && personalised) {
				list.push({ ...base, fastWindow: true, label: 'personalised, window 1 s (time ×60)' });
				if (FULL) list.push({ ...base, label: 'personalised' });
				else list.push({ ...base, label: 'personalised', skipped: `not run: its floor is ${(floorFor({ ...base, latencyMs: LATENCY }).ms / 60000).toFixed(0)} min at 60/min (--full runs it)` });
				continue;
			}
			list.push({ ...base, label: personalised ? 'personalised' : 'same text' });
		}
	}
	return list;
}

/** What the simulator saw for one provider since the last reset. */
async function providerCounts(sim, provider) {
	const name = { smsGateway24: 'smsgateway24', messageFlow: 'messageflow', ugsms: 'ugsms' }[provider];
	const requests = await sim.control('GET', `/requests?provider=${name}`);
	const state = await sim.control('GET', `/state?provider=${name}`);
	let accepted;
	if (provider === 'ugsms') accepted = (state.messages ?? []).reduce((sum, m) => sum + (m.numbers?.length ?? 0), 0);
	else accepted = (state.messages ?? []).length;
	return {
		requests: requests.length,
		accepted,
		rejected429: requests.filter((r) => r.response?.status === 429).length,
		otherErrors: requests.filter((r) => r.response && r.response.status >= 400 && r.response.status !== 429).length,
	};
}

/** One `n8n execute` with the memory of its process sampled; retried once if n8n printed no run. */
async function executeMeasured(n8n, workflowId) {
	for (let attempt = 1; ; attempt++) {
		const sampler = memorySampler();
		try {
			const result = await n8n.execute(workflowId, { timeoutMs: 60 * 60_000, onSpawn: (child) => sampler.watch(child.pid) });
			return { result, memory: sampler.stop() };
		} catch (error) {
			sampler.stop();
			if (attempt >= 2) throw error;
			log(`execute ${workflowId} printed no run (${String(error.message).split('\n')[0]}); once more`);
		}
	}
}

function summarise(result) {
	const task = result.runData?.[SEND_NODE]?.[0];
	const run = result.run ?? {};
	const started = Date.parse(run.startedAt ?? '');
	const stopped = Date.parse(run.stoppedAt ?? '');
	const error = task?.error ?? result.error;
	return {
		ok: result.ok,
		nodeMs: task?.executionTime ?? null,
		executionMs: Number.isFinite(started) && Number.isFinite(stopped) ? stopped - started : null,
		processMs: result.durationMs,
		outputItems: result.output(SEND_NODE)?.length ?? 0,
		error: error ? String(error.message ?? error).split('\n')[0].slice(0, 120) : undefined,
	};
}

async function main() {
	const startedAt = new Date();
	const available = providersInPackage();
	const list = scenarios(available);
	log(`tarball ${path.basename(TARBALL)}; providers in it: ${Object.entries(available).filter(([, v]) => v).map(([k]) => k).join(', ')}`);

	let micro;
	if (!flag('no-micro')) {
		const dist = path.resolve(option('dist', path.join(REPO, 'dist')));
		if (!existsSync(dist)) throw new Error(`${dist} is missing: run \`npm run build\` (or \`npm run bench\`)`);
		log(`micro-benchmark (bench/micro.mjs on ${dist}) …`);
		const r = spawnSync(process.execPath, ['--expose-gc', path.join(REPO, 'bench/micro.mjs'), '--json', '--dist', dist], { encoding: 'utf8' });
		if (r.status !== 0) throw new Error(`bench/micro.mjs failed:\n${r.stderr}`);
		micro = JSON.parse(r.stdout.trim().split('\n').at(-1));
	}

	// The simulator: fixed latency, every provider's limits as seeded (UGSMS 60 requests per
	// minute), and a UGSMS balance that covers 2,000 messages (the seed's 1,000 UGX covers 100).
	const runsFast = list.some((s) => s.fastWindow && s.available);
	const seed = { ugsms: { balance: 1e9 } };
	const sims = {
		real: await startSimulatorProcess({ args: ['--latency', String(LATENCY), '--seed', JSON.stringify(seed)] }),
		fast: runsFast
			? await startSimulatorProcess({ args: ['--latency', String(LATENCY), '--seed', JSON.stringify({ ugsms: { ...seed.ugsms, rateWindowMs: 1000 } })] })
			: undefined,
	};
	log(`simulator ${sims.real.url} (latency ${LATENCY} ms)${sims.fast ? `, and ${sims.fast.url} with UGSMS's window at 1 s` : ''}`);

	const n8n = await prepareN8n({ line: '2.x', tarball: TARBALL, log });
	const rows = [];
	try {
		log(`n8n ${n8n.version} in ${n8n.userFolder}`);
		const credentialSets = { real: credentialsFor(sims.real.url), fast: sims.fast ? credentialsFor(sims.fast.url) : undefined };
		const creds = [];
		for (const provider of ['smsGateway24', 'messageFlow', 'ugsms']) {
			if (!available[provider]) continue;
			creds.push(credentialSets.real[provider]);
			if (provider === 'ugsms' && credentialSets.fast) creds.push({ ...credentialSets.fast.ugsms, id: 'BenchUgsmsFast01', name: 'UGSMS (bench, 1 s window)' });
		}
		await n8n.importCredentials(creds);

		// All workflows in one import (each CLI command boots n8n, ~5 s).
		const jobs = [];
		for (const scenario of list) {
			if (!scenario.available || scenario.skipped) continue;
			const simUrl = (scenario.fastWindow ? sims.fast : sims.real).url;
			for (const kind of flag('no-baseline') || scenario.fastWindow ? ['ours'] : ['baseline', 'ours']) {
				const wf = benchWorkflow({ ...scenario, kind, count: scenario.items, simUrl, fastWindow: scenario.fastWindow });
				jobs.push({ scenario, kind, wf });
			}
		}
		const warmUp = benchWorkflow({ provider: 'smsGateway24', personalised: false, kind: 'ours', count: 1, simUrl: sims.real.url });
		await n8n.importWorkflow([warmUp, ...jobs.map((j) => j.wf)]);
		// The first command on a fresh user folder runs the DB migrations; keep that out of the figures.
		await n8n.execute(warmUp.id, { timeoutMs: 120_000 });

		for (const job of jobs) {
			const sim = job.scenario.fastWindow ? sims.fast : sims.real;
			await sim.reset();
			log(`${job.scenario.provider} · ${job.scenario.label} · ${job.kind} …`);
			const { result, memory } = await executeMeasured(n8n, job.wf.id);
			const row = {
				provider: job.scenario.provider,
				workload: job.scenario.label,
				personalised: job.scenario.personalised,
				fastWindow: !!job.scenario.fastWindow,
				kind: job.kind,
				items: job.scenario.items,
				...summarise(result),
				...(await providerCounts(sim, job.scenario.provider)),
				peakRssMb: memory.peakMb,
			};
			rows.push(row);
			log(`  node ${row.nodeMs} ms, ${row.requests} requests, ${row.accepted} accepted, ${row.rejected429} × 429${row.error ? `, error: ${row.error}` : ''}`);
		}
	} finally {
		await n8n.cleanup();
		await sims.real.stop();
		await sims.fast?.stop();
	}

	const report = {
		date: startedAt.toISOString(),
		machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), loadAverage: os.loadavg() },
		n8n: n8n.version,
		items: ITEMS,
		latencyMs: LATENCY,
		tarball: path.basename(TARBALL),
		scenarios: list.map((s) => ({
			provider: s.provider,
			workload: s.label,
			items: s.items,
			available: s.available,
			skipped: s.skipped,
			plan: PLANS[s.provider],
			floor: floorFor({ ...s, latencyMs: LATENCY }),
			baseline: rows.find((r) => r.provider === s.provider && r.workload === s.label && r.kind === 'baseline'),
			ours: rows.find((r) => r.provider === s.provider && r.workload === s.label && r.kind === 'ours'),
		})),
		micro,
	};
	await fs.mkdir(path.join(REPO, 'bench/results'), { recursive: true });
	await fs.writeFile(path.join(REPO, 'bench/results/latest.json'), `${JSON.stringify(report, null, 2)}\n`);
	const markdown = renderMarkdown(report);
	await fs.writeFile(path.join(REPO, 'bench/results/latest.md'), markdown);
	console.log(renderText(report));
	if (flag('update-readme')) await updateReadme(markdown);
}

const START = '<!-- bench:start (npm run bench -- --update-readme writes this part) -->';
const END = '<!-- bench:end -->';

async function updateReadme(markdown) {
	const file = path.join(REPO, 'README.md');
	const text = readFileSync(file, 'utf8');
	const a = text.indexOf(START);
	const b = text.indexOf(END);
	if (a === -1 || b === -1 || b < a) {
		log(`README.md has no bench markers (${START} … ${END}); table not written there`);
		return;
	}
	await fs.writeFile(file, `${text.slice(0, a + START.length)}\n${markdown}${text.slice(b)}`);
	log('README.md: Performance table updated');
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
