// "On Error: Continue (using error output)" in real n8n: the node gets a second output and n8n core
// (WorkflowExecute.handleNodeErrorOutput) moves the items it recognises as errors there, merged
// with their input item's fields. These tests send good and bad items through each kind of
// operation and check, per output, which items arrive where, what they say, which input item they
// are paired with, and what the simulator received (nothing twice, nothing for a bad item).
import { SIMULATOR_ACCOUNTS } from './lib/accounts.mjs';

export const needsSimulator = true;

const GW24 = { id: 'ErrOutGw24Token1', name: 'SMSGateway24 token (error output)' };
const MSGFLOW = { id: 'ErrOutMsgFlow001', name: 'MessageFlow (error output)' };
const UGSMS = { id: 'ErrOutUgsmsKey01', name: 'UGSMS API (error output)' };
const PANEL_TOKEN = SIMULATOR_ACCOUNTS.smsGateway24.panelToken;
const MF_KEYS = [SIMULATOR_ACCOUNTS.messageFlow.authorizationKey, SIMULATOR_ACCOUNTS.messageFlow.applicationKey];
const UGSMS_KEY = SIMULATOR_ACCOUNTS.ugsms.apiKey;

const prepared = new WeakSet();

async function setup(ctx) {
	if (prepared.has(ctx.n8n)) return;
	await ctx.n8n.importCredentials([
		{ ...GW24, type: 'smsGateway24Api', data: { authMethod: 'token', apiToken: PANEL_TOKEN, baseUrl: `${ctx.sim.url}/smsgateway24` } },
		{
			...MSGFLOW,
			type: 'messageFlowApi',
			data: { authKey: MF_KEYS[0], applicationApiKey: MF_KEYS[1], baseUrl: `${ctx.sim.url}/messageflow` },
		},
		{ ...UGSMS, type: 'ugsmsApi', data: { apiKey: UGSMS_KEY, baseUrl: `${ctx.sim.url}/ugsms` } },
	]);
	prepared.add(ctx.n8n);
}

/**
 * Manual Trigger → one item per entry of `list` → `node` (set to use the error output) → "Sent"
 * on its first output, "Failed" on its second.
 */
function withErrorOutput(ctx, list, node) {
	return ctx.wf.connect(
		[
			ctx.wf.manualTrigger(),
			{
				name: 'Items',
				type: 'n8n-nodes-base.set',
				typeVersion: 3.4,
				parameters: { mode: 'raw', jsonOutput: JSON.stringify({ list }), options: {} },
			},
			{ name: 'Split', type: 'n8n-nodes-base.splitOut', typeVersion: 1, parameters: { fieldToSplitOut: 'list', options: {} } },
			{ name: 'SMS', type: 'n8n-nodes-sms-gateway.smsGateway', typeVersion: 1, onError: 'continueErrorOutput', ...node },
			{ name: 'Sent', type: 'n8n-nodes-base.noOp', typeVersion: 1, parameters: {}, position: [880, -100] },
			{ name: 'Failed', type: 'n8n-nodes-base.noOp', typeVersion: 1, parameters: {}, position: [880, 100] },
		],
		{
			connections: {
				SMS: {
					main: [[{ node: 'Sent', type: 'main', index: 0 }], [{ node: 'Failed', type: 'main', index: 0 }]],
				},
				Sent: { main: [[]] },
			},
		},
	);
}

function gw24Send(parameters) {
	return {
		credentials: { smsGateway24Api: GW24 },
		parameters: {
			provider: 'smsGateway24',
			resource: 'message',
			operation: 'send',
			recipients: '={{ $json.phone }}',
			message: 'Hello',
			device: { __rl: true, mode: 'id', value: '260' },
			...parameters,
		},
	};
}

/**
 * The node's two outputs, whole items; each also reached the node behind it. No credential value
 * appears in anything n8n printed.
 */
