// The package in n8n's queue mode (issue #10, "Scale past one machine"): a real Redis, `n8n start`
// as the main process and two `n8n worker` processes, sharing one SQLite database and encryption
// key. Nothing about the package changes; the executions are enqueued by main and run by workers.
//
// - Bulk: a production webhook starts a Send Bulk workflow (SMSGateway24, simulator) four times at
//   once, 100 recipients each; every execution succeeds, every item comes out with a message id,
//   the simulator stores each of the 400 recipients exactly once, and each execution was taken
//   from the queue by one worker (their logs say which).
// - Polling: the SMS Gateway Poll Trigger, every minute. The polls run in main, the executions they
//   start run on workers; a restart of main in between proves the cursor went through the database.
//   Each incoming message is emitted by exactly one execution, history never.
//
// The suite runs on its own n8n user folder (not the one the other suites share), so the queue-mode
// main, the workers and their workflows cannot disturb the other files' servers.
import fs from 'node:fs/promises';
import path from 'node:path';

import { prepareN8n } from './lib/n8n.mjs';
import { waitFor } from './lib/proc.mjs';
import { endedExecutions, itemsIn, itemsOf, runDataOf, waitForEndedExecutions } from './lib/executions.mjs';
import { executionsEnqueuedIn, queueEnv, startRedis, startWorker } from './lib/queue.mjs';
import { smsGateway24TokenCredential } from './lib/accounts.mjs';
import { pollTriggerWorkflow } from './lib/workflow.mjs';

export const needsSimulator = true;

const CRED = { id: 'QueueSg24Token01', name: 'SMSGateway24 token (simulator, queue mode)' };
const BULK_PATH = 'queue-mode-bulk';
const SEND = 'Send Bulk';
const POLL = 'SMSGateway24 Poll';
const RUNS = 4;
const PER_RUN = 100;
const WORKERS = 2;

const phone = (index) => `+4915710${100000 + index}`;

const BULK = {
	id: 'QueueModeBulk001',
	name: 'e2e queue mode: webhook → Send Bulk (SMSGateway24)',
	nodes: [
		{
			id: 'qm-webhook',
			name: 'Webhook',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			position: [0, 0],
			webhookId: '7f1c2d3e-4b5a-4c6d-8e9f-0a1b2c3d4e5f',
			parameters: { httpMethod: 'POST', path: BULK_PATH, responseMode: 'onReceived', options: {} },
		},
		{
			id: 'qm-customers',
			name: 'Customers',
			type: 'n8n-nodes-base.set',
			typeVersion: 3.4,
			position: [220, 0],
			parameters: {
				mode: 'raw',
				jsonOutput:
					"={{ JSON.stringify({ customers: Array.from({ length: $json.body.count }, (_, i) => ({ phone: '+4915710' + String(100000 + $json.body.first + i), firstName: 'Customer ' + ($json.body.first + i + 1), reference: $json.body.reference })) }) }}",
				options: {},
			},
		},
		{
			id: 'qm-split',
			name: 'One Item per Customer',
			type: 'n8n-nodes-base.splitOut',
			typeVersion: 1,
			position: [440, 0],
			parameters: { fieldToSplitOut: 'customers', options: {} },
		},
		{
			id: 'qm-send',
			name: SEND,
			type: 'n8n-nodes-sms-gateway.smsGateway',
			typeVersion: 1,
			position: [660, 0],
			parameters: {
				provider: 'smsGateway24',
				resource: 'message',
				operation: 'sendBulk',
				recipients: '={{ $json.phone }}',
				message: '=Hi {{ $json.firstName }}, your order is ready for pick-up.',
				device: { __rl: true, mode: 'id', value: '260' },
				channel: 0,
				smsGateway24Options: { customerReference: '={{ $json.reference }}', lookUpIds: true },
			},
			credentials: { smsGateway24Api: CRED },
		},
	],
	connections: {
		Webhook: { main: [[{ node: 'Customers', type: 'main', index: 0 }]] },
		Customers: { main: [[{ node: 'One Item per Customer', type: 'main', index: 0 }]] },
		'One Item per Customer': { main: [[{ node: SEND, type: 'main', index: 0 }]] },
	},
	settings: { executionOrder: 'v1' },
	active: false,
};

