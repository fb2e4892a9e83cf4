// MessageFlow's and SMS Bridge's Poll Trigger under n8n 2.x's poll scheduler
// (N8N_SCHEDULER_ENABLED, N8N_SCHEDULER_POLL_TRIGGERS_ENABLED; poll-scheduler.e2e.mjs covers
// SMSGateway24). MessageFlow: the status list, nothing from before activation, each status change
// of a sent message once (also of one sent before activation). SMS Bridge: each queued message is
// claimed and delivered to exactly one execution; a claim whose result n8n drops (the workflow is
// deactivated during the poll) comes back after the lease. Read from the executions n8n records.
import { sleep, waitFor } from './lib/proc.mjs';
import { SIMULATOR_ACCOUNTS } from './lib/accounts.mjs';
import { ownN8n, reportedRuns, schedulerEnv, startAndActivate } from './lib/scheduler.mjs';
import { pollTriggerWorkflow } from './lib/workflow.mjs';

export const needsSimulator = true;
export const lines = ['2.x'];

const own = ownN8n();

export async function after(hook) {
	await own.after(hook);
}

async function finish(ctx, state, workflowId) {
	await state.server.deactivateWorkflow(workflowId).catch(() => {});
	await own.finish(ctx, state);
}

const MF_NODE = 'MessageFlow Poll';
const MF_CRED = { id: 'MsgFlowSchedE2e01', name: 'MessageFlow (simulator)' };
const MF_POLLER = pollTriggerWorkflow(
	{ id: 'PollSchedMfE2e01', name: 'e2e: MessageFlow Poll Trigger under n8n’s poll scheduler' },
	{
		id: 'poll-scheduler-mf-node',
		name: MF_NODE,
		parameters: {
			provider: 'messageFlow',
			events: ['delivered', 'undelivered', 'expired', 'failed', 'sent', 'sending', 'queued', 'unknown'],
			options: { statusCodes: '1=queued, 2=queued, 3=sent, 4=delivered, 5=undelivered, 6=expired, 7=failed' },
			pollTimes: { item: [{ mode: 'everyMinute' }, { mode: 'everyMinute' }] },
		},
		credentials: { messageFlowApi: MF_CRED },
	},
);

async function messageFlowScenario(ctx, { durable }) {
	const keys = SIMULATOR_ACCOUNTS.messageFlow;
	const state = await own.prepare(ctx, {
		env: schedulerEnv({ durable }),
		credentials: [{ ...MF_CRED, type: 'messageFlowApi', data: { authKey: keys.authorizationKey, applicationApiKey: keys.applicationKey, baseUrl: `${ctx.sim.url}/messageflow` } }],
		workflow: MF_POLLER,
	});
	const send = async (phoneNumbers) => {
		const answer = await fetch(`${ctx.sim.url}/messageflow/v2.1/sms`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', authorization: keys.authorizationKey, 'application-key': keys.applicationKey },
			body: JSON.stringify({ sender: 'SHOP', message: 'Your order has shipped', phoneNumbers }),
		});
		ctx.assert.equal(answer.status, 201);
		const body = await answer.json();
		return JSON.stringify(body);
	};
	const lists = async () => (await ctx.sim.requests()).filter((request) => request.provider === 'messageflow' && request.method === 'GET').length;
	const advance = async (steps) => await ctx.sim.control('POST', '/advance', { steps, provider: 'messageflow' });

	// Sent before activation, still queued: its status at activation is history, its later ones are not.
	await send(['+48500100200']);
	await send(['+48500100201']);
	await advance(2); // the second one: 2 → 3 → 4 (delivered) before activation; the first too
	await send(['+48500100202']); // queued at activation
	await startAndActivate(state, MF_POLLER.id, lists);
	await sleep(1000);
	await send(['+48500100000']); // after activation: expires
	await advance(1); // 202: sent; 000: sent
	const expectedFirst = durable ? 1 : 0;
	// Wait until a scheduled poll has read the list, then move the statuses on again.
	await waitFor(async () => (await lists()) >= 2 + expectedFirst, { timeoutMs: 150_000, what: 'a scheduled poll' });
	await sleep(5000);
	await advance(1); // 202: delivered; 000: expired
	const before = await lists();
	await waitFor(async () => (await lists()) > before, { timeoutMs: 90_000, what: 'the next scheduled poll' });
	await sleep(8000);
	const runs = await reportedRuns(state.server, MF_POLLER.id, MF_NODE);
	const events = runs.flat().map((event) => `${event.recipient} ${event.status}`);
	ctx.log?.(JSON.stringify(events));
	const counts = {};
	for (const event of events) counts[event] = (counts[event] ?? 0) + 1;
	ctx.assert.ok(Object.values(counts).every((count) => count === 1), `an event reported twice: ${JSON.stringify(events)}`);
	ctx.assert.ok(!events.some((event) => event.startsWith('+48500100200') || event.startsWith('+48500100201')), `history reported: ${JSON.stringify(events)}`);
	ctx.assert.ok(events.includes('+48500100202 delivered'), `missing the delivery of the message queued at activation: ${JSON.stringify(events)}`);
	ctx.assert.ok(events.includes('+48500100000 expired'), `missing the expiry of the message sent after activation: ${JSON.stringify(events)}`);
	await finish(ctx, state, MF_POLLER.id);
}

