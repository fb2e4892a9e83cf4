// The trigger nodes in a real `n8n start`: SMS Gateway Trigger workflows activated and called on
// /webhook/<webhookId>/sms, by the simulator's providers and directly (valid, refused, not JSON,
// duplicated); SMS Gateway Poll Trigger workflows polling the simulator every minute, across an
// n8n restart; both trigger examples. Assertions read the executions n8n recorded.
import fs from 'node:fs';
import path from 'node:path';

import { REPO_ROOT } from '../../scripts/n8n-env.mjs';
import { sleep, waitFor } from './lib/proc.mjs';
import { SIMULATOR_ACCOUNTS } from './lib/accounts.mjs';
import { executionsOf, itemsOf, waitForEndedExecutions } from './lib/executions.mjs';

export const needsSimulator = true;

const SECRET = 'e2e-header-secret-4f9a2c7d';
const BASIC = { user: 'mf-hooks', password: 'e2e-basic-pass-8b1e6d3a' };
const PANEL_TOKEN = SIMULATOR_ACCOUNTS.smsGateway24.panelToken;
const MF_KEYS = { authKey: SIMULATOR_ACCOUNTS.messageFlow.authorizationKey, applicationApiKey: SIMULATOR_ACCOUNTS.messageFlow.applicationKey };
const SECRETS = [SECRET, BASIC.password, PANEL_TOKEN, MF_KEYS.authKey, MF_KEYS.applicationApiKey, SIMULATOR_ACCOUNTS.smsGateway24.password];

const CRED = {
	header: { id: 'SmsGwWebhookHdr1', name: 'SMS Gateway webhook secret' },
	basic: { id: 'SmsGwWebhookBas1', name: 'SMS Gateway webhook basic auth' },
	sg24: { id: 'SmsGw24Simulator', name: 'SMSGateway24 (simulator)' },
	mf: { id: 'MsgFlowSimulator', name: 'MessageFlow (simulator)' },
};

const HOOK = {
	sg24: 'b0e4a6f2-1c3d-4e5f-8a9b-0c1d2e3f4a51',
	mf: 'b0e4a6f2-1c3d-4e5f-8a9b-0c1d2e3f4a52',
	example: '5d7c2a1e-8f43-4b6a-9c0d-2e1f3a4b5c6d',
};
const ALL_EVENTS = ['received', 'delivered', 'undelivered', 'failed', 'sent', 'sending', 'queued', 'unknown'];

const example = (file) => JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'examples', file), 'utf8'));

function triggerWorkflow(id, name, node) {
	return {
		id,
		name,
		nodes: [{ id: `${id}-node`, position: [0, 0], typeVersion: 1, ...node }],
		connections: {},
		settings: { executionOrder: 'v1' },
		active: false,
	};
}

const WORKFLOWS = {
	sg24Hook: triggerWorkflow('TrigE2eSg24Hook1', 'e2e: SMSGateway24 webhook, every event', {
		name: 'SMSGateway24 Events',
		type: 'n8n-nodes-sms-gateway.smsGatewayTrigger',
		webhookId: HOOK.sg24,
		parameters: { provider: 'smsGateway24', authentication: 'headerAuth', events: ALL_EVENTS },
		credentials: { smsGatewayWebhookHeaderAuthApi: CRED.header },
	}),
	mfHook: triggerWorkflow('TrigE2eMfHook001', 'e2e: MessageFlow webhook, basic auth', {
		name: 'MessageFlow Events',
		type: 'n8n-nodes-sms-gateway.smsGatewayTrigger',
		webhookId: HOOK.mf,
		parameters: { provider: 'messageFlow', authentication: 'basicAuth' },
		credentials: { smsGatewayWebhookBasicAuthApi: CRED.basic },
	}),
	sg24Poll: triggerWorkflow('TrigE2eSg24Poll1', 'e2e: SMSGateway24 poll', {
		name: 'SMSGateway24 Poll',
		type: 'n8n-nodes-sms-gateway.smsGatewayPollTrigger',
		parameters: { pollTimes: { item: [{ mode: 'everyMinute' }] }, provider: 'smsGateway24', events: ['received', 'delivered', 'failed', 'undelivered'] },
		credentials: { smsGateway24Api: CRED.sg24 },
	}),
	mfPoll: triggerWorkflow('TrigE2eMfPoll001', 'e2e: MessageFlow poll', {
		name: 'MessageFlow Poll',
		type: 'n8n-nodes-sms-gateway.smsGatewayPollTrigger',
		parameters: {
			pollTimes: { item: [{ mode: 'everyMinute' }] },
			provider: 'messageFlow',
			events: ['delivered', 'expired', 'failed', 'undelivered'],
			options: { statusCodes: '4=delivered, 5=undelivered, 6=expired, 7=failed' },
		},
		credentials: { messageFlowApi: CRED.mf },
	}),
	deliveryExample: example('trigger-delivery-reports.json'),
	autoReplyExample: example('trigger-auto-reply.json'),
};