const POLLER = pollTriggerWorkflow(
	{ id: 'QueueModePoll001', name: 'e2e queue mode: SMSGateway24 poll' },
	{ id: 'qm-poll', name: POLL, parameters: { pollTimes: { item: [{ mode: 'everyMinute' }] }, provider: 'smsGateway24', events: ['received'] }, credentials: { smsGateway24Api: CRED } },
);

// One queue-mode set-up per n8n line (keyed by the runner's instance), ended by `after`.
const states = new WeakMap();

async function setup(ctx) {
	if (states.has(ctx.n8n)) {
		const state = states.get(ctx.n8n);
		if (state.error) throw state.error;
		return state;
	}
	const state = { workers: [], failed: false, previousMainOutput: '' };
	states.set(ctx.n8n, state);
	try {
		const t0 = Date.now();
		state.n8n = await prepareN8n({ line: ctx.line, tarball: ctx.tarball });
		await state.n8n.importCredentials([smsGateway24TokenCredential(CRED, ctx.sim.url)]);
		await state.n8n.importWorkflow([BULK, POLLER]);
		state.redis = await startRedis();
		state.env = queueEnv(state.redis.port);
		state.main = await state.n8n.start({ env: state.env });
		await state.main.setupOwner();
		// Started one after the other: on a busy 2-core machine two cold starts at once take longer
		// than two in a row.
		for (let i = 1; i <= WORKERS; i++) state.workers.push(await startWorker(state.n8n, { name: `worker-${i}`, env: state.env }));
		ctx.log(`queue mode up in ${((Date.now() - t0) / 1000).toFixed(1)} s: redis :${state.redis.port}, main ${state.main.baseUrl}, ${state.workers.map((w) => w.name).join(', ')} (user folder ${state.n8n.userFolder})`);
		return state;
	} catch (err) {
		state.error = err;
		state.failed = true;
		throw err;
	}
}

export async function after({ n8n }) {
	const state = states.get(n8n);
	states.delete(n8n);
	if (!state) return;
	const errors = [];
	const attempt = async (what, fn) => {
		try {
			await fn();
		} catch (err) {
			errors.push(`${what}: ${err.message}`);
		}
	};
	for (const id of [BULK.id, POLLER.id]) {
		if (state.main) await attempt(`deactivate ${id}`, () => state.main.deactivateWorkflow(id));
	}
	await Promise.all(state.workers.map((worker) => attempt(`stop ${worker.name}`, () => worker.stop())));
	if (state.main) await attempt('stop main', () => state.main.stop());
	if (state.redis) await attempt('stop redis', () => state.redis.stop());
	if (state.n8n) {
		if (state.failed || process.env.E2E_KEEP === '1') {
			// Each process's log next to the database, for the post-mortem.
			const dir = path.join(state.n8n.userFolder, 'queue-mode-logs');
			await attempt('write the logs', async () => {
				await fs.mkdir(dir, { recursive: true });
				await fs.writeFile(path.join(dir, 'main.log'), state.previousMainOutput + (state.main?.output() ?? ''));
				for (const worker of state.workers) await fs.writeFile(path.join(dir, `${worker.name}.log`), worker.output());
				if (state.redis) await fs.writeFile(path.join(dir, 'redis.log'), state.redis.output());
			});
		}
		if (state.failed) console.log(`    (kept ${state.n8n.userFolder} for inspection)`);
		else await attempt('remove the user folder', () => state.n8n.cleanup());
	}
	if (errors.length) throw new Error(errors.join('; '));
}

