import { startSimulator, type Simulator } from '../../simulator/server';
import type { UgsmsProvider, UgsmsSeed } from '../../simulator/providers/ugsms';
import { control, waitFor, type HttpAnswer } from './helpers';

const KEY = 'ug-key-0123456789abcdef';
const LOGIN = { username: 'demo-ug', password: 'demo-ug-password' };

let sim: Simulator;

beforeAll(async () => {
	sim = await startSimulator({ port: 0 });
});
afterAll(async () => {
	await sim.close();
});
beforeEach(() => {
	sim.reset();
});

async function answer(res: Response): Promise<HttpAnswer> {
	const text = await res.text();
	let json: unknown;
	try {
		json = text === '' ? undefined : JSON.parse(text);
	} catch {
		json = undefined;
	}
	return { status: res.status, headers: res.headers, text, json };
}

interface CallOptions {
	method?: string;
	key?: string | null;
	json?: Record<string, unknown>;
	form?: Record<string, string>;
	query?: Record<string, string>;
}

/** Calls `<sim>/ugsms/<path>`; `key` goes into X-API-Key (the default is the seeded key, null = none). */
async function ug(target: Simulator, path: string, opts: CallOptions = {}): Promise<HttpAnswer> {
	const headers: Record<string, string> = { Accept: 'application/json' };
	const key = opts.key === undefined ? KEY : opts.key;
	if (key !== null) headers['X-API-Key'] = key;
	let body: string | URLSearchParams | undefined;
	if (opts.json) {
		headers['Content-Type'] = 'application/json';
		body = JSON.stringify(opts.json);
	} else if (opts.form) {
		body = new URLSearchParams(opts.form);
	}
	const qs = opts.query ? `?${new URLSearchParams(opts.query).toString()}` : '';
	const method = opts.method ?? (body === undefined ? 'GET' : 'POST');
	return answer(await fetch(`${target.url}/ugsms/${path}${qs}`, { method, headers, body }));
}

function sendV2(target: Simulator, fields: Record<string, unknown> = {}, key: string | null = KEY): Promise<HttpAnswer> {
	return ug(target, 'api/v2/sms/send', { key, json: { numbers: '0701234567, 0712345678', message_body: 'Hello, this is a test message.', ...fields } });
}

async function withSim(seed: Partial<UgsmsSeed>, run: (s: Simulator) => Promise<void>): Promise<void> {
	const s = await startSimulator({ port: 0, seed: { ugsms: seed } });
	try {
		await run(s);
	} finally {
		await s.close();
	}
}

