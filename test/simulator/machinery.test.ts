import { parseMultipart } from '../../simulator/core/multipart';
import type { ProviderFactory } from '../../simulator/core/types';
import { startSimulator, type Simulator } from '../../simulator/server';
import { SG24, control, login, sendSms, sgGet, sgJson, sgPost } from './helpers';

let sim: Simulator;
let token: string;

beforeAll(async () => {
	sim = await startSimulator({ port: 0 });
});
afterAll(async () => {
	await sim.close();
});
beforeEach(async () => {
	sim.reset();
	token = await login(sim);
	sim.clearRequests();
});

const messageCount = (): number => (sim.snapshot('smsgateway24') as { messages: unknown[] }).messages.length;

async function addFault(rule: Record<string, unknown>): Promise<void> {
	const answer = await control(sim, 'POST', 'faults', rule);
	expect(answer.status).toBe(201);
}

describe('fault injection', () => {
	it('latency delays the answer and then processes normally, once', async () => {
		await addFault({ kind: 'latency', latencyMs: 150, pathIncludes: 'addsms' });
		let started = Date.now();
		expect((await sendSms(sim, token)).json.error).toBe(0);
		expect(Date.now() - started).toBeGreaterThanOrEqual(140);
		started = Date.now();
		await sendSms(sim, token);
		expect(Date.now() - started).toBeLessThan(140);
		expect(messageCount()).toBe(2);
	});

	it('status answers the HTTP status without processing, with Retry-After for 429', async () => {
		await addFault({ kind: 'status', status: 429, retryAfter: 7, pathIncludes: 'addsms' });
		const limited = await sendSms(sim, token);
		expect(limited.status).toBe(429);
		expect(limited.headers.get('retry-after')).toBe('7');
		expect(messageCount()).toBe(0);

		await addFault({ kind: 'status', status: 503 });
		const unavailable = await sendSms(sim, token);
		expect(unavailable.status).toBe(503);
		expect(unavailable.text).toBe('503 Service Unavailable');

		await addFault({ kind: 'status', status: 500, body: { message: 'boom' } });
		const custom = await sendSms(sim, token);
		expect(custom.status).toBe(500);
		expect(custom.json).toEqual({ message: 'boom' });
		expect(messageCount()).toBe(0);

		expect((await sendSms(sim, token)).status).toBe(200);
		expect(messageCount()).toBe(1);
	});

	it('timeout never answers; the client gives up and nothing is created', async () => {
		await addFault({ kind: 'timeout', pathIncludes: 'addsms' });
		await expect(
			fetch(`${sim.url}/smsgateway24/getdata/addsms`, {
				method: 'POST',
				body: new URLSearchParams({ token, sendto: '+4915700001234', body: 'x', device_id: '260', sim: '0' }),
				signal: AbortSignal.timeout(150),
			}),
		).rejects.toThrow();
		expect(messageCount()).toBe(0);
		const [record] = sim.requests({ pathIncludes: 'addsms' });
		expect(record.response).toBeNull();
		expect(record.fault).toEqual({ id: expect.any(Number), kind: 'timeout', afterProcessing: false });
	});

	it('drop destroys the socket', async () => {
		await addFault({ kind: 'drop', pathIncludes: 'addsms' });
		await expect(sendSms(sim, token)).rejects.toThrow();
		expect(messageCount()).toBe(0);
		expect((await sendSms(sim, token)).json.error).toBe(0);
	});

	it('malformed, html and empty answer broken bodies', async () => {
		await addFault({ kind: 'malformed', pathIncludes: 'getallsms' });
		const malformed = await sgPost(sim, 'getallsms', { token });
		expect(malformed.status).toBe(200);
		expect(() => JSON.parse(malformed.text)).toThrow();

		await addFault({ kind: 'html', pathIncludes: 'getallsms' });
		const html = await sgPost(sim, 'getallsms', { token });
		expect(html.status).toBe(502);
		expect(html.headers.get('content-type')).toMatch(/^text\/html/);
		expect(html.text).toContain('<html>');

		await addFault({ kind: 'html', status: 200, pathIncludes: 'getallsms' });
		expect((await sgPost(sim, 'getallsms', { token })).status).toBe(200);

		await addFault({ kind: 'empty', pathIncludes: 'getallsms' });
		const empty = await sgPost(sim, 'getallsms', { token });
		expect(empty.status).toBe(200);
		expect(empty.text).toBe('');
	});

	it('expiredToken answers the auth-error envelope without touching real tokens', async () => {
		await addFault({ kind: 'expiredToken', pathIncludes: 'addsms' });
		expect((await sendSms(sim, token)).json).toEqual({ error: 1, message: 'Token is not valid' });
		expect(messageCount()).toBe(0);
		expect((await sendSms(sim, token)).json.error).toBe(0);
	});

	it.each(['drop', 'timeout', 'status', 'malformed', 'empty', 'html'])(
		'afterProcessing %s: the message IS created although the client sees a failure',
		async (kind) => {
			await addFault({ kind, afterProcessing: true, pathIncludes: 'addsms', status: kind === 'status' ? 502 : undefined });
			const res = await fetch(`${sim.url}/smsgateway24/getdata/addsms`, {
				method: 'POST',
				body: new URLSearchParams({ token, sendto: '+4915700001234', body: 'x', device_id: '260', sim: '0' }),
				signal: AbortSignal.timeout(300),
			}).then(
				async (r) => r.text(),
				() => undefined,
			);
			if (kind === 'drop' || kind === 'timeout') expect(res).toBeUndefined();
			else expect(() => JSON.parse(res ?? '').sms_id.toString()).toThrow();
			expect(messageCount()).toBe(1);
			const [record] = sim.requests({ pathIncludes: 'addsms' });
			expect(record.fault).toMatchObject({ kind, afterProcessing: true });
		},
	);

	it('afterProcessing malformed truncates the genuine answer', async () => {
		await addFault({ kind: 'malformed', afterProcessing: true, pathIncludes: 'addsms' });
		const answer = await sendSms(sim, token);
		expect('{"error":0,"sms_id":62807347,"message":"Sms has been saved successfully"}'.startsWith(answer.text)).toBe(true);
		expect(answer.text.length).toBeGreaterThan(0);
	});

	it('honours times, provider, method and rule order', async () => {
		await addFault({ kind: 'status', status: 500, times: 2, pathIncludes: 'addsms' });
		await addFault({ kind: 'status', status: 503, pathIncludes: 'addsms' });
		await addFault({ kind: 'status', status: 418, provider: 'messageflow' });
		await addFault({ kind: 'status', status: 502, method: 'GET' });
		const statuses = [];
		for (let i = 0; i < 4; i++) statuses.push((await sendSms(sim, token)).status);
		expect(statuses).toEqual([500, 500, 503, 200]);
		expect((await sgGet(sim, 'getallsms', { token })).status).toBe(502);
		const left = (await control(sim, 'GET', 'faults')).json;
		expect(left).toEqual([expect.objectContaining({ provider: 'messageflow', remaining: 1, hits: 0 })]);
	});

	it('times 0 means until cleared; a rule can be removed by id', async () => {
		await addFault({ kind: 'status', status: 503, times: 0 });
		for (let i = 0; i < 3; i++) expect((await sendSms(sim, token)).status).toBe(503);
		const [rule] = (await control(sim, 'GET', 'faults')).json;
		expect(rule.remaining).toBeNull();
		expect((await control(sim, 'DELETE', `faults/${rule.id}`)).status).toBe(200);
		expect((await sendSms(sim, token)).status).toBe(200);
		await addFault({ kind: 'status', status: 503, times: 0 });
		expect((await control(sim, 'DELETE', 'faults')).status).toBe(200);
		expect((await sendSms(sim, token)).status).toBe(200);
	});

	it('rejects an invalid rule and installs none of a bad list', async () => {
		expect((await control(sim, 'POST', 'faults', { kind: 'explode' })).status).toBe(400);
		expect((await control(sim, 'POST', 'faults', [{ kind: 'drop' }, { kind: 'status', status: 'x' }])).status).toBe(400);
		expect((await control(sim, 'GET', 'faults')).json).toEqual([]);
		const list = await control(sim, 'POST', 'faults', [{ kind: 'drop' }, { kind: 'empty' }]);
		expect(list.status).toBe(201);
		expect(list.json).toHaveLength(2);
	});

	it('adds global latency from options', async () => {
		const slow = await startSimulator({ latencyMs: 60 });
		try {
			const started = Date.now();
			await login(slow);
			expect(Date.now() - started).toBeGreaterThanOrEqual(55);
		} finally {
			await slow.close();
		}
	});
});

