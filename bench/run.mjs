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
//   --same-text-only     only the same-text workloads (quick comparisons)
//   --full               also UGSMS personalised at 60 per MINUTE (its floor is ~33 minutes)
//   --no-baseline        skip the HTTP Request runs
//   --no-micro           skip bench/micro.mjs
//   --fresh N            run each workflow N times in a fresh `n8n execute` and report the median
//                        (5; the UGSMS 1 s window scenario once, as it is paced by the limit)
//   --warm N             after the fresh-process runs, run each workflow N more times in a running
//                        n8n (`n8n start`, from a webhook) after one unmeasured run, and report the
//                        median (3); --warm 0 skips that
//   --update-readme      write the table into README.md (between the bench markers)
//   --no-priority        run n8n and the simulator at normal CPU priority (default: nice −10 if allowed)
//   --render FILE        print a saved report (bench/results/latest.json) instead of measuring
//   --cpu-prof DIR       write a V8 CPU profile of every `n8n execute` and of the running n8n into
//                        DIR (open in Chrome DevTools, or summarise with bench/profile.mjs); slows
//                        the runs a little
//   --cpu-prof-interval US  the profiles' sampling interval in microseconds (V8's default 1000)
//
// Writes bench/results/latest.json and latest.md. See README.md "Performance" for the columns.

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import { assertInstalled, node24Paths } from '../scripts/n8n-env.mjs';
import { prepareN8n } from '../test/e2e/lib/n8n.mjs';
import { killGroup } from '../test/e2e/lib/proc.mjs';
import { startSimulatorProcess } from '../test/e2e/lib/simulator.mjs';
import { SEND_NODE, benchWorkflow, credentialsFor } from './lib/workflows.mjs';
import { durationMs, readExecution } from './lib/execution-db.mjs';
import { floorFor, PLANS } from './lib/floor.mjs';
import { memorySampler } from './lib/memory.mjs';
import { renderMarkdown, renderText } from './lib/report.mjs';
import { median } from './lib/stats.mjs';
import { warmSimulator } from './lib/warm-simulator.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function option(name, fallback) {
	const i = process.argv.indexOf(`--${name}`);
	return i === -1 ? fallback : process.argv[i + 1];
}
const flag = (name) => process.argv.includes(`--${name}`);

const ITEMS = Number(option('items', 2000));
const LATENCY = Number(option('latency', 25));
const FULL = flag('full');
const WARM = Number(option('warm', 3));
const FRESH = Math.max(1, Number(option('fresh', 5)));
const CPU_PROF = option('cpu-prof') ? path.resolve(option('cpu-prof')) : undefined;
// V8 samples every 1,000 µs by default: a fresh run's reading of 2,000 items is ~100 samples.
const CPU_PROF_FLAGS = `--cpu-prof --cpu-prof-dir=${CPU_PROF} --cpu-prof-interval=${Number(option('cpu-prof-interval', 1000))}`;
/**
 * n8n and the simulator run at a raised CPU priority (nice −10) where the system allows it (root,
 * or CAP_SYS_NICE), so that other work on a shared machine disturbs the figures less. Both the
 * baseline and our node get it. --no-priority leaves every process at the normal priority.
 */
const PRIORITY = flag('no-priority') ? undefined : -10;
let priorityRaised = false;
function raisePriority(pid) {
	if (PRIORITY === undefined || !pid) return;
	try {
		os.setPriority(pid, PRIORITY);
		priorityRaised = true;
	} catch {
		/* not allowed here: measured at normal priority (the report says which) */
	}
	// Children already running (tsx runs the simulator in a child process); later ones inherit it.
	let children = [];
	try {
		children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
	} catch {
		/* not Linux, or gone */
	}
	for (const child of children) raisePriority(child);
}
const log = (...args) => console.error('[bench]', ...args);

function newestTarball() {
	const found = readdirSync(REPO).filter((f) => /^n8n-nodes-sms-gateway-.*\.tgz$/.test(f));
	if (found.length === 0) throw new Error('no n8n-nodes-sms-gateway-*.tgz in the repo root: run `npm run build && npm pack` (or `npm run bench`)');
	const byTime = found.map((f) => ({ f, t: statSync(path.join(REPO, f)).mtimeMs })).sort((a, b) => a.t - b.t);
	return path.join(REPO, byTime.at(-1).f);
}
/** The packed package under test; set in main() (not needed for --render). */
let TARBALL;