describe('UGSMS v2 (API key)', () => {
	it('sends to two national numbers and charges 10 per recipient and segment', async () => {
		const a = await sendV2(sim);
		expect(a.status).toBe(200);
		expect(a.json).toEqual({
			success: true,
			message: 'Message sent successfully',
			data: {
				message_id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
				recipients: 2,
				estimated_cost: 20,
				remaining_balance: 980,
			},
		});
		// PHP writes floats with a decimal point; the raw text keeps that.
		expect(a.text).toContain('"estimated_cost":20.0,"remaining_balance":980.0');
		expect(a.headers.get('content-type')).toBe('application/json');
	});

	it('accepts GET with the query string and the key as api_key', async () => {
		const a = await ug(sim, 'api/v2/sms/send', {
			key: null,
			query: { api_key: KEY, numbers: '256701234567', message_body: 'Hi' },
		});
		expect(a.status).toBe(200);
		expect(a.json.data.recipients).toBe(1);
		const form = await ug(sim, 'api/v2/sms/send', { key: null, form: { api_key: KEY, numbers: '+256701234567', message_body: 'Hi' } });
		expect(form.status).toBe(200);
	});

	it('counts 160-character segments', async () => {
		const a = await sendV2(sim, { numbers: '0701234567', message_body: 'x'.repeat(161) });
		expect(a.json.data).toMatchObject({ recipients: 1, estimated_cost: 20, remaining_balance: 980 });
	});

	it('reports the balance', async () => {
		await sendV2(sim);
		const a = await ug(sim, 'api/v2/account/balance');
		expect(a.status).toBe(200);
		expect(a.json).toEqual({ success: true, message: 'Balance retrieved successfully', data: { balance: 980, currency: 'UGX' } });
		expect(a.text).toContain('"balance":980.0');
	});

	it('answers the documented 401 without a key, and 401 for a wrong key', async () => {
		const none = await sendV2(sim, {}, null);
		expect(none.status).toBe(401);
		expect(none.json).toEqual({ error: 'API key is required', help: 'Provide X-API-Key header or api_key parameter' });
		expect(none.headers.get('x-ratelimit-limit')).toBe('60');
		const wrong = await ug(sim, 'api/v2/account/balance', { key: 'ug-key-wrong' });
		expect(wrong.status).toBe(401);
		expect(wrong.json).toEqual({ error: 'Invalid API key', help: expect.any(String) });
		expect(sim.snapshot('ugsms')).toMatchObject({ balance: 1000, messages: [] });
	});

	it('accepts national and international numbers and rejects anything else with 400', async () => {
		const ok = await sendV2(sim, { numbers: '0701234567,256772123456,+256751234567, ' });
		expect(ok.json.data.recipients).toBe(3);
		const messages = (sim.snapshot('ugsms') as { messages: { normalized: string[] }[] }).messages;
		expect(messages[0].normalized).toEqual(['256701234567', '256772123456', '256751234567']);
		for (const bad of ['701234567', '0701 234567', '+254712345678', '0412345678', '07012345678', 'abc', ',']) {
			const a = await sendV2(sim, { numbers: bad });
			expect(a.status).toBe(400);
			expect(a.json).toEqual({ error: 'Invalid phone number format.' });
		}
		// One bad number refuses the whole request: nothing is sent or charged (3 recipients cost 30).
		expect((await sendV2(sim, { numbers: '0701234567,123' })).status).toBe(400);
		expect((sim.snapshot('ugsms') as { balance: number }).balance).toBe(970);
	});

	it('validates required fields and a sender id of at most 11 characters', async () => {
		expect((await sendV2(sim, { numbers: '' })).json).toEqual({ error: 'The numbers field is required.' });
		expect((await sendV2(sim, { message_body: ' ' })).json).toEqual({ error: 'The message body field is required.' });
		const long = await sendV2(sim, { sender_id: 'ACME-CLINIC' + 'X' });
		expect(long.status).toBe(400);
		expect(long.json).toEqual({ error: 'The sender id field must not be greater than 11 characters.' });
		expect((await sendV2(sim, { sender_id: 'ACME-CLINIC' })).status).toBe(200);
	});

	it('refuses a send the balance cannot cover with 402', async () => {
		await withSim({ balance: 15 }, async (s) => {
			const a = await sendV2(s);
			expect(a.status).toBe(402);
			expect(a.json).toEqual({ error: 'Insufficient balance.' });
		});
	});

	it('answers Laravel-style 404 and 405 without rate-limit headers', async () => {
		const missing = await ug(sim, 'api/v2/sms/status');
		expect(missing.status).toBe(404);
		expect(missing.json).toEqual({ message: 'The route api/v2/sms/status could not be found.' });
		expect(missing.headers.get('x-ratelimit-limit')).toBeNull();
		const wrong = await ug(sim, 'api/v2/account/balance', { method: 'POST' });
		expect(wrong.status).toBe(405);
	});
});

