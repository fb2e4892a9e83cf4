import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startSimulator, type Simulator, type WebhookDelivery } from '../../simulator/server';
import {
	GIF_BYTES,
	SG24,
	control,
	login,
	sendSms,
	sgGet,
	sgJson,
	sgMultipart,
	sgPost,
	waitFor,
} from './helpers';

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
});

describe('SMSGateway24 auth', () => {
	it('issues a 32-hex token for the seeded login', async () => {
		const answer = await sgPost(sim, 'gettoken', { email: SG24.email, pass: SG24.password });
		expect(answer.status).toBe(200);
		expect(answer.json).toEqual({ error: 0, message: 'OK', token: expect.stringMatching(/^[0-9a-f]{32}$/) });
	});

	it('rejects a wrong password with error 1', async () => {
		const answer = await sgPost(sim, 'gettoken', { email: SG24.email, pass: 'nope' });
		expect(answer.status).toBe(200);
		expect(answer.json).toEqual({ error: 1, message: 'Login or password incorrect' });
	});

	it('accepts GET with the query string and JSON bodies too', async () => {
		const viaGet = await sgGet(sim, 'gettoken', { email: SG24.email, pass: SG24.password });
		expect(viaGet.json.error).toBe(0);
		const viaJson = await sgJson(sim, 'gettoken', { email: SG24.email, pass: SG24.password });
		expect(viaJson.json.error).toBe(0);
	});

	it('refuses calls with a missing or unknown token', async () => {
		expect((await sendSms(sim, 'deadbeef')).json).toEqual({ error: 1, message: 'Token is not valid' });
		const noToken = await sgPost(sim, 'getallsms', {});
		expect(noToken.json).toEqual({ error: 1, message: 'Token is not valid' });
	});

	it('expires login tokens on demand while the panel token keeps working until revoked', async () => {
		expect((await sendSms(sim, token)).json.error).toBe(0);
		expect((await control(sim, 'POST', 'expire-tokens', { provider: 'smsgateway24' })).status).toBe(200);
		expect((await sendSms(sim, token)).json).toEqual({ error: 1, message: 'Token is not valid' });
		expect((await sendSms(sim, SG24.panelToken)).json.error).toBe(0);
		// A fresh login works again.
		expect((await sendSms(sim, await login(sim))).json.error).toBe(0);

		await control(sim, 'POST', 'expire-tokens', { provider: 'smsgateway24', includePanelToken: true });
		expect((await sendSms(sim, SG24.panelToken)).json).toEqual({ error: 1, message: 'Token is not valid' });
		sim.reset();
		expect((await sendSms(sim, SG24.panelToken)).json.error).toBe(0);
	});

	it('expires tokens after tokenTtlMs when configured', async () => {
		const short = await startSimulator({ seed: { smsgateway24: { tokenTtlMs: 40 } } });
		try {
			const t = await login(short);
			expect((await sendSms(short, t)).json.error).toBe(0);
			await waitFor(async () => (await sendSms(short, t)).json.error === 1, 2000, 20);
		} finally {
			await short.close();
		}
	});

	it('smstosend takes email + pass instead of a token', async () => {
		const good = await sgPost(sim, 'smstosend', {
			email: SG24.email,
			pass: SG24.password,
			sendto: '+4915700001234',
			body: 'via login',
			device_id: 260,
			sim: 1,
		});
		expect(good.json).toEqual({ error: 0, sms_id: expect.any(Number), message: 'Sms has been saved successfully' });
		const bad = await sgPost(sim, 'smstosend', { email: SG24.email, pass: 'x', sendto: '1', body: 'b', device_id: 260, sim: 0 });
		expect(bad.json).toEqual({ error: 1, message: 'Login or password incorrect' });
	});
});

