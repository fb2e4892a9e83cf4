// The node settings Retry On Fail, Execute Once and Always Output Data in real n8n.
//
// How n8n core runs a node with Retry On Fail (WorkflowExecute.processRunExecutionData, the same on
// 2.40 and 1.123): up to maxTries (2–5) runs of the node with the same input, the same run index and
// the same execution, waitBetweenTries (0–5000 ms) apart,
//   - when the node throws, and
//   - when the node returns and its first output item has a `json.error` (1.x: any value; 2.x: not
//     null or false): with Continue On Fail, or On Error: Continue (using error output), that is an
//     error item, so a run that put out an error item first is run again, and the output of the last
//     try is what the node puts out.
// The package promises that no retry sends a message twice: sends the provider accepted are
// returned as recorded, a send whose answer was lost (it may have gone out) is not made again and
// says so, and a send the provider cannot have acted on (HTTP 500 before storing) may go again.
// These tests make the faults with the simulator and check what it stored and what n8n put out.
import { SIMULATOR_ACCOUNTS } from './lib/accounts.mjs';
import { startSimulatorProcess } from './lib/simulator.mjs';

export const needsSimulator = true;

const GW24 = { id: 'RetryGw24Token01', name: 'SMSGateway24 token (retry)' };
const MSGFLOW = { id: 'RetryMsgFlow0001', name: 'MessageFlow (retry)' };
const PANEL_TOKEN = SIMULATOR_ACCOUNTS.smsGateway24.panelToken;
const MF_KEYS = [SIMULATOR_ACCOUNTS.messageFlow.authorizationKey, SIMULATOR_ACCOUNTS.messageFlow.applicationKey];
const UGSMS_KEY = SIMULATOR_ACCOUNTS.ugsms.apiKey;

const RETRY = { retryOnFail: true, maxTries: 3, waitBetweenTries: 1000 };

const prepared = new WeakSet();

async function setup(ctx) {
	if (prepared.has(ctx.n8n)) return;
	await ctx.n8n.importCredentials([
		{ ...GW24, type: 'smsGateway24Api', data: { authMethod: 'token', apiToken: PANEL_TOKEN, baseUrl: `${ctx.sim.url}/smsgateway24` } },
		{ ...MSGFLOW, type: 'messageFlowApi', data: { authKey: MF_KEYS[0], applicationApiKey: MF_KEYS[1], baseUrl: `${ctx.sim.url}/messageflow` } },
	]);
	prepared.add(ctx.n8n);
}

/**
 * Manual Trigger → one item per entry of `list` → the SMS node (`node`: parameters, credentials,
 * settings) → "Sent" (and "Failed" on the error output when the node uses it).
 */
function flow(ctx, list, node) {
	const errorOutput = node.onError === 'continueErrorOutput';
	return ctx.wf.connect(
		[
			ctx.wf.manualTrigger(),
			{ name: 'Items', type: 'n8n-nodes-base.set', typeVersion: 3.4, parameters: { mode: 'raw', jsonOutput: JSON.stringify({ list }), options: {} } },
			{ name: 'Split', type: 'n8n-nodes-base.splitOut', typeVersion: 1, parameters: { fieldToSplitOut: 'list', options: {} } },
			{ name: 'SMS', type: 'n8n-nodes-sms-gateway.smsGateway', typeVersion: 1, ...node },
			{ name: 'Sent', type: 'n8n-nodes-base.noOp', typeVersion: 1, parameters: {}, position: [880, -100] },
			...(errorOutput ? [{ name: 'Failed', type: 'n8n-nodes-base.noOp', typeVersion: 1, parameters: {}, position: [880, 100] }] : []),
		],
		errorOutput
			? { connections: { SMS: { main: [[{ node: 'Sent', type: 'main', index: 0 }], [{ node: 'Failed', type: 'main', index: 0 }]] }, Sent: { main: [[]] } } }
			: {},
	);
}