describe('UGSMS v1 (username + password)', () => {
	it('sends with a JSON body, a form body or the query string', async () => {
		const json = await ug(sim, 'v1/sms/send', { key: null, json: { ...LOGIN, numbers: '0701234567, 0712345678', message_body: 'Hello' } });
		expect(json.status).toBe(200);
		expect(json.json).toEqual({
			success: true,
			message: 'Message sent successfully',
			data: { message_id: expect.any(String), recipients: 2, estimated_cost: 20, remaining_balance: 980 },
		});
		const form = await ug(sim, 'v1/sms/send', { key: null, form: { ...LOGIN, numbers: '0701234567', message_body: 'Hello', sender_id: 'ACME' } });
		expect(form.json.data.remaining_balance).toBe(970);
		const query = await ug(sim, 'v1/sms/send', { key: null, method: 'POST', query: { ...LOGIN, numbers: '0701234567', message_body: 'Hello' } });
		expect(query.json.data.remaining_balance).toBe(960);
		expect(query.headers.get('x-ratelimit-remaining')).toBe('57');
	});

	it('answers 401 Unauthorized. for wrong or missing credentials, and the v1 number error', async () => {
		const wrong = await ug(sim, 'v1/sms/send', { key: null, json: { username: 'demo-ug', password: 'x', numbers: '0701234567', message_body: 'Hi' } });
		expect(wrong.status).toBe(401);
		expect(wrong.json).toEqual({ error: 'Unauthorized.' });
		expect((await ug(sim, 'v1/sms/send', { key: null, json: { numbers: '0701234567', message_body: 'Hi' } })).json).toEqual({
			error: 'Unauthorized.',
		});
		const bad = await ug(sim, 'v1/sms/send', { key: null, json: { ...LOGIN, numbers: '12345', message_body: 'Hi' } });
		expect(bad.status).toBe(400);
		expect(bad.json).toEqual({ error: 'Invalid phone number format.' });
		// The API key is not a v1 credential.
		expect((await ug(sim, 'v1/sms/send', { json: { numbers: '0701234567', message_body: 'Hi' } })).status).toBe(401);
		expect((await ug(sim, 'v1/sms/send', { key: null, query: { ...LOGIN } })).status).toBe(405);
	});
});