describe('SMSGateway24 addsms', () => {
	it('creates a message from a form post and numbers ids upward from 62807347', async () => {
		const first = await sendSms(sim, token, { customerid: 122, urgent: 1, timetosend: '2026-05-26 12:10:04' });
		expect(first.json).toEqual({ error: 0, sms_id: 62807347, message: 'Sms has been saved successfully' });
		const second = await sendSms(sim, token);
		expect(second.json.sms_id).toBe(62807348);
		const status = await sgPost(sim, 'getsmsstatus', { token, sms_id: 62807347 });
		expect(status.json).toEqual({ error: 0, sms_id: 62807347, status: 1, status_description: 'New', message: 'Ok' });
	});

	it('splits comma-separated recipients into one message each and answers the first id', async () => {
		const answer = await sendSms(sim, token, { sendto: '+4915700000001, +4915700000002,+4915700000003' });
		expect(answer.json.sms_id).toBe(62807347);
		const all = await sgPost(sim, 'getallsms', { token });
		expect(all.json.count).toBe(3);
		expect(Object.values(all.json.smss as Record<string, { sendto: string }>).map((m) => m.sendto)).toEqual([
			'+4915700000001',
			'+4915700000002',
			'+4915700000003',
		]);
	});

	it('names the missing field and rejects unknown devices and bad values', async () => {
		const cases: [Record<string, string | number>, string][] = [
			[{ sendto: '' }, 'Required field is missing: sendto'],
			[{ body: '' }, 'Required field is missing: body'],
			[{ device_id: '' }, 'Required field is missing: device_id'],
			[{ sim: '' }, 'Required field is missing: sim'],
			[{ device_id: 999 }, 'Device not found'],
			[{ sim: 6 }, expect.stringContaining('Wrong sim') as unknown as string],
			[{ timetosend: '26.05.2026' }, expect.stringContaining('Wrong timetosend format') as unknown as string],
			[{ customerid: 'abc' }, 'Field customerid must be an integer'],
			[{ urgent: 2 }, 'Field urgent must be 0 or 1'],
		];
		for (const [override, message] of cases) {
			const answer = await sendSms(sim, token, override);
			expect(answer.status).toBe(200);
			expect(answer.json).toEqual({ error: 1, message });
		}
		expect((await sgPost(sim, 'getallsms', { token })).json.count).toBe(0);
	});

	it('accepts multipart with an image file, replaces the body with its URL and serves the file', async () => {
		const form = new FormData();
		form.set('token', token);
		form.set('sendto', '+4915700001234');
		form.set('device_id', '260');
		form.set('sim', '2');
		form.set('file', new Blob([GIF_BYTES], { type: 'image/gif' }), 'pixel.gif');
		const answer = await sgMultipart(sim, 'addsms', form);
		expect(answer.json).toEqual({ error: 0, sms_id: 62807347, message: 'Sms has been saved successfully' });

		const status = await sgPost(sim, 'getallsms', { token });
		const message = status.json.smss['62807347'];
		expect(message.body).toMatch(new RegExp(`^${sim.url}/smsgateway24/files/[0-9a-f]{16}\\.gif$`));
		const file = await fetch(message.body);
		expect(file.status).toBe(200);
		expect(file.headers.get('content-type')).toBe('image/gif');
		expect(Buffer.from(await file.arrayBuffer()).equals(GIF_BYTES)).toBe(true);

		const recorded = sim.requests({ pathIncludes: 'addsms' }).at(-1)!;
		expect(recorded.files).toEqual([{ field: 'file', name: 'pixel.gif', size: GIF_BYTES.length, mime: 'image/gif' }]);
		expect(recorded.body).toMatchObject({ sendto: '+4915700001234', sim: '2' });
		// Static files are not provider calls: they stay out of the log.
		expect(sim.requests({ pathIncludes: '/files/' })).toHaveLength(0);
	});

	it('rejects non-image files', async () => {
		const form = new FormData();
		form.set('token', token);
		form.set('sendto', '+4915700001234');
		form.set('device_id', '260');
		form.set('sim', '3');
		form.set('file', new Blob(['%PDF-1.4'], { type: 'application/pdf' }), 'doc.pdf');
		const answer = await sgMultipart(sim, 'addsms', form);
		expect(answer.json).toEqual({ error: 1, message: expect.stringContaining('File type is not allowed') });
	});

	it('reads a "+" in a form body as a space (clients must encode it as %2B)', async () => {
		await sgPost(sim, 'addsms', { token, sendto: '+4915700001234', body: 'x', device_id: 260, sim: 0 });
		const raw = await fetch(`${sim.url}/smsgateway24/getdata/addsms`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
			body: `token=${token}&sendto=+4915700009999&body=a+b&device_id=260&sim=0`,
		});
		expect(((await raw.json()) as { error: number }).error).toBe(0);
		const list = (await sgPost(sim, 'getallsms', { token })).json.smss;
		expect(list['62807347'].sendto).toBe('+4915700001234');
		expect(list['62807348'].sendto).toBe('4915700009999');
		expect(list['62807348'].body).toBe('a b');
	});
});