function gw24(parameters, settings = {}) {
	return {
		...RETRY,
		...settings,
		credentials: { smsGateway24Api: GW24 },
		parameters: {
			provider: 'smsGateway24',
			resource: 'message',
			operation: 'sendBulk',
			recipients: '={{ $json.phone }}',
			message: '=Hello {{ $json.n }}',
			device: { __rl: true, mode: 'id', value: '260' },
			...parameters,
		},
	};
}

function messageFlow(parameters, settings = {}) {
	return {
		...RETRY,
		...settings,
		credentials: { messageFlowApi: MSGFLOW },
		parameters: { provider: 'messageFlow', resource: 'message', operation: 'sendBulk', recipients: '={{ $json.phone }}', sender: 'ACME', message: 'Your order has shipped', ...parameters },
	};
}

const gw24Phones = (count) => Array.from({ length: count }, (_, index) => `+49157102000${String(index + 10)}`);
const mfPhones = (count) => Array.from({ length: count }, (_, index) => `+4850010020${index}`);
const listOf = (phones) => phones.map((phone, n) => ({ n, phone }));

async function fault(ctx, rule) {
	await ctx.sim.control('POST', '/faults', rule);
}

async function state(ctx, provider) {
	const answer = await ctx.sim.control('GET', `/state?provider=${provider}`);
	return answer[provider] ?? answer;
}

/** The recipients the simulator holds, with how many messages each got. */
async function stored(ctx, provider) {
	const { messages } = await state(ctx, provider);
	const counts = {};
	for (const message of messages) {
		if (message.direction === 'in') continue;
		for (const number of message.normalized ?? [message.sendto ?? message.phoneNumber]) counts[number] = (counts[number] ?? 0) + 1;
	}
	return counts;
}

const once = (phones) => Object.fromEntries(phones.map((phone) => [phone, 1]));

async function received(ctx, provider, pathEnd, method) {
	return (await ctx.sim.requests()).filter(
		(request) => request.provider === provider && request.path.endsWith(pathEnd) && (method === undefined || request.method === method),
	);
}

/** The recipients of each addalotofsms request, in order. */
const batchesOf = (requests) => requests.map((request) => JSON.parse(request.body.datajson).smsdata.map((entry) => entry.sendto));

function expectOk(ctx, result) {
	ctx.assert.ok(result.ok, `workflow failed: ${JSON.stringify(result.error ?? result.nodeErrors)?.slice(0, 800)}\n${result.stderr.slice(-1500)}`);
	noSecrets(ctx, result);
}

function noSecrets(ctx, result) {
	for (const secret of [PANEL_TOKEN, ...MF_KEYS, UGSMS_KEY]) {
		ctx.assert.ok(!result.stdout.includes(secret), 'a credential value appears in the run output');
		ctx.assert.ok(!result.stderr.includes(secret), "a credential value appears in n8n's log");
	}
}

/** The workflow failed at the SMS node: its error, message and description in one text. */
function failedWith(ctx, result) {
	ctx.assert.ok(!result.ok, 'the workflow should fail');
	noSecrets(ctx, result);
	const error = result.nodeErrors.SMS ?? result.error;
	ctx.assert.ok(error, `no error: ${JSON.stringify(result.error)?.slice(0, 400)}`);
	return { message: error.message ?? '', description: error.description ?? '' };
}

const pairedTo = (items) => items.map((item) => item.pairedItem?.item);

