import { startSimulator, type Simulator } from '../../simulator/server';
import type { SmsBridgeProvider, SmsBridgeSeed } from '../../simulator/providers/smsbridge';
import { control, type HttpAnswer } from './helpers';

const KEY = 'sb-client-key-0123456789';

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

/** Calls `<sim>/smsbridge/api/v2/<path>` with the Bearer key (or `key`), JSON bodies as the seed's examples. */
async function sb(
	target: Simulator,
	method: 'GET' | 'POST',
	path: string,
	body?: unknown,
	key: string | null = KEY,
): Promise<HttpAnswer> {
	const headers: Record<string, string> = {};
	if (key !== null) headers.Authorization = `Bearer ${key}`;
	if (body !== undefined) headers['Content-Type'] = 'application/json';
	const res = await fetch(`${target.url}/smsbridge/api/v2/${path}`, {
		method,
		headers,
		body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
	});
	return answer(res);
}

function send(target: Simulator, extra: Record<string, unknown> = {}): Promise<HttpAnswer> {
	return sb(target, 'POST', 'messages/send.php', {
		to: '+48123456789',
		text: 'Potwierdzenie wizyty o 14:30',
		sender: 'client',
		external_id: 'EXT-2026-001',
		message_prefix: '',
		...extra,
	});
}

function report(target: Simulator, body: Record<string, unknown>): Promise<HttpAnswer> {
	return sb(target, 'POST', 'messages/status.php', body);
}

async function withSim(seed: Partial<SmsBridgeSeed>, run: (s: Simulator) => Promise<void>): Promise<void> {
	const s = await startSimulator({ port: 0, seed: { smsbridge: seed } });
	try {
		await run(s);
	} finally {
		await s.close();
	}
}

const errorOf = (a: HttpAnswer): { code: string; message: string; details: Record<string, unknown> } => {
	expect(a.json.success).toBe(false);
	return a.json.error;
};

describe('SMS Bridge auth', () => {
	it('auth.php confirms the key and describes it', async () => {
		const a = await sb(sim, 'GET', 'auth.php');
		expect(a.status).toBe(200);
		expect(a.json).toEqual({
			success: true,
			data: {
				authenticated: true,
				account: { id: 1042, name: 'Demo Clinic', email: 'demo@smsbridge.test' },
				api_key: {
					id: 7,
					label: 'Default key',
					last_four: '6789',
					scopes: ['client', 'gateway'],
					created_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/),
					last_used_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/),
					scanned: false,
				},
			},
		});
	});

	it('answers 401 with the error envelope for a missing or wrong key', async () => {
		const missing = await sb(sim, 'GET', 'auth.php', undefined, null);
		expect(missing.status).toBe(401);
		expect(missing.headers.get('www-authenticate')).toBe('Bearer');
		expect(errorOf(missing)).toEqual({ code: 'unauthorized', message: expect.stringContaining('Missing API key'), details: {} });
		const wrong = await sb(sim, 'POST', 'messages/send.php', { to: '+48123456789', text: 'x', sender: 'client' }, 'nope');
		expect(wrong.status).toBe(401);
		expect(errorOf(wrong)).toEqual({ code: 'unauthorized', message: 'Invalid API key', details: {} });
		expect((sim.snapshot('smsbridge') as { messages: unknown[] }).messages).toEqual([]);
	});

	it('revokes the key with expire-tokens + includePanelToken until reset; plain expire-tokens keeps it', async () => {
		await control(sim, 'POST', 'expire-tokens', { provider: 'smsbridge' });
		expect((await sb(sim, 'GET', 'auth.php')).status).toBe(200);
		await control(sim, 'POST', 'expire-tokens', { provider: 'smsbridge', includePanelToken: true });
		expect((await sb(sim, 'GET', 'auth.php')).status).toBe(401);
		sim.reset('smsbridge');
		expect((await sb(sim, 'GET', 'auth.php')).status).toBe(200);
	});

	it('serves the same endpoints under /v2 (deployments differ in the prefix)', async () => {
		const res = await fetch(`${sim.url}/smsbridge/v2/auth.php`, { headers: { Authorization: `Bearer ${KEY}` } });
		expect(res.status).toBe(200);
	});

	it('answers 404 for unknown endpoints and 405 for the wrong method', async () => {
		const unknown = await sb(sim, 'GET', 'messages/bulk.php');
		expect(unknown.status).toBe(404);
		expect(errorOf(unknown).code).toBe('not_found');
		const wrongMethod = await sb(sim, 'GET', 'messages/send.php');
		expect(wrongMethod.status).toBe(405);
		expect(wrongMethod.headers.get('allow')).toBe('POST');
		expect(errorOf(wrongMethod).code).toBe('method_not_allowed');
	});

	it('the expiredToken fault answers the 401 envelope', async () => {
		sim.addFault({ kind: 'expiredToken', provider: 'smsbridge' });
		const a = await sb(sim, 'GET', 'auth.php');
		expect(a.status).toBe(401);
		expect(errorOf(a).code).toBe('unauthorized');
	});
});

