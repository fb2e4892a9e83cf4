import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startSimulator, type Simulator } from '../../simulator/server';
import {
	MF_DEFAULT_SEED,
	mfCountParts,
	mfParseDate,
	type MessageFlowProvider,
} from '../../simulator/providers/messageflow';
import { control, waitFor, type HttpAnswer } from './helpers';

const AUTH = { Authorization: 'mf-auth-key-0123456789', 'Application-Key': 'mf-app-key-abcdef' };

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

/** POSTs a JSON body to `<sim>/messageflow/v2.1/sms` with the seeded keys unless `headers` replaces them. */
async function mfSend(target: Simulator, body: unknown, headers: Record<string, string> = AUTH): Promise<HttpAnswer> {
	return answer(
		await fetch(`${target.url}/messageflow/v2.1/sms`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json', ...headers },
			body: typeof body === 'string' ? body : JSON.stringify(body),
		}),
	);
}

async function mfList(target: Simulator, query: Record<string, string | number> = {}, headers: Record<string, string> = AUTH): Promise<HttpAnswer> {
	const qs = new URLSearchParams();
	for (const [k, v] of Object.entries(query)) qs.set(k, String(v));
	const suffix = qs.toString() === '' ? '' : `?${qs.toString()}`;
	return answer(await fetch(`${target.url}/messageflow/v2.1/sms${suffix}`, { headers }));
}

function sendOne(extra: Record<string, unknown> = {}): Promise<HttpAnswer> {
	return mfSend(sim, { sender: 'ACME', message: 'Hello', phoneNumbers: ['+48500100200'], ...extra });
}

function provider(target: Simulator = sim): MessageFlowProvider {
	return target.provider<MessageFlowProvider>('messageflow');
}

function statusOf(smsId: string): number | undefined {
	return provider().state.messages.get(smsId)?.status;
}

const ANY_TIME = expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);

describe('MessageFlow auth', () => {
	const unauthorized = (message: string, parameter: string): unknown => ({
		errors: [{ title: 'Unauthorized', message, code: 401, meta: { source: 'header', parameter } }],
	});

	it('answers 401 in the MessageFlow error shape for missing or wrong keys', async () => {
		const cases: [Record<string, string>, string, string][] = [
			[{}, 'Missing Authorization header', 'Authorization'],
			[{ Authorization: AUTH.Authorization }, 'Missing Application-Key header', 'Application-Key'],
			[{ ...AUTH, Authorization: 'nope' }, 'Invalid authorization key', 'Authorization'],
			[
				{ ...AUTH, Authorization: `Bearer ${AUTH.Authorization}` },
				'Invalid authorization key (send the raw key, without a "Bearer" prefix)',
				'Authorization',
			],
			[{ ...AUTH, 'Application-Key': 'nope' }, 'Invalid application key', 'Application-Key'],
		];
		for (const [headers, message, parameter] of cases) {
			const sent = await mfSend(sim, { sender: 'ACME', message: 'x', phoneNumbers: ['+48500100200'] }, headers);
			expect(sent.status).toBe(401);
			expect(sent.json).toEqual(unauthorized(message, parameter));
			expect((await mfList(sim, {}, headers)).status).toBe(401);
		}
		expect(provider().state.messages.size).toBe(0);
	});

	it('keeps static keys through expire-tokens and revokes them with includePanelToken until reset', async () => {
		await control(sim, 'POST', 'expire-tokens', { provider: 'messageflow' });
		expect((await sendOne()).status).toBe(201);
		await control(sim, 'POST', 'expire-tokens', { provider: 'messageflow', includePanelToken: true });
		const revoked = await sendOne();
		expect(revoked.status).toBe(401);
		expect(revoked.json.errors[0].message).toBe('Authorization key has been revoked');
		sim.reset('messageflow');
		expect((await sendOne()).status).toBe(201);
	});

	it('answers the expiredToken fault with the 401 envelope and leaves the keys working', async () => {
		sim.addFault({ provider: 'messageflow', kind: 'expiredToken' });
		const faulted = await sendOne();
		expect(faulted.status).toBe(401);
		expect(faulted.json.errors[0]).toMatchObject({ title: 'Unauthorized', code: 401 });
		expect((await sendOne()).status).toBe(201);
	});
});