/**
 * Which providers the packed package offers: its bundle (dist/sms-gateway.js, gulpfile.js) names
 * the source file of each part it holds, one folder per provider.
 */
function providersInPackage() {
	const r = spawnSync('tar', ['-xzOf', TARBALL, 'package/dist/sms-gateway.js'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
	const source = r.stdout ?? '';
	if (r.status !== 0 || source === '') throw new Error(`${TARBALL} has no dist/sms-gateway.js: build and pack it again (npm run bench does)`);
	const has = (folder) => source.includes(`/providers/${folder}/`);
	return { smsGateway24: has('smsGateway24'), messageFlow: has('messageFlow'), ugsms: has('ugsms') };
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
		for (const personalised of flag('same-text-only') ? [false] : [false, true]) {
			const base = { provider, personalised, items: ITEMS, available: available[provider] };
			if (provider === 'ugsms' && personalised) {
				list.push({ ...base, fastWindow: true, label: 'personalised, window 1 s (time ×60)' });
				if (FULL) list.push({ ...base, label: 'personalised' });
				else list.push({ ...base, label: 'personalised', skipped: `not run: its floor is ${(floorFor({ ...base, latencyMs: LATENCY }).ms / 60000).toFixed(0)} min at 60/min (--full runs it)` });
				continue;
			}
			list.push({ ...base, label: personalised ? 'personalised' : 'same text' });
			// MessageFlow takes one text per request: personalised texts need 2,000 requests, and the
			// node's 5 in flight set their floor. The setting that changes it, at its maximum:
			if (provider === 'messageFlow' && personalised) {
				list.push({ ...base, label: 'personalised, Parallel Requests 20', concurrency: 20, baselineOf: 'personalised' });
			}
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
	const arrivals = requests.map((r) => Date.parse(r.time));
	const answers = requests.filter((r) => typeof r.durationMs === 'number').map((r) => Date.parse(r.time) + r.durationMs);
	return {
		requests: requests.length,
		// When the first request arrived and the last answer left (epoch ms; same clock as n8n's).
		firstRequestAt: arrivals.length ? Math.min(...arrivals) : null,
		lastAnswerAt: answers.length ? Math.max(...answers) : null,
		accepted,
		rejected429: requests.filter((r) => r.response?.status === 429).length,
		otherErrors: requests.filter((r) => r.response && r.response.status >= 400 && r.response.status !== 429).length,
	};
}

/**
 * One `n8n execute`, with the memory of its process sampled, and its figures read back from n8n's
 * database (see lib/execution-db.mjs). Never retried: the messages may already be out.
 */
async function executeMeasured(n8n, paths, workflowId, afterId) {
	const sampler = memorySampler();
	const proc = await n8n.cli(['execute', `--id=${workflowId}`, '--rawOutput'], {
		timeoutMs: 60 * 60_000,
		env: CPU_PROF ? { NODE_OPTIONS: `${CPU_PROF_FLAGS} --cpu-prof-name=${workflowId}-${Date.now()}.cpuprofile` } : undefined,
		onSpawn: (child) => {
			running = child;
			raisePriority(child.pid);
			sampler.watch(child.pid);
		},
	});
	running = undefined;
	const memory = sampler.stop();
	const saved = readExecution(n8n, paths, workflowId, SEND_NODE, afterId);
	if (!saved) {
		throw new Error(`n8n saved no execution of ${workflowId} (exit ${proc.code}, signal ${proc.signal})\n${proc.stderr.split('\n').slice(-20).join('\n')}`);
	}
	return {
		saved,
		memory,
		summary: {
			ok: saved.status === 'success',
			status: saved.status,
			nodeMs: saved.nodeMs,
			executionMs: durationMs(saved.startedAt, saved.stoppedAt),
			processMs: proc.durationMs,
			outputItems: saved.outputItems,
			error: saved.error,
		},
	};
}

/** What every row says about the run it measured (the report finds rows by these). */
function rowOf(job, warm) {
	const { scenario } = job;
	return { provider: scenario.provider, workload: scenario.label, personalised: scenario.personalised, fastWindow: !!scenario.fastWindow, kind: job.kind, warm, items: scenario.items };
}

/**
 * Where one run's node time went, from n8n's start time of the node and the simulator's clock (the
 * same machine): before its first request reached the provider (reading and checking the items,
 * n8n's request set-up), between that and the last answer (the requests), and after the last
 * answer (building the output items). Null when a part is missing.
 */
function phasesOf(run) {
	const { nodeStartedAt, nodeMs, firstRequestAt, lastAnswerAt } = run;
	if (![nodeStartedAt, nodeMs, firstRequestAt, lastAnswerAt].every((v) => typeof v === 'number')) return null;
	return { beforeMs: firstRequestAt - nodeStartedAt, sendingMs: lastAnswerAt - firstRequestAt, afterMs: nodeStartedAt + nodeMs - lastAnswerAt };
}

/**
 * One row from several runs of a workflow: the median node time and execution (each run's node
 * time kept too), the highest memory, and for correctness the worst run: the fewest messages
 * accepted, the most 429s, the first error.
 */
function summariseRuns(runs) {
	const medianRun = runs.find((r) => r.nodeMs === median(runs.map((x) => x.nodeMs))) ?? runs.at(-1);
	return {
		ok: runs.every((r) => r.ok),
		status: runs.find((r) => !r.ok)?.status ?? runs.at(-1).status,
		error: runs.find((r) => r.error)?.error,
		nodeMs: median(runs.map((r) => r.nodeMs)),
		executionMs: median(runs.map((r) => r.executionMs)),
		runsNodeMs: runs.map((r) => r.nodeMs),
		requests: runs.at(-1).requests,
		outputItems: runs.at(-1).outputItems,
		// The fewest any run got through, so one short run is not hidden by the others.
		accepted: Math.min(...runs.map((r) => r.accepted)),
		rejected429: Math.max(...runs.map((r) => r.rejected429)),
		otherErrors: Math.max(...runs.map((r) => r.otherErrors)),
		peakRssMb: Math.max(...runs.map((r) => r.peakRssMb ?? 0)) || null,
		// The time of each node in the median run, and where the sending node's time went in it.
		nodeTimes: medianRun.nodeTimes,
		phases: phasesOf(medianRun),
	};
}

/**
 * The warm runs: the same workflows, started from a production webhook of one running n8n
 * (`n8n start`), as n8n runs them in production. Each workflow runs once unmeasured (its code
 * paths compiled, its connections and credentials warm), then WARM times; the figures are the
 * median node time and execution, and the highest resident memory of the n8n process while they
 * ran. Every run starts on a fresh simulator state and must send everything again.
 */
async function warmRuns(n8n, paths, sim, jobs, afterId) {
	const server = await n8n.start(
		CPU_PROF ? { env: { NODE_OPTIONS: `${CPU_PROF_FLAGS} --cpu-prof-name=running-n8n-${Date.now()}.cpuprofile` } } : {},
	);
	CLEANUP.unshift(async () => await server.stop());
	raisePriority(server.child?.pid);
	await server.setupOwner();
	let lastId = afterId;
	const out = [];
	for (const job of jobs) {
		const { scenario } = job;
		await server.activateWorkflow(job.warmWf.id);
		log(`${scenario.provider} · ${scenario.label} · ${job.kind} · running n8n, 1 + ${WARM} runs …`);
		const runs = [];
		/** Our runs of a rate-limited provider: when each started and how many requests it made. */
		const recent = [];
		for (let run = 0; run <= WARM; run++) {
			// UGSMS allows 60 requests a minute per key, and the node keeps count in the running
			// process: a run that would not fit into the last minute's allowance waits until it
			// does, so each run has what a first run has. (A pause alone would also leave V8 time
			// to drop compiled code, and measure a colder run than the setting says.)
			const { rate } = PLANS[scenario.provider];
			if (rate && job.kind === 'ours' && recent.length > 0) {
				const window = rate.windowMs + 1_000;
				const inWindow = () => recent.filter((r) => Date.now() - r.at < window);
				// Assume the next run makes as many requests as the last one.
				while (inWindow().length > 0 && inWindow().reduce((sum, r) => sum + r.requests, recent.at(-1).requests) > rate.limit) {
					await new Promise((resolve) => setTimeout(resolve, inWindow()[0].at + window - Date.now()));
				}
			}
			await sim.reset();
			const startedAt = Date.now();
			const sampler = memorySampler({ field: 'VmRSS' });
			sampler.watch(server.child?.pid);
			const answer = await server.webhook(job.warmWf.nodes[0].parameters.path, { body: {} });
			await answer.text();
			const memory = sampler.stop();
			const saved = readExecution(n8n, paths, job.warmWf.id, SEND_NODE, lastId);
			if (!saved) throw new Error(`n8n saved no execution of ${job.warmWf.id} (webhook answered ${answer.status})`);
			lastId = saved.id;
			const counts = await providerCounts(sim, scenario.provider);
			recent.push({ at: startedAt, requests: counts.requests });
			if (run > 0) {
				runs.push({ nodeMs: saved.nodeMs, nodeStartedAt: saved.nodeStartedAt, executionMs: durationMs(saved.startedAt, saved.stoppedAt), ok: saved.status === 'success', error: saved.error, peakRssMb: memory.peakMb, ...counts });
			}
		}
		await server.deactivateWorkflow(job.warmWf.id);
		const row = { ...rowOf(job, true), ...summariseRuns(runs) };
		out.push(row);
		log(`  node ${row.runsNodeMs.join(' / ')} ms (median ${row.nodeMs}), ${row.accepted} accepted, ${row.rejected429} × 429`);
	}
	await server.stop();
	return out;
}

async function main() {
	// Re-print (and write into the README) a report measured earlier, without running anything.
	if (option('render')) {
		const report = JSON.parse(readFileSync(path.resolve(option('render')), 'utf8'));
		console.log(renderText(report));
		if (flag('update-readme')) await updateReadme(renderMarkdown(report));
		return;
	}
	const startedAt = new Date();
	TARBALL = path.resolve(option('tarball') ?? newestTarball());
	const available = providersInPackage();
	const list = scenarios(available);
	log(`tarball ${path.basename(TARBALL)}; providers in it: ${Object.entries(available).filter(([, v]) => v).map(([k]) => k).join(', ')}`);

	let micro;
	if (!flag('no-micro')) {
		const dist = path.resolve(option('dist', path.join(REPO, 'dist')));
		if (!existsSync(dist)) throw new Error(`${dist} is missing: run \`npm run build\` (or \`npm run bench\`)`);
		log(`micro-benchmark (bench/micro.mjs on ${dist}) …`);
		// Its fresh-process probe runs on the Node that n8n runs on, when it is installed.
		const probeNode = existsSync(node24Paths().node) ? node24Paths().node : process.execPath;
		const r = spawnSync(process.execPath, ['--expose-gc', path.join(REPO, 'bench/micro.mjs'), '--json', '--dist', dist, '--probe-node', probeNode], { encoding: 'utf8' });
		if (r.status !== 0) throw new Error(`bench/micro.mjs failed:\n${r.stderr}`);
		micro = JSON.parse(r.stdout.trim().split('\n').at(-1));
	}

	// The simulator: fixed latency, every provider's limits as seeded (UGSMS 60 requests per
	// minute), and a UGSMS balance that covers 2,000 messages (the seed's 1,000 UGX covers 100).
	const runsFast = list.some((s) => s.fastWindow && s.available);
	const seed = { ugsms: { balance: 1e9 } };
	const sims = {};
	CLEANUP.push(async () => {
		await sims.real?.stop();
		await sims.fast?.stop();
	});
	sims.real = await startSimulatorProcess({ args: ['--latency', String(LATENCY), '--seed', JSON.stringify(seed)] });
	if (runsFast) {
		sims.fast = await startSimulatorProcess({ args: ['--latency', String(LATENCY), '--seed', JSON.stringify({ ugsms: { ...seed.ugsms, rateWindowMs: 1000 } })] });
	}
	for (const sim of Object.values(sims)) raisePriority(sim?.child?.pid);
	log(`simulator ${sims.real.url} (latency ${LATENCY} ms)${sims.fast ? `, and ${sims.fast.url} with UGSMS's window at 1 s` : ''}`);
	const warmed = await warmSimulator(sims.real, ['smsGateway24', 'messageFlow', 'ugsms'].filter((provider) => available[provider]));
	if (sims.fast) await warmSimulator(sims.fast, ['ugsms']);
	log(`simulator warmed up (answers ${JSON.stringify(warmed.statuses)}), then reset`);

	const n8n = await prepareN8n({ line: '2.x', tarball: TARBALL, log });
	CLEANUP.unshift(async () => await n8n.cleanup());
	const installed = assertInstalled('2.x');
	const paths = { node24: installed.node24.node, n8nPkg: installed.n8n.n8nPkg };
	const rows = [];
	{
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
			// Scenarios that only change a setting of our node share the baseline of the plain one.
			for (const kind of flag('no-baseline') || scenario.fastWindow || scenario.baselineOf ? ['ours'] : ['baseline', 'ours']) {
				const wf = benchWorkflow({ ...scenario, kind, count: scenario.items, simUrl, fastWindow: scenario.fastWindow });
				// The 1 s window scenario is paced by the rate limit, not by n8n: no warm runs.
				const warmWf = WARM > 0 && !scenario.fastWindow ? benchWorkflow({ ...scenario, kind, count: scenario.items, simUrl, webhookPath: `bench-${wf.id}` }) : undefined;
				jobs.push({ scenario, kind, wf, warmWf });
			}
		}
		const warmUp = benchWorkflow({ provider: 'smsGateway24', personalised: false, kind: 'ours', count: 1, simUrl: sims.real.url });
		await n8n.importWorkflow([warmUp, ...jobs.flatMap((j) => (j.warmWf ? [j.wf, j.warmWf] : [j.wf]))]);
		// The first command on a fresh user folder runs the DB migrations; keep that out of the figures.
		let lastId = (await executeMeasured(n8n, paths, warmUp.id, 0)).saved.id;

		for (const job of jobs) {
			const sim = job.scenario.fastWindow ? sims.fast : sims.real;
			// The 1 s window scenario is paced by the rate limit (~35 s a run): measured once.
			const times = job.scenario.fastWindow ? 1 : FRESH;
			log(`${job.scenario.provider} · ${job.scenario.label} · ${job.kind} · ${times} fresh process${times === 1 ? '' : 'es'} …`);
			const runs = [];
			for (let run = 0; run < times; run++) {
				await sim.reset();
				const { saved, memory, summary } = await executeMeasured(n8n, paths, job.wf.id, lastId);
				lastId = saved.id;
				runs.push({ ...summary, ...(await providerCounts(sim, job.scenario.provider)), peakRssMb: memory.peakMb, nodeTimes: saved.nodeTimes, nodeStartedAt: saved.nodeStartedAt });
			}
			const row = { ...rowOf(job, false), ...summariseRuns(runs), processMs: median(runs.map((r) => r.processMs)) };
			rows.push(row);
			log(`  node ${row.runsNodeMs.join(' / ')} ms (median ${row.nodeMs}), ${row.requests} requests, ${row.accepted} accepted, ${row.rejected429} × 429${row.error ? `, error: ${row.error}` : ''}`);
		}
		if (jobs.some((job) => job.warmWf)) rows.push(...(await warmRuns(n8n, paths, sims.real, jobs.filter((job) => job.warmWf), lastId)));
	}
	await cleanUp();

	/** A scenario's row of one kind and setting (a scenario that only changes our node shares the plain one's baseline). */
	const find = (s, kind, warm) => rows.find((r) => r.provider === s.provider && r.workload === (kind === 'baseline' ? (s.baselineOf ?? s.label) : s.label) && r.kind === kind && r.warm === warm);
	const report = {
		date: startedAt.toISOString(),
		machine: {
			cpus: os.cpus().length,
			cpuModel: os.cpus()[0]?.model,
			memoryGiB: Math.round(os.totalmem() / 2 ** 30),
			loadAverage: os.loadavg(),
			priority: priorityRaised ? PRIORITY : 0,
		},
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
			baseline: find(s, 'baseline', false),
			baselineShared: !!s.baselineOf,
			ours: find(s, 'ours', false),
			warmBaseline: find(s, 'baseline', true),
			warmOurs: find(s, 'ours', true),
		})),
		warmRuns: WARM,
		freshRuns: FRESH,
		// How long the warmed simulator took to answer PARALLEL batches of BATCH messages at once.
		simulatorRound: { batch: warmed.batch, parallel: warmed.parallel, ms: warmed.roundMs },
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

/**
 * What to stop and remove on every way out (the simulators and n8n run in process groups of their
 * own, so Ctrl+C would otherwise leave them behind): newest first, each step on its own.
 */
const CLEANUP = [];
/** The `n8n execute` running now, if any. */
let running;

async function cleanUp() {
	if (running) killGroup(running, 'SIGKILL');
	while (CLEANUP.length > 0) {
		const step = CLEANUP.shift();
		await step().catch((error) => log(`clean-up: ${error.message}`));
	}
}

for (const signal of ['SIGINT', 'SIGTERM']) {
	process.once(signal, () => {
		log(`${signal}: stopping n8n and the simulator`);
		cleanUp().finally(() => process.exit(130));
	});
}

main().catch(async (error) => {
	console.error(error);
	await cleanUp();
	process.exit(1);
});