// One `n8n start` per line, shared by the tests of this file; `after` stops it.
const states = new WeakMap();

async function setup(ctx) {
	if (states.has(ctx.n8n)) return states.get(ctx.n8n);
	await ctx.n8n.importCredentials([
		{ ...CRED.header, type: 'smsGatewayWebhookHeaderAuthApi', data: { name: 'X-Webhook-Secret', secret: SECRET } },
		{ ...CRED.basic, type: 'smsGatewayWebhookBasicAuthApi', data: BASIC },
		{ ...CRED.sg24, type: 'smsGateway24Api', data: { authMethod: 'emailPassword', email: SIMULATOR_ACCOUNTS.smsGateway24.email, password: SIMULATOR_ACCOUNTS.smsGateway24.password, baseUrl: `${ctx.sim.url}/smsgateway24` } },
		{ ...CRED.mf, type: 'messageFlowApi', data: { ...MF_KEYS, baseUrl: `${ctx.sim.url}/messageflow` } },
	]);
	await ctx.n8n.importWorkflow(Object.values(WORKFLOWS));
	const server = await ctx.n8n.start();
	await server.setupOwner();
	const state = { server };
	states.set(ctx.n8n, state);
	return state;
}

export async function after({ n8n }) {
	const state = states.get(n8n);
	states.delete(n8n);
	if (state?.server) await state.server.stop();
}

/** Activates a workflow and waits until its trigger webhook answers (registration is asynchronous on 2.x). */
async function activate(server, id, hookIds = []) {
	const paths = hookIds.map((hookId) => ({ path: `${hookId}/sms`, method: 'POST' }));
	await server.activateWorkflow(id, { webhooks: paths });
	for (const { path: hookPath } of paths) {
		await waitFor(
			async () => {
				const res = await fetch(`${server.baseUrl}/webhook/${hookPath}`, { method: 'PATCH' });
				const text = await res.text();
				return res.status !== 404 || /Did you mean/.test(text);
			},
			{ timeoutMs: 30_000, intervalMs: 200, what: `webhook ${hookPath}` },
		);
	}
}

/**
 * Waits until the workflow has at least `count` ended executions; returns them oldest first, with
 * the items `nodeName` emitted in them. This suite's waits for executions give up after 30 s unless
 * a test says otherwise (lib/executions.mjs waits 60 s when not told).
 */
async function eventsOf(server, workflowId, nodeName, count, { timeoutMs = 30_000 } = {}) {
	const executions = await waitForEndedExecutions(server, workflowId, count, { timeoutMs });
	const events = [];
	for (const execution of executions) events.push(...(await itemsOf(server, execution.id, nodeName)));
	return { executions, events };
}