describe('request recording', () => {
	it('records query, headers, parsed body and answer of every provider request', async () => {
		await sgGet(sim, 'getsmsstatus', { token, sms_id: 5 });
		await sgJson(sim, 'addsms', { token, sendto: '+4915700001234', body: 'json', device_id: 260, sim: 0 });
		const list = (await control(sim, 'GET', 'requests?provider=smsgateway24')).json;
		expect(list).toHaveLength(2);
		expect(list[0]).toMatchObject({
			provider: 'smsgateway24',
			method: 'GET',
			path: '/smsgateway24/getdata/getsmsstatus',
			query: { token, sms_id: '5' },
			body: {},
			files: [],
			response: { status: 200, body: { error: 1, message: 'Sms not found' } },
		});
		expect(list[1]).toMatchObject({
			method: 'POST',
			contentType: 'application/json',
			body: { token, sendto: '+4915700001234', body: 'json', device_id: 260, sim: 0 },
			response: { status: 200, body: { error: 0, sms_id: 62807347 } },
		});
		expect(list[1].headers['content-type']).toBe('application/json');
		expect(list[1].seq).toBeGreaterThan(list[0].seq);
		expect(typeof list[0].time).toBe('string');

		expect((await control(sim, 'GET', `requests?since=${list[0].seq}`)).json).toHaveLength(1);
		expect((await control(sim, 'GET', 'requests?provider=ugsms')).json).toEqual([]);
		expect((await control(sim, 'DELETE', 'requests')).status).toBe(200);
		expect((await control(sim, 'GET', 'requests')).json).toEqual([]);
	});

	it('records faulted requests with their fault', async () => {
		await addFault({ kind: 'status', status: 503 });
		await sendSms(sim, token);
		const [record] = sim.requests();
		expect(record.fault).toEqual({ id: expect.any(Number), kind: 'status', afterProcessing: false });
		expect(record.response).toMatchObject({ status: 503, body: '503 Service Unavailable' });
	});

	it('does not record control calls or the HTML page', async () => {
		await control(sim, 'GET', 'state');
		await fetch(sim.url);
		expect(sim.requests()).toEqual([]);
	});
});