describe('SMSGateway24 addalotofsms', () => {
	const item = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
		sendto: '+4915700001234',
		body: 'Batch',
		sim: 1,
		device_id: 260,
		...extra,
	});

	it('creates every element and answers without ids', async () => {
		const datajson = JSON.stringify({
			token,
			smsdata: [item({ customerid: 122, urgent: 1 }), item({ sendto: '015752982212', timetosend: '2019-07-01 23:50:00' })],
		});
		const answer = await sgPost(sim, 'addalotofsms', { datajson });
		expect(answer.json).toEqual({ error: 0, message: expect.any(String) });
		expect(answer.json).not.toHaveProperty('sms_id');
		const all = await sgPost(sim, 'getallsms', { token });
		expect(all.json.count).toBe(2);
		expect(all.json.smss['62807347']).toMatchObject({ customerid: 122, urgent: 1, sim: 1 });
		expect(all.json.smss['62807348']).toMatchObject({ sendto: '015752982212', timetosend: '2019-07-01 23:50:00' });
	});

	it('rejects the whole batch when one element is invalid and names its index', async () => {
		for (const [bad, message] of [
			[item({ body: undefined }), 'smsdata[1]: Required field is missing: body'],
			[item({ device_id: 4242 }), 'smsdata[1]: Device not found'],
			[item({ sendto: '' }), 'smsdata[1]: Required field is missing: sendto'],
		] as const) {
			const datajson = JSON.stringify({ token, smsdata: [item(), bad, item()] });
			const answer = await sgPost(sim, 'addalotofsms', { datajson });
			expect(answer.json).toEqual({ error: 1, message });
		}
		expect((await sgPost(sim, 'getallsms', { token })).json.count).toBe(0);
	});

	it('checks the token inside datajson and the JSON itself', async () => {
		expect((await sgPost(sim, 'addalotofsms', { datajson: JSON.stringify({ token: 'x', smsdata: [item()] }) })).json).toEqual({
			error: 1,
			message: 'Token is not valid',
		});
		expect((await sgPost(sim, 'addalotofsms', { datajson: '{"token":' })).json).toEqual({
			error: 1,
			message: 'Field datajson is not valid JSON',
		});
		expect((await sgPost(sim, 'addalotofsms', {})).json).toEqual({ error: 1, message: 'Required field is missing: datajson' });
	});
});

