import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse as parseQuery } from 'node:querystring';
import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { clearDedupMemory, WEBHOOK_DEDUP_LIMITS } from '../../../nodes/SmsGateway/shared/dedup';
import { startSimulator, type Simulator } from '../../../simulator/server';
import { runMessageFlow } from '../../harness/messageFlow';
import { runSmsGateway24, tokenCredentials } from '../../harness/smsGateway24';
import { checkWebhookSecret } from '../../../nodes/SmsGatewayTrigger/credentialTest';
import { callWebhook, type WebhookRequest } from '../../harness/trigger';
import type { CredentialStore } from '../../harness/n8n';

/**
 * The SMS Gateway Trigger's webhook() fed with what the simulator's providers post: a small HTTP
 * receiver stands in for n8n's webhook server (body parsing as n8n does it), hands each request to
 * the node and records the executions it would start.
 */

const SECRET = 'hdr-secret-7f3a9c2e11';
const BASIC = { user: 'mf-hooks', password: 'basic-pass-5e8d1b7c' };
const headerCredential: CredentialStore = { smsGatewayWebhookHeaderAuthApi: { name: 'X-Webhook-Secret', secret: SECRET } };
const basicCredential: CredentialStore = { smsGatewayWebhookBasicAuthApi: BASIC };
const device = { __rl: true, mode: 'id', value: '260' };
const ALL_SG24 = ['received', 'delivered', 'undelivered', 'failed', 'sent', 'sending', 'queued', 'unknown'];

interface Receiver {
	url: string;
	executions: IDataObject[][];
	answers: Array<{ status: number; body: unknown }>;
	close(): Promise<void>;
}