/** Sends an SMS straight through the simulator's SMSGateway24 API (form fields, + encoded). */
async function sg24Send(ctx, sendto, body = 'Hello from e2e') {
	const res = await fetch(`${ctx.sim.url}/smsgateway24/getdata/addsms`, {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ token: PANEL_TOKEN, sendto, body, device_id: '260', sim: '0' }).toString(),
	});
	const answer = await res.json();
	ctx.assert.equal(answer.error, 0, JSON.stringify(answer));
	return String(answer.sms_id);
}

async function mfSend(ctx, phoneNumbers) {
	const res = await fetch(`${ctx.sim.url}/messageflow/v2.1/sms`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', authorization: MF_KEYS.authKey, 'application-key': MF_KEYS.applicationApiKey },
		body: JSON.stringify({ sender: 'SHOP', message: 'Your order has shipped', phoneNumbers }),
	});
	ctx.assert.equal(res.status, 201);
	return (await res.json()).data.map((entry) => entry.smsId);
}

const hookUrl = (server, hookId) => `${server.baseUrl}/webhook/${hookId}/sms`;
const basicHeader = (user, password) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

function expectNoSecrets(ctx, server, values) {
	const text = JSON.stringify(values) + server.output();
	for (const secret of SECRETS) ctx.assert.ok(!text.includes(secret), 'a secret appears in execution data or n8n’s log');
}