describe('SMS Bridge sending and lookup', () => {
	it('queues the seed example and returns the message', async () => {
		const a = await send(sim);
		expect(a.status).toBe(201);
		expect(a.json).toEqual({
			success: true,
			data: {
				id: 1001,
				to: '+48123456789',
				text: 'Potwierdzenie wizyty o 14:30',
				message_prefix: '',
				sender: 'client',
				sender_phone: null,
				external_id: 'EXT-2026-001',
				status: 'queued',
				attempts: 0,
				lease_until: null,
				last_error: null,
				sender_id: null,
				device: null,
				created_at: expect.any(String),
				updated_at: expect.any(String),
				sent_at: null,
			},
		});
	});

	it('gets a message by id and by external_id', async () => {
		await send(sim);
		const byId = await sb(sim, 'GET', 'messages/get.php?id=1001');
		expect(byId.status).toBe(200);
		expect(byId.json.data).toMatchObject({ id: 1001, external_id: 'EXT-2026-001', status: 'queued' });
		const byExt = await sb(sim, 'GET', 'messages/get.php?external_id=EXT-2026-001');
		expect(byExt.json.data.id).toBe(1001);
	});

	it('answers 404 for unknown messages and 400 without id or external_id', async () => {
		const missing = await sb(sim, 'GET', 'messages/get.php?id=42');
		expect(missing.status).toBe(404);
		expect(errorOf(missing)).toEqual({ code: 'message_not_found', message: 'Message 42 not found', details: { id: 42 } });
		const missingExt = await sb(sim, 'GET', 'messages/get.php?external_id=ABC-123');
		expect(missingExt.status).toBe(404);
		expect(errorOf(missingExt).details).toEqual({ external_id: 'ABC-123' });
		const neither = await sb(sim, 'GET', 'messages/get.php');
		expect(neither.status).toBe(400);
		expect(errorOf(neither).code).toBe('validation_error');
		expect((await sb(sim, 'GET', 'messages/get.php?id=abc')).status).toBe(400);
	});

	it('refuses a reused external_id with 409 naming the existing message (default)', async () => {
		expect((await send(sim)).status).toBe(201);
		const again = await send(sim, { text: 'second try' });
		expect(again.status).toBe(409);
		expect(errorOf(again)).toEqual({
			code: 'duplicate_external_id',
			message: 'A message with external_id EXT-2026-001 already exists',
			details: { external_id: 'EXT-2026-001', message_id: 1001, status: 'queued' },
		});
		expect((sim.snapshot('smsbridge') as { messages: unknown[] }).messages).toHaveLength(1);
	});

	it('externalIdReuse return-existing answers 200 with the first message; duplicate creates another', async () => {
		await withSim({ externalIdReuse: 'return-existing' }, async (s) => {
			expect((await send(s)).status).toBe(201);
			const again = await send(s, { text: 'second try' });
			expect(again.status).toBe(200);
			expect(again.json.data).toMatchObject({ id: 1001, text: 'Potwierdzenie wizyty o 14:30' });
		});
		await withSim({ externalIdReuse: 'duplicate' }, async (s) => {
			await send(s);
			expect((await send(s, { text: 'second try' })).json.data.id).toBe(1002);
			expect((await sb(s, 'GET', 'messages/get.php?external_id=EXT-2026-001')).json.data.id).toBe(1002);
		});
	});

	it('validates to, text, sender, sender_phone and the JSON body', async () => {
		const noTo = await send(sim, { to: '' });
		expect(noTo.status).toBe(400);
		expect(errorOf(noTo)).toEqual({ code: 'validation_error', message: "Field 'to' is required", details: { field: 'to' } });
		const badTo = await send(sim, { to: 'call me' });
		expect(errorOf(badTo)).toEqual({
			code: 'validation_error',
			message: 'Invalid phone number',
			details: { field: 'to', value: 'call me' },
		});
		expect(errorOf(await send(sim, { text: '   ' })).details).toEqual({ field: 'text' });
		expect(errorOf(await send(sim, { sender: undefined })).details).toEqual({ field: 'sender' });
		expect(errorOf(await send(sim, { sender_phone: '12' })).details.field).toBe('sender_phone');
		expect(errorOf(await send(sim, { text: 'x'.repeat(1601) })).details).toEqual({ field: 'text' });
		expect(errorOf(await send(sim, { to: { n: 1 } })).message).toBe("Field 'to' must be a string");
		const broken = await sb(sim, 'POST', 'messages/send.php', '{"to":');
		expect(broken.status).toBe(400);
		expect(errorOf(broken).code).toBe('invalid_json');
	});

	it('keeps formatting out of the number and the prefix in front of the text for the gateway', async () => {
		const a = await send(sim, { to: '+48 123-456-789', message_prefix: 'ACME: ', sender_phone: '+48 600 100 200', external_id: undefined });
		expect(a.json.data).toMatchObject({ to: '+48123456789', sender_phone: '+48600100200', message_prefix: 'ACME: ', external_id: null });
		const pending = await sb(sim, 'GET', 'messages/pending.php');
		expect(pending.json.data.messages[0]).toMatchObject({ message_text: 'ACME: Potwierdzenie wizyty o 14:30', sender_phone: '+48600100200' });
	});

	it('blocks numbers ending 9999 at intake and never offers them', async () => {
		const a = await send(sim, { to: '+48123459999' });
		expect(a.status).toBe(201);
		expect(a.json.data).toMatchObject({ status: 'blocked', last_error: 'Recipient is blocked' });
		expect((await sb(sim, 'GET', 'messages/pending.php')).json.data).toEqual({ count: 0, messages: [] });
	});
});

