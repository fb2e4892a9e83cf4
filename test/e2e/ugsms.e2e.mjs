// UGSMS in real n8n: the packed package with both UGSMS credentials (API key in X-API-Key for v2;
// username and password in the body for v1) and the UGSMS example workflows, run with `n8n execute`
// against the simulator. One test runs a second simulator with a 2-second rate-limit window, so the
// node's pacing (n8n-workflow's sleep inside real n8n) is checked against the simulator's count.
import fs from 'node:fs';
import path from 'node:path';

import { REPO_ROOT } from '../../scripts/n8n-env.mjs';
import { startSimulatorProcess } from './lib/simulator.mjs';
import { SIMULATOR_ACCOUNTS } from './lib/accounts.mjs';

export const needsSimulator = true;

const API_KEY = SIMULATOR_ACCOUNTS.ugsms.apiKey;
const LOGIN = { username: SIMULATOR_ACCOUNTS.ugsms.username, password: SIMULATOR_ACCOUNTS.ugsms.password };
const KEY_CREDENTIAL = { id: 'UgsmsApiKeySimul', name: 'UGSMS API (simulator)' };
const ACCOUNT_CREDENTIAL = { id: 'UgsmsAccountSimu', name: 'UGSMS Account (simulator)' };

const prepared = new WeakMap();