const SB_NODE = 'SMS Bridge Poll';
const SB_CRED = { id: 'SmsBridgeSchedE2e1', name: 'SMS Bridge (simulator)' };
const SB_POLLER = pollTriggerWorkflow(
	{ id: 'PollSchedSbE2e001', name: 'e2e: SMS Bridge Poll Trigger under n8n’s poll scheduler' },
	{ id: 'poll-scheduler-sb-node', name: SB_NODE, parameters: { provider: 'smsBridge', events: ['queued'], claimLimit: 50, pollTimes: { item: [{ mode: 'everyMinute' }, { mode: 'everyMinute' }] } }, credentials: { smsBridgeApi: SB_CRED } },
);

async function smsBridgeScenario(ctx) {
	const key = SIMULATOR_ACCOUNTS.smsBridge.apiKey;
	const base = `${ctx.sim.url}/smsbridge/api/v2`;
	const state = await own.prepare(ctx, { env: schedulerEnv(), credentials: [{ ...SB_CRED, type: 'smsBridgeApi', data: { apiKey: key, baseUrl: base } }], workflow: SB_POLLER });
	const send = async (text) => {
		const answer = await fetch(`${base}/messages/send.php`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
			body: JSON.stringify({ to: '+48500100200', text, sender: 'Clinic' }),
		});
		ctx.assert.equal(answer.status, 201, await answer.text());
	};
	const claims = async () => (await ctx.sim.requests()).filter((request) => request.provider === 'smsbridge' && request.path.includes('pending.php')).length;
	// The test is the gateway: each message an execution received is reported as handed to the
	// phone (ending its lease), as the workflow's SMS Gateway node would; unreported ones come back.
	const acknowledged = new Set();
	const texts = async () => {
		const events = (await reportedRuns(state.server, SB_POLLER.id, SB_NODE)).flat();
		for (const event of events) {
			if (acknowledged.has(event.messageId)) continue;
			const answer = await fetch(`${base}/messages/status.php`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
				body: JSON.stringify({ message_id: Number(event.messageId), status: 'sent_to_device' }),
			});
			ctx.assert.equal(answer.status, 200, await answer.text());
			acknowledged.add(event.messageId);
		}
		return events.map((event) => `${event.text}#${event.attempts}`);
	};

	await send('before activation 1');
	await send('before activation 2');
	await startAndActivate(state, SB_POLLER.id, claims);
	await sleep(2000);
	await send('after activation');
	await waitFor(async () => (await texts()).some((text) => text.startsWith('after activation')), { timeoutMs: 150_000, what: 'the message after activation' });
	await sleep(5000);
	const first = await texts();
	ctx.log?.(JSON.stringify(first));

	// A poll whose result n8n drops: the claim answers slowly, and the workflow is deactivated meanwhile.
	await send('dropped claim');
	await ctx.sim.control('POST', '/faults', { provider: 'smsbridge', pathIncludes: 'pending.php', kind: 'latency', latencyMs: 15_000, times: 0 });
	const before = await claims();
	await waitFor(async () => (await claims()) > before, { timeoutMs: 90_000, what: 'the slow claim' });
	await state.server.deactivateWorkflow(SB_POLLER.id);
	await sleep(20_000);
	await ctx.sim.control('DELETE', '/faults');
	const afterDrop = await texts();
	// The lease (30 s) runs out; activate again: the activation poll claims it anew (attempt 2).
	await sleep(15_000);
	await state.server.activateWorkflow(SB_POLLER.id);
	await waitFor(async () => (await texts()).some((text) => text.startsWith('dropped claim')), { timeoutMs: 150_000, what: 'the dropped claim, after its lease' });
	await sleep(5000);
	const all = await texts();
	ctx.log?.(JSON.stringify({ first, afterDrop, all }));
	const names = all.map((text) => text.split('#')[0]);
	ctx.assert.equal(new Set(names).size, names.length, `a message delivered twice: ${JSON.stringify(all)}`);
	ctx.assert.deepEqual([...names].sort(), ['after activation', 'before activation 1', 'before activation 2', 'dropped claim']);
	ctx.assert.ok(!afterDrop.some((text) => text.startsWith('dropped claim')), 'the dropped claim started an execution while inactive');
	// Claimed by the dropped poll (attempt 1), offered again after its lease (attempt 2).
	ctx.assert.ok(all.includes('dropped claim#2'), JSON.stringify(all));
	await finish(ctx, state, SB_POLLER.id);
}

export const tests = {
	async 'scheduler, MessageFlow: each status change once, nothing from before activation'(ctx) {
		await messageFlowScenario(ctx, { durable: false });
	},
	async 'scheduler with durable cursors, MessageFlow: each status change once, nothing from before activation'(ctx) {
		await messageFlowScenario(ctx, { durable: true });
	},
	async 'scheduler, SMS Bridge: each queued message in one execution; a claim n8n drops comes back after its lease'(ctx) {
		await smsBridgeScenario(ctx);
	},
};
