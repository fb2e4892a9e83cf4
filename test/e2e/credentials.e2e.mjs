// The credential's Test button, as the editor presses it: `n8n start`, an owner logged in, and
// POST /rest/credentials/test with what the form holds. Checked against the simulator.
import { SIMULATOR_ACCOUNTS } from './lib/accounts.mjs';
export const needsSimulator = true;

// One `n8n start` per n8n line serves every credential test here (a start costs 15–40 s).
const servers = new WeakMap();

async function serverFor(ctx) {
	if (!servers.has(ctx.n8n)) {
		const server = await ctx.n8n.start();
		await server.setupOwner();
		servers.set(ctx.n8n, server);
	}
	return servers.get(ctx.n8n);
}

export async function after({ n8n }) {
	const server = servers.get(n8n);
	servers.delete(n8n);
	if (server) await server.stop();
}

export const tests = {
	async 'SMSGateway24 API: Test passes with good values and fails clearly with bad ones'(ctx) {
		const server = await serverFor(ctx);
		{
			const baseUrl = `${ctx.sim.url}/smsgateway24`;
			// The editor saves a credential before testing it; the test names it by id.
			const test = async (data) => {
				const created = await server.rest('POST', '/credentials', { name: `SMSGateway24 ${Date.now()}`, type: 'smsGateway24Api', data });
				ctx.assert.ok(created.status < 300, JSON.stringify(created.body).slice(0, 300));
				const { id, name } = created.body.data ?? created.body;
				const answer = await server.rest('POST', '/credentials/test', { credentials: { id, name, type: 'smsGateway24Api', data } });
				ctx.assert.equal(answer.status, 200, JSON.stringify(answer.body).slice(0, 300));
				return answer.body.data ?? answer.body;
			};
			const good = await test({ authMethod: 'emailPassword', email: SIMULATOR_ACCOUNTS.smsGateway24.email, password: SIMULATOR_ACCOUNTS.smsGateway24.password, baseUrl });
			ctx.assert.equal(good.status, 'OK', JSON.stringify(good));
			const token = await test({ authMethod: 'token', apiToken: SIMULATOR_ACCOUNTS.smsGateway24.panelToken, baseUrl });
			ctx.assert.equal(token.status, 'OK', JSON.stringify(token));

			const wrongPassword = await test({ authMethod: 'emailPassword', email: SIMULATOR_ACCOUNTS.smsGateway24.email, password: 'nope-nope', baseUrl });
			ctx.assert.equal(wrongPassword.status, 'Error');
			ctx.assert.match(wrongPassword.message, /login failed: Login or password incorrect.*email and password/i);
			ctx.assert.ok(!wrongPassword.message.includes('nope-nope'));

			const wrongToken = await test({ authMethod: 'token', apiToken: 'not-a-real-token', baseUrl });
			ctx.assert.equal(wrongToken.status, 'Error');
			ctx.assert.match(wrongToken.message, /refused the credential/);

			// The address as the API documents write it (…/getdata), and one with no SMSGateway24 API (404).
			const documented = await test({ authMethod: 'token', apiToken: SIMULATOR_ACCOUNTS.smsGateway24.panelToken, baseUrl: `${baseUrl}/getdata/` });
			ctx.assert.equal(documented.status, 'OK', JSON.stringify(documented));
			const noApi = await test({ authMethod: 'token', apiToken: SIMULATOR_ACCOUNTS.smsGateway24.panelToken, baseUrl: `${baseUrl}/api` });
			ctx.assert.equal(noApi.status, 'Error', JSON.stringify(noApi));
			// n8n 1.x applies no responseCode rule to a failed Test request and shows its stock 404 text.
			ctx.assert.match(noApi.message, ctx.line === '1.x' ? /could not be found/ : /Check the credential's Base URL/);

			const logins = (await ctx.sim.requests()).filter((request) => request.path.endsWith('/getdata/gettoken'));
			ctx.assert.equal(logins.length, 2, 'the Test button logs in with email and password');
		}
	},

	async 'MessageFlow API: Test passes with good keys (even with no messages yet) and fails on wrong keys'(ctx) {
		const server = await serverFor(ctx);
		{
			const baseUrl = `${ctx.sim.url}/messageflow`;
			const test = async (data) => {
				const created = await server.rest('POST', '/credentials', { name: `MessageFlow ${Date.now()}`, type: 'messageFlowApi', data });
				ctx.assert.ok(created.status < 300, JSON.stringify(created.body).slice(0, 300));
				const { id, name } = created.body.data ?? created.body;
				const answer = await server.rest('POST', '/credentials/test', { credentials: { id, name, type: 'messageFlowApi', data } });
				ctx.assert.equal(answer.status, 200, JSON.stringify(answer.body).slice(0, 300));
				return answer.body.data ?? answer.body;
			};
			// The simulator's list is empty: MessageFlow answers 404 "no results", which must not fail the test.
			const good = await test({ authKey: SIMULATOR_ACCOUNTS.messageFlow.authorizationKey, applicationApiKey: SIMULATOR_ACCOUNTS.messageFlow.applicationKey, baseUrl });
			ctx.assert.equal(good.status, 'OK', JSON.stringify(good));
			const wrong = await test({ authKey: SIMULATOR_ACCOUNTS.messageFlow.authorizationKey, applicationApiKey: 'not-the-key', baseUrl });
			ctx.assert.equal(wrong.status, 'Error', JSON.stringify(wrong));
			ctx.assert.match(wrong.message, /MessageFlow refused the keys/);
			// The endpoint as MessageFlow's documents write it, with its version: still MessageFlow.
			const versioned = await test({ authKey: SIMULATOR_ACCOUNTS.messageFlow.authorizationKey, applicationApiKey: SIMULATOR_ACCOUNTS.messageFlow.applicationKey, baseUrl: `${baseUrl}/v2.1` });
			ctx.assert.equal(versioned.status, 'OK', JSON.stringify(versioned));
			// Another service at the Base URL (here: the simulator's SMS Bridge) is not a success.
			const elsewhere = await test({ authKey: SIMULATOR_ACCOUNTS.messageFlow.authorizationKey, applicationApiKey: SIMULATOR_ACCOUNTS.messageFlow.applicationKey, baseUrl: `${ctx.sim.url}/smsbridge/api/v2` });
			ctx.assert.equal(elsewhere.status, 'Error', JSON.stringify(elsewhere));
			ctx.assert.match(elsewhere.message, /did not come from the MessageFlow API\. Check the Base URL/);
		}
	},

	async 'SMS Bridge API: Test passes with the key and fails with a wrong one'(ctx) {
		const server = await serverFor(ctx);
		{
			const baseUrl = `${ctx.sim.url}/smsbridge/api/v2`;
			const test = async (data) => {
				const created = await server.rest('POST', '/credentials', { name: `SMS Bridge ${Date.now()}`, type: 'smsBridgeApi', data });
				ctx.assert.ok(created.status < 300, JSON.stringify(created.body).slice(0, 300));
				const { id, name } = created.body.data ?? created.body;
				const answer = await server.rest('POST', '/credentials/test', { credentials: { id, name, type: 'smsBridgeApi', data } });
				return answer.body.data ?? answer.body;
			};
			const good = await test({ apiKey: SIMULATOR_ACCOUNTS.smsBridge.apiKey, baseUrl });
			ctx.assert.equal(good.status, 'OK', JSON.stringify(good));
			const wrong = await test({ apiKey: 'not-the-key', baseUrl });
			ctx.assert.equal(wrong.status, 'Error', JSON.stringify(wrong));
			ctx.assert.match(wrong.message, /SMS Bridge refused the API key\. Copy it again from the SMS Bridge panel/);
			// A Base URL that is not an SMS Bridge API (here: the simulator's SMSGateway24) fails clearly too.
			const elsewhere = await test({ apiKey: SIMULATOR_ACCOUNTS.smsBridge.apiKey, baseUrl: `${ctx.sim.url}/smsgateway24` });
			ctx.assert.equal(elsewhere.status, 'Error', JSON.stringify(elsewhere));
			ctx.assert.match(elsewhere.message, /did not come from an SMS Bridge API\. Check the Base URL/);
			// The server's address without the API version (a reverse-proxy prefix only), and one pasted
			// with spaces around it.
			const prefixOnly = await test({ apiKey: SIMULATOR_ACCOUNTS.smsBridge.apiKey, baseUrl: `${ctx.sim.url}/smsbridge/` });
			ctx.assert.equal(prefixOnly.status, 'Error', JSON.stringify(prefixOnly));
			ctx.assert.match(prefixOnly.message, /the Base URL: the server’s API address/);
			const pasted = await test({ apiKey: SIMULATOR_ACCOUNTS.smsBridge.apiKey, baseUrl: ` ${baseUrl} ` });
			ctx.assert.equal(pasted.status, 'OK', JSON.stringify(pasted));
		}
	},

	async 'UGSMS API and UGSMS Account API: Tests pass with good values, fail clearly with bad ones, send nothing'(ctx) {
		const server = await ctx.n8n.start();
		try {
			await server.setupOwner();
			const baseUrl = `${ctx.sim.url}/ugsms`;
			const test = async (type, data) => {
				const created = await server.rest('POST', '/credentials', { name: `UGSMS ${type} ${Date.now()}`, type, data });
				ctx.assert.ok(created.status < 300, JSON.stringify(created.body).slice(0, 300));
				const { id, name } = created.body.data ?? created.body;
				const answer = await server.rest('POST', '/credentials/test', { credentials: { id, name, type, data } });
				ctx.assert.equal(answer.status, 200, JSON.stringify(answer.body).slice(0, 300));
				return answer.body.data ?? answer.body;
			};
			// v2: the balance.
			const key = await test('ugsmsApi', { apiKey: SIMULATOR_ACCOUNTS.ugsms.apiKey, baseUrl });
			ctx.assert.equal(key.status, 'OK', JSON.stringify(key));
			const documentedBase = await test('ugsmsApi', { apiKey: SIMULATOR_ACCOUNTS.ugsms.apiKey, baseUrl: `${baseUrl}/api/v2` });
			ctx.assert.equal(documentedBase.status, 'OK', JSON.stringify(documentedBase));
			const wrongKey = await test('ugsmsApi', { apiKey: 'ug-key-not-the-right-one', baseUrl });
			ctx.assert.equal(wrongKey.status, 'Error', JSON.stringify(wrongKey));
			ctx.assert.match(wrongKey.message, /UGSMS refused the API key/);
			const elsewhere = await test('ugsmsApi', { apiKey: SIMULATOR_ACCOUNTS.ugsms.apiKey, baseUrl: `${ctx.sim.url}/nowhere` });
			ctx.assert.equal(elsewhere.status, 'Error', JSON.stringify(elsewhere));

			// v1: the send method with nothing to send — 401 for a wrong login, 400 (nothing sent) for a good one.
			const login = await test('ugsmsAccountApi', { username: SIMULATOR_ACCOUNTS.ugsms.username, password: SIMULATOR_ACCOUNTS.ugsms.password, baseUrl });
			ctx.assert.equal(login.status, 'OK', JSON.stringify(login));
			const wrongPassword = await test('ugsmsAccountApi', { username: SIMULATOR_ACCOUNTS.ugsms.username, password: 'not-the-password', baseUrl });
			ctx.assert.equal(wrongPassword.status, 'Error', JSON.stringify(wrongPassword));
			ctx.assert.match(wrongPassword.message, /UGSMS refused the username or password/);
			ctx.assert.ok(!wrongPassword.message.includes('not-the-password'));
			const notUgsms = await test('ugsmsAccountApi', { username: SIMULATOR_ACCOUNTS.ugsms.username, password: SIMULATOR_ACCOUNTS.ugsms.password, baseUrl: `${ctx.sim.url}/messageflow` });
			ctx.assert.equal(notUgsms.status, 'Error', JSON.stringify(notUgsms));

			const state = await ctx.sim.control('GET', '/state?provider=ugsms');
			ctx.assert.equal((state.ugsms ?? state).messages.length, 0, 'a credential Test sent a message');
			const v1 = (await ctx.sim.requests()).filter((request) => request.path === '/ugsms/v1/sms/send');
			ctx.assert.deepEqual(v1.map((request) => request.response?.status), [400, 401]);
		} finally {
			await server.stop();
		}
	},
};