describe('UGSMS key management', () => {
	it('regenerates the key with expiry_days; the old key stops working', async () => {
		const a = await ug(sim, 'api/regenerate-key', { key: null, json: { ...LOGIN, expiry_days: 9 } });
		expect(a.status).toBe(200);
		expect(a.json).toEqual({
			success: true,
			message: 'API key regenerated successfully',
			data: {
				api_key: expect.stringMatching(/^ug-key-[0-9a-f]{32}$/),
				expires_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/),
				created_at: expect.any(String),
			},
		});
		const days = (Date.parse(a.json.data.expires_at) - Date.parse(a.json.data.created_at)) / 86_400_000;
		expect(days).toBeCloseTo(9, 5);
		expect((await ug(sim, 'api/v2/account/balance')).json.error).toBe('Invalid API key');
		expect((await ug(sim, 'api/v2/account/balance', { key: a.json.data.api_key })).status).toBe(200);
	});

	it('generate-key refuses while a key is active, works after revoke; revoke works with the key itself', async () => {
		const refused = await ug(sim, 'api/generate-key', { key: null, json: { ...LOGIN } });
		expect(refused.status).toBe(409);
		expect(refused.json.error).toMatch(/already exists/);

		const revoked = await ug(sim, 'api/revoke-key', { method: 'POST' });
		expect(revoked.status).toBe(200);
		expect(revoked.json).toEqual({ success: true, message: 'API key revoked successfully' });
		expect((await ug(sim, 'api/v2/account/balance')).status).toBe(401);
		expect((await ug(sim, 'api/revoke-key', { key: null, json: { ...LOGIN } })).status).toBe(404);

		const generated = await ug(sim, 'api/generate-key', { key: null, form: { ...LOGIN } });
		expect(generated.status).toBe(200);
		expect(generated.json.message).toBe('API key generated successfully');
		expect(generated.json.data.expires_at).toBeNull();
		expect((await sendV2(sim, {}, generated.json.data.api_key)).status).toBe(200);
	});

	it('validates expiry_days as an integer from 1 to 365 with 400', async () => {
		const cases: [unknown, string][] = [
			[0, 'The expiry days field must be at least 1.'],
			[366, 'The expiry days field must not be greater than 365.'],
			['soon', 'The expiry days field must be an integer.'],
			[1.5, 'The expiry days field must be an integer.'],
		];
		for (const [value, message] of cases) {
			const a = await ug(sim, 'api/regenerate-key', { key: null, json: { ...LOGIN, expiry_days: value } });
			expect(a.status).toBe(400);
			expect(a.json).toEqual({ error: message, errors: { expiry_days: [message] } });
		}
		expect((await ug(sim, 'api/regenerate-key', { key: null, json: { ...LOGIN, expiry_days: '365' } })).status).toBe(200);
	});

	it('needs the account login or a valid key', async () => {
		const none = await ug(sim, 'api/regenerate-key', { key: null, json: { expiry_days: 3 } });
		expect(none.status).toBe(401);
		expect(none.json).toEqual({ error: 'Unauthorized.' });
		const wrongKey = await ug(sim, 'api/revoke-key', { key: 'nope', method: 'POST' });
		expect(wrongKey.status).toBe(401);
		expect(wrongKey.json.error).toBe('Invalid API key');
		expect((await ug(sim, 'api/regenerate-key', { json: { expiry_days: 3 } })).status).toBe(200);
	});

	it('expire-tokens expires keys with an expiry date; includePanelToken any key; the fault mimics it', async () => {
		await control(sim, 'POST', 'expire-tokens', { provider: 'ugsms' });
		expect((await ug(sim, 'api/v2/account/balance')).status).toBe(200);
		await control(sim, 'POST', 'expire-tokens', { provider: 'ugsms', includePanelToken: true });
		const expired = await ug(sim, 'api/v2/account/balance');
		expect(expired.status).toBe(401);
		expect(expired.json).toEqual({ error: 'API key has expired', help: expect.any(String) });
		// An expired key cannot manage keys; the login can.
		expect((await ug(sim, 'api/regenerate-key', { json: {} })).status).toBe(401);
		const fresh = await ug(sim, 'api/regenerate-key', { key: null, json: { ...LOGIN, expiry_days: 1 } });
		await control(sim, 'POST', 'expire-tokens', { provider: 'ugsms' });
		expect((await ug(sim, 'api/v2/account/balance', { key: fresh.json.data.api_key })).json.error).toBe('API key has expired');

		sim.reset('ugsms');
		sim.addFault({ kind: 'expiredToken', provider: 'ugsms' });
		const fault = await ug(sim, 'api/v2/account/balance');
		expect(fault.status).toBe(401);
		expect(fault.json.error).toBe('API key has expired');
	});
});