function outputs(ctx, result) {
	ctx.assert.ok(result.ok, `workflow failed: ${JSON.stringify(result.error ?? result.nodeErrors)?.slice(0, 800)}\n${result.stderr.slice(-1500)}`);
	for (const secret of [PANEL_TOKEN, ...MF_KEYS, UGSMS_KEY]) {
		ctx.assert.ok(!result.stdout.includes(secret), 'a credential value appears in the run output');
		ctx.assert.ok(!result.stderr.includes(secret), "a credential value appears in n8n's log");
	}
	const ok = result.items('SMS', { output: 0 });
	const failed = result.items('SMS', { output: 1 });
	ctx.assert.ok(Array.isArray(failed), 'the node has an error output');
	ctx.assert.deepEqual(result.output('Sent') ?? [], ok.map((item) => item.json), 'the success output reached the node behind it');
	ctx.assert.deepEqual(result.output('Failed') ?? [], failed.map((item) => item.json), 'the error output reached the node behind it');
	return { ok, failed };
}

const pairedTo = (items) => items.map((item) => item.pairedItem?.item);

async function received(ctx, provider, pathEnd) {
	return (await ctx.sim.requests()).filter((request) => request.provider === provider && request.path.endsWith(pathEnd));
}

const GOOD = ['+4915752982212', '+4917612345678', '+4915710100003', '+4915710100004'];