describe('MessageFlow send', () => {
	it('accepts every number: 201, one data entry with its own smsId per number, meta totals', async () => {
		const sent = await mfSend(sim, {
			sender: 'SHOP',
			message: 'Your order shipped',
			phoneNumbers: ['+48500100200', '48500100201', '+4915700001234'],
			externalId: 'order-42',
			validity: 60,
			type: 1,
			shortLink: true,
			webhookUrl: 'https://hooks.example.test/dlr',
		});
		expect(sent.status).toBe(201);
		expect(sent.json.errors).toEqual([]);
		expect(sent.json.data).toEqual([
			{
				smsId: '7100000001',
				sender: 'SHOP',
				phoneNumber: '+48500100200',
				externalId: 'order-42',
				status: 2,
				statusTime: ANY_TIME,
				createTime: ANY_TIME,
				smsPrice: 0.07,
				currency: 'PLN',
				numberOfParts: 1,
			},
			expect.objectContaining({ smsId: '7100000002', phoneNumber: '48500100201' }),
			expect.objectContaining({ smsId: '7100000003', phoneNumber: '+4915700001234' }),
		]);
		expect(sent.json.meta).toEqual({
			sentSms: 3,
			notSentSms: 0,
			accountBalance: 999.79,
			numberOfErrors: 0,
			numberOfData: 3,
			status: 201,
			uniqId: expect.stringMatching(/^[0-9a-f-]{36}$/),
		});
		const stored = provider().state.messages.get('7100000001')!;
		expect(stored).toMatchObject({ validity: 60, type: 1, shortLink: true, uniqId: sent.json.meta.uniqId, requestSeq: expect.any(Number) });
		const [recorded] = sim.requests({ provider: 'messageflow' });
		expect(recorded).toMatchObject({ method: 'POST', path: '/messageflow/v2.1/sms', response: { status: 201 } });
		expect(recorded.body.phoneNumbers).toEqual(['+48500100200', '48500100201', '+4915700001234']);
	});

	it('accepts part of the numbers: valid ones in data, invalid and blocked ones in errors', async () => {
		const sent = await mfSend(sim, {
			sender: 'ACME',
			message: 'Hi',
			phoneNumbers: ['+48500100200', '12-34', '+48500109999', 48500100201, '048500100202'],
		});
		expect(sent.status).toBe(201);
		expect(sent.json.data).toHaveLength(1);
		expect(sent.json.data[0]).toMatchObject({ phoneNumber: '+48500100200', status: 2 });
		const invalid = (value: unknown): unknown => ({
			title: 'Invalid phone number',
			message: 'Phone number must be 8 to 15 digits with an optional leading +',
			code: 422,
			meta: { source: 'body', parameter: 'phoneNumbers', value },
		});
		expect(sent.json.errors).toEqual([
			invalid('12-34'),
			{
				title: 'Blocked by operator',
				message: 'The operator refuses messages to +48500109999',
				code: 422,
				meta: { source: 'body', parameter: 'phoneNumbers', value: '+48500109999' },
			},
			invalid(48500100201),
			invalid('048500100202'),
		]);
		expect(sent.json.meta).toMatchObject({ sentSms: 1, notSentSms: 4, numberOfErrors: 4, numberOfData: 1, status: 201 });
		expect(provider().state.messages.size).toBe(1);
	});

	it('answers 422 when no number is accepted', async () => {
		const sent = await mfSend(sim, { sender: 'ACME', message: 'Hi', phoneNumbers: ['+48500109999', 'x'] });
		expect(sent.status).toBe(422);
		expect(sent.json.data).toEqual([]);
		expect(sent.json.errors.map((e: { title: string }) => e.title)).toEqual(['Blocked by operator', 'Invalid phone number']);
		expect(sent.json.meta).toMatchObject({ sentSms: 0, notSentSms: 2, status: 422, accountBalance: 1000 });
	});

	it('rejects an invalid body with 422, listing every problem, and creates nothing', async () => {
		const sent = await mfSend(sim, {
			sender: 'EVIL',
			message: '   ',
			phoneNumbers: '+48500100200',
			validity: 0,
			scheduleTime: '1767225600',
			type: 1.5,
			shortLink: 'yes',
			webhookUrl: 'ftp://x',
			externalId: 7,
		});
		expect(sent.status).toBe(422);
		expect(sent.json.data).toEqual([]);
		const byParameter = Object.fromEntries(
			(sent.json.errors as { title: string; code: number; meta: { parameter: string } }[]).map((e) => [e.meta.parameter, e.title]),
		);
		expect(byParameter).toEqual({
			sender: 'Invalid sender',
			message: 'Validation Error',
			phoneNumbers: 'Validation Error',
			validity: 'Validation Error',
			scheduleTime: 'Validation Error',
			type: 'Validation Error',
			shortLink: 'Validation Error',
			webhookUrl: 'Validation Error',
			externalId: 'Validation Error',
		});
		expect(sent.json.errors.every((e: { code: number }) => e.code === 422)).toBe(true);
		expect(sent.json.errors[0]).toEqual({
			title: 'Invalid sender',
			message: 'Sender EVIL is not registered for this account',
			code: 422,
			meta: { source: 'body', parameter: 'sender', value: 'EVIL' },
		});
		expect(provider().state.messages.size).toBe(0);
	});

	it('names missing fields and refuses a scheduleTime in milliseconds', async () => {
		const empty = await mfSend(sim, {});
		expect(empty.status).toBe(422);
		expect(empty.json.errors.map((e: { meta: { parameter: string } }) => e.meta.parameter)).toEqual(['sender', 'message', 'phoneNumbers']);
		const ms = await sendOne({ scheduleTime: Date.now() + 60_000 });
		expect(ms.status).toBe(422);
		expect(ms.json.errors[0].message).toBe('scheduleTime must be a Unix time in seconds, at most one year ahead');
	});

	it('answers 400 for broken JSON, 415 for non-JSON, 404 for unknown paths and 405 for other methods', async () => {
		const broken = await mfSend(sim, '{"sender":');
		expect(broken.status).toBe(400);
		expect(broken.json.errors[0]).toMatchObject({ title: 'Bad Request', code: 400 });
		expect(broken.json.meta).toMatchObject({ status: 400, sentSms: 0 });

		const notObject = await mfSend(sim, '["+48500100200"]');
		expect(notObject.status).toBe(400);

		const form = await answer(
			await fetch(`${sim.url}/messageflow/v2.1/sms`, {
				method: 'POST',
				headers: { ...AUTH, 'Content-Type': 'application/x-www-form-urlencoded' },
				body: 'sender=ACME&message=x&phoneNumbers=%2B48500100200',
			}),
		);
		expect(form.status).toBe(415);
		expect(form.json).toEqual({
			errors: [
				{
					title: 'Unsupported Media Type',
					message: 'Send the request body as application/json',
					code: 415,
					meta: { source: 'header', parameter: 'Content-Type', value: 'application/x-www-form-urlencoded' },
				},
			],
		});

		const unknown = await answer(await fetch(`${sim.url}/messageflow/v2/sms`, { headers: AUTH }));
		expect(unknown.status).toBe(404);
		expect(unknown.json.errors[0]).toMatchObject({ title: 'Not Found', code: 404 });

		const put = await answer(await fetch(`${sim.url}/messageflow/v2.1/sms`, { method: 'PUT', headers: AUTH }));
		expect(put.status).toBe(405);
		expect(put.headers.get('allow')).toBe('GET, POST');
	});

	it('counts parts with the 160/153 and 70/67 rule and refuses more than 9 parts', async () => {
		const parts = async (message: string): Promise<number> => {
			const sent = await sendOne({ message });
			return sent.status === 201 ? sent.json.data[0].numberOfParts : -sent.status;
		};
		expect(await parts('a'.repeat(160))).toBe(1);
		expect(await parts('a'.repeat(161))).toBe(2);
		expect(await parts('a'.repeat(306))).toBe(2);
		expect(await parts('a'.repeat(307))).toBe(3);
		expect(await parts('a'.repeat(1377))).toBe(9);
		expect(await parts('ż'.repeat(70))).toBe(1);
		expect(await parts('ż'.repeat(71))).toBe(2);
		expect(await parts('ż'.repeat(603))).toBe(9);
		// `€` is a GSM-7 extension character: two septets each.
		expect(await parts('€'.repeat(80))).toBe(1);
		expect(await parts('€'.repeat(81))).toBe(2);

		const gsmTooLong = await sendOne({ message: 'a'.repeat(1378) });
		expect(gsmTooLong.status).toBe(422);
		expect(gsmTooLong.json.errors[0]).toEqual({
			title: 'Message too long',
			message: 'Message needs 10 parts (GSM-7, 1378 characters); at most 9 parts (1377 GSM-7 / 603 Unicode characters) are allowed',
			code: 422,
			meta: { source: 'body', parameter: 'message', value: 1378 },
		});
		const ucsTooLong = await sendOne({ message: 'ż'.repeat(604) });
		expect(ucsTooLong.status).toBe(422);
		expect(ucsTooLong.json.errors[0].title).toBe('Message too long');
		// Price follows the parts.
		const three = await sendOne({ message: 'a'.repeat(307) });
		expect(three.json.data[0].smsPrice).toBe(0.21);
	});

	it('counts GSM-7 and UCS-2 units as documented', () => {
		expect(mfCountParts('Zażółć')).toEqual({ encoding: 'UCS-2', units: 6, parts: 1 });
		expect(mfCountParts('[x]')).toEqual({ encoding: 'GSM-7', units: 5, parts: 1 });
		expect(mfCountParts('😀'.repeat(35))).toEqual({ encoding: 'UCS-2', units: 70, parts: 1 });
		expect(mfCountParts('Ünïcode? no: ï is not GSM').encoding).toBe('UCS-2');
	});

	it('refuses numbers once the balance is spent (seed override)', async () => {
		const poor = await startSimulator({ seed: { messageflow: { accountBalance: 0.1 } } });
		try {
			const sent = await mfSend(poor, { sender: 'ACME', message: 'x', phoneNumbers: ['+48500100200', '+48500100201'] });
			expect(sent.status).toBe(201);
			expect(sent.json.data).toHaveLength(1);
			expect(sent.json.errors[0]).toMatchObject({ title: 'Insufficient funds', code: 402, meta: { value: '+48500100201' } });
			expect(sent.json.meta.accountBalance).toBe(0.03);
		} finally {
			await poor.close();
		}
	});

	it('prints RFC 3339 times with the timeFormat seed option', async () => {
		const rfc = await startSimulator({ seed: { messageflow: { timeFormat: 'rfc3339' } } });
		try {
			const sent = await mfSend(rfc, { sender: 'ACME', message: 'x', phoneNumbers: ['+48500100200'] });
			expect(sent.json.data[0].createTime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
		} finally {
			await rfc.close();
		}
	});
});

describe('MessageFlow status list', () => {
	it('pages with offset and limit (default 100, at most 1000) in creation order', async () => {
		const numbers = Array.from({ length: 105 }, (_, i) => `+4850010${String(i).padStart(4, '0')}`);
		expect((await mfSend(sim, { sender: 'ACME', message: 'bulk', phoneNumbers: numbers })).json.meta.sentSms).toBe(105);

		const first = await mfList(sim);
		expect(first.status).toBe(200);
		expect(first.json.data).toHaveLength(100);
		expect(first.json.data[0]).toEqual({
			smsId: '7100000001',
			sender: 'ACME',
			phoneNumber: '+48500100000',
			externalId: null,
			status: 2,
			statusTime: ANY_TIME,
			createTime: ANY_TIME,
			smsPrice: 0.07,
			currency: 'PLN',
			numberOfParts: 1,
		});
		expect(first.json.errors).toEqual([]);
		expect(first.json.meta).toEqual({
			total: 105,
			offset: 0,
			limit: 100,
			numberOfData: 100,
			numberOfErrors: 0,
			status: 200,
			uniqId: expect.any(String),
		});

		const second = await mfList(sim, { offset: 100, limit: 100 });
		expect(second.json.data.map((m: { smsId: string }) => m.smsId)).toEqual(
			['7100000101', '7100000102', '7100000103', '7100000104', '7100000105'],
		);
		const small = await mfList(sim, { offset: 3, limit: 2 });
		expect(small.json.data.map((m: { phoneNumber: string }) => m.phoneNumber)).toEqual(['+48500100003', '+48500100004']);

		const past = await mfList(sim, { offset: 105 });
		expect(past.status).toBe(404);
		expect(past.json).toEqual({
			data: [],
			errors: [{ title: 'Not Found', message: 'No results', code: 404 }],
			meta: expect.objectContaining({ total: 105, numberOfData: 0, numberOfErrors: 1, status: 404 }),
		});
	});

	it('answers 404 "no results" when nothing matches', async () => {
		const none = await mfList(sim);
		expect(none.status).toBe(404);
		expect(none.json.errors).toEqual([{ title: 'Not Found', message: 'No results', code: 404 }]);
	});

	it('validates offset, limit, dates and the sender list', async () => {
		const bad = async (query: Record<string, string | number>): Promise<string[]> => {
			const res = await mfList(sim, query);
			expect(res.status).toBe(422);
			return res.json.errors.map((e: { meta: { parameter: string } }) => e.meta.parameter);
		};
		expect(await bad({ limit: 1001 })).toEqual(['limit']);
		expect(await bad({ limit: 0 })).toEqual(['limit']);
		expect(await bad({ offset: -1 })).toEqual(['offset']);
		expect(await bad({ offset: 'x', limit: 'y' })).toEqual(['offset', 'limit']);
		expect(await bad({ dateFrom: '2026-01-01' })).toEqual(['dateFrom']);
		// An unencoded `+` in the query string arrives as a space.
		const raw = await answer(await fetch(`${sim.url}/messageflow/v2.1/sms?dateFrom=2026-01-01T10:00:00+02:00`, { headers: AUTH }));
		expect(raw.status).toBe(422);
		expect(await bad({ dateFrom: '2026-01-02 00:00:00', dateTo: '2026-01-01 00:00:00' })).toEqual(['dateTo']);
		expect(await bad({ sender: 'A,B,C,D,E,F,G,H,I,J,K' })).toEqual(['sender']);
		// At the limit the list is valid (and empty here).
		expect((await mfList(sim, { limit: 1000, sender: 'A,B,C,D,E,F,G,H,I,J' })).status).toBe(404);
	});

	it('filters by sender and by dateFrom/dateTo in both formats, whole seconds inclusive', async () => {
		await sendOne();
		await mfSend(sim, { sender: 'SHOP', message: 'x', phoneNumbers: ['+48500100201'] });
		const messages = [...provider().state.messages.values()];
		// An hour apart, the first 400 ms into its second, so the filters have clear edges.
		const now = Date.now();
		messages[0].createdAt = Math.floor((now - 3600_000) / 1000) * 1000 + 400;
		messages[1].createdAt = now;
		const shop = await mfList(sim, { sender: 'SHOP' });
		expect(shop.json.data.map((m: { sender: string }) => m.sender)).toEqual(['SHOP']);
		expect((await mfList(sim, { sender: 'ACME, SHOP' })).json.meta.total).toBe(2);
		expect((await mfList(sim, { sender: 'OTHER' })).status).toBe(404);

		const firstSecond = new Date(Math.floor(messages[0].createdAt / 1000) * 1000);
		const sql = firstSecond.toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, '');
		const upToFirst = await mfList(sim, { dateTo: sql });
		expect(upToFirst.json.data.map((m: { sender: string }) => m.sender)).toEqual(['ACME']);
		const rfcOffset = new Date(firstSecond.getTime() + 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
		const fromAfterFirst = await mfList(sim, { dateFrom: rfcOffset });
		expect(fromAfterFirst.json.data.map((m: { sender: string }) => m.sender)).toEqual(['SHOP']);
		// The same instant written with an explicit offset (the `+` URL-encoded by URLSearchParams).
		const plus2 = new Date(firstSecond.getTime() + 2 * 3600_000).toISOString().replace(/\.\d{3}Z$/, '+02:00');
		expect((await mfList(sim, { dateTo: plus2 })).json.meta.total).toBe(1);
		expect((await mfList(sim, { dateFrom: '2099-01-01 00:00:00' })).status).toBe(404);
	});

	it('lists only the last month', async () => {
		await sendOne();
		await sendOne();
		const [old] = provider().state.messages.values();
		old.createdAt = Date.now() - 40 * 24 * 3600_000;
		const list = await mfList(sim, { dateFrom: '2000-01-01 00:00:00' });
		expect(list.json.meta.total).toBe(1);
		expect(list.json.data[0].smsId).toBe('7100000002');
	});

	it('caps pages at maxListSize', async () => {
		const capped = await startSimulator({ maxListSize: 2 });
		try {
			await mfSend(capped, { sender: 'ACME', message: 'x', phoneNumbers: ['+48500100200', '+48500100201', '+48500100202'] });
			const list = await mfList(capped, { limit: 10 });
			expect(list.json.data).toHaveLength(2);
			expect(list.json.meta).toMatchObject({ total: 3, limit: 2 });
		} finally {
			await capped.close();
		}
	});

	it('parses both documented date formats', () => {
		expect(mfParseDate('2026-01-01 10:00:00')).toBe(Date.UTC(2026, 0, 1, 10));
		expect(mfParseDate('2026-01-01T12:00:00+02:00')).toBe(Date.UTC(2026, 0, 1, 10));
		expect(mfParseDate('2026-01-01T10:00:00.250Z')).toBe(Date.UTC(2026, 0, 1, 10, 0, 0, 250));
		expect(mfParseDate('2026-02-30 10:00:00')).toBeUndefined();
		expect(mfParseDate('2026-01-01T10:00:00')).toBeUndefined();
	});
});

describe('MessageFlow 202 Accepted', () => {
	it('answers 202 with Retry-After and Expires, then the real answer for the same request, creating once', async () => {
		provider().holdNext({ target: 'send', retryAfterSeconds: 0, expiresSeconds: 60 });
		const body = { sender: 'ACME', message: 'OTP 1234', phoneNumbers: ['+48500100200', '+48500100201'], externalId: 'otp-1' };
		const before = Date.now();
		const first = await mfSend(sim, body);
		expect(first.status).toBe(202);
		expect(first.headers.get('retry-after')).toBe('0');
		const expires = Date.parse(first.headers.get('expires')!);
		expect(expires).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 59_000);
		expect(first.json).toEqual({
			data: [],
			errors: [],
			meta: { status: 202, uniqId: expect.any(String), retryAfter: 0, expires: ANY_TIME },
		});
		// The work is done at once: the messages exist (and are listed) while the client waits.
		expect(provider().state.messages.size).toBe(2);

		// Same body with the members in another order still counts as the same request.
		const again = await mfSend(sim, { externalId: 'otp-1', phoneNumbers: ['+48500100200', '+48500100201'], message: 'OTP 1234', sender: 'ACME' });
		expect(again.status).toBe(201);
		expect(again.json.meta).toMatchObject({ sentSms: 2, uniqId: first.json.meta.uniqId });
		expect(again.json.data.map((d: { smsId: string }) => d.smsId)).toEqual(['7100000001', '7100000002']);
		expect(provider().state.messages.size).toBe(2);

		// The stored answer is handed out once; after that an identical request is a new send.
		const third = await mfSend(sim, body);
		expect(third.status).toBe(201);
		expect(provider().state.messages.size).toBe(4);
		expect(sim.requests({ provider: 'messageflow' }).map((r) => r.response?.status)).toEqual([202, 201, 201]);
	});

	it('answers another 202 when asked before Retry-After has passed', async () => {
		provider().holdNext({ target: 'send', retryAfterSeconds: 1, expiresSeconds: 30 });
		const first = await sendOne();
		expect(first.status).toBe(202);
		expect(first.headers.get('retry-after')).toBe('1');
		const early = await sendOne();
		expect(early.status).toBe(202);
		expect(early.json.meta.uniqId).toBe(first.json.meta.uniqId);
		expect(early.headers.get('expires')).toBe(first.headers.get('expires'));
		await new Promise((r) => setTimeout(r, 1050));
		const done = await sendOne();
		expect(done.status).toBe(201);
		expect(provider().state.messages.size).toBe(1);
	});

	it('holds list requests too (404 included), but never auth or validation errors', async () => {
		provider().holdNext({ times: 2, target: 'list', retryAfterSeconds: 0 });
		expect((await mfList(sim, {}, {})).status).toBe(401);
		expect((await mfList(sim, { limit: 5000 })).status).toBe(422);
		const empty = await mfList(sim);
		expect(empty.status).toBe(202);
		expect((await mfList(sim)).status).toBe(404);
		// A send is not a list: answered at once.
		expect((await sendOne()).status).toBe(201);
		const page = await mfList(sim, { limit: 10 });
		expect(page.status).toBe(202);
		const result = await mfList(sim, { limit: 10 });
		expect(result.status).toBe(200);
		expect(result.json.meta.total).toBe(1);
		expect(provider().state.hold).toBeNull();
	});

	it('forgets the pending answer after Expires: the repeat is then a new request', async () => {
		provider().holdNext({ target: 'send', retryAfterSeconds: 0, expiresSeconds: 1 });
		expect((await sendOne()).status).toBe(202);
		await new Promise((r) => setTimeout(r, 1050));
		expect((await sendOne()).status).toBe(201);
		expect(provider().state.messages.size).toBe(2);
	});

	it('is switchable over HTTP without being recorded', async () => {
		const set = await answer(await fetch(`${sim.url}/messageflow/__sim/long-running/1/send/0/60`));
		expect(set.json).toEqual({ longRunning: { target: 'send', remaining: 1, retryAfterSeconds: 0, expiresSeconds: 60 }, pendingJobs: 0 });
		expect((await sendOne()).status).toBe(202);
		expect((await answer(await fetch(`${sim.url}/messageflow/__sim/long-running`))).json).toEqual({ longRunning: null, pendingJobs: 1 });
		await fetch(`${sim.url}/messageflow/__sim/long-running/3`);
		await fetch(`${sim.url}/messageflow/__sim/long-running/0`);
		expect(provider().state.hold).toBeNull();
		const invalid = await fetch(`${sim.url}/messageflow/__sim/long-running/1/everything`);
		expect(invalid.status).toBe(400);
		expect(sim.requests({ provider: 'messageflow' })).toHaveLength(1);
	});
});