describe('SMS Bridge account endpoints', () => {
	it('reads and updates the sender id', async () => {
		const before = await sb(sim, 'GET', 'sender-id.php');
		expect(before.json).toEqual({ success: true, data: { sender_id: 'Sendit-ABCDEF12', updated_at: expect.any(String) } });
		const updated = await sb(sim, 'POST', 'sender-id/update.php', { sender_id: 'Clinic-01' });
		expect(updated.status).toBe(200);
		expect(updated.json.data).toEqual({ sender_id: 'Clinic-01', previous_sender_id: 'Sendit-ABCDEF12', updated_at: expect.any(String) });
		expect((await sb(sim, 'GET', 'sender-id.php')).json.data.sender_id).toBe('Clinic-01');
		const bad = await sb(sim, 'POST', 'sender-id/update.php', { sender_id: 'no spaces allowed' });
		expect(bad.status).toBe(400);
		expect(errorOf(bad).details.field).toBe('sender_id');
		expect((await sb(sim, 'POST', 'sender-id/update.php', {})).status).toBe(400);
	});

	it('reports the balance', async () => {
		expect((await sb(sim, 'GET', 'account/balance.php')).json).toEqual({ success: true, data: { balance: 49.5, currency: 'PLN' } });
	});

	it('reports the subscription with limits and the billing period, counting sends', async () => {
		await send(sim);
		const a = await sb(sim, 'GET', 'subscription/status.php');
		expect(a.json).toEqual({
			success: true,
			data: {
				plan: 'Pro',
				status: 'active',
				billing_period: {
					start: expect.stringMatching(/^\d{4}-\d{2}-01 00:00:00$/),
					end: expect.stringMatching(/^\d{4}-\d{2}-\d{2} 23:59:59$/),
				},
				limits: { messages_per_period: 1000 },
				usage: { messages: 1 },
				remaining: { messages: 999 },
			},
		});
	});

	it('refuses sends beyond the period limit or without an active subscription with 403', async () => {
		await withSim({ messageLimit: 3, usedInPeriod: 2 }, async (s) => {
			expect((await send(s, { external_id: 'a' })).status).toBe(201);
			const over = await send(s, { external_id: 'b' });
			expect(over.status).toBe(403);
			expect(errorOf(over)).toEqual({
				code: 'subscription_limit_reached',
				message: 'Message limit of the billing period reached',
				details: { limit: 3, used: 3 },
			});
		});
		await withSim({ subscriptionActive: false }, async (s) => {
			const a = await send(s);
			expect(a.status).toBe(403);
			expect(errorOf(a).code).toBe('subscription_inactive');
			expect((await sb(s, 'GET', 'subscription/status.php')).json.data.status).toBe('inactive');
		});
	});

	it('marks the key scanned and reports it', async () => {
		expect((await sb(sim, 'POST', 'api-keys/check-scanned.php')).json).toEqual({
			success: true,
			data: { scanned: false, scanned_at: null, device: null },
		});
		const marked = await sb(sim, 'POST', 'api-keys/mark-scanned.php', { device: 'Pixel 7' });
		expect(marked.json.data).toEqual({ scanned: true, scanned_at: expect.any(String), device: 'Pixel 7' });
		expect((await sb(sim, 'POST', 'api-keys/check-scanned.php')).json.data).toEqual(marked.json.data);
		expect((await sb(sim, 'GET', 'auth.php')).json.data.api_key.scanned).toBe(true);
	});
});