describe('SMSGateway24 getallsms', () => {
	beforeEach(async () => {
		await sendSms(sim, token, { sendto: '+4915700000101', customerid: 7 });
		await sendSms(sim, token, { sendto: '+4915700000202', sim: 1 });
		await sendSms(sim, token, { sendto: '+4915700000303', device_id: 1576 });
	});

	it('answers an object keyed by id with the documented member set', async () => {
		const answer = await sgPost(sim, 'getallsms', { token });
		expect(answer.json.error).toBe(0);
		expect(answer.json.count).toBe(3);
		expect(Array.isArray(answer.json.smss)).toBe(false);
		expect(Object.keys(answer.json.smss)).toEqual(['62807347', '62807348', '62807349']);
		const message = answer.json.smss['62807347'];
		expect(Object.keys(message)).toEqual([
			'id',
			'sendto',
			'body',
			'customerid',
			'status',
			'statustitle',
			'deviceid',
			'urgent',
			'created',
			'senttime',
			'timetosend',
			'sim',
			'paketid',
			'pakettitle',
			'paketbody',
		]);
		expect(message).toMatchObject({ id: 62807347, customerid: 7, status: 1, statustitle: 'new', deviceid: 260, urgent: null });
		expect(message.created).toEqual({
			date: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.000000$/),
			timezone_type: 3,
			timezone: 'UTC',
		});
	});

	it('filters by device, sim, customer, status, phone and counts only', async () => {
		const count = async (fields: Record<string, string | number>): Promise<number> =>
			(await sgPost(sim, 'getallsms', { token, ...fields })).json.count;
		expect(await count({ device_id: 1576 })).toBe(1);
		expect(await count({ sim: 1 })).toBe(1);
		expect(await count({ customerid: 7 })).toBe(1);
		expect(await count({ status: 1 })).toBe(3);
		expect(await count({ status: 7 })).toBe(0);
		expect(await count({ phone: '0000202' })).toBe(1);
		const onlyCount = await sgPost(sim, 'getallsms', { token, onlycount: 1 });
		expect(onlyCount.json).toEqual({ error: 0, count: 3 });
	});

	it('answers "smss": [] like PHP when nothing matches', async () => {
		const answer = await sgPost(sim, 'getallsms', { token, device_id: 4242 });
		expect(answer.text).toBe('{"error":0,"count":0,"smss":[]}');
	});

	it('filters by date in the requested timezone and keeps descending order in the raw JSON', async () => {
		const today = new Date().toISOString().slice(0, 10);
		expect((await sgPost(sim, 'getallsms', { token, begindate: today, enddate: today })).json.count).toBe(3);
		expect((await sgPost(sim, 'getallsms', { token, enddate: '2020-01-01' })).json.count).toBe(0);
		expect((await sgPost(sim, 'getallsms', { token, begindate: '2999-01-01 00:00:00' })).json.count).toBe(0);
		expect((await sgPost(sim, 'getallsms', { token, begindate: 'yesterday' })).json).toEqual({
			error: 1,
			message: expect.stringContaining('Wrong begindate format'),
		});

		const desc = await sgPost(sim, 'getallsms', { token, orderbydesc: 1, timezone: 'Australia/Sydney' });
		const order = [...desc.text.matchAll(/"(\d{8})":\{/g)].map((m) => m[1]);
		expect(order).toEqual(['62807349', '62807348', '62807347']);
		expect(desc.json.smss['62807347'].created.timezone).toBe('Australia/Sydney');
		expect((await sgPost(sim, 'getallsms', { token, timezone: 'Mars/Base' })).json.error).toBe(1);
	});

	it('caps the list at maxListSize while count stays the total', async () => {
		const capped = await startSimulator({ maxListSize: 2 });
		try {
			const t = await login(capped);
			for (let i = 0; i < 3; i++) await sendSms(capped, t);
			const answer = await sgPost(capped, 'getallsms', { token: t });
			expect(answer.json.count).toBe(3);
			expect(Object.keys(answer.json.smss)).toHaveLength(2);
		} finally {
			await capped.close();
		}
	});

	it('includes injected incoming messages with status 5', async () => {
		const injected = await control(sim, 'POST', 'incoming', {
			provider: 'smsgateway24',
			from: '+4917600000001',
			body: 'STOP',
			deviceId: 260,
		});
		expect(injected.status).toBe(201);
		const answer = await sgPost(sim, 'getallsms', { token, status: 5 });
		expect(answer.json.count).toBe(1);
		expect(Object.values(answer.json.smss)[0]).toMatchObject({
			sendto: '+4917600000001',
			body: 'STOP',
			status: 5,
			statustitle: 'incoming',
			deviceid: 260,
		});
		const page = await (await fetch(sim.url)).text();
		expect(page).toContain('STOP');
		expect(page).toContain('+4917600000001');
	});
});

describe('SMSGateway24 status progression', () => {
	const statusOf = async (id: number): Promise<number> => (await sgPost(sim, 'getsmsstatus', { token, sms_id: id })).json.status;

	it('walks 1 → 3 → 2 → 6 → 7 one step per advance', async () => {
		const id = (await sendSms(sim, token, { sendto: '+4915700001234' })).json.sms_id;
		const seen = [await statusOf(id)];
		for (let i = 0; i < 5; i++) {
			await control(sim, 'POST', 'advance', { steps: 1 });
			seen.push(await statusOf(id));
		}
		expect(seen).toEqual([1, 3, 2, 6, 7, 7]);
		const final = await sgPost(sim, 'getsmsstatus', { token, sms_id: id });
		expect(final.json.status_description).toBe('Delivered');
		const listed = (await sgPost(sim, 'getallsms', { token })).json.smss[String(id)];
		expect(listed.senttime).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
	});

	it('ends by recipient: …0000 failed, …1111 not delivered, …2222 stuck at new', async () => {
		const failed = (await sendSms(sim, token, { sendto: '+4915700000000' })).json.sms_id;
		const undelivered = (await sendSms(sim, token, { sendto: '+4915711111111' })).json.sms_id;
		const stuck = (await sendSms(sim, token, { sendto: '+4915722222222' })).json.sms_id;
		sim.advance(10);
		expect(await statusOf(failed)).toBe(9);
		expect(await statusOf(undelivered)).toBe(8);
		expect(await statusOf(stuck)).toBe(1);
		const snapshot = sim.snapshot('smsgateway24') as { messages: { history: { status: number }[] }[] };
		const history = snapshot.messages.map((m) => m.history.map((h) => h.status));
		expect(history).toEqual([
			[1, 3, 2, 9],
			[1, 3, 2, 6, 8],
			[1],
		]);
	});

	it('answers an unknown sms id with error 1', async () => {
		expect((await sgPost(sim, 'getsmsstatus', { token, sms_id: 1 })).json).toEqual({ error: 1, message: 'Sms not found' });
	});

	it('moves statuses by itself when statusStepMs is set', async () => {
		const auto = await startSimulator({ statusStepMs: 20 });
		try {
			const t = await login(auto);
			const id = (await sendSms(auto, t)).json.sms_id;
			await waitFor(async () => (await sgPost(auto, 'getsmsstatus', { token: t, sms_id: id })).json.status === 7, 3000, 15);
		} finally {
			await auto.close();
		}
	});

	it('lets a control call force any status id', async () => {
		const id = (await sendSms(sim, token)).json.sms_id;
		const forced = await control(sim, 'POST', 'message-status', { provider: 'smsgateway24', id, status: 11 });
		expect(forced.status).toBe(200);
		expect((await sgPost(sim, 'getsmsstatus', { token, sms_id: id })).json).toMatchObject({ status: 11 });
		sim.advance(3);
		expect(await statusOf(id)).toBe(11);
	});
});