export const tests = {
	async 'Send: a bad recipient goes to the error output with the field and the fix, the others are sent'(ctx) {
		await setup(ctx);
		const list = [
			{ name: 'Anna', phone: GOOD[0] },
			{ name: 'Ben', phone: '+49 157 ABC' },
			{ name: 'Cleo', phone: GOOD[1] },
		];
		const { ok, failed } = outputs(ctx, await ctx.n8n.executeWorkflow(withErrorOutput(ctx, list, gw24Send())));
		ctx.assert.deepEqual(pairedTo(ok), [0, 2]);
		ctx.assert.deepEqual(ok.map((item) => [item.json.recipient, item.json.status]), [
			[GOOD[0], 'queued'],
			[GOOD[1], 'queued'],
		]);
		ctx.assert.deepEqual(pairedTo(failed), [1]);
		const [bad] = failed;
		ctx.assert.match(bad.json.error, /^Recipients: "\+49 157 ABC" is not a phone number/);
		ctx.assert.match(bad.json.error, /Use a number such as \+4915752982212/, 'the fix is in the error');
		ctx.assert.equal(bad.json.name, 'Ben', "n8n adds the input item's fields");
		const sends = await received(ctx, 'smsgateway24', '/addsms');
		ctx.assert.deepEqual(sends.map((request) => request.body.sendto), [GOOD[0], GOOD[1]]);
	},

	async 'Send: an unknown device and a refusal by SMSGateway24 go to the error output, nothing is sent twice'(ctx) {
		await setup(ctx);
		// The second send (Cleo's) is refused by the provider: HTTP 200 with error 1.
		await ctx.sim.control('POST', '/faults', {
			provider: 'smsgateway24',
			pathIncludes: 'addsms',
			skip: 1,
			kind: 'status',
			status: 200,
			body: { error: 1, message: 'Not enough credits on the account' },
		});
		const list = [
			{ name: 'Anna', phone: GOOD[0], device: '260' },
			{ name: 'Ben', phone: GOOD[1], device: '999999' },
			{ name: 'Cleo', phone: GOOD[2], device: '260' },
			{ name: 'Dana', phone: GOOD[3], device: '260' },
		];
		const node = gw24Send({ device: { __rl: true, mode: 'id', value: '={{ $json.device }}' } });
		const { ok, failed } = outputs(ctx, await ctx.n8n.executeWorkflow(withErrorOutput(ctx, list, node)));
		ctx.assert.deepEqual(pairedTo(ok), [0, 3]);
		ctx.assert.ok(ok.every((item) => item.json.status === 'queued' && /^\d+$/.test(item.json.messageId)));
		ctx.assert.deepEqual(pairedTo(failed), [1, 2]);
		ctx.assert.match(failed[0].json.error, /^Device: there is no device with ID 999999 in this SMSGateway24 account/);
		ctx.assert.match(failed[0].json.error, /Office Pixel \(\+4915752982212, ID 260\)/, 'the devices there are');
		ctx.assert.equal(failed[0].json.name, 'Ben');
		ctx.assert.match(failed[1].json.error, /Not enough credits on the account/);
		ctx.assert.equal(failed[1].json.name, 'Cleo');
		const sends = await received(ctx, 'smsgateway24', '/addsms');
		ctx.assert.deepEqual(sends.map((request) => request.body.sendto), [GOOD[0], GOOD[2], GOOD[3]], 'each once, none for the unknown device');
	},

	async 'Send Bulk (SMSGateway24): one bad item among twelve goes to the error output, eleven go in one request'(ctx) {
		await setup(ctx);
		const list = Array.from({ length: 12 }, (_, index) => ({ n: index, phone: `+49157101000${String(index).padStart(2, '0')}` }));
		list[5].phone = '0157 1020 0004 4477';
		const node = gw24Send({ operation: 'sendBulk', message: '=Hi no. {{ $json.n }}' });
		const { ok, failed } = outputs(ctx, await ctx.n8n.executeWorkflow(withErrorOutput(ctx, list, node)));
		ctx.assert.deepEqual(pairedTo(ok), [0, 1, 2, 3, 4, 6, 7, 8, 9, 10, 11]);
		ctx.assert.ok(ok.every((item) => item.json.status === 'queued'));
		ctx.assert.deepEqual(pairedTo(failed), [5]);
		ctx.assert.match(failed[0].json.error, /^Recipients: "0157 1020 0004 4477" has no country code/);
		ctx.assert.match(failed[0].json.error, /set the Default Country option/);
		ctx.assert.equal(failed[0].json.n, 5);
		const batches = await received(ctx, 'smsgateway24', '/addalotofsms');
		ctx.assert.equal(batches.length, 1);
		const sent = JSON.parse(batches[0].body.datajson).smsdata;
		ctx.assert.deepEqual(sent.map((entry) => entry.sendto), list.filter((_, index) => index !== 5).map((entry) => entry.phone));
	},

	async 'Send Bulk (MessageFlow): a number the operator refuses goes to the error output, each number is sent once'(ctx) {
		await setup(ctx);
		const phones = ['+48500100200', '+48601234567', '+48500109999', '+48500100300'];
		const list = phones.map((phone, index) => ({ n: index, phone }));
		const node = {
			credentials: { messageFlowApi: MSGFLOW },
			parameters: { provider: 'messageFlow', resource: 'message', operation: 'sendBulk', recipients: '={{ $json.phone }}', sender: 'ACME', message: 'Your order has shipped' },
		};
		const { ok, failed } = outputs(ctx, await ctx.n8n.executeWorkflow(withErrorOutput(ctx, list, node)));
		ctx.assert.deepEqual(pairedTo(ok), [0, 1, 3]);
		ctx.assert.ok(ok.every((item) => item.json.status === 'queued'));
		ctx.assert.deepEqual(pairedTo(failed), [2]);
		ctx.assert.match(failed[0].json.error, /refused \+48500109999: Blocked by operator/);
		ctx.assert.equal(failed[0].json.phone, '+48500109999');
		const posts = (await ctx.sim.requests()).filter((request) => request.provider === 'messageflow' && request.method === 'POST');
		ctx.assert.deepEqual(posts.flatMap((request) => request.body.phoneNumbers).sort(), [...phones].sort());
	},

	async 'Get Status (SMSGateway24): an unknown message ID goes to the error output, a known one to the success output'(ctx) {
		await setup(ctx);
		const sent = outputs(ctx, await ctx.n8n.executeWorkflow(withErrorOutput(ctx, [{ phone: GOOD[0] }], gw24Send())));
		const messageId = sent.ok[0].json.messageId;
		const list = [{ id: messageId }, { id: '999999999' }];
		const node = gw24Send({ operation: 'getStatus', messageId: '={{ $json.id }}' });
		const { ok, failed } = outputs(ctx, await ctx.n8n.executeWorkflow(withErrorOutput(ctx, list, node)));
		ctx.assert.deepEqual(pairedTo(ok), [0]);
		ctx.assert.equal(ok[0].json.messageId, messageId);
		ctx.assert.equal(ok[0].json.status, 'queued');
		ctx.assert.deepEqual(pairedTo(failed), [1]);
		ctx.assert.match(failed[0].json.error, /Sms not found/);
		ctx.assert.match(failed[0].json.error, /999999999/, 'the error names the ID');
		ctx.assert.equal(failed[0].json.id, '999999999');
	},

	async 'Send Bulk (SMSGateway24): a batch answered with HTTP 500 puts its items on the error output, the other batches are sent once'(ctx) {
		await setup(ctx);
		await ctx.sim.control('POST', '/faults', { provider: 'smsgateway24', pathIncludes: 'addalotofsms', kind: 'status', status: 500 });
		const list = Array.from({ length: 25 }, (_, index) => ({ n: index, phone: `+49157101000${String(index).padStart(2, '0')}` }));
		// One batch at a time, so the first (items 0–9) meets the fault.
		const node = gw24Send({ operation: 'sendBulk', message: '=Hi no. {{ $json.n }}', smsGateway24Options: { batchSize: 10, concurrency: 1 } });
		const { ok, failed } = outputs(ctx, await ctx.n8n.executeWorkflow(withErrorOutput(ctx, list, node)));
		ctx.assert.deepEqual(pairedTo(failed), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
		ctx.assert.ok(failed.every((item) => /500/.test(item.json.error)), failed[0].json.error);
		ctx.assert.deepEqual(failed.map((item) => item.json.n), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
		ctx.assert.deepEqual(pairedTo(ok), Array.from({ length: 15 }, (_, index) => index + 10));
		const batches = await received(ctx, 'smsgateway24', '/addalotofsms');
		ctx.assert.deepEqual(batches.map((request) => [request.response?.status, JSON.parse(request.body.datajson).smsdata.length]), [
			[500, 10],
			[200, 10],
			[200, 5],
		]);
		const state = await ctx.sim.control('GET', '/state?provider=smsgateway24');
		ctx.assert.equal(Object.keys(state.messages).length, 15, 'the refused batch was not retried');
	},

	async 'Send Bulk (MessageFlow): the whole request answered with HTTP 500 puts every item on the error output'(ctx) {
		await setup(ctx);
		await ctx.sim.control('POST', '/faults', { provider: 'messageflow', method: 'POST', kind: 'status', status: 500 });
		const list = ['+48500100200', '+48601234567', '+48500100300'].map((phone, index) => ({ n: index, phone }));
		const node = {
			credentials: { messageFlowApi: MSGFLOW },
			parameters: { provider: 'messageFlow', resource: 'message', operation: 'sendBulk', recipients: '={{ $json.phone }}', sender: 'ACME', message: 'Same text for all' },
		};
		const { ok, failed } = outputs(ctx, await ctx.n8n.executeWorkflow(withErrorOutput(ctx, list, node)));
		ctx.assert.equal(ok.length, 0);
		ctx.assert.deepEqual(pairedTo(failed), [0, 1, 2]);
		ctx.assert.deepEqual(failed.map((item) => item.json.phone), list.map((entry) => entry.phone));
		ctx.assert.ok(failed.every((item) => /500/.test(item.json.error)), failed[0].json.error);
		const posts = (await ctx.sim.requests()).filter((request) => request.provider === 'messageflow' && request.method === 'POST');
		ctx.assert.equal(posts.length, 1, 'one request for the three, not repeated');
	},

	async 'a Provider that does not offer the operation: every item on the error output, none on the success output'(ctx) {
		await setup(ctx);
		// n8n's editor can keep the Provider of an earlier operation; UGSMS has no Get Status.
		const node = {
			credentials: { ugsmsApi: UGSMS },
			parameters: { provider: 'ugsms', resource: 'message', operation: 'getStatus', messageId: '={{ $json.id }}' },
		};
		const { ok, failed } = outputs(ctx, await ctx.n8n.executeWorkflow(withErrorOutput(ctx, [{ id: '1' }, { id: '2' }], node)));
		ctx.assert.equal(ok.length, 0, 'the input items are not passed on as if they were results');
		ctx.assert.deepEqual(pairedTo(failed), [0, 1]);
		ctx.assert.ok(
			failed.every((item) => item.json.error === 'UGSMS does not offer message → getStatus. Choose the Provider again: SMSGateway24, SMS Bridge offer it.'),
			failed[0].json.error,
		);
		ctx.assert.deepEqual(failed.map((item) => item.json.id), ['1', '2']);
		ctx.assert.equal((await ctx.sim.requests()).length, 0);
	},
};