describe('reset, state and control API', () => {
	it('reset returns to seed: messages, ids, tokens, faults and requests', async () => {
		await sendSms(sim, token);
		await sgPost(sim, 'savetag', { token, title: 't' });
		await addFault({ kind: 'drop', pathIncludes: 'nothing-matches' });
		expect((await control(sim, 'POST', 'reset')).status).toBe(200);
		expect(sim.requests()).toEqual([]);
		expect(sim.faults()).toEqual([]);
		const state = (await control(sim, 'GET', 'state')).json.smsgateway24;
		expect(state.messages).toEqual([]);
		expect(state.tags).toEqual([]);
		expect(state.activeTokens).toBe(0);
		expect((await sendSms(sim, token)).json).toEqual({ error: 1, message: 'Token is not valid' });
		expect((await sendSms(sim, await login(sim))).json.sms_id).toBe(62807347);
	});

	it('exposes live state and snapshots in process', async () => {
		await sendSms(sim, token);
		const live = sim.state.smsgateway24 as { messages: Map<number, { status: number }> };
		expect(live.messages.get(62807347)?.status).toBe(1);
		sim.advance();
		expect(live.messages.get(62807347)?.status).toBe(3);
	});

	it('answers control mistakes with 4xx JSON', async () => {
		expect((await control(sim, 'GET', 'nope')).status).toBe(404);
		expect((await control(sim, 'POST', 'incoming', { provider: 'nosuch', from: '1' })).status).toBe(404);
		expect((await control(sim, 'POST', 'incoming', { provider: 'smsgateway24' })).status).toBe(400);
		expect((await control(sim, 'POST', 'incoming', { provider: 'smsgateway24', from: '1', deviceId: 3 })).status).toBe(400);
		expect((await control(sim, 'POST', 'advance', { steps: 'many' })).status).toBe(400);
		const health = await control(sim, 'GET', 'health');
		// Compared with the registry, not a fixed list, so adding a provider does not break this test.
		expect(health.json).toEqual({ ok: true, url: sim.url, providers: sim.providers });
		expect(sim.providers).toContain('smsgateway24');
		const seed = (await control(sim, 'GET', 'seed')).json.smsgateway24;
		expect(seed).toMatchObject({ email: SG24.email, password: SG24.password, panelToken: SG24.panelToken });
	});

	it('answers 404 JSON outside provider prefixes', async () => {
		const res = await fetch(`${sim.url}/getdata/addsms`);
		expect(res.status).toBe(404);
		expect(((await res.json()) as { providers: string[] }).providers).toEqual(sim.providers);
	});

	it('serves an HTML overview with escaped content and no external assets', async () => {
		await sendSms(sim, token, { body: '<script>alert(1)</script>' });
		const res = await fetch(`${sim.url}/`);
		expect(res.headers.get('content-type')).toMatch(/^text\/html/);
		const html = await res.text();
		expect(html).toContain('Office Pixel');
		expect(html).toContain('Warehouse Emulator');
		expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
		expect(html).not.toContain('<script>alert(1)');
		expect(html).not.toMatch(/(src|href)="https?:\/\/(?!127\.0\.0\.1)/);
		expect(html).toContain('Recent requests');
	});
});

describe('provider modules', () => {
	it('mounts any ProviderFactory under its name with recording and faults for free', async () => {
		const echo: ProviderFactory = {
			name: 'echo',
			create: () => ({
				name: 'echo',
				title: 'Echo',
				handle: (r) => ({ status: 200, json: { path: r.path, fields: r.fields } }),
				reset: () => undefined,
				advance: () => undefined,
				advanceDue: () => undefined,
				expireTokens: () => undefined,
				authErrorResponse: () => ({ status: 401, json: { error: 'unauthorized' } }),
				snapshot: () => ({}),
				describeSeed: () => ({}),
				renderHtml: () => '<p>echo</p>',
			}),
		};
		const custom = await startSimulator({ providers: [echo] });
		try {
			const res = await fetch(`${custom.url}/echo/a/b?x=1`, { method: 'POST', body: new URLSearchParams({ y: '2' }) });
			expect(await res.json()).toEqual({ path: '/a/b', fields: { x: '1', y: '2' } });
			custom.addFault({ kind: 'expiredToken', provider: 'echo' });
			expect((await fetch(`${custom.url}/echo/`)).status).toBe(401);
			expect(custom.requests({ provider: 'echo' })).toHaveLength(2);
		} finally {
			await custom.close();
		}
	});
});

describe('multipart parser', () => {
	it('keeps binary file data intact and reads text fields', () => {
		const binary = Buffer.from([0x00, 0x0d, 0x0a, 0x2d, 0x2d, 0xff, 0x0d, 0x0a]);
		const body = Buffer.concat([
			Buffer.from('--XyZ\r\nContent-Disposition: form-data; name="token"\r\n\r\nabc\r\n'),
			Buffer.from('--XyZ\r\nContent-Disposition: form-data; name="file"; filename="a b.png"\r\nContent-Type: image/png\r\n\r\n'),
			binary,
			Buffer.from('\r\n--XyZ\r\nContent-Disposition: form-data; name="u"; filename*=UTF-8\'\'%C3%BC.gif\r\n\r\nG\r\n--XyZ--\r\n'),
		]);
		const parts = parseMultipart(body, 'XyZ');
		expect(parts.map((p) => p.name)).toEqual(['token', 'file', 'u']);
		expect(parts[0].data.toString()).toBe('abc');
		expect(parts[1]).toMatchObject({ filename: 'a b.png', contentType: 'image/png' });
		expect(parts[1].data.equals(binary)).toBe(true);
		expect(parts[2].filename).toBe('ü.gif');
	});

	it('reports a truncated body to the provider instead of crashing', async () => {
		const res = await fetch(`${sim.url}/smsgateway24/getdata/addsms`, {
			method: 'POST',
			headers: { 'Content-Type': 'multipart/form-data; boundary=abc' },
			body: `--abc\r\nContent-Disposition: form-data; name="token"\r\n\r\n${token}`,
		});
		expect(res.status).toBe(200);
		expect(await res.json()).toEqual({ error: 1, message: 'Token is not valid' });
		expect(sim.requests()[0].bodyError).toMatch(/not terminated/);
	});
});