describe('MessageFlow status progression', () => {
	it('moves queued → sent → final by the number, one step per advance', async () => {
		const sent = await mfSend(sim, {
			sender: 'ACME',
			message: 'x',
			phoneNumbers: ['+48500100200', '+48500101111', '+48500100000', '+48500103333', '+48500102222'],
		});
		const ids: string[] = sent.json.data.map((d: { smsId: string }) => d.smsId);
		const statuses = (): (number | undefined)[] => ids.map(statusOf);
		expect(statuses()).toEqual([2, 2, 2, 2, 2]);
		sim.advance();
		expect(statuses()).toEqual([3, 3, 3, 7, 3]);
		await control(sim, 'POST', 'advance', { provider: 'messageflow', steps: 5 });
		expect(statuses()).toEqual([4, 5, 6, 7, 3]);
		const list = await mfList(sim);
		expect(list.json.data.map((d: { status: number }) => d.status)).toEqual([4, 5, 6, 7, 3]);
		expect(provider().state.messages.get(ids[0])!.history.map((h) => h.status)).toEqual([2, 3, 4]);
	});

	it('keeps a future scheduleTime at 1 Scheduled until advanced', async () => {
		const inAnHour = Math.floor(Date.now() / 1000) + 3600;
		const sent = await sendOne({ scheduleTime: inAnHour });
		expect(sent.json.data[0].status).toBe(1);
		const past = await sendOne({ scheduleTime: 1_600_000_000 });
		expect(past.json.data[0].status).toBe(2);
		sim.advance();
		expect(statusOf(sent.json.data[0].smsId)).toBe(2);
	});

	it('progresses by itself with statusStepMs, holding scheduled messages until their time', async () => {
		const auto = await startSimulator({ statusStepMs: 30 });
		try {
			const now = await mfSend(auto, { sender: 'ACME', message: 'x', phoneNumbers: ['+48500100200'] });
			const later = await mfSend(auto, {
				sender: 'ACME',
				message: 'x',
				phoneNumbers: ['+48500100201'],
				scheduleTime: Math.floor(Date.now() / 1000) + 3600,
			});
			const state = provider(auto).state;
			await waitFor(() => state.messages.get(now.json.data[0].smsId)?.status === 4, 3000);
			expect(state.messages.get(later.json.data[0].smsId)?.status).toBe(1);
		} finally {
			await auto.close();
		}
	});

	it('forces statuses by code or name through the control API', async () => {
		const id = (await sendOne()).json.data[0].smsId as string;
		const forced = await control(sim, 'POST', 'message-status', { provider: 'messageflow', id, status: 'expired' });
		expect(forced.status).toBe(200);
		expect(forced.json).toMatchObject({ smsId: id, status: 6, statusName: 'Expired' });
		await control(sim, 'POST', 'message-status', { provider: 'messageflow', id, status: 4 });
		expect(statusOf(id)).toBe(4);
		expect((await control(sim, 'POST', 'message-status', { provider: 'messageflow', id, status: 'lost' })).status).toBe(400);
		expect((await control(sim, 'POST', 'message-status', { provider: 'messageflow', id: '1', status: 4 })).status).toBe(400);
	});
});