describe('SMS Bridge gateway queue', () => {
	it('claims queued messages in the seed shape and reports sms_sent', async () => {
		await send(sim);
		await send(sim, { external_id: 'EXT-2026-002', to: '+48500600700' });
		const pending = await sb(sim, 'GET', 'messages/pending.php?limit=50');
		expect(pending.status).toBe(200);
		expect(pending.json.data.count).toBe(2);
		expect(pending.json.data.messages[0]).toEqual({
			id: 1001,
			target_phone: '+48123456789',
			message_text: 'Potwierdzenie wizyty o 14:30',
			external_id: 'EXT-2026-001',
			status: 'queued',
			sender: 'client',
			sender_phone: null,
			attempts: 1,
			lease_until: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/),
		});
		// Claimed messages are not offered again while the lease runs.
		expect((await sb(sim, 'GET', 'messages/pending.php')).json.data.count).toBe(0);
		const got = await sb(sim, 'GET', 'messages/get.php?id=1001');
		expect(got.json.data).toMatchObject({ status: 'claimed', attempts: 1 });

		const sent = await report(sim, { message_id: 1001, status: 'sms_sent', sender_id: 'Sendit-ABCDEF12', details: { device: 'android', error: null } });
		expect(sent.status).toBe(200);
		expect(sent.json.data).toMatchObject({ id: 1001, status: 'sms_sent', sender_id: 'Sendit-ABCDEF12', device: 'android', lease_until: null });
		expect(sent.json.data.sent_at).toEqual(expect.any(String));
		// The same final report again (a retried request) is accepted unchanged.
		expect((await report(sim, { message_id: 1001, status: 'sms_sent' })).status).toBe(200);

		const failed = await report(sim, { message_id: '1002', status: 'failed', details: { device: 'android', error: 'No signal' } });
		expect(failed.json.data).toMatchObject({ status: 'failed', last_error: 'No signal' });
	});

	it('respects limit and validates it', async () => {
		for (let i = 0; i < 3; i++) await send(sim, { external_id: `E${i}` });
		const one = await sb(sim, 'GET', 'messages/pending.php?limit=1');
		expect(one.json.data.messages.map((m: { id: number }) => m.id)).toEqual([1001]);
		expect((await sb(sim, 'GET', 'messages/pending.php')).json.data.count).toBe(2);
		for (const bad of ['0', '101', 'x']) {
			const a = await sb(sim, 'GET', `messages/pending.php?limit=${bad}`);
			expect(a.status).toBe(400);
			expect(errorOf(a).details.field).toBe('limit');
		}
	});

	it('re-offers a message whose lease ran out, with attempts incremented', async () => {
		await send(sim);
		expect((await sb(sim, 'GET', 'messages/pending.php')).json.data.messages[0].attempts).toBe(1);
		expect(sim.provider<SmsBridgeProvider>('smsbridge').expireLeases()).toBe(1);
		const again = await sb(sim, 'GET', 'messages/pending.php');
		expect(again.json.data.messages).toHaveLength(1);
		// The row as selected: still `claimed` from the first, lapsed claim.
		expect(again.json.data.messages[0]).toMatchObject({ id: 1001, attempts: 2, status: 'claimed' });
		const got = await sb(sim, 'GET', 'messages/get.php?id=1001');
		expect(got.json.data).toMatchObject({ status: 'claimed', attempts: 2, last_error: 'Lease expired without a status report' });
	});

	it('expires leases over HTTP with expire-tokens, and by the clock with a short leaseMs', async () => {
		await send(sim);
		await sb(sim, 'GET', 'messages/pending.php');
		await control(sim, 'POST', 'expire-tokens', { provider: 'smsbridge' });
		expect((await sb(sim, 'GET', 'messages/pending.php')).json.data.messages[0].attempts).toBe(2);

		await withSim({ leaseMs: 30 }, async (s) => {
			await send(s);
			await sb(s, 'GET', 'messages/pending.php');
			await new Promise((r) => setTimeout(r, 60));
			expect((await sb(s, 'GET', 'messages/pending.php')).json.data.messages[0].attempts).toBe(2);
		});
	});

	it('fails a message when the lease of its last allowed attempt runs out', async () => {
		await withSim({ maxAttempts: 2 }, async (s) => {
			await send(s);
			const provider = s.provider<SmsBridgeProvider>('smsbridge');
			await sb(s, 'GET', 'messages/pending.php');
			provider.expireLeases();
			await sb(s, 'GET', 'messages/pending.php');
			provider.expireLeases();
			expect((await sb(s, 'GET', 'messages/pending.php')).json.data.count).toBe(0);
			expect((await sb(s, 'GET', 'messages/get.php?id=1001')).json.data).toMatchObject({
				status: 'failed',
				attempts: 2,
				last_error: 'Lease expired after 2 attempts',
			});
		});
	});

	it('a claimed report renews the lease; sent_to_device ends it so the message is never offered twice', async () => {
		await send(sim);
		await sb(sim, 'GET', 'messages/pending.php');
		const provider = sim.provider<SmsBridgeProvider>('smsbridge');
		provider.expireLeases();
		const renewed = await report(sim, { message_id: 1001, status: 'claimed' });
		expect(renewed.status).toBe(200);
		expect(renewed.json.data).toMatchObject({ status: 'claimed', attempts: 1 });
		expect((await sb(sim, 'GET', 'messages/pending.php')).json.data.count).toBe(0);

		const handed = await report(sim, { message_id: 1001, status: 'sent_to_device' });
		expect(handed.json.data).toMatchObject({ status: 'sent_to_device', lease_until: null });
		provider.expireLeases();
		expect((await sb(sim, 'GET', 'messages/pending.php')).json.data.count).toBe(0);
		expect((await report(sim, { message_id: 1001, status: 'sms_sent' })).json.data.status).toBe('sms_sent');
	});

	it('refuses reports for unknown, unclaimed and finished messages and bad statuses', async () => {
		const unknown = await report(sim, { message_id: 999, status: 'sms_sent' });
		expect(unknown.status).toBe(404);
		expect(errorOf(unknown)).toEqual({ code: 'message_not_found', message: 'Message 999 not found', details: { message_id: 999 } });

		await send(sim);
		const unclaimed = await report(sim, { message_id: 1001, status: 'sms_sent' });
		expect(unclaimed.status).toBe(409);
		expect(errorOf(unclaimed)).toEqual({
			code: 'message_not_claimed',
			message: 'Message 1001 has not been claimed',
			details: { message_id: 1001, status: 'queued' },
		});

		await sb(sim, 'GET', 'messages/pending.php');
		await report(sim, { message_id: 1001, status: 'sms_sent' });
		const changed = await report(sim, { message_id: 1001, status: 'failed' });
		expect(changed.status).toBe(409);
		expect(errorOf(changed).code).toBe('invalid_status_transition');

		const bad = await report(sim, { message_id: 1001, status: 'delivered' });
		expect(bad.status).toBe(400);
		expect(errorOf(bad).details).toEqual({ field: 'status', allowed: ['claimed', 'sent_to_device', 'sms_sent', 'failed'] });
		expect(errorOf(await report(sim, { status: 'sms_sent' })).details.field).toBe('message_id');
		expect(errorOf(await report(sim, { message_id: 1001, status: 'sms_sent', details: 'x' })).details.field).toBe('details');
	});
});

