// SMS Bridge in real n8n: idempotent sending by external id, account operations, and the complete
// "n8n as the gateway" loop (claim → deliver through another provider → report), against the simulator.
import fs from 'node:fs';
import path from 'node:path';

import { REPO_ROOT } from '../../scripts/n8n-env.mjs';
import { SIMULATOR_ACCOUNTS, smsGateway24TokenCredential } from './lib/accounts.mjs';

export const needsSimulator = true;

const API_KEY = SIMULATOR_ACCOUNTS.smsBridge.apiKey;
const prepared = new WeakMap();

async function setup(ctx) {
	if (prepared.has(ctx.n8n)) return prepared.get(ctx.n8n);
	await ctx.n8n.importCredentials([
		{ id: 'SmsBridgeSimulat', name: 'SMS Bridge (simulator)', type: 'smsBridgeApi', data: { apiKey: API_KEY, baseUrl: `${ctx.sim.url}/smsbridge/api/v2` } },
		smsGateway24TokenCredential({ id: 'SmsGw24Simulator', name: 'SMSGateway24 (simulator)' }, ctx.sim.url),
	]);
	const dir = path.join(REPO_ROOT, 'examples');
	const examples = fs
		.readdirSync(dir)
		.filter((file) => file.startsWith('smsbridge-'))
		.map((file) => JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')));
	await ctx.n8n.importWorkflow(examples);
	const ids = Object.fromEntries(examples.map((flow) => [flow.name, flow.id]));
	prepared.set(ctx.n8n, ids);
	return ids;
}

function expectOk(ctx, result) {
	ctx.assert.ok(result.ok, `workflow failed: ${JSON.stringify(result.error ?? result.nodeErrors)?.slice(0, 800)}\n${result.stderr.slice(-1500)}`);
	ctx.assert.ok(!result.stdout.includes(API_KEY) && !result.stderr.includes(API_KEY), 'the API key appears in the run output or log');
}

/** Messages put in the SMS Bridge queue straight through its API (the node is not under test here). */
async function queueMessages(ctx, numbers) {
	for (const to of numbers) {
		const answer = await fetch(`${ctx.sim.url}/smsbridge/api/v2/messages/send.php`, {
			method: 'POST',
			headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
			body: JSON.stringify({ to, text: `Queued for ${to}`, sender: 'client' }),
		});
		ctx.assert.equal(answer.status, 201);
	}
}

export const tests = {
	async 'appointment confirmation (example) is sent once, however often the workflow runs'(ctx) {
		const ids = await setup(ctx);
		const id = ids['SMS Bridge: appointment confirmation, sent once'];
		const first = await ctx.n8n.execute(id);
		expectOk(ctx, first);
		const [sent] = first.output('Confirm');
		ctx.assert.equal(sent.status, 'queued');
		ctx.assert.equal(sent.externalId, 'appointment-2026-0042');
		const second = await ctx.n8n.execute(id);
		expectOk(ctx, second);
		const [again] = second.output('Confirm');
		ctx.assert.equal(again.messageId, sent.messageId);
		ctx.assert.equal(again.alreadySent, true);
		const sends = (await ctx.sim.requests()).filter((request) => request.path.endsWith('messages/send.php'));
		ctx.assert.equal(sends.length, 1, 'one send request in two runs');
		ctx.assert.equal(sends[0].headers.authorization, `Bearer ${API_KEY}`);
	},

	async 'n8n as the gateway (example): claim, deliver through SMSGateway24, report back'(ctx) {
		const ids = await setup(ctx);
		// Two messages wait in the SMS Bridge queue; one goes to a number the SMSGateway24 simulator
		// refuses, so its delivery fails and is reported as failed.
		await queueMessages(ctx, ['+48500000011', '+48500000012']);
		await ctx.sim.control('POST', '/faults', { provider: 'smsgateway24', pathIncludes: 'addsms', kind: 'status', status: 500, skip: 1, times: 1 });
		const result = await ctx.n8n.execute(ids['SMS Bridge: n8n as the gateway (claim, deliver, report)']);
		expectOk(ctx, result);
		ctx.assert.equal(result.output('Claim Pending').length, 2);
		const delivered = result.output('Deliver via SMSGateway24');
		ctx.assert.equal(delivered[0].status, 'queued');
		ctx.assert.match(delivered[1].error, /HTTP 500/);
		const reports = result.output('Report Status');
		ctx.assert.deepEqual(reports.map((report) => [report.recipient, report.providerStatus]), [
			['+48500000011', 'sms_sent'],
			['+48500000012', 'failed'],
		]);
		const addsms = (await ctx.sim.requests()).filter((request) => request.path.endsWith('/getdata/addsms'));
		ctx.assert.deepEqual(addsms.map((request) => [request.body.sendto, request.body.body]), [
			['+48500000011', 'Queued for +48500000011'],
			['+48500000012', 'Queued for +48500000012'],
		]);
	},

	async 'n8n as the gateway (example): a report that fails does not keep the others from being reported'(ctx) {
		const ids = await setup(ctx);
		await queueMessages(ctx, ['+48500000021', '+48500000022']);
		// SMS Bridge fails the first status report once: an unreported message would be offered
		// again when its lease ends, and texted a second time by the next run.
		await ctx.sim.control('POST', '/faults', { provider: 'smsbridge', pathIncludes: 'messages/status.php', kind: 'status', status: 500, times: 1 });
		const before = (await ctx.sim.requests()).filter((request) => request.path.endsWith('messages/status.php')).length;
		const result = await ctx.n8n.execute(ids['SMS Bridge: n8n as the gateway (claim, deliver, report)']);
		expectOk(ctx, result);
		const reports = result.output('Report Status');
		ctx.assert.equal(reports.length, 2);
		ctx.assert.match(reports[0].error, /HTTP 500|500/);
		ctx.assert.deepEqual([reports[1].recipient, reports[1].providerStatus], ['+48500000022', 'sms_sent']);
		const statusCalls = (await ctx.sim.requests()).filter((request) => request.path.endsWith('messages/status.php')).slice(before);
		ctx.assert.equal(statusCalls.length, 2);
	},

	async 'key, balance and subscription (example)'(ctx) {
		const ids = await setup(ctx);
		const result = await ctx.n8n.execute(ids['SMS Bridge: key, balance and subscription']);
		expectOk(ctx, result);
		ctx.assert.equal(result.output('Check Key')[0].authenticated, true);
		ctx.assert.equal(result.output('Balance')[0].currency, 'PLN');
		ctx.assert.equal(result.output('Subscription')[0].plan, 'Pro');
	},
};