function examples() {
	const dir = path.join(REPO_ROOT, 'examples');
	return fs
		.readdirSync(dir)
		.filter((file) => file.startsWith('ugsms-') && file.endsWith('.json'))
		.map((file) => JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')));
}

async function setup(ctx) {
	if (prepared.has(ctx.n8n)) return prepared.get(ctx.n8n);
	const baseUrl = `${ctx.sim.url}/ugsms`;
	await ctx.n8n.importCredentials([
		{ ...KEY_CREDENTIAL, type: 'ugsmsApi', data: { apiKey: API_KEY, baseUrl } },
		{ ...ACCOUNT_CREDENTIAL, type: 'ugsmsAccountApi', data: { ...LOGIN, baseUrl } },
	]);
	const flows = examples();
	await ctx.n8n.importWorkflow(flows);
	const ids = Object.fromEntries(flows.map((flow) => [flow.name, flow.id]));
	prepared.set(ctx.n8n, ids);
	return ids;
}

const sends = async (sim) => (await sim.requests()).filter((request) => request.provider === 'ugsms' && request.path.endsWith('/sms/send'));

function expectOk(ctx, result, secrets = [API_KEY, LOGIN.password]) {
	ctx.assert.ok(result.ok, `workflow failed: ${JSON.stringify(result.error ?? result.nodeErrors)?.slice(0, 800)}\n${result.stderr.slice(-1500)}`);
	for (const secret of secrets) {
		ctx.assert.ok(!result.stdout.includes(secret), 'a credential value appears in the run output');
		ctx.assert.ok(!result.stderr.includes(secret), "a credential value appears in n8n's log");
	}
}

export const tests = {
	async 'parcel notice (example): one v2 request, the refused landline found and named, the others sent'(ctx) {
		const ids = await setup(ctx);
		const result = await ctx.n8n.execute(ids['UGSMS: parcel notice to several numbers (API key)']);
		expectOk(ctx, result);
		const items = result.output('Notify');
		ctx.assert.equal(items.length, 4);
		ctx.assert.deepEqual(items.map((item) => item.error ?? item.recipient), [
			'+256701234567',
			'+256712345678',
			'Recipients: UGSMS refused +256414123456 (sent as 0414123456): Invalid phone number format.',
			'+256772123456',
		]);
		const sent = items.filter((item) => !item.error);
		ctx.assert.ok(sent.every((item) => item.status === 'sent' && item.senderId === 'MYSHOP' && item.messageId));
		const requests = await sends(ctx.sim);
		ctx.assert.equal(requests[0].headers['x-api-key'], API_KEY);
		ctx.assert.equal(requests[0].body.numbers, '0701234567,0712345678,0414123456,0772123456');
		const accepted = requests.filter((request) => request.response?.status === 200).flatMap((request) => request.body.numbers.split(','));
		ctx.assert.deepEqual(accepted.sort(), ['0701234567', '0712345678', '0772123456']);
	},

	async 'bill reminders (example): 30 personalised texts, 30 requests, paired output'(ctx) {
		const ids = await setup(ctx);
		const result = await ctx.n8n.execute(ids['UGSMS: personalised bill reminders in bulk']);
		expectOk(ctx, result);
		const items = result.output('Send Reminders');
		ctx.assert.equal(items.length, 30);
		ctx.assert.ok(items.every((item) => item.status === 'sent' && item.recipientsInRequest === 1));
		const requests = await sends(ctx.sim);
		ctx.assert.equal(requests.length, 30);
		ctx.assert.ok(requests.some((request) => request.body.message_body === 'Dear Customer 30, your water bill of UGX 29500 is due on Friday.'));
		ctx.assert.equal(requests.filter((request) => request.response?.status === 429).length, 0);
	},

	async 'outage alert (example): 80 items, same text, v1 with the login in the body: two requests'(ctx) {
		const ids = await setup(ctx);
		const result = await ctx.n8n.execute(ids['UGSMS: the same alert to 80 customers (username and password)']);
		expectOk(ctx, result);
		const items = result.output('Outage Alert');
		ctx.assert.equal(items.length, 80);
		ctx.assert.ok(items.every((item) => item.status === 'sent' && item.senderId === 'UMEME'));
		ctx.assert.equal(items[0].numberSent, '0753010000');
		const requests = await sends(ctx.sim);
		ctx.assert.deepEqual(requests.map((request) => [request.path, request.body.numbers.split(',').length]), [
			['/ugsms/v1/sms/send', 50],
			['/ugsms/v1/sms/send', 30],
		]);
		ctx.assert.equal(requests[0].body.username, LOGIN.username);
		ctx.assert.equal(requests[0].body.password, LOGIN.password);
		ctx.assert.equal(requests[0].headers['x-api-key'], undefined);
		ctx.assert.equal(new Set(items.map((item) => item.messageId)).size, 2);
	},

	async 'low balance alert (example): Get Balance over v2, then a text to the admin'(ctx) {
		const ids = await setup(ctx);
		const result = await ctx.n8n.execute(ids['UGSMS: low balance alert']);
		expectOk(ctx, result);
		ctx.assert.deepEqual(
			result.output('Balance').map((item) => [item.provider, item.balance, item.currency]),
			[['ugsms', 1000, 'UGX']],
		);
		const [alert] = result.output('Alert Admin');
		ctx.assert.equal(alert.recipient, '+256700111222');
		const requests = await sends(ctx.sim);
		ctx.assert.equal(requests.length, 1);
		ctx.assert.equal(requests[0].body.message_body, "UGSMS balance is low: 1000 UGX. Top up before tomorrow's reminders.");
	},

	async 'rotate key (example): the new key is in the output only; the old one stops working'(ctx) {
		const ids = await setup(ctx);
		const result = await ctx.n8n.execute(ids['UGSMS: rotate the API key (90 days)']);
		expectOk(ctx, result);
		const [output] = result.output('Regenerate Key');
		const state = await ctx.sim.control('GET', '/state?provider=ugsms');
		const current = (state.ugsms ?? state).key;
		ctx.assert.equal(output.apiKey, current.value);
		ctx.assert.notEqual(output.apiKey, API_KEY);
		ctx.assert.equal(output.operation, 'regenerateKey');
		ctx.assert.ok(Date.parse(output.expiresAt) - Date.now() > 89 * 86_400_000);
		ctx.assert.ok(!result.stderr.includes(output.apiKey), "the new key appears in n8n's log");
		const request = (await ctx.sim.requests()).find((entry) => entry.path.endsWith('/api/regenerate-key'));
		ctx.assert.equal(request.body.expiry_days, 90);
		// The credential's key was replaced: the balance now fails with credential advice.
		const balance = await ctx.n8n.execute(ids['UGSMS: low balance alert']);
		ctx.assert.equal(balance.ok, false);
		ctx.assert.match(JSON.stringify(balance.error ?? balance.nodeErrors), /UGSMS refused the API key \(HTTP 401\): Invalid API key/);
	},

	async 'pacing in real n8n: 30 requests against a limit of 10 per 2 s, no 429, all sent'(ctx) {
		// A simulator of its own, with a short window; the node is told the window (Window option).
		const sim = await startSimulatorProcess({ args: ['--seed', JSON.stringify({ ugsms: { rateLimit: 10, rateWindowMs: 2000 } })] });
		try {
			const credentialId = 'UgsmsApiKeyFast1';
			await ctx.n8n.importCredentials([{ id: credentialId, name: 'UGSMS API (fast window)', type: 'ugsmsApi', data: { apiKey: API_KEY, baseUrl: `${sim.url}/ugsms` } }]);
			const flow = examples().find((candidate) => candidate.id === 'UgsmsBills000001');
			const paced = JSON.parse(JSON.stringify(flow));
			paced.id = 'UgsmsBillsFast01';
			paced.name = 'UGSMS: bill reminders against a 2-second window';
			const node = paced.nodes.find((candidate) => candidate.name === 'Send Reminders');
			node.parameters.ugsmsOptions = { ...node.parameters.ugsmsOptions, rateWindowSeconds: 2 };
			node.credentials = { ugsmsApi: { id: credentialId, name: 'UGSMS API (fast window)' } };
			const started = Date.now();
			const result = await ctx.n8n.executeWorkflow(paced);
			expectOk(ctx, result);
			ctx.assert.equal(result.output('Send Reminders').length, 30);
			const requests = (await sim.requests()).filter((request) => request.path.endsWith('/sms/send'));
			ctx.assert.equal(requests.length, 30);
			ctx.assert.equal(requests.filter((request) => request.response?.status === 429).length, 0);
			const state = await sim.control('GET', '/state?provider=ugsms');
			const snapshot = state.ugsms ?? state;
			ctx.assert.equal(snapshot.rateLimit.rejected, 0);
			ctx.assert.equal(snapshot.messages.length, 30);
			// 30 requests at 10 per 2-second window cannot all fit in less than two windows.
			const first = Date.parse(requests[0].time);
			const last = Date.parse(requests.at(-1).time);
			ctx.assert.ok(last - first >= 4000, `30 requests went out in ${last - first} ms`);
			ctx.log(`30 requests over ${last - first} ms; run ${Date.now() - started} ms`);
		} finally {
			await sim.stop();
		}
	},
};