export const tests = {
	async 'Send Bulk (SMSGateway24): a batch refused with HTTP 500 goes again on the retry, the accepted batch does not'(ctx) {
		await setup(ctx);
		const phones = gw24Phones(6);
		// Batches of two, one at a time: the second request is answered 500 without being stored.
		await fault(ctx, { provider: 'smsgateway24', pathIncludes: 'addalotofsms', skip: 1, kind: 'status', status: 500 });
		const node = gw24({ smsGateway24Options: { batchSize: 2, concurrency: 1 } });
		const result = await ctx.n8n.executeWorkflow(flow(ctx, listOf(phones), node));
		expectOk(ctx, result);
		const items = result.items('SMS');
		ctx.assert.deepEqual(pairedTo(items), [0, 1, 2, 3, 4, 5]);
		ctx.assert.ok(items.every((item) => item.json.status === 'queued'), JSON.stringify(items.map((item) => item.json)).slice(0, 600));
		const requests = await received(ctx, 'smsgateway24', '/addalotofsms');
		// Try 1: batch 1, batch 2 (500), stopped. Try 2: batch 1 from the record, batch 2, batch 3.
		ctx.assert.deepEqual(batchesOf(requests), [phones.slice(0, 2), phones.slice(2, 4), phones.slice(2, 4), phones.slice(4, 6)]);
		ctx.assert.deepEqual(await stored(ctx, 'smsgateway24'), once(phones));
	},

	async 'Send Bulk (SMSGateway24): a 500, then a lost answer on the retry: the lost batch is not sent again, the node says so'(ctx) {
		await setup(ctx);
		const phones = gw24Phones(8);
		// Request 2 is answered 500 (try 1 stops there); request 4 (batch 3 on try 2) is stored, then the connection drops.
		await fault(ctx, { provider: 'smsgateway24', pathIncludes: 'addalotofsms', skip: 1, kind: 'status', status: 500 });
		await fault(ctx, { provider: 'smsgateway24', pathIncludes: 'addalotofsms', skip: 1, kind: 'drop', afterProcessing: true });
		const node = gw24({ smsGateway24Options: { batchSize: 2, concurrency: 1 } });
		const result = await ctx.n8n.executeWorkflow(flow(ctx, listOf(phones), node));
		const error = failedWith(ctx, result);
		ctx.assert.match(error.message, /^Not sent again: an earlier attempt in this run may already have gone out \(SMSGateway24 gave no answer to "addalotofsms"/);
		ctx.assert.match(`${error.message} ${error.description}`, /Check the provider’s message list/);
		const requests = await received(ctx, 'smsgateway24', '/addalotofsms');
		// Try 3 sends nothing: batches 1 and 2 from the record, batch 3 in doubt stops it.
		ctx.assert.deepEqual(batchesOf(requests), [phones.slice(0, 2), phones.slice(2, 4), phones.slice(2, 4), phones.slice(4, 6)]);
		ctx.assert.deepEqual(await stored(ctx, 'smsgateway24'), once(phones.slice(0, 6)), 'batch 4 never went, nobody got two');
	},

	async 'Send Bulk (MessageFlow): a 500 goes again, a lost answer does not, accepted requests are not repeated'(ctx) {
		await setup(ctx);
		const phones = mfPhones(8);
		await fault(ctx, { provider: 'messageflow', pathIncludes: '/v2.1/sms', method: 'POST', skip: 1, kind: 'status', status: 500 });
		await fault(ctx, { provider: 'messageflow', pathIncludes: '/v2.1/sms', method: 'POST', skip: 1, kind: 'drop', afterProcessing: true });
		const node = messageFlow({ messageFlowOptions: { batchSize: 2, concurrency: 1 } });
		const result = await ctx.n8n.executeWorkflow(flow(ctx, listOf(phones), node));
		const error = failedWith(ctx, result);
		ctx.assert.match(error.message, /^Not sent again: an earlier attempt in this run may already have gone out \(MessageFlow gave no answer/);
		const posts = await received(ctx, 'messageflow', '/v2.1/sms', 'POST');
		ctx.assert.deepEqual(posts.map((request) => request.body.phoneNumbers), [phones.slice(0, 2), phones.slice(2, 4), phones.slice(2, 4), phones.slice(4, 6)]);
		ctx.assert.deepEqual(await stored(ctx, 'messageflow'), once(phones.slice(0, 6)));
	},

	async 'Send to three recipients (SMSGateway24): the 2nd refused with HTTP 500, the retry sends the 2nd and 3rd only'(ctx) {
		await setup(ctx);
		const phones = gw24Phones(3);
		await fault(ctx, { provider: 'smsgateway24', pathIncludes: 'addsms', skip: 1, kind: 'status', status: 500 });
		const node = gw24({ operation: 'send', recipients: phones.join(', '), message: 'Your table is ready' });
		const result = await ctx.n8n.executeWorkflow(flow(ctx, [{ n: 0 }], node));
		expectOk(ctx, result);
		const items = result.output('SMS');
		ctx.assert.deepEqual(items.map((item) => [item.recipient, item.status]), phones.map((phone) => [phone, 'queued']));
		ctx.assert.equal(new Set(items.map((item) => item.messageId)).size, 3);
		const requests = await received(ctx, 'smsgateway24', '/addsms');
		ctx.assert.deepEqual(requests.map((request) => request.body.sendto), [phones[0], phones[1], phones[1], phones[2]]);
		ctx.assert.deepEqual(await stored(ctx, 'smsgateway24'), once(phones));
	},

	async 'Send to three recipients (SMSGateway24): the 2nd answer lost after storing is not sent again, nor is anyone else'(ctx) {
		await setup(ctx);
		const phones = gw24Phones(3);
		await fault(ctx, { provider: 'smsgateway24', pathIncludes: 'addsms', skip: 1, kind: 'drop', afterProcessing: true });
		const node = gw24({ operation: 'send', recipients: phones.join(', '), message: 'Your table is ready' });
		const result = await ctx.n8n.executeWorkflow(flow(ctx, [{ n: 0 }], node));
		const error = failedWith(ctx, result);
		ctx.assert.match(error.message, /^Not sent again: an earlier attempt in this run may already have gone out \(SMSGateway24 gave no answer to "addsms"/);
		ctx.assert.match(error.message, /Check the provider’s message list, then send it on its own if it is missing/);
		ctx.log(`error shown: ${error.message} | ${error.description}`);
		const requests = await received(ctx, 'smsgateway24', '/addsms');
		ctx.assert.deepEqual(requests.map((request) => request.body.sendto), [phones[0], phones[1]]);
		ctx.assert.deepEqual(await stored(ctx, 'smsgateway24'), once(phones.slice(0, 2)));
	},

	async 'Continue On Fail: a bad number as the first item makes n8n run the node again; the others are texted once'(ctx) {
		await setup(ctx);
		const phones = gw24Phones(2);
		const list = [{ n: 0, phone: '+49 157 ABC' }, ...phones.map((phone, index) => ({ n: index + 1, phone }))];
		const node = gw24({ operation: 'send', message: 'Hello' }, { onError: 'continueRegularOutput' });
		const result = await ctx.n8n.executeWorkflow(flow(ctx, list, node));
		expectOk(ctx, result);
		const items = result.items('SMS');
		ctx.assert.deepEqual(pairedTo(items), [0, 1, 2]);
		ctx.assert.match(items[0].json.error, /^Recipients: "\+49 157 ABC" is not a phone number/);
		ctx.assert.ok(items[0].json.description, 'the error item says what to do');
		ctx.assert.deepEqual(items.slice(1).map((item) => [item.json.recipient, item.json.status]), phones.map((phone) => [phone, 'queued']));
		ctx.assert.deepEqual((await received(ctx, 'smsgateway24', '/addsms')).map((request) => request.body.sendto), phones);
		ctx.assert.deepEqual(await stored(ctx, 'smsgateway24'), once(phones));
	},

	async 'Continue On Fail, Send Bulk (SMSGateway24): batch 1 answered 500, batch 3 lost: the retry sends batch 1 only'(ctx) {
		await setup(ctx);
		const phones = gw24Phones(8);
		await fault(ctx, { provider: 'smsgateway24', pathIncludes: 'addalotofsms', kind: 'status', status: 500 });
		await fault(ctx, { provider: 'smsgateway24', pathIncludes: 'addalotofsms', skip: 1, kind: 'drop', afterProcessing: true });
		const node = gw24({ smsGateway24Options: { batchSize: 2, concurrency: 1 } }, { onError: 'continueRegularOutput' });
		const result = await ctx.n8n.executeWorkflow(flow(ctx, listOf(phones), node));
		expectOk(ctx, result);
		const items = result.items('SMS');
		ctx.assert.deepEqual(pairedTo(items), [0, 1, 2, 3, 4, 5, 6, 7]);
		ctx.assert.deepEqual(items.map((item) => item.json.status ?? 'error'), ['queued', 'queued', 'queued', 'queued', 'error', 'error', 'queued', 'queued']);
		for (const item of items.slice(4, 6)) {
			ctx.assert.match(item.json.error, /^Not sent again: an earlier attempt in this run may already have gone out \(SMSGateway24 gave no answer to "addalotofsms"/);
			ctx.assert.equal(item.json.recipient, phones[item.pairedItem.item]);
		}
		const requests = await received(ctx, 'smsgateway24', '/addalotofsms');
		ctx.assert.deepEqual(batchesOf(requests), [phones.slice(0, 2), phones.slice(2, 4), phones.slice(4, 6), phones.slice(6, 8), phones.slice(0, 2)]);
		ctx.assert.deepEqual(await stored(ctx, 'smsgateway24'), once(phones));
	},

	async 'Continue On Fail, Send Bulk (SMSGateway24): batch 1 answered 500, the others accepted: the retry sends batch 1 only'(ctx) {
		await setup(ctx);
		const phones = gw24Phones(6);
		await fault(ctx, { provider: 'smsgateway24', pathIncludes: 'addalotofsms', kind: 'status', status: 500 });
		const node = gw24({ smsGateway24Options: { batchSize: 2, concurrency: 1 } }, { onError: 'continueRegularOutput' });
		const result = await ctx.n8n.executeWorkflow(flow(ctx, listOf(phones), node));
		expectOk(ctx, result);
		const items = result.items('SMS');
		ctx.assert.deepEqual(pairedTo(items), [0, 1, 2, 3, 4, 5]);
		ctx.assert.ok(items.every((item) => item.json.status === 'queued'), JSON.stringify(items.map((item) => item.json)).slice(0, 600));
		const requests = await received(ctx, 'smsgateway24', '/addalotofsms');
		ctx.assert.deepEqual(batchesOf(requests), [phones.slice(0, 2), phones.slice(2, 4), phones.slice(4, 6), phones.slice(0, 2)]);
		ctx.assert.deepEqual(await stored(ctx, 'smsgateway24'), once(phones));
	},

	async 'error output, Send Bulk (MessageFlow): a bad first item and a batch answered 500: each number once, the bad one on the error output'(ctx) {
		await setup(ctx);
		const phones = mfPhones(4);
		const list = [{ n: 0, phone: '0048 ABC' }, ...phones.map((phone, index) => ({ n: index + 1, phone }))];
		// Two requests of two numbers; the second is answered 500 on try 1.
		await fault(ctx, { provider: 'messageflow', pathIncludes: '/v2.1/sms', method: 'POST', skip: 1, kind: 'status', status: 500 });
		const node = messageFlow({ messageFlowOptions: { batchSize: 2, concurrency: 1 } }, { onError: 'continueErrorOutput' });
		const result = await ctx.n8n.executeWorkflow(flow(ctx, list, node));
		expectOk(ctx, result);
		const ok = result.items('SMS', { output: 0 });
		const failed = result.items('SMS', { output: 1 });
		ctx.assert.deepEqual(pairedTo(ok), [1, 2, 3, 4]);
		ctx.assert.ok(ok.every((item) => item.json.status === 'queued'));
		ctx.assert.deepEqual(pairedTo(failed), [0]);
		ctx.assert.match(failed[0].json.error, /^Recipients: "0048 ABC"/);
		ctx.assert.equal(failed[0].json.n, 0, "n8n adds the input item's fields");
		ctx.assert.deepEqual(result.output('Failed').map((item) => item.n), [0]);
		const posts = await received(ctx, 'messageflow', '/v2.1/sms', 'POST');
		// Try 1: both requests (the 2nd answered 500); the bad first item makes n8n run the node again,
		// which sends the 2nd request only; try 3 (still a bad first item) sends nothing.
		ctx.assert.deepEqual(posts.map((request) => request.body.phoneNumbers), [phones.slice(0, 2), phones.slice(2, 4), phones.slice(2, 4)]);
		ctx.assert.deepEqual(await stored(ctx, 'messageflow'), once(phones));
	},

	async 'UGSMS under its rate limit: a request answered 500 goes again, no accepted one does, and no 429'(ctx) {
		// A simulator of its own with a short window (4 requests per 2 s), the node told the same.
		const sim = await startSimulatorProcess({ args: ['--seed', JSON.stringify({ ugsms: { rateLimit: 4, rateWindowMs: 2000 } })] });
		try {
			const credential = { id: 'RetryUgsmsFast01', name: 'UGSMS API (retry, fast window)' };
			await ctx.n8n.importCredentials([{ ...credential, type: 'ugsmsApi', data: { apiKey: UGSMS_KEY, baseUrl: `${sim.url}/ugsms` } }]);
			const phones = Array.from({ length: 8 }, (_, index) => `07720${20000 + index}`);
			await sim.control('POST', '/faults', { provider: 'ugsms', pathIncludes: 'sms/send', skip: 2, kind: 'status', status: 500 });
			const node = {
				...RETRY,
				credentials: { ugsmsApi: credential },
				parameters: {
					provider: 'ugsms',
					authentication: 'apiKey',
					resource: 'message',
					operation: 'sendBulk',
					recipients: '={{ $json.phone }}',
					defaultCountry: 'UG',
					message: '=Dear customer {{ $json.n }}, your bill is due on Friday.',
					ugsmsOptions: { concurrency: 3, rateLimit: 4, rateWindowSeconds: 2 },
				},
			};
			const result = await ctx.n8n.executeWorkflow(flow(ctx, listOf(phones), node));
			expectOk(ctx, result);
			const items = result.items('SMS');
			ctx.assert.deepEqual(pairedTo(items), [0, 1, 2, 3, 4, 5, 6, 7]);
			ctx.assert.ok(items.every((item) => item.json.status === 'sent'), JSON.stringify(items.map((item) => item.json)).slice(0, 600));
			const requests = (await sim.requests()).filter((request) => request.path.endsWith('/sms/send'));
			ctx.assert.equal(requests.filter((request) => request.response?.status === 429).length, 0, 'no 429');
			ctx.assert.equal(requests.filter((request) => request.response?.status === 500).length, 1);
			ctx.assert.equal(requests.length, 9, `${requests.length} requests: ${requests.map((request) => `${request.body.numbers}:${request.response?.status}`).join(' ')}`);
			const { messages, rateLimit } = await sim.control('GET', '/state?provider=ugsms').then((answer) => answer.ugsms ?? answer);
			ctx.assert.equal(rateLimit.rejected, 0);
			const counts = {};
			for (const message of messages) for (const number of message.numbers) counts[number] = (counts[number] ?? 0) + 1;
			ctx.assert.deepEqual(counts, once(phones));
		} finally {
			await sim.stop();
		}
	},

	async 'Execute Once: only the first item is sent'(ctx) {
		await setup(ctx);
		const phones = gw24Phones(3);
		const node = gw24({ operation: 'send' }, { executeOnce: true });
		const result = await ctx.n8n.executeWorkflow(flow(ctx, listOf(phones), node));
		expectOk(ctx, result);
		const items = result.items('SMS');
		ctx.assert.deepEqual(items.map((item) => [item.json.recipient, item.json.status, item.pairedItem?.item]), [[phones[0], 'queued', 0]]);
		ctx.assert.deepEqual((await received(ctx, 'smsgateway24', '/addsms')).map((request) => request.body.sendto), [phones[0]]);
	},

	async 'Always Output Data: Get Many with no match gives one empty item, not a crash'(ctx) {
		await setup(ctx);
		const node = gw24({ operation: 'getMany', returnAll: true, smsGateway24Filters: { phone: '+4915700000099' } }, { alwaysOutputData: true });
		delete node.parameters.recipients;
		delete node.parameters.message;
		delete node.parameters.device;
		const result = await ctx.n8n.executeWorkflow(flow(ctx, [{ n: 0 }], node));
		expectOk(ctx, result);
		ctx.assert.deepEqual(result.output('SMS'), [{}]);
		ctx.assert.deepEqual(result.output('Sent'), [{}]);
		ctx.assert.equal((await received(ctx, 'smsgateway24', '/getallsms')).length, 1);
	},
};