describe('SMSGateway24 devices, tags, contacts, newsletters', () => {
	it('lists devices keyed by id in the documented shape', async () => {
		const answer = await sgPost(sim, 'getalldevices', { token });
		expect(answer.json.count).toBe(2);
		expect(Object.keys(answer.json.device)).toEqual(['260', '1576']);
		const pixel = answer.json.device['260'];
		expect(pixel).toMatchObject({ id: 260, title: 'Office Pixel', subscription: true });
		expect(pixel.siminfo).toHaveLength(2);
		expect(pixel.siminfo[0]).toEqual({
			Slot: '0',
			IccId: expect.any(String),
			Number: expect.any(String),
			Roaming: '0',
			CountryIso: 'de',
			CarrierName: expect.any(String),
		});
		expect(pixel.createdhumanformat).toMatch(/^\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}:\d{2}$/);
		expect(answer.json.device['1576'].lastseen).toEqual({ date: '2020-04-23 17:02:21.000000', timezone_type: 3, timezone: 'UTC' });
	});

	it('reports device status with online flag and diffseconds', async () => {
		const online = await sgPost(sim, 'getdevicestatus', { token, device_id: 260 });
		expect(online.json).toMatchObject({ error: 0, online: true, device_id: 260, title: 'Office Pixel' });
		expect(online.json.diffseconds).toBeLessThan(60);
		const offline = await sgPost(sim, 'getdevicestatus', { token, device_id: 1576 });
		expect(offline.json).toMatchObject({ error: 0, online: false, device_id: 1576 });
		expect(offline.json.diffseconds).toBeGreaterThan(100_000_000);
		expect((await sgPost(sim, 'getdevicestatus', { token, device_id: 1 })).json).toEqual({ error: 1, message: 'Device not found' });
	});

	it('saves tags, contacts and newsletters and validates references', async () => {
		const tag = await sgPost(sim, 'savetag', { token, title: 'Employees' });
		expect(tag.json).toEqual({ error: 0, tag_id: 8303, message: 'OK' });
		const contact = await sgPost(sim, 'savecontact', { token, phone: '+4915700001234', tag_id: 8303, fullname: 'Ada' });
		expect(contact.json).toEqual({ error: 0, contact_id: 15954765, message: 'ok' });
		expect((await sgPost(sim, 'savecontact', { token, phone: '+49', tag_id: 1 })).json).toEqual({ error: 1, message: 'Tag not found' });

		const paket = { token, title: 'Promo', device_id: 260, body: 'Sale!', tags: '8303', sim: 0, time_to_send: '26.05.2026 12:10:04' };
		const saved = await sgPost(sim, 'savepaket', paket);
		expect(saved.json).toEqual({ error: 0, paket_id: expect.any(Number), message: 'OK' });
		expect((await sgPost(sim, 'savepaket', { ...paket, time_to_send: '2026-05-26 12:10:04' })).json).toEqual({
			error: 1,
			message: expect.stringContaining('Wrong time_to_send format'),
		});
		expect((await sgPost(sim, 'savepaket', { ...paket, tags: '8303,9999' })).json).toEqual({ error: 1, message: 'Tag not found: 9999' });
		expect((await sgPost(sim, 'savepaket', { ...paket, device_id: 5 })).json).toEqual({ error: 1, message: 'Device not found' });

		const state = (await control(sim, 'GET', 'state?provider=smsgateway24')).json;
		expect(state.tags).toHaveLength(1);
		expect(state.contacts[0]).toMatchObject({ phone: '+4915700001234', fullname: 'Ada', tagId: 8303 });
		expect(state.newsletters[0]).toMatchObject({ title: 'Promo', tags: [8303], timeToSend: '26.05.2026 12:10:04' });
		expect(state.devices).toHaveLength(2);
	});

	it('answers an unknown method with 404', async () => {
		const answer = await sgPost(sim, 'sendmagic', { token });
		expect(answer.status).toBe(404);
		expect(answer.json.error).toBe(1);
	});
});