/** n8n's webhook server in miniature: parse the body by content type, call webhook(), answer. */
async function startReceiver(base: Omit<WebhookRequest, 'body' | 'rawBody' | 'headers'>): Promise<Receiver> {
	const executions: IDataObject[][] = [];
	const answers: Receiver['answers'] = [];
	const staticData = base.staticData ?? {};
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			void (async () => {
				const rawBody = Buffer.concat(chunks);
				const type = String(req.headers['content-type'] ?? '').split(';')[0].trim();
				let body: unknown = {};
				if (type === 'application/json' && rawBody.length > 0) body = JSON.parse(rawBody.toString('utf8'));
				else if (type === 'application/x-www-form-urlencoded') body = parseQuery(rawBody.toString('utf8'));
				else if (type === 'text/plain') body = rawBody.toString('utf8');
				const call = await callWebhook({ ...base, staticData, body, rawBody, headers: req.headers as Record<string, string> });
				if (call.error) throw call.error;
				const answer = call.response ?? { status: 200, headers: {}, body: { message: 'Workflow was started' } };
				if (call.result?.workflowData) executions.push(call.items);
				answers.push({ status: answer.status, body: answer.body });
				res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
				res.end(JSON.stringify(answer.body));
			})();
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}/webhook/sms`,
		executions,
		answers,
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}

function sg24(parameters: INodeParameters = {}): INodeParameters {
	return { provider: 'smsGateway24', ...parameters };
}

describe('SMS Gateway Trigger · SMSGateway24 webhooks from the simulator', () => {
	let sim: Simulator;
	let receiver: Receiver | undefined;
	beforeAll(async () => {
		sim = await startSimulator();
	});
	afterAll(async () => await sim.close());
	beforeEach(() => {
		sim.reset();
		clearDedupMemory();
	});
	afterEach(async () => {
		await receiver?.close();
		receiver = undefined;
	});

	async function send(recipients: string) {
		const run = await runSmsGateway24(sim, { credentials: tokenCredentials(sim), parameters: { resource: 'message', operation: 'send', recipients, message: 'Your parcel is on its way', device, channel: 0 } });
		expect(run.error).toBeUndefined();
		return run.items.map((item) => String(item.json.messageId));
	}

	it('reports every status step of a sent message, normalised, when all events are chosen', async () => {
		receiver = await startReceiver({ parameters: sg24({ authentication: 'headerAuth', events: ALL_SG24 }), credentials: headerCredential });
		sim.configureWebhooks('smsgateway24', { deviceId: 260, deliveryUrl: receiver.url, headers: { 'X-Webhook-Secret': SECRET } });
		const [id] = await send('+4915112345678');
		sim.advance(4);
		await sim.flushWebhooks();
		const events = receiver.executions.map((items) => items[0]);
		expect(events.map((event) => [event.status, event.providerStatus])).toEqual([
			['queued', 3],
			['sending', 2],
			['sent', 6],
			['delivered', 7],
		]);
		expect(events[3]).toMatchObject({
			provider: 'smsGateway24',
			event: 'status',
			direction: 'outbound',
			messageId: id,
			recipient: '+4915112345678',
			deviceId: '260',
			channel: 0,
			providerStatusText: 'Delivered',
		});
		expect(Date.parse(String(events[3].eventTime))).toBeGreaterThan(Date.now() - 60_000);
		expect(events[3].raw).toMatchObject({ sms_id: Number(id), status_id: 7, sendto: '+4915112345678' });
	});

	it('starts only for the chosen events: by default the outcomes, not the steps', async () => {
		receiver = await startReceiver({ parameters: sg24() });
		sim.configureWebhooks('smsgateway24', { deliveryUrl: receiver.url });
		await send('+4915112345678, +4915100001111, +4915100000000');
		sim.advance(5);
		await sim.flushWebhooks();
		const statuses = receiver.executions.map((items) => `${String(items[0].recipient)}:${String(items[0].status)}`).sort();
		expect(statuses).toEqual(['+4915100000000:failed', '+4915100001111:undelivered', '+4915112345678:delivered']);
		// The steps were answered 200 "ignored": the provider has no reason to retry them.
		const ignored = receiver.answers.filter((answer) => (answer.body as IDataObject).status === 'ignored');
		// Steps: 3, 2, 6 (delivered); 3, 2, 6 (undelivered); 3, 2 (failed).
		expect(ignored).toHaveLength(8);
		expect(ignored.every((answer) => answer.status === 200)).toBe(true);
	});

	it('turns incoming text and image messages into "received" events', async () => {
		receiver = await startReceiver({ parameters: sg24({ events: ['received'] }) });
		sim.configureWebhooks('smsgateway24', { incomingUrl: receiver.url });
		sim.injectIncoming('smsgateway24', { from: '+4917600000001', body: 'STOP', deviceId: 260 });
		sim.injectIncoming('smsgateway24', { from: '+4917600000002', body: '', imageUrl: 'https://example.test/cat.jpg', deviceId: 1576, sim: 1 });
		await sim.flushWebhooks();
		const [text, image] = receiver.executions.map((items) => items[0]);
		expect(text).toMatchObject({
			provider: 'smsGateway24',
			event: 'received',
			direction: 'inbound',
			sender: '+4917600000001',
			status: 'received',
			providerStatus: 5,
			text: 'STOP',
			deviceId: '260',
			deviceName: 'Office Pixel',
			channel: 0,
		});
		expect(text.messageId).toMatch(/^\d+$/);
		// The panel's wall-clock time, read in the chosen zone (the simulator writes UTC).
		expect(Math.abs(Date.parse(String(text.eventTime)) - Date.now())).toBeLessThan(60_000);
		expect(image).toMatchObject({ sender: '+4917600000002', text: '', imageUrl: 'https://example.test/cat.jpg', deviceId: '1576', channel: 1 });
		expect((image.raw as IDataObject).type).toBe('img');
	});

	it('reads incoming times in the configured zone', async () => {
		const body = { address: '+4917600000001', date: '2026-03-01 10:00:00', body: 'Hi', sms_id: 1, device_id: 260, type: 'text' };
		const berlin = await callWebhook({ parameters: sg24({ options: { timeZone: 'Europe/Berlin' } }), body });
		expect(berlin.items[0].eventTime).toBe('2026-03-01T09:00:00.000Z');
		const workflowZone = await callWebhook({ parameters: sg24(), body: { ...body, sms_id: 2 }, timezone: 'America/New_York' });
		expect(workflowZone.items[0].eventTime).toBe('2026-03-01T15:00:00.000Z');
		const wrong = await callWebhook({ parameters: sg24({ options: { timeZone: 'Mars/Base' } }), body: { ...body, sms_id: 3 } });
		expect(wrong.response?.status).toBe(500);
		expect(wrong.logs.join('\n')).toMatch(/unknown time zone "Mars\/Base"/);
		// From an expression: a name with spaces around is the zone; an object is named as such (it was the zone "[object Object]").
		const spaced = await callWebhook({ parameters: sg24({ options: { timeZone: ' Europe/Berlin ' } }), body: { ...body, sms_id: 4 } });
		expect(spaced.items[0].eventTime).toBe('2026-03-01T09:00:00.000Z');
		const object = await callWebhook({ parameters: sg24({ options: { timeZone: { zone: 'Europe/Berlin' } as never } }), body: { ...body, sms_id: 5 } });
		expect(object.response?.status).toBe(500);
		expect(object.logs.join('\n')).toMatch(/Time Zone of Webhook Times: expected text but got \{"zone":"Europe\/Berlin"\}/);
	});

	it('refuses requests without the secret header (401) and starts nothing', async () => {
		receiver = await startReceiver({ parameters: sg24({ authentication: 'headerAuth', events: ['received'] }), credentials: headerCredential });
		sim.configureWebhooks('smsgateway24', { incomingUrl: receiver.url, headers: { 'X-Webhook-Secret': 'wrong-secret-value' } });
		sim.injectIncoming('smsgateway24', { from: '+4917600000001', body: 'Hello' });
		sim.configureWebhooks('smsgateway24', { incomingUrl: receiver.url, headers: {} });
		sim.injectIncoming('smsgateway24', { from: '+4917600000001', body: 'Hello again' });
		await sim.flushWebhooks();
		expect(receiver.executions).toHaveLength(0);
		expect(receiver.answers.map((answer) => answer.status)).toEqual([401, 401]);
		expect(sim.webhookDeliveries().map((delivery) => delivery.status)).toEqual([401, 401]);
	});

	it('refuses an oversized body (413) before reading it, and starts nothing', async () => {
		const big = JSON.stringify({ sms_id: 1, status_id: 7, sendto: '+4915112345678', padding: 'x'.repeat(70 * 1024) });
		const call = await callWebhook({ parameters: sg24(), body: JSON.parse(big), rawBody: Buffer.from(big) });
		expect(call.response?.status).toBe(413);
		expect(call.items).toHaveLength(0);
		const declared = await callWebhook({ parameters: sg24(), body: { sms_id: 2, status_id: 7 }, headers: { 'content-length': String(1024 * 1024) } });
		expect(declared.response?.status).toBe(413);
	});

	it('starts one execution for an event delivered twice, also after a restart, and answers the copy 200', async () => {
		const staticData: IDataObject = {};
		const body = { sms_id: 62807400, status_id: 7, status_message: 'Delivered', sendto: '+4915112345678', senttime: null, channel_id: 0, device_id: 260 };
		const request = { parameters: sg24(), staticData, body };
		const first = await callWebhook(request);
		expect(first.items).toHaveLength(1);
		const copy = await callWebhook(request);
		expect(copy.items).toHaveLength(0);
		expect(copy.response).toMatchObject({ status: 200, body: { status: 'duplicate' } });
		// A restart empties the process memory; the static data n8n saved still knows the event.
		clearDedupMemory();
		const afterRestart = await callWebhook({ ...request, staticData: JSON.parse(JSON.stringify(staticData)) as IDataObject });
		expect(afterRestart.items).toHaveLength(0);
		// Another status of the same message is another event.
		const undelivered = await callWebhook({ ...request, body: { ...body, status_id: 8 } });
		expect(undelivered.items).toMatchObject([{ status: 'undelivered' }]);
		// Another trigger node (another workflow) has its own memory.
		const elsewhere = await callWebhook({ ...request, staticData: {}, workflowId: 'workflow-2' });
		expect(elsewhere.items).toHaveLength(1);
	});

	it('lets only one of two simultaneous copies through (before either is saved)', async () => {
		const body = { address: '+4917600000001', body: 'Hi', sms_id: 99, device_id: 260, type: 'text', date: '2026-03-01 10:00:00' };
		// Each request loads the workflow, and its static data, on its own.
		const [a, b] = await Promise.all([callWebhook({ parameters: sg24(), staticData: {}, body }), callWebhook({ parameters: sg24(), staticData: {}, body })]);
		expect(a.items.length + b.items.length).toBe(1);
	});

	it('remembers two different events that arrive at once, also after a restart (neither request’s save drops the other’s)', async () => {
		// n8n loads the workflow's static data for each webhook request on its own and, after the
		// request, writes that copy back whole: the request saved last decides what is stored.
		let stored: IDataObject = {};
		const load = () => JSON.parse(JSON.stringify(stored)) as IDataObject;
		const report = (id: number) => ({ sms_id: id, status_id: 7, status_message: 'Delivered', sendto: '+4915112345678', device_id: 260 });
		const first = { parameters: sg24(), staticData: load(), body: report(501) };
		const second = { parameters: sg24(), staticData: load(), body: report(502) };
		const [a, b] = await Promise.all([callWebhook(first), callWebhook(second)]);
		expect([...a.items, ...b.items]).toHaveLength(2);
		stored = first.staticData;
		stored = second.staticData;
		// n8n restarts; SMSGateway24 sends both reports again (it did not see the answers in time).
		clearDedupMemory();
		expect((await callWebhook({ parameters: sg24(), staticData: load(), body: report(501) })).items).toHaveLength(0);
		expect((await callWebhook({ parameters: sg24(), staticData: load(), body: report(502) })).items).toHaveLength(0);
	});

	it('keeps its memory of seen events bounded', async () => {
		const staticData: IDataObject = {};
		const report = (id: number) => ({ parameters: sg24(), staticData, body: { sms_id: id, status_id: 7, sendto: '+4915112345678', device_id: 260 } });
		for (let id = 1; id <= WEBHOOK_DEDUP_LIMITS.maxKeys + 50; id++) await callWebhook(report(id));
		expect(Object.keys(staticData.seenEvents as IDataObject)).toHaveLength(WEBHOOK_DEDUP_LIMITS.maxKeys);
		// The oldest were forgotten (a copy that late starts the workflow again); recent ones are known.
		clearDedupMemory();
		expect((await callWebhook(report(1))).items).toHaveLength(1);
		expect((await callWebhook(report(WEBHOOK_DEDUP_LIMITS.maxKeys + 50))).items).toHaveLength(0);
	});

	it('shows repeats when listening for a test event (no de-duplication in manual mode)', async () => {
		const body = { sms_id: 5, status_id: 7, sendto: '+4915112345678', device_id: 260 };
		const staticData: IDataObject = {};
		expect((await callWebhook({ parameters: sg24(), staticData, body, mode: 'manual' })).items).toHaveLength(1);
		expect((await callWebhook({ parameters: sg24(), staticData, body, mode: 'manual' })).items).toHaveLength(1);
		expect(staticData).toEqual({});
	});

	it('refuses bodies that are not JSON or not SMSGateway24 events (400)', async () => {
		const text = await callWebhook({ parameters: sg24(), body: 'hello', rawBody: 'hello' });
		expect(text.response).toMatchObject({ status: 400, body: { error: expect.stringMatching(/JSON/) } });
		const empty = await callWebhook({ parameters: sg24(), body: {}, rawBody: '' });
		expect(empty.response?.status).toBe(400);
		const other = await callWebhook({ parameters: sg24(), body: { hello: 'world' } });
		expect(other.response).toMatchObject({ status: 400, body: { error: expect.stringMatching(/Not a SMSGateway24 event/) } });
		for (const call of [text, empty, other]) expect(call.items).toHaveLength(0);
		// JSON sent with another content type is still read from the raw body.
		const raw = await callWebhook({ parameters: sg24(), body: {}, rawBody: JSON.stringify({ sms_id: 7, status_id: 7, sendto: '+49151', device_id: 260 }) });
		expect(raw.items).toMatchObject([{ messageId: '7', status: 'delivered' }]);
	});

	it('accepts the same fields as a form body (all values are text then)', async () => {
		const call = await callWebhook({ parameters: sg24(), body: { sms_id: '62807347', status_id: '8', status_message: 'Not delivered', sendto: '+4915112345678', channel_id: '1', device_id: '260' } });
		expect(call.items).toMatchObject([{ messageId: '62807347', status: 'undelivered', providerStatus: 8, channel: 1, deviceId: '260' }]);
	});
});

describe('SMS Gateway Trigger · MessageFlow webhooks from the simulator', () => {
	let sim: Simulator;
	let receiver: Receiver | undefined;
	beforeAll(async () => {
		sim = await startSimulator();
	});
	afterAll(async () => await sim.close());
	beforeEach(() => {
		sim.reset();
		clearDedupMemory();
	});
	afterEach(async () => {
		await receiver?.close();
		receiver = undefined;
	});

	const mf = (parameters: INodeParameters = {}): INodeParameters => ({ provider: 'messageFlow', authentication: 'basicAuth', ...parameters });

	async function send(numbers: string, options: Record<string, string> = {}) {
		const run = await runMessageFlow(sim, { parameters: { resource: 'message', operation: 'send', recipients: numbers, message: 'Your order has shipped', sender: 'SHOP', messageFlowOptions: options } });
		expect(run.error).toBeUndefined();
		return run.items.map((item) => String(item.json.messageId));
	}

	it('reports final statuses behind basic auth: delivered, expired, undelivered, failed', async () => {
		receiver = await startReceiver({ parameters: mf(), credentials: basicCredential });
		sim.configureWebhooks('messageflow', { deliveryUrl: receiver.url, basicAuth: { username: BASIC.user, password: BASIC.password } });
		const ids = await send('+48500100200, +48500100000, +48500101111, +48500103333');
		sim.advance(3);
		await sim.flushWebhooks();
		const byRecipient = Object.fromEntries(receiver.executions.map(([event]) => [event.recipient, event]));
		expect(Object.keys(byRecipient)).toHaveLength(4);
		expect(byRecipient['+48500100200']).toMatchObject({
			provider: 'messageFlow',
			event: 'status',
			messageId: ids[0],
			status: 'delivered',
			providerStatus: 4,
			providerStatusText: 'Delivered',
			senderId: 'SHOP',
		});
		expect(byRecipient['+48500100000']).toMatchObject({ status: 'expired', providerStatusText: 'Expired' });
		expect(byRecipient['+48500101111']).toMatchObject({ status: 'undelivered' });
		expect(byRecipient['+48500103333']).toMatchObject({ status: 'failed' });
		// statusTime is MessageFlow's own (UTC wall clock).
		expect(Math.abs(Date.parse(String(byRecipient['+48500100200'].eventTime)) - Date.now())).toBeLessThan(60_000);
	});

	it('receives the report at a per-message Delivery Report URL', async () => {
		receiver = await startReceiver({ parameters: mf(), credentials: basicCredential });
		const [id] = await send('+48500100200', { webhookUrl: receiver.url });
		sim.advance(3);
		await sim.flushWebhooks();
		// The simulator sends panel auth only with panel hooks: a per-message URL without auth is refused.
		expect(receiver.answers.map((answer) => answer.status)).toEqual([401]);
		const open = await startReceiver({ parameters: mf({ authentication: 'none' }) });
		await send('+48500100201', { webhookUrl: open.url });
		sim.advance(3);
		await sim.flushWebhooks();
		expect(open.executions.map(([event]) => [event.recipient, event.status])).toEqual([['+48500100201', 'delivered']]);
		expect(id).toMatch(/^\d+$/);
		await open.close();
	});

	it('turns incoming 2-way messages into "received" events', async () => {
		receiver = await startReceiver({ parameters: mf(), credentials: basicCredential });
		sim.configureWebhooks('messageflow', { incomingUrl: receiver.url, basicAuth: { username: BASIC.user, password: BASIC.password } });
		sim.injectIncoming('messageflow', { from: '+48500100200', body: 'TAK' });
		await sim.flushWebhooks();
		expect(receiver.executions).toHaveLength(1);
		expect(receiver.executions[0][0]).toMatchObject({
			provider: 'messageFlow',
			event: 'received',
			direction: 'inbound',
			sender: '+48500100200',
			to: '48799000111',
			status: 'received',
			text: 'TAK',
		});
	});

	it('refuses a wrong password with 401 and a Basic challenge', async () => {
		receiver = await startReceiver({ parameters: mf(), credentials: basicCredential });
		sim.configureWebhooks('messageflow', { incomingUrl: receiver.url, basicAuth: { username: BASIC.user, password: 'not-the-password' } });
		sim.injectIncoming('messageflow', { from: '+48500100200', body: 'TAK' });
		await sim.flushWebhooks();
		expect(receiver.executions).toHaveLength(0);
		expect(receiver.answers).toEqual([{ status: 401, body: { error: 'Authorization failed' } }]);
		const direct = await callWebhook({ parameters: mf(), credentials: basicCredential, body: { smsId: '1', status: 'Delivered', phoneNumber: '+48500100200' } });
		expect(direct.response?.headers['WWW-Authenticate']).toBe('Basic realm="SMS Gateway Trigger"');
	});

	it('a user name with a colon can never be checked (basic auth splits at the first colon): the credential Test says so', async () => {
		const user = { user: 'clinic:hooks', password: 'basic-pass-5e8d1b7c' };
		const credentials: CredentialStore = { smsGatewayWebhookBasicAuthApi: user };
		receiver = await startReceiver({ parameters: mf(), credentials });
		sim.configureWebhooks('messageflow', { incomingUrl: receiver.url, basicAuth: { username: user.user, password: user.password } });
		sim.injectIncoming('messageflow', { from: '+48500100200', body: 'TAK' });
		await sim.flushWebhooks();
		// The panel sends exactly what was set in it, and it is refused: such a credential cannot work.
		expect(receiver.executions).toHaveLength(0);
		const test = await checkWebhookSecret.call({} as never, { id: '1', name: 'hooks', type: 'smsGatewayWebhookBasicAuthApi', data: user });
		expect(test.status).toBe('Error');
		expect(test.message).toMatch(/colon/);
	});

	it('names numeric codes only when told (Status Codes option); otherwise "Other Status"', async () => {
		const body = { smsId: '7100000009', phoneNumber: '+48500100200', status: 4, statusTime: '2026-11-23 16:55:10' };
		const unnamed = await callWebhook({ parameters: mf({ authentication: 'none' }), body });
		expect(unnamed.items).toMatchObject([{ status: 'unknown', providerStatus: 4, eventTime: '2026-11-23T16:55:10.000Z' }]);
		clearDedupMemory();
		const named = await callWebhook({ parameters: mf({ authentication: 'none', options: { statusCodes: '4=delivered, 5=undelivered' } }), body, staticData: {} });
		expect(named.items).toMatchObject([{ status: 'delivered', providerStatus: 4 }]);
		const filtered = await callWebhook({ parameters: mf({ authentication: 'none', events: ['delivered'] }), body: { ...body, smsId: '2' } });
		expect(filtered.response).toMatchObject({ status: 200, body: { status: 'ignored' } });
		// Codes mapped as an object were taken as no codes at all: every report "Other Status", without a word.
		const object = await callWebhook({ parameters: mf({ authentication: 'none', options: { statusCodes: { 4: 'delivered' } as never } }), body: { ...body, smsId: '3' }, staticData: {} });
		expect(object.response?.status).toBe(500);
		expect(object.items).toEqual([]);
		expect(object.logs.join('\n')).toMatch(/Status Codes: expected text but got \{"4":"delivered"\}/);
	});

	it('accepts several reports in one request, and refuses what is not a MessageFlow event', async () => {
		const reports = [
			{ smsId: '1', phoneNumber: '+48500100200', statusName: 'Delivered', status: 4 },
			{ smsId: '2', phoneNumber: '+48500100201', statusName: 'Undelivered', status: 5 },
		];
		const batch = await callWebhook({ parameters: mf({ authentication: 'none' }), body: reports });
		expect(batch.items.map((item) => item.status)).toEqual(['delivered', 'undelivered']);
		const wrapped = await callWebhook({ parameters: mf({ authentication: 'none' }), body: { data: reports }, staticData: {}, workflowId: 'other' });
		expect(wrapped.items).toHaveLength(2);
		const click = await callWebhook({ parameters: mf({ authentication: 'none' }), body: { event: 'link.click', url: 'https://example.test' } });
		expect(click.response?.status).toBe(400);
		const nothing = await callWebhook({ parameters: mf({ authentication: 'none' }), body: { foo: 1 } });
		expect(nothing.response?.status).toBe(400);
	});

	it('a report whose status sits under a name the node does not know starts the workflow as "Other Status", payload kept', async () => {
		const body = { smsId: 'a1', phoneNumber: '+48500100200', deliveryStatus: 'DELIVERED' };
		const call = await callWebhook({ parameters: mf({ authentication: 'none' }), body });
		expect(call.items).toMatchObject([{ event: 'status', messageId: 'a1', recipient: '+48500100200', status: 'unknown', providerStatus: null, raw: body }]);
		// An incoming message without a status is still read as one.
		const incoming = await callWebhook({ parameters: mf({ authentication: 'none' }), body: { from: '+48500100201', text: 'TAK' }, staticData: {} });
		expect(incoming.items).toMatchObject([{ event: 'received', sender: '+48500100201', text: 'TAK' }]);
		// An incoming message that names its own status "received" is an incoming message, not a
		// report about a message sent to its short code.
		const withStatus = await callWebhook({ parameters: mf({ authentication: 'none' }), body: { id: 'mo-1', from: '+48500100202', to: '4080', message: 'STOP', status: 'received' }, staticData: {} });
		expect(withStatus.items).toMatchObject([{ event: 'received', messageId: 'mo-1', sender: '+48500100202', to: '4080', text: 'STOP', status: 'received' }]);
	});

	it('two different reports of one message under an unknown status name are two events; a copy of either is one', async () => {
		const staticData: IDataObject = {};
		const accepted = { smsId: 'a1', phoneNumber: '+48500100200', dlr: 'ACCEPTD' };
		const delivered = { smsId: 'a1', phoneNumber: '+48500100200', dlr: 'DELIVRD' };
		const first = await callWebhook({ parameters: mf({ authentication: 'none' }), body: accepted, staticData });
		const second = await callWebhook({ parameters: mf({ authentication: 'none' }), body: delivered, staticData });
		expect([...first.items, ...second.items]).toMatchObject([
			{ messageId: 'a1', status: 'unknown', providerStatus: null, raw: accepted },
			{ messageId: 'a1', status: 'unknown', providerStatus: null, raw: delivered },
		]);
		// The copy is taken apart from the content (members in another order are the same report).
		const copy = await callWebhook({ parameters: mf({ authentication: 'none' }), body: { dlr: 'DELIVRD', phoneNumber: '+48500100200', smsId: 'a1' }, staticData });
		expect(copy.response).toMatchObject({ status: 200, body: { status: 'duplicate' } });
		expect(copy.items).toEqual([]);
	});

	it('keeps secrets out of items, answers and logs', async () => {
		const calls = [
			await callWebhook({ parameters: mf(), credentials: basicCredential, body: { smsId: '1', status: 'Delivered', phoneNumber: '+4850' }, headers: { authorization: `Basic ${Buffer.from(`${BASIC.user}:${BASIC.password}`).toString('base64')}` } }),
			await callWebhook({ parameters: mf(), credentials: basicCredential, body: { smsId: '2', status: 'Delivered', phoneNumber: '+4850' }, headers: { authorization: 'Basic bad' } }),
			await callWebhook({ parameters: mf({ authentication: 'headerAuth' }), credentials: headerCredential, body: { smsId: '3', status: 'Delivered', phoneNumber: '+4850' }, headers: { 'x-webhook-secret': SECRET } }),
		];
		expect(calls[0].items).toHaveLength(1);
		expect(calls[1].response?.status).toBe(401);
		expect(calls[2].items).toHaveLength(1);
		const everything = JSON.stringify(calls.map((call) => [call.items, call.response, call.logs]));
		for (const secret of [SECRET, BASIC.password]) expect(everything).not.toContain(secret);
	});

	it('answers 500 and logs when the authentication credential is missing', async () => {
		const call = await callWebhook({ parameters: mf(), body: { smsId: '1', status: 'Delivered', phoneNumber: '+4850' } });
		expect(call.response?.status).toBe(500);
		expect(call.items).toHaveLength(0);
		expect(call.logs.join('\n')).toMatch(/cannot read its webhook authentication credential/);
	});
});