/** Runs a test body; a failure keeps the user folder for inspection. */
function test(fn) {
	return async (ctx) => {
		const state = await setup(ctx);
		try {
			return await fn(ctx, state);
		} catch (err) {
			state.failed = true;
			throw err;
		}
	};
}

/** Which worker logged "Worker started execution <id>"; every id must be claimed by exactly one. */
async function workersOf(ctx, state, executionIds) {
	let owners = {};
	// The log line is written when the worker takes the job, long before the execution ends; the
	// wait only covers the pipe between the worker process and this one.
	await waitFor(
		() => {
			owners = {};
			for (const id of executionIds) owners[id] = state.workers.filter((worker) => worker.executionsStarted().includes(String(id))).map((worker) => worker.name);
			return executionIds.every((id) => owners[id].length >= 1);
		},
		{ timeoutMs: 10_000, intervalMs: 200, what: 'the workers to log the executions' },
	).catch(() => {});
	for (const id of executionIds) {
		ctx.assert.equal(owners[id].length, 1, `execution ${id} was started by ${owners[id].length} workers (${owners[id].join(', ')}): not exactly one`);
	}
	return owners;
}

function enqueuedByMain(state) {
	return new Set(executionsEnqueuedIn(state.previousMainOutput + state.main.output()));
}

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
const durationOf = (execution) => new Date(execution.stoppedAt).getTime() - new Date(execution.startedAt).getTime();

function split(owners) {
	const counts = {};
	for (const [name] of Object.values(owners)) counts[name] = (counts[name] ?? 0) + 1;
	return Object.entries(counts)
		.sort()
		.map(([name, count]) => `${name} ${count}`)
		.join(', ');
}

/**
 * Waits until the events emitted by the workflow's ended executions satisfy `done`; every
 * execution must have succeeded. Returns { executions, events } (oldest first).
 */
async function eventsUntil(server, workflowId, done, { timeoutMs }) {
	let result;
	await waitFor(
		async () => {
			const executions = await endedExecutions(server, workflowId);
			const events = [];
			for (const execution of executions) {
				if (execution.status !== 'success') throw new Error(`execution ${execution.id} ended with ${execution.status}`);
				events.push(...(await itemsOf(server, execution.id, POLL)));
			}
			result = { executions, events };
			return done(events);
		},
		{ timeoutMs, intervalMs: 1_000, what: `the poll's events of workflow ${workflowId}` },
	);
	return result;
}

async function incoming(ctx, from, body) {
	await ctx.sim.control('POST', '/incoming', { provider: 'smsgateway24', from, body, deviceId: 260 });
}