describe('SMSGateway24 webhooks', () => {
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

	it('posts delivery reports on every status change and incoming messages, with configured auth', async () => {
		const configured = await control(sim, 'POST', 'webhooks', {
			provider: 'smsgateway24',
			deviceId: 260,
			deliveryUrl: `${receiverUrl}/dlr`,
			incomingUrl: `${receiverUrl}/in`,
			headers: { 'X-Hook-Secret': 's3cret' },
			basicAuth: { username: 'hook', password: 'pw' },
		});
		expect(configured.status).toBe(200);

		const id = (await sendSms(sim, token, { sendto: '+4915700001234', sim: 1 })).json.sms_id;
		sim.advance(4);
		await control(sim, 'POST', 'incoming', { provider: 'smsgateway24', from: '+4917600000001', body: 'Hi there', deviceId: 260 });
		await sim.flushWebhooks();

		const dlr = received.filter((r) => r.path === '/dlr').map((r) => r.body);
		expect(dlr.map((b) => b.status_id)).toEqual([3, 2, 6, 7]);
		expect(dlr[3]).toEqual({
			sms_id: id,
			status_id: 7,
			status_message: 'Delivered',
			sendto: '+4915700001234',
			senttime: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/),
			channel_id: 1,
			device_id: 260,
		});
		const incoming = received.find((r) => r.path === '/in')!;
		expect(incoming.body).toEqual({
			address: '+4917600000001',
			date: expect.any(String),
			date_sent: expect.any(String),
			body: 'Hi there',
			internal_id: expect.any(Number),
			channel_id: 0,
			sms_id: expect.any(Number),
			device_id: 260,
			device_name: 'Office Pixel',
			type: 'text',
		});
		expect(incoming.headers['x-hook-secret']).toBe('s3cret');
		expect(incoming.headers.authorization).toBe(`Basic ${Buffer.from('hook:pw').toString('base64')}`);
		expect(incoming.headers['content-type']).toBe('application/json');

		const log = (await control(sim, 'GET', 'webhooks')).json;
		expect(log.deliveries).toHaveLength(5);
		expect((log.deliveries as WebhookDelivery[]).every((d) => d.status === 200)).toBe(true);
	});

	it('sends the image variant of an incoming message', async () => {
		await control(sim, 'POST', 'webhooks', { provider: 'smsgateway24', incomingUrl: `${receiverUrl}/in` });
		await control(sim, 'POST', 'incoming', {
			provider: 'smsgateway24',
			from: '+4917600000001',
			imageUrl: 'https://example.invalid/p.jpg',
			deviceId: 1576,
		});
		await sim.flushWebhooks();
		expect(received[0].body).toMatchObject({ type: 'img', body: '', img_url: 'https://example.invalid/p.jpg', device_id: 1576 });
	});

	it('records a failed delivery instead of crashing', async () => {
		await control(sim, 'POST', 'webhooks', { provider: 'smsgateway24', incomingUrl: 'http://127.0.0.1:1/nowhere' });
		await control(sim, 'POST', 'incoming', { provider: 'smsgateway24', from: '+1', body: 'x' });
		await sim.flushWebhooks();
		const [delivery] = sim.webhookDeliveries();
		expect(delivery.status).toBeUndefined();
		expect(delivery.error).toBeTruthy();
	});
});