describe('MessageFlow faults', () => {
	it('applies the generic faults to /messageflow paths', async () => {
		sim.addFault({ provider: 'messageflow', pathIncludes: '/v2.1/sms', kind: 'status', status: 503, retryAfter: 2 });
		const unavailable = await sendOne();
		expect(unavailable.status).toBe(503);
		expect(unavailable.headers.get('retry-after')).toBe('2');
		expect(provider().state.messages.size).toBe(0);

		sim.addFault({ provider: 'messageflow', method: 'POST', kind: 'drop', afterProcessing: true });
		await expect(sendOne()).rejects.toThrow();
		expect(provider().state.messages.size).toBe(1);

		sim.addFault({ provider: 'messageflow', method: 'GET', kind: 'malformed', afterProcessing: true });
		const cut = await mfList(sim);
		expect(cut.status).toBe(200);
		expect(cut.json).toBeUndefined();
		expect(cut.text.startsWith('{"data":[')).toBe(true);

		const log = sim.requests({ provider: 'messageflow' });
		expect(log.map((r) => r.fault?.kind)).toEqual(['status', 'drop', 'malformed']);
	});
});

describe('MessageFlow webhooks', () => {
	let receiver: Server;
	let receiverUrl: string;
	const received: { path: string; headers: IncomingMessage['headers']; body: Record<string, unknown> }[] = [];

	beforeAll(async () => {
		receiver = createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (c: Buffer) => chunks.push(c));
			req.on('end', () => {
				received.push({ path: req.url ?? '', headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
				res.end('ok');
			});
		});
		await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
		receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
	});
	afterAll(async () => {
		await new Promise<void>((r) => receiver.close(() => r()));
	});
	beforeEach(() => {
		received.length = 0;
	});

	it('posts a delivery report to the message webhookUrl when it reaches a final status, with the panel auth', async () => {
		await control(sim, 'POST', 'webhooks', {
			provider: 'messageflow',
			deliveryUrl: `${receiverUrl}/panel-dlr`,
			headers: { 'X-Hook-Secret': 's3cret' },
			basicAuth: { username: 'hook', password: 'pw' },
		});
		const sent = await mfSend(sim, {
			sender: 'ACME',
			message: 'x',
			phoneNumbers: ['+48500100200', '+48500101111'],
			externalId: 'order-7',
			webhookUrl: `${receiverUrl}/msg-dlr`,
		});
		const other = await mfSend(sim, { sender: 'SHOP', message: 'y', phoneNumbers: ['+48500100000'] });
		sim.advance(1);
		await sim.flushWebhooks();
		// Queued → Sent is not a delivery report.
		expect(received).toEqual([]);
		sim.advance(1);
		await sim.flushWebhooks();

		const perMessage = received.filter((r) => r.path === '/msg-dlr').map((r) => r.body);
		expect(perMessage).toEqual([
			{
				event: 'sms.dlr',
				smsId: sent.json.data[0].smsId,
				uniqId: sent.json.meta.uniqId,
				externalId: 'order-7',
				sender: 'ACME',
				phoneNumber: '+48500100200',
				status: 4,
				statusName: 'Delivered',
				statusTime: ANY_TIME,
				createTime: ANY_TIME,
				numberOfParts: 1,
			},
			expect.objectContaining({ phoneNumber: '+48500101111', status: 5, statusName: 'Undelivered' }),
		]);
		const panel = received.filter((r) => r.path === '/panel-dlr');
		expect(panel.map((r) => r.body)).toEqual([
			expect.objectContaining({ smsId: other.json.data[0].smsId, status: 6, statusName: 'Expired', externalId: null }),
		]);
		for (const r of received) {
			expect(r.headers['x-hook-secret']).toBe('s3cret');
			expect(r.headers.authorization).toBe(`Basic ${Buffer.from('hook:pw').toString('base64')}`);
			expect(r.headers['content-type']).toBe('application/json');
		}
		const deliveries = sim.webhookDeliveries().filter((d) => d.provider === 'messageflow');
		expect(deliveries.map((d) => [d.kind, d.status])).toEqual([
			['delivery', 200],
			['delivery', 200],
			['delivery', 200],
		]);
	});

	it('reports forced final statuses and sends nothing without a URL', async () => {
		const quiet = (await sendOne()).json.data[0].smsId as string;
		sim.setMessageStatus('messageflow', quiet, 4);
		const loud = (await sendOne({ webhookUrl: `${receiverUrl}/dlr` })).json.data[0].smsId as string;
		sim.setMessageStatus('messageflow', loud, 3);
		sim.setMessageStatus('messageflow', loud, 'Failed');
		await sim.flushWebhooks();
		expect(received.map((r) => r.body)).toEqual([expect.objectContaining({ smsId: loud, status: 7, statusName: 'Failed' })]);
	});

	it('posts incoming 2-way messages to the panel incoming URL', async () => {
		await control(sim, 'POST', 'webhooks', { provider: 'messageflow', incomingUrl: `${receiverUrl}/in`, headers: { 'X-Token': 't' } });
		const input = { from: '+48500100200', body: 'STOP', to: '4670' };
		const created = sim.injectIncoming('messageflow', input);
		expect(created).toMatchObject({ from: '+48500100200', to: '4670', message: 'STOP', smsId: expect.any(String) });
		// Over HTTP `deviceId` stands in for `to`; without either the seeded inbound number is used.
		expect((await control(sim, 'POST', 'incoming', { provider: 'messageflow', from: '+48500100201', body: 'YES', deviceId: '48799000222' })).status).toBe(201);
		await control(sim, 'POST', 'incoming', { provider: 'messageflow', from: '+48500100202', body: 'Hi' });
		await sim.flushWebhooks();
		expect(received.map((r) => r.body)).toEqual([
			{ event: 'sms.incoming', smsId: expect.any(String), from: '+48500100200', to: '4670', message: 'STOP', receiveTime: ANY_TIME },
			expect.objectContaining({ from: '+48500100201', to: '48799000222', message: 'YES' }),
			expect.objectContaining({ from: '+48500100202', to: MF_DEFAULT_SEED.inboundNumber, message: 'Hi' }),
		]);
		expect(received[0].headers['x-token']).toBe('t');
		expect((sim.snapshot('messageflow') as { inbox: unknown[] }).inbox).toHaveLength(3);
		// Incoming messages are not part of the outgoing status list.
		expect((await mfList(sim)).status).toBe(404);
	});

	it('removes URLs with null, rejects non-http URLs and records failed deliveries', async () => {
		const bad = await control(sim, 'POST', 'webhooks', { provider: 'messageflow', incomingUrl: 'not a url' });
		expect(bad.status).toBe(400);
		await control(sim, 'POST', 'webhooks', { provider: 'messageflow', incomingUrl: 'http://127.0.0.1:1/nowhere', deliveryUrl: `${receiverUrl}/d` });
		const config = await control(sim, 'POST', 'webhooks', { provider: 'messageflow', deliveryUrl: null });
		expect(config.json).toEqual({ incomingUrl: 'http://127.0.0.1:1/nowhere', headers: {} });
		sim.injectIncoming('messageflow', { from: '+48500100200', body: 'x' });
		await sim.flushWebhooks();
		const [delivery] = sim.webhookDeliveries();
		expect(delivery.status).toBeUndefined();
		expect(delivery.error).toBeTruthy();
	});
});

describe('MessageFlow inspection', () => {
	it('shows seed, state and an HTML section', async () => {
		const seed = (await control(sim, 'GET', 'seed')).json.messageflow;
		expect(seed).toEqual({
			baseUrl: `${sim.url}/messageflow`,
			authorizationKey: 'mf-auth-key-0123456789',
			applicationKey: 'mf-app-key-abcdef',
			senders: ['ACME', 'SHOP'],
			inboundNumber: '48799000111',
		});
		await sendOne({ message: '<b>hi</b>' });
		const state = (await control(sim, 'GET', 'state?provider=messageflow')).json;
		expect(state.messages[0]).toMatchObject({ smsId: '7100000001', status: 2, statusName: 'Queued', outcome: 'delivered', message: '<b>hi</b>' });
		expect(state.accountBalance).toBe(999.93);
		const html = await (await fetch(`${sim.url}/?refresh=0`)).text();
		expect(html).toContain('<section id="messageflow">');
		expect(html).toContain('&lt;b&gt;hi&lt;/b&gt;');
		expect(html).not.toContain('<b>hi</b>');
	});
});