describe('SMS Bridge built-in phone (advance)', () => {
	it('moves queued → claimed → sent_to_device → sms_sent, fails 0000 and leaves 2222 queued', async () => {
		await send(sim, { external_id: 'ok' });
		await send(sim, { external_id: 'fail', to: '+48123450000' });
		await send(sim, { external_id: 'stuck', to: '+48123452222' });
		const statuses = async (): Promise<string[]> => {
			const out: string[] = [];
			for (const id of [1001, 1002, 1003]) out.push((await sb(sim, 'GET', `messages/get.php?id=${id}`)).json.data.status);
			return out;
		};
		sim.advance(1, 'smsbridge');
		expect(await statuses()).toEqual(['claimed', 'claimed', 'queued']);
		await control(sim, 'POST', 'advance', { provider: 'smsbridge', steps: 2 });
		expect(await statuses()).toEqual(['sms_sent', 'failed', 'queued']);
		const failed = (await sb(sim, 'GET', 'messages/get.php?id=1002')).json.data;
		expect(failed).toMatchObject({ last_error: 'RESULT_ERROR_GENERIC_FAILURE', device: 'simulator-phone', sender_id: 'Sendit-ABCDEF12' });
	});

	it('leaves messages a gateway claimed alone, and can be switched off', async () => {
		await send(sim);
		await sb(sim, 'GET', 'messages/pending.php');
		sim.advance(3, 'smsbridge');
		expect((await sb(sim, 'GET', 'messages/get.php?id=1001')).json.data.status).toBe('claimed');
		await withSim({ builtInDeviceEnabled: false }, async (s) => {
			await send(s);
			s.advance(3, 'smsbridge');
			expect((await sb(s, 'GET', 'messages/get.php?id=1001')).json.data.status).toBe('queued');
		});
	});

	it('forces any status through the control API', async () => {
		await send(sim);
		const forced = await control(sim, 'POST', 'message-status', { provider: 'smsbridge', id: 1001, status: 'blocked' });
		expect(forced.status).toBe(200);
		expect(forced.json.status).toBe('blocked');
		expect((await control(sim, 'POST', 'message-status', { provider: 'smsbridge', id: 1001, status: 'delivered' })).status).toBe(400);
	});

	it('records requests and shows the queue on the HTML page', async () => {
		await send(sim, { text: '<b>hi</b>' });
		expect(sim.requests({ provider: 'smsbridge' }).map((r) => r.response?.status)).toEqual([201]);
		const html = await (await fetch(`${sim.url}/?refresh=0`)).text();
		expect(html).toContain('SMS Bridge');
		expect(html).toContain('&lt;b&gt;hi&lt;/b&gt;');
		expect((await control(sim, 'GET', 'seed')).json.smsbridge).toMatchObject({ apiKey: KEY, baseUrl: `${sim.url}/smsbridge/api/v2` });
	});
});
