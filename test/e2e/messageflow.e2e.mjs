// MessageFlow in real n8n: the packed package with its MessageFlow credential (keys in headers)
// and the MessageFlow example workflows, run with `n8n execute` against the simulator.
import fs from 'node:fs';
import path from 'node:path';

import { REPO_ROOT } from '../../scripts/n8n-env.mjs';
import { SIMULATOR_ACCOUNTS } from './lib/accounts.mjs';

export const needsSimulator = true;

const KEYS = { authKey: SIMULATOR_ACCOUNTS.messageFlow.authorizationKey, applicationApiKey: SIMULATOR_ACCOUNTS.messageFlow.applicationKey };
const prepared = new WeakMap();

async function setup(ctx) {
	if (prepared.has(ctx.n8n)) return prepared.get(ctx.n8n);
	await ctx.n8n.importCredentials([
		{ id: 'MsgFlowSimulator', name: 'MessageFlow (simulator)', type: 'messageFlowApi', data: { ...KEYS, baseUrl: `${ctx.sim.url}/messageflow` } },
	]);
	const dir = path.join(REPO_ROOT, 'examples');
	const examples = fs
		.readdirSync(dir)
		.filter((file) => file.startsWith('messageflow-'))
		.map((file) => JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')));
	await ctx.n8n.importWorkflow(examples);
	const ids = Object.fromEntries(examples.map((flow) => [flow.name, flow.id]));
	prepared.set(ctx.n8n, ids);
	return ids;
}

const posts = async (ctx) => (await ctx.sim.requests()).filter((request) => request.provider === 'messageflow' && request.method === 'POST');

function expectOk(ctx, result) {
	ctx.assert.ok(result.ok, `workflow failed: ${JSON.stringify(result.error ?? result.nodeErrors)?.slice(0, 800)}\n${result.stderr.slice(-1500)}`);
	for (const secret of Object.values(KEYS)) {
		ctx.assert.ok(!result.stdout.includes(secret) && !result.stderr.includes(secret), 'a key appears in the run output or log');
	}
}

export const tests = {
	async 'order shipped (example): one request, accepted and refused numbers each get an item'(ctx) {
		const ids = await setup(ctx);
		const result = await ctx.n8n.execute(ids['MessageFlow: order shipped, to several numbers']);
		expectOk(ctx, result);
		const items = result.output('Notify');
		ctx.assert.equal(items.length, 3);
		ctx.assert.deepEqual(items.slice(0, 2).map((item) => [item.recipient, item.status, item.externalId]), [
			['+48500100200', 'queued', 'order-1042'],
			['+48601234567', 'queued', 'order-1042'],
		]);
		ctx.assert.match(items[2].error, /refused \+48500109999: Blocked by operator/);
		const requests = await posts(ctx);
		ctx.assert.equal(requests.length, 1);
		ctx.assert.equal(requests[0].headers.authorization, KEYS.authKey);
		ctx.assert.equal(requests[0].headers['application-key'], KEYS.applicationApiKey);
		ctx.assert.deepEqual(requests[0].body.phoneNumbers, ['+48500100200', '+48601234567', '+48500109999']);
	},

	async 'personalised reminders in bulk (example): 30 items, 30 requests, paired output'(ctx) {
		const ids = await setup(ctx);
		const result = await ctx.n8n.execute(ids['MessageFlow: personalised reminders in bulk']);
		expectOk(ctx, result);
		const items = result.output('Send Reminders');
		ctx.assert.equal(items.length, 30);
		ctx.assert.ok(items.every((item) => item.status === 'queued' && /^\d+$/.test(item.messageId)));
		const requests = await posts(ctx);
		ctx.assert.equal(requests.length, 30);
		const texts = new Set(requests.map((request) => request.body.message));
		ctx.assert.equal(texts.size, 30);
		ctx.assert.ok(texts.has('Hello Patient 30, a reminder of your appointment tomorrow at 14:00.'));
	},

	async 'statuses of the last day (example), empty and after sending'(ctx) {
		const ids = await setup(ctx);
		const empty = await ctx.n8n.execute(ids['MessageFlow: statuses of the last day']);
		expectOk(ctx, empty);
		ctx.assert.equal(empty.output('Statuses').length, 0);
		await ctx.n8n.execute(ids['MessageFlow: order shipped, to several numbers']);
		const listed = await ctx.n8n.execute(ids['MessageFlow: statuses of the last day']);
		expectOk(ctx, listed);
		const items = listed.output('Statuses');
		ctx.assert.equal(items.length, 2);
		ctx.assert.ok(items.every((item) => item.provider === 'messageFlow' && item.sender === 'SHOP'));
	},
};