describe('UGSMS rate limit', () => {
	it('carries limit, remaining and reset on every answer, 401s included', async () => {
		const first = await ug(sim, 'api/v2/account/balance');
		expect(first.headers.get('x-ratelimit-limit')).toBe('60');
		expect(first.headers.get('x-ratelimit-remaining')).toBe('59');
		const reset = Number(first.headers.get('x-ratelimit-reset'));
		expect(reset).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000));
		expect(reset).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000) + 61);
		expect((await sendV2(sim)).headers.get('x-ratelimit-remaining')).toBe('58');
		// Another key (even a wrong one) and the anonymous caller count separately.
		expect((await ug(sim, 'api/v2/account/balance', { key: 'other' })).headers.get('x-ratelimit-remaining')).toBe('59');
		expect((await ug(sim, 'api/v2/account/balance', { key: null })).headers.get('x-ratelimit-remaining')).toBe('59');
	});

	it('answers the 61st request in a window with 429 and Retry-After, recorded as such', async () => {
		for (let i = 0; i < 60; i++) {
			const a = await ug(sim, 'api/v2/account/balance');
			expect(a.status).toBe(200);
		}
		const over = await sendV2(sim);
		expect(over.status).toBe(429);
		expect(over.json).toEqual({ message: 'Too Many Attempts.' });
		expect(over.headers.get('x-ratelimit-remaining')).toBe('0');
		const retry = Number(over.headers.get('retry-after'));
		expect(retry).toBeGreaterThanOrEqual(1);
		expect(retry).toBeLessThanOrEqual(60);
		// Refused requests are not processed: nothing was charged.
		expect((sim.snapshot('ugsms') as { balance: number }).balance).toBe(1000);
		const refused = sim.requests({ provider: 'ugsms' }).filter((r) => r.response?.status === 429);
		expect(refused).toHaveLength(1);
		expect((sim.snapshot('ugsms') as { rateLimit: { rejected: number } }).rateLimit.rejected).toBe(1);
		// v1 is counted per username, so it still has its own budget.
		expect((await ug(sim, 'v1/sms/send', { key: null, json: { ...LOGIN, numbers: '0701234567', message_body: 'Hi' } })).status).toBe(200);
		// advance = "a window passed".
		sim.advance(1, 'ugsms');
		expect((await ug(sim, 'api/v2/account/balance')).status).toBe(200);
	});

	it('opens a new window after rateWindowMs (short window, small limit)', async () => {
		// 1 s: long enough for three requests on a slow machine, short enough to wait for.
		await withSim({ rateLimit: 3, rateWindowMs: 1000 }, async (s) => {
			for (let i = 0; i < 3; i++) expect((await ug(s, 'api/v2/account/balance')).status).toBe(200);
			const over = await ug(s, 'api/v2/account/balance');
			expect(over.status).toBe(429);
			expect(over.headers.get('x-ratelimit-limit')).toBe('3');
			expect(over.headers.get('retry-after')).toBe('1');
			await waitFor(async () => (await ug(s, 'api/v2/account/balance')).status === 200, 3000, 50);
			const fresh = s.requests({ provider: 'ugsms' }).at(-1);
			expect(fresh?.response?.headers['x-ratelimit-remaining']).toBe('2');
		});
	});

	it('a client that paces itself sees zero 429s', async () => {
		await withSim({ rateLimit: 5, rateWindowMs: 200 }, async (s) => {
			for (let i = 0; i < 8; i++) {
				const a = await ug(s, 'api/v2/account/balance');
				if (a.headers.get('x-ratelimit-remaining') === '0') {
					const resetAt = Number(a.headers.get('x-ratelimit-reset')) * 1000;
					await new Promise((r) => setTimeout(r, Math.max(0, resetAt - Date.now()) + 10));
				}
			}
			expect(s.requests({ provider: 'ugsms' }).filter((r) => r.response?.status === 429)).toEqual([]);
		});
	});

	it('resetRateLimits ends the windows in process', async () => {
		await withSim({ rateLimit: 1 }, async (s) => {
			await ug(s, 'api/v2/account/balance');
			expect((await ug(s, 'api/v2/account/balance')).status).toBe(429);
			s.provider<UgsmsProvider>('ugsms').resetRateLimits();
			expect((await ug(s, 'api/v2/account/balance')).status).toBe(200);
		});
	});
});

describe('UGSMS inspection', () => {
	it('lists sends in the state, the seed and the HTML page', async () => {
		await sendV2(sim, { message_body: '<i>hi</i>' });
		const state = sim.snapshot('ugsms') as { messages: { api: string; numbers: string[] }[] };
		expect(state.messages[0]).toMatchObject({ api: 'v2', numbers: ['0701234567', '0712345678'] });
		expect((await control(sim, 'GET', 'seed')).json.ugsms).toMatchObject({ username: 'demo-ug', apiKey: KEY, baseUrlV2: `${sim.url}/ugsms/api/v2` });
		const html = await (await fetch(`${sim.url}/?refresh=0`)).text();
		expect(html).toContain('&lt;i&gt;hi&lt;/i&gt;');
	});
});