export const tests = {
	async 'webhook: SMSGateway24 delivery steps and incoming text/image from the simulator; a wrong secret starts nothing'(ctx) {
		const { server } = await setup(ctx);
		await activate(server, WORKFLOWS.sg24Hook.id, [HOOK.sg24]);
		const before = (await executionsOf(server, WORKFLOWS.sg24Hook.id)).length;

		// A panel with the wrong secret: refused, nothing recorded.
		await ctx.sim.control('POST', '/webhooks', { provider: 'smsgateway24', incomingUrl: hookUrl(server, HOOK.sg24), headers: { 'X-Webhook-Secret': 'not-the-secret' } });
		await ctx.sim.control('POST', '/incoming', { provider: 'smsgateway24', from: '+4917600000009', body: 'refused' });
		await waitFor(async () => (await ctx.sim.control('GET', '/webhooks')).deliveries[0]?.status !== undefined, { what: 'refused delivery' });
		ctx.assert.equal((await ctx.sim.control('GET', '/webhooks')).deliveries[0].status, 401);

		await ctx.sim.control('POST', '/webhooks', {
			provider: 'smsgateway24',
			deliveryUrl: hookUrl(server, HOOK.sg24),
			incomingUrl: hookUrl(server, HOOK.sg24),
			headers: { 'X-Webhook-Secret': SECRET },
		});
		const id = await sg24Send(ctx, '+4915112345678');
		await ctx.sim.control('POST', '/advance', { steps: 4, provider: 'smsgateway24' });
		await ctx.sim.control('POST', '/incoming', { provider: 'smsgateway24', from: '+4917600000001', body: 'STOP', deviceId: 260 });
		await ctx.sim.control('POST', '/incoming', { provider: 'smsgateway24', from: '+4917600000002', imageUrl: 'https://example.test/cat.jpg', deviceId: 260 });
		const { events } = await eventsOf(server, WORKFLOWS.sg24Hook.id, 'SMSGateway24 Events', before + 6);
		const fresh = events.slice(-6);
		const statuses = fresh.filter((event) => event.event === 'status');
		// The provider posts each step as it happens, concurrently: they may arrive in any order.
		const byCode = (a, b) => a[2] - b[2];
		ctx.assert.deepEqual(statuses.map((event) => [event.messageId, event.status, event.providerStatus]).sort(byCode), [
			[id, 'sending', 2],
			[id, 'queued', 3],
			[id, 'sent', 6],
			[id, 'delivered', 7],
		]);
		const received = fresh.filter((event) => event.event === 'received');
		ctx.assert.deepEqual(received.map((event) => [event.sender, event.text, event.imageUrl ?? null]).sort(), [
			['+4917600000001', 'STOP', null],
			['+4917600000002', '', 'https://example.test/cat.jpg'],
		]);
		ctx.assert.ok(received.every((event) => event.provider === 'smsGateway24' && event.deviceId === '260'));
		const deliveries = (await ctx.sim.control('GET', '/webhooks')).deliveries;
		ctx.assert.ok(deliveries.slice(1).every((delivery) => delivery.status === 200), JSON.stringify(deliveries.map((d) => d.status)));
		expectNoSecrets(ctx, server, events);
	},

	async 'webhook: MessageFlow reports and 2-way messages; duplicates, wrong auth, non-JSON and foreign JSON start nothing'(ctx) {
		const { server } = await setup(ctx);
		await activate(server, WORKFLOWS.mfHook.id, [HOOK.mf]);
		const workflowId = WORKFLOWS.mfHook.id;
		const before = (await executionsOf(server, workflowId)).length;
		const auth = { authorization: basicHeader(BASIC.user, BASIC.password) };

		// Through the simulator: the panel's URLs with basic auth.
		await ctx.sim.control('POST', '/webhooks', { provider: 'messageflow', deliveryUrl: hookUrl(server, HOOK.mf), incomingUrl: hookUrl(server, HOOK.mf), basicAuth: { username: BASIC.user, password: BASIC.password } });
		const [delivered, expired] = await mfSend(ctx, ['+48500100200', '+48500100000']);
		await ctx.sim.control('POST', '/advance', { steps: 3, provider: 'messageflow' });
		await ctx.sim.control('POST', '/incoming', { provider: 'messageflow', from: '+48500100200', body: 'TAK' });
		const { events } = await eventsOf(server, workflowId, 'MessageFlow Events', before + 3);
		const byKind = Object.fromEntries(events.slice(-3).map((event) => [event.event === 'received' ? 'received' : event.messageId, event]));
		ctx.assert.equal(byKind[delivered].status, 'delivered');
		ctx.assert.equal(byKind[expired].status, 'expired');
		ctx.assert.equal(byKind.received.text, 'TAK');
		ctx.assert.equal(byKind.received.sender, '+48500100200');

		// Posted directly: a valid report starts one execution, its copy none.
		const report = { event: 'sms.dlr', smsId: '7199999999', phoneNumber: '+48500100299', status: 5, statusName: 'Undelivered', statusTime: '2026-11-23 16:55:10' };
		const first = await server.webhook(`${HOOK.mf}/sms`, { body: report, headers: auth });
		ctx.assert.equal(first.status, 200);
		await waitForEndedExecutions(server, workflowId, before + 4, { timeoutMs: 30_000 });
		const copy = await server.webhook(`${HOOK.mf}/sms`, { body: report, headers: auth });
		ctx.assert.equal(copy.status, 200);
		ctx.assert.equal((await copy.json()).status, 'duplicate');

		const wrong = await server.webhook(`${HOOK.mf}/sms`, { body: { ...report, smsId: '7199999998' }, headers: { authorization: basicHeader(BASIC.user, 'wrong-password') } });
		ctx.assert.equal(wrong.status, 401);
		ctx.assert.match(wrong.headers.get('www-authenticate') ?? '', /^Basic realm=/);
		const none = await server.webhook(`${HOOK.mf}/sms`, { body: { ...report, smsId: '7199999997' } });
		ctx.assert.equal(none.status, 401);
		const text = await server.webhook(`${HOOK.mf}/sms`, { body: 'hello', headers: { ...auth, 'content-type': 'text/plain' } });
		ctx.assert.equal(text.status, 400);
		const broken = await server.webhook(`${HOOK.mf}/sms`, { body: '{"smsId": "1", ', headers: { ...auth, 'content-type': 'application/json' } });
		// n8n's body parser refuses it (422) before the node runs.
		ctx.assert.equal(broken.status, 422);
		const foreign = await server.webhook(`${HOOK.mf}/sms`, { body: { hello: 'world' }, headers: auth });
		ctx.assert.equal(foreign.status, 400);
		ctx.assert.match((await foreign.json()).error, /Not a MessageFlow event/);

		// Nothing of the refused requests became an execution (give n8n a moment to prove it).
		await sleep(1500);
		const after = await executionsOf(server, workflowId);
		ctx.assert.equal(after.length, before + 4, `executions: ${after.length - before} new`);
		ctx.assert.ok(after.every((execution) => execution.status !== 'error'), 'an execution failed');
		expectNoSecrets(ctx, server, events);
	},

	async 'webhook abuse: a burst of 1,000 requests from 10 concurrent senders starts exactly the valid, new events'(ctx) {
		const { server } = await setup(ctx);
		await activate(server, WORKFLOWS.sg24Hook.id, [HOOK.sg24]);
		const workflowId = WORKFLOWS.sg24Hook.id;
		const before = (await executionsOf(server, workflowId)).length;
		const good = { 'X-Webhook-Secret': SECRET };
		const report = (id) => ({ sms_id: 93000000 + id, status_id: 7, status_message: 'Delivered', sendto: '+4915112345678', senttime: null, channel_id: 0, device_id: 260 });
		// Each sender: 2 new valid reports, each sent twice (the copy is a provider retry), and 96
		// refusable requests — wrong secret, no secret, not JSON, oversized — in a fixed rotation.
		const requestsOf = (sender) =>
			Array.from({ length: 100 }, (_, index) => {
				if (index < 4) return { body: report(sender * 2 + (index % 2)), headers: good, expect: [200] };
				switch (index % 4) {
					case 0:
						return { body: report(5000 + sender * 100 + index), headers: { 'X-Webhook-Secret': 'wrong-secret-value' }, expect: [401] };
					case 1:
						return { body: report(6000 + sender * 100 + index), headers: {}, expect: [401] };
					case 2:
						return { body: 'not json at all', headers: { ...good, 'content-type': 'text/plain' }, expect: [400] };
					default:
						return { body: JSON.stringify({ ...report(7000 + sender * 100 + index), padding: 'x'.repeat(80 * 1024) }), headers: { ...good, 'content-type': 'application/json' }, expect: [413] };
				}
			});
		const started = Date.now();
		const outcomes = await Promise.all(
			Array.from({ length: 10 }, async (_, sender) => {
				const seen = [];
				for (const request of requestsOf(sender)) {
					const answer = await server.webhook(`${HOOK.sg24}/sms`, { body: request.body, headers: request.headers });
					await answer.arrayBuffer();
					seen.push({ status: answer.status, expect: request.expect });
				}
				return seen;
			}),
		);
		const all = outcomes.flat();
		ctx.log(`1,000 requests answered in ${((Date.now() - started) / 1000).toFixed(1)} s`);
		ctx.assert.equal(all.length, 1000);
		const unexpected = all.filter((outcome) => !outcome.expect.includes(outcome.status));
		ctx.assert.deepEqual(unexpected.slice(0, 5), [], `${unexpected.length} unexpected answers`);
		// 20 distinct valid reports: exactly 20 executions, whatever the order the copies arrived in.
		await waitForEndedExecutions(server, workflowId, before + 20, { timeoutMs: 120_000 });
		await sleep(2000);
		const after = await executionsOf(server, workflowId);
		ctx.assert.equal(after.length, before + 20, `executions: ${after.length - before} new`);
	},

	async 'webhook credentials: the Test button checks the secrets'(ctx) {
		const { server } = await setup(ctx);
		const test = async (type, data) => {
			const created = await server.rest('POST', '/credentials', { name: `${type} ${Date.now()}`, type, data });
			ctx.assert.ok(created.status < 300, JSON.stringify(created.body).slice(0, 300));
			const { id, name } = created.body.data ?? created.body;
			const answer = await server.rest('POST', '/credentials/test', { credentials: { id, name, type, data } });
			return answer.body.data ?? answer.body;
		};
		ctx.assert.equal((await test('smsGatewayWebhookHeaderAuthApi', { name: 'X-Webhook-Secret', secret: SECRET })).status, 'OK');
		const short = await test('smsGatewayWebhookHeaderAuthApi', { name: 'X-Webhook-Secret', secret: 'short' });
		ctx.assert.equal(short.status, 'Error');
		ctx.assert.match(short.message, /shorter than 12/);
		ctx.assert.equal((await test('smsGatewayWebhookBasicAuthApi', BASIC)).status, 'OK');
	},

	async 'example: delivery reports flag the failed message'(ctx) {
		const { server } = await setup(ctx);
		const workflowId = WORKFLOWS.deliveryExample.id;
		await activate(server, workflowId, [HOOK.example]);
		const before = (await executionsOf(server, workflowId)).length;
		await ctx.sim.control('POST', '/webhooks', { provider: 'smsgateway24', deliveryUrl: hookUrl(server, HOOK.example), headers: { 'X-Webhook-Secret': SECRET } });
		const ok = await sg24Send(ctx, '+4915112345678');
		const failed = await sg24Send(ctx, '+4915100000000');
		await ctx.sim.control('POST', '/advance', { steps: 5, provider: 'smsgateway24' });
		const executions = await waitForEndedExecutions(server, workflowId, before + 2, { timeoutMs: 30_000 });
		const marked = [];
		for (const execution of executions.slice(-2)) {
			ctx.assert.equal(execution.status ?? 'success', 'success');
			marked.push(...(await itemsOf(server, execution.id, 'Mark Failed Deliveries')));
		}
		const byId = Object.fromEntries(marked.map((item) => [item.messageId, item]));
		ctx.assert.equal(byId[ok].needsFollowUp, false);
		ctx.assert.equal(byId[ok].status, 'delivered');
		ctx.assert.equal(byId[failed].needsFollowUp, true);
		ctx.assert.match(byId[failed].note, /^\+4915100000000: failed/);
		// The intermediate steps (queued, sending, sent) are filtered out: two executions only.
		await sleep(1000);
		ctx.assert.equal((await executionsOf(server, workflowId)).length, before + 2);
		await server.deactivateWorkflow(workflowId);
	},

	async 'polling: each new event once, every minute and across a restart; auto-reply example answers'(ctx) {
		const state = await setup(ctx);
		let { server } = state;
		const ids = { sg24: WORKFLOWS.sg24Poll.id, mf: WORKFLOWS.mfPoll.id, reply: WORKFLOWS.autoReplyExample.id };
		// Messages that exist before activation are history: not reported.
		await ctx.sim.control('POST', '/incoming', { provider: 'smsgateway24', from: '+4917600000000', body: 'before activation' });
		for (const id of Object.values(ids)) await activate(server, id);
		// n8n 2.x activates in the background: wait for each workflow's first poll (which only
		// remembers what exists) before anything happens, or it would count as history. The
		// simulator cannot tell two of them apart (both poll SMSGateway24 with one credential), so
		// the wait reads each workflow's static data: n8n saves the cursor once the poll is done.
		const cursorSaved = async (id) => {
			const { staticData } = await server.getWorkflow(id);
			const data = typeof staticData === 'string' ? JSON.parse(staticData) : (staticData ?? {});
			return Object.entries(data).some(([key, value]) => key.startsWith('node:') && Object.keys(value ?? {}).length > 0);
		};
		const firstPollsDone = async () => (await Promise.all(Object.values(ids).map(cursorSaved))).every(Boolean);
		await waitFor(firstPollsDone, { timeoutMs: 30_000, what: 'the activation polls' });
		const count = async (id) => (await executionsOf(server, id)).length;
		const start = { sg24: await count(ids.sg24), mf: await count(ids.mf), reply: await count(ids.reply) };

		await ctx.sim.control('POST', '/incoming', { provider: 'smsgateway24', from: '+4917600000001', body: 'Is the shop open today?', deviceId: 260 });
		const sent = await sg24Send(ctx, '+4915100001111');
		const [mfDelivered, mfFailed] = await mfSend(ctx, ['+48500100200', '+48500103333']);
		await ctx.sim.control('POST', '/advance', { steps: 5 });

		// The next tick (every minute, at a random second) finds them all.
		const sg24 = await eventsOf(server, ids.sg24, 'SMSGateway24 Poll', start.sg24 + 1, { timeoutMs: 150_000 });
		const sg24Events = sg24.events.map((event) => `${event.event}:${event.sender ?? event.recipient}:${event.status}`).sort();
		ctx.assert.deepEqual(sg24Events, ['received:+4917600000001:received', 'status:+4915100001111:undelivered']);
		ctx.assert.equal(sg24.events.find((event) => event.event === 'status').messageId, sent);
		const mf = await eventsOf(server, ids.mf, 'MessageFlow Poll', start.mf + 1, { timeoutMs: 150_000 });
		ctx.assert.deepEqual(mf.events.map((event) => [event.messageId, event.status]).sort(), [
			[mfDelivered, 'delivered'],
			[mfFailed, 'failed'],
		].sort());
		const reply = await eventsOf(server, ids.reply, 'Reply', start.reply + 1, { timeoutMs: 150_000 });
		ctx.assert.equal(reply.events.length, 1);
		ctx.assert.equal(reply.events[0].recipient, '+4917600000001');
		ctx.assert.equal(reply.events[0].status, 'queued');
		const replies = (await ctx.sim.requests()).filter((request) => request.path.endsWith('/getdata/addsms') && request.body.body?.startsWith('Thank you'));
		ctx.assert.equal(replies.length, 1);
		ctx.assert.equal(replies[0].body.device_id, '260');
		// The auto-reply listens for Message Received alone: its polls ask getallsms for incoming
		// messages only (status 5); the SMSGateway24 Poll workflow, with other events, for all.
		const lists = (await ctx.sim.requests()).filter((request) => request.path.endsWith('/getdata/getallsms'));
		ctx.assert.deepEqual([...new Set(lists.map((request) => request.body.status ?? 'all'))].sort(), ['5', 'all']);

		// n8n stops; a message arrives meanwhile; n8n starts again and its first poll (at start-up)
		// reports that message only: the cursor survived in the static data.
		await server.stop();
		await ctx.sim.control('POST', '/incoming', { provider: 'smsgateway24', from: '+4917600000002', body: 'while n8n was down' });
		server = await ctx.n8n.start();
		state.server = server;
		await server.login();
		const afterRestart = await eventsOf(server, ids.sg24, 'SMSGateway24 Poll', start.sg24 + 2, { timeoutMs: 90_000 });
		ctx.assert.deepEqual(afterRestart.events.slice(-1).map((event) => [event.sender, event.text]), [['+4917600000002', 'while n8n was down']]);
		// Give the polls after the restart time to repeat something, if they would.
		await sleep(5000);
		const finalSg24 = await eventsOf(server, ids.sg24, 'SMSGateway24 Poll', start.sg24 + 2);
		const keys = finalSg24.events.map((event) => `${event.messageId}:${event.status}`);
		ctx.assert.equal(new Set(keys).size, keys.length, `an event was emitted twice: ${keys.join(', ')}`);
		ctx.assert.ok(!finalSg24.events.some((event) => event.text === 'before activation'));
		ctx.assert.equal(await count(ids.mf), start.mf + 1, 'MessageFlow: nothing new after the restart');
		const replyAfter = await waitForEndedExecutions(server, ids.reply, start.reply + 2, { timeoutMs: 30_000 });
		ctx.assert.equal(replyAfter.length, start.reply + 2, 'the auto-reply answered the message that came while n8n was down');
		expectNoSecrets(ctx, server, [...finalSg24.events, ...mf.events]);
		for (const id of Object.values(ids)) await server.deactivateWorkflow(id);
	},
};