export const tests = {
	'bulk: a production webhook enqueues 4 × 100 recipients, workers send each exactly once': test(async (ctx, state) => {
		const { main } = state;
		await main.activateWorkflow(BULK.id);
		const before = (await endedExecutions(main, BULK.id)).length;

		const started = Date.now();
		const answers = await Promise.all(
			Array.from({ length: RUNS }, async (_, run) => {
				const answer = await main.webhook(BULK_PATH, { body: { first: run * PER_RUN, count: PER_RUN, reference: 7001 + run } });
				return { status: answer.status, body: await answer.text() };
			}),
		);
		for (const answer of answers) ctx.assert.equal(answer.status, 200, answer.body);
		const executions = (await waitForEndedExecutions(main, BULK.id, before + RUNS, { timeoutMs: 180_000 })).slice(before);
		const allDone = Date.now() - started;
		ctx.assert.equal(executions.length, RUNS, `executions: ${executions.length}`);

		const expected = new Set(Array.from({ length: RUNS * PER_RUN }, (_, i) => phone(i)));
		const outputs = [];
		const nodeTimes = [];
		for (const execution of executions) {
			const { runData, error } = await runDataOf(main, execution.id);
			ctx.assert.equal(execution.status, 'success', `execution ${execution.id}: ${execution.status} ${JSON.stringify(error ?? runData[SEND]?.[0]?.error)?.slice(0, 600)}`);
			const items = itemsIn(runData, SEND);
			ctx.assert.equal(items.length, PER_RUN, `execution ${execution.id}: ${items.length} output items`);
			const references = new Set(items.map((item) => item.customerReference));
			ctx.assert.equal(references.size, 1, `execution ${execution.id} mixes references ${[...references]}`);
			for (const item of items) {
				ctx.assert.match(String(item.messageId), /^\d+$/, `execution ${execution.id}: ${item.recipient} has no message id (${item.note})`);
				ctx.assert.equal(item.status, 'queued');
			}
			outputs.push(...items);
			nodeTimes.push(runData[SEND][0].executionTime);
		}

		// Every recipient once, every id once, across the four executions.
		const recipients = outputs.map((item) => item.recipient);
		ctx.assert.equal(new Set(recipients).size, recipients.length, 'a recipient appears in two output items');
		ctx.assert.deepEqual(new Set(recipients), expected);
		const ids = outputs.map((item) => String(item.messageId));
		ctx.assert.equal(new Set(ids).size, ids.length, 'two output items carry the same message id');

		// What the provider received: exactly the 400 messages, no recipient twice, ids as reported.
		const stored = (await ctx.sim.control('GET', '/state?provider=smsgateway24')).messages;
		ctx.assert.equal(stored.length, RUNS * PER_RUN, `the simulator stored ${stored.length} messages`);
		const storedRecipients = stored.map((message) => message.sendto);
		ctx.assert.equal(new Set(storedRecipients).size, storedRecipients.length, 'a recipient received two messages');
		ctx.assert.deepEqual(new Set(storedRecipients), expected);
		const storedById = new Map(stored.map((message) => [String(message.id), message]));
		for (const item of outputs) {
			const message = storedById.get(String(item.messageId));
			ctx.assert.ok(message, `message id ${item.messageId} is not in the simulator`);
			ctx.assert.equal(message.sendto, item.recipient);
			ctx.assert.equal(String(message.customerid), String(item.customerReference));
		}
		const bulkRequests = (await ctx.sim.requests()).filter((request) => request.path.endsWith('/getdata/addalotofsms'));
		ctx.assert.ok(bulkRequests.every((request) => request.response?.body?.error === 0), 'a bulk request was refused');
		const sentInRequests = bulkRequests.flatMap((request) => JSON.parse(request.body.datajson).smsdata);
		ctx.assert.equal(sentInRequests.length, RUNS * PER_RUN, `${sentInRequests.length} messages in ${bulkRequests.length} addalotofsms requests`);

		// Queue mode: main enqueued each execution and exactly one worker ran it.
		const enqueued = enqueuedByMain(state);
		for (const execution of executions) ctx.assert.ok(enqueued.has(String(execution.id)), `main did not enqueue execution ${execution.id}`);
		const owners = await workersOf(ctx, state, executions.map((execution) => String(execution.id)));

		const durations = executions.map(durationOf);
		ctx.log(
			`n8n ${state.n8n.version}: ${RUNS} executions × ${PER_RUN} items, all ended ${seconds(allDone)} after the first webhook call; ` +
				`execution ${durations.map((ms) => `${ms} ms`).join(' / ')}, Send Bulk node ${nodeTimes.map((ms) => `${ms} ms`).join(' / ')}; ` +
				`${bulkRequests.length} addalotofsms requests; by worker: ${executions.map((execution) => `#${execution.id} ${owners[execution.id][0]}`).join(', ')} (${split(owners)})`,
		);
		await main.deactivateWorkflow(BULK.id);
	}),

	'polling: polls in main, executions on workers; each new message once, across a restart of main': test(async (ctx, state) => {
		const workflowId = POLLER.id;
		// History: exists before activation, must never be emitted.
		await incoming(ctx, '+4917600000000', 'before activation');
		const activated = Date.now();
		await state.main.activateWorkflow(workflowId, { webhooks: [] });
		// The first poll (n8n runs it at activation, in the background on 2.x) only remembers what exists.
		await waitFor(async () => (await ctx.sim.requests()).some((request) => request.path.endsWith('/getdata/getallsms')), {
			timeoutMs: 60_000,
			what: 'the activation poll',
		});
		ctx.assert.equal((await endedExecutions(state.main, workflowId)).length, 0, 'the activation poll started an execution');

		// 1. Two messages arrive; the next tick (every minute) finds them (two ticks, should one fall
		//    between the two).
		await incoming(ctx, '+4917600000001', 'first');
		await incoming(ctx, '+4917600000002', 'second');
		const firstRound = await eventsUntil(state.main, workflowId, (events) => events.length >= 2, { timeoutMs: 150_000 });
		const firstTick = Date.now() - activated;
		ctx.assert.deepEqual(firstRound.events.map((event) => [event.event, event.sender, event.text]).sort(), [
			['received', '+4917600000001', 'first'],
			['received', '+4917600000002', 'second'],
		]);
		let count = firstRound.executions.length;

		// 2. Main stops (the workers keep running); a message arrives; main starts again. Its first
		//    poll can only know what was reported from the database: it reports the new one only.
		const restartAt = Date.now();
		state.previousMainOutput += state.main.output();
		await state.main.stop();
		state.main = undefined;
		await incoming(ctx, '+4917600000003', 'while main was down');
		state.main = await state.n8n.start({ env: state.env });
		await state.main.login();
		const second = (await waitForEndedExecutions(state.main, workflowId, count + 1, { timeoutMs: 150_000 }))[count];
		const restartPoll = Date.now() - restartAt;
		count += 1;
		ctx.assert.equal(second.status, 'success');
		ctx.assert.deepEqual(
			(await itemsOf(state.main, second.id, POLL)).map((event) => [event.sender, event.text]),
			[['+4917600000003', 'while main was down']],
		);

		// 3. One more message: the next tick reports it alone.
		await incoming(ctx, '+4917600000004', 'after the restart');
		const third = (await waitForEndedExecutions(state.main, workflowId, count + 1, { timeoutMs: 150_000 }))[count];
		count += 1;
		ctx.assert.equal(third.status, 'success');
		ctx.assert.deepEqual(
			(await itemsOf(state.main, third.id, POLL)).map((event) => [event.sender, event.text]),
			[['+4917600000004', 'after the restart']],
		);

		// Across all executions: every message once, history never, and nothing more was started.
		const final = await endedExecutions(state.main, workflowId);
		ctx.assert.equal(final.length, count, `executions: ${final.length}, expected ${count}`);
		const events = [];
		for (const execution of final) events.push(...(await itemsOf(state.main, execution.id, POLL)));
		const keys = events.map((event) => event.messageId);
		ctx.assert.equal(new Set(keys).size, keys.length, `a message was emitted twice: ${keys.join(', ')}`);
		ctx.assert.deepEqual(events.map((event) => event.text).sort(), ['after the restart', 'first', 'second', 'while main was down']);

		// Queue mode: main enqueued them (before and after its restart), a worker ran each.
		const enqueued = enqueuedByMain(state);
		for (const execution of final) ctx.assert.ok(enqueued.has(String(execution.id)), `main did not enqueue execution ${execution.id}`);
		const owners = await workersOf(ctx, state, final.map((execution) => String(execution.id)));
		ctx.log(
			`n8n ${state.n8n.version}: first tick ${seconds(firstTick)} after activation; restart of main until its poll's execution ended ${seconds(restartPoll)}; ` +
				`executions ${final.map((execution) => `#${execution.id} ${durationOf(execution)} ms on ${owners[execution.id][0]}`).join(', ')}`,
		);
		await state.main.deactivateWorkflow(workflowId);
	}),
};
