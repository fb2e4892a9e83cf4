import type { MessageFlowProvider } from '../../../simulator/providers/messageflow';
import { startSimulator, type Simulator } from '../../../simulator/server';
import { messageFlowCredentials, runMessageFlow, sends } from '../../harness/messageFlow';

const send = { resource: 'message', operation: 'send', sender: 'ACME', message: 'Your order has shipped' };

describe('MessageFlow', () => {
	let sim: Simulator;
	beforeAll(async () => {
		sim = await startSimulator();
	});
	afterAll(async () => await sim.close());
	beforeEach(() => sim.reset());

	/** The next send request (or the next `times`) answered 201 with this body, as MessageFlow might. */
	const answerSends = (body: unknown, times?: number) =>
		sim.addFault({ provider: 'messageflow', pathIncludes: '/v2.1/sms', method: 'POST', kind: 'status', status: 201, ...(times ? { times } : {}), body } as never);

	it('sends one text to several numbers in one request, one output item per recipient', async () => {
		const run = await runMessageFlow(sim, {
			parameters: { ...send, recipients: '+48500100200, 601 234 567', defaultCountry: 'PL', messageFlowOptions: { externalId: 'order-17', shortLink: true } },
		});
		expect(run.error).toBeUndefined();
		expect(run.items.map((item) => [item.json.recipient, item.json.status, item.json.externalId])).toEqual([
			['+48500100200', 'queued', 'order-17'],
			['+48601234567', 'queued', 'order-17'],
		]);
		expect(run.items.every((item) => /^\d+$/.test(String(item.json.messageId)))).toBe(true);
		const [request] = sends(sim);
		expect(sends(sim)).toHaveLength(1);
		expect(request.headers.authorization).toBe('mf-auth-key-0123456789');
		expect(request.headers['application-key']).toBe('mf-app-key-abcdef');
		expect(request.body).toMatchObject({ sender: 'ACME', message: 'Your order has shipped', phoneNumbers: ['+48500100200', '+48601234567'], externalId: 'order-17', shortLink: true });
	});

	it('reports partial acceptance per recipient: accepted numbers succeed, refused ones are error items', async () => {
		const run = await runMessageFlow(sim, {
			parameters: { ...send, recipients: '+48500100200, +48500109999' },
			continueOnFail: true,
		});
		expect(run.items).toHaveLength(2);
		expect(run.items[0].json).toMatchObject({ recipient: '+48500100200', status: 'queued' });
		expect(run.items[1].json.error).toMatch(/MessageFlow refused \+48500109999: Blocked by operator/);
		expect(run.items[1].json.recipient).toBe('+48500109999');
		expect(run.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 0 }]);
	});

	it('refuses a text over 9 parts before sending, stating length, encoding and limit', async () => {
		const run = await runMessageFlow(sim, { parameters: { ...send, recipients: '+48500100200', message: 'ż'.repeat(604) } });
		expect(run.error?.message).toBe(
			'Message: the text is 604 UCS-2 characters, 10 SMS parts; MessageFlow sends at most 9 parts (603 UCS-2 characters)',
		);
		expect(sends(sim)).toHaveLength(0);
		const fits = await runMessageFlow(sim, { parameters: { ...send, recipients: '+48500100200', message: 'a'.repeat(1377) } });
		expect(fits.items[0].json).toMatchObject({ segments: 9, encoding: 'GSM-7' });
	});

	it('explains wrong keys and an unknown sender', async () => {
		const wrong = await runMessageFlow(sim, {
			parameters: { ...send, recipients: '+48500100200' },
			credentials: messageFlowCredentials(sim, { authKey: 'wrong-key-1234' }),
		});
		expect(wrong.error?.message).toMatch(/^MessageFlow refused the keys \(HTTP 401\)/);
		expect(JSON.stringify(wrong.error)).not.toContain('wrong-key-1234');
		const sender = await runMessageFlow(sim, { parameters: { ...send, sender: 'NOPE', recipients: '+48500100200' } });
		expect(sender.error?.message).toMatch(/Sender NOPE is not registered/);
	});

	it('converts the schedule time to Unix seconds and the number format when asked', async () => {
		await runMessageFlow(sim, {
			parameters: {
				...send,
				recipients: '+48500100200',
				messageFlowOptions: { scheduleTime: '2030-01-15T10:00:00', timeZone: 'Europe/Warsaw', numberFormat: 'digits', validity: 48 },
			},
		});
		expect(sends(sim)[0].body).toMatchObject({ scheduleTime: Date.UTC(2030, 0, 15, 9) / 1000, phoneNumbers: ['48500100200'], validity: 48 });
	});

	it('waits out a 202 "still working" answer and asks again, without sending twice', async () => {
		sim.provider<MessageFlowProvider>('messageflow').holdNext({ times: 1, target: 'send', retryAfterSeconds: 1, expiresSeconds: 30 });
		const run = await runMessageFlow(sim, { parameters: { ...send, recipients: '+48500100200' } });
		expect(run.error).toBeUndefined();
		expect(run.items[0].json.status).toBe('queued');
		expect(sends(sim).map((request) => request.response?.status)).toEqual([202, 201]);
		const state = sim.snapshot('messageflow') as { messages: unknown[] };
		expect(state.messages).toHaveLength(1);
	});

	it('a Base URL pasted with the API version (…/v2.1) reaches the same endpoint', async () => {
		const credentials = messageFlowCredentials(sim);
		credentials.messageFlowApi.baseUrl += '/v2.1/';
		const run = await runMessageFlow(sim, { parameters: { ...send, recipients: '+48500100200' }, credentials });
		expect(run.error).toBeUndefined();
		expect(sends(sim).map((request) => request.path)).toEqual(['/messageflow/v2.1/sms']);
	});

	it('a 202 without a result is an error that a retry does not send again', async () => {
		sim.addFault({ provider: 'messageflow', pathIncludes: '/v2.1/sms', method: 'POST', kind: 'status', status: 202, afterProcessing: true, times: 1 } as never);
		const parameters = { ...send, recipients: '+48500100200' };
		const first = await runMessageFlow(sim, { parameters, executionId: 'mf-202' });
		expect(first.error?.message).toBe('MessageFlow accepted "POST /v2.1/sms" (HTTP 202) without a result');
		expect((first.error as { description?: string }).description).toMatch(/^The request was accepted, so the message may already have gone out\. Look for the messages in Message → Get Many/);
		// n8n's Retry On Fail runs the node again in the same execution: nothing goes out again.
		const retry = await runMessageFlow(sim, { parameters, executionId: 'mf-202' });
		expect(retry.error?.message).toMatch(/^Not sent again: an earlier attempt in this run may already have gone out/);
		expect(sends(sim)).toHaveLength(1);
		expect((sim.snapshot('messageflow') as { messages: unknown[] }).messages).toHaveLength(1);
	});

	it('with Number Format National, recipients are matched to the answer as written: accepted and refused', async () => {
		const run = await runMessageFlow(sim, {
			parameters: { ...send, recipients: '+48500100200, +48500109999', messageFlowOptions: { numberFormat: 'national' } },
			continueOnFail: true,
		});
		expect(sends(sim)[0].body).toMatchObject({ phoneNumbers: ['500100200', '500109999'] });
		expect(run.items[0].json).toMatchObject({ recipient: '+48500100200', status: 'queued' });
		expect(run.items[1].json.error).toBe('Recipients: MessageFlow refused +48500109999: Blocked by operator: The operator refuses messages to 500109999 (500109999)');
	});

	it('with Number Format National, a number from outside Poland is refused before sending (written without its code it would go to a Polish number)', async () => {
		const run = await runMessageFlow(sim, {
			parameters: { ...send, recipients: '+48500100200, +4915752982212', messageFlowOptions: { numberFormat: 'national' } },
			continueOnFail: true,
		});
		expect(run.items).toHaveLength(1);
		expect(run.items[0].json.error).toBe('Recipients: +4915752982212 is a number from DE, and Number Format "National" writes numbers without their country code, so MessageFlow would read it as Polish');
		expect(String(run.items[0].json.description)).toMatch(/^Send only to Polish numbers, or choose an international Number Format/);
		expect(sends(sim)).toHaveLength(0);
	});

	it('finds a number MessageFlow writes back in another form (national, 00…), and does not call an unmentioned one refused', async () => {
		const answer = (phoneNumbers: string[]) => ({
			data: phoneNumbers.map((phoneNumber) => ({ sender: 'ACME', phoneNumber, status: 1, createTime: '2026-11-24 10:00:00', numberOfParts: 1 })),
			errors: [],
			meta: { uniqId: 'req-1' },
		});
		sim.addFault({ provider: 'messageflow', pathIncludes: '/v2.1/sms', method: 'POST', kind: 'status', status: 201, afterProcessing: true, body: answer(['500100200', '0048500100201']) } as never);
		const run = await runMessageFlow(sim, { parameters: { ...send, recipients: '+48500100200, +48500100201, +48500100202' }, continueOnFail: true });
		expect(run.items.slice(0, 2).map((item) => [item.json.recipient, item.json.error ?? 'sent'])).toEqual([
			['+48500100200', 'sent'],
			['+48500100201', 'sent'],
		]);
		expect(run.items[2].json.error).toBe("Recipients: MessageFlow's answer does not mention +48500100202 (sent as +48500100202): it may or may not have been sent");
	});

	it('a refusal of the request as a whole names its field and quotes MessageFlow', async () => {
		const twoYears = new Date(Date.now() + 2 * 365 * 24 * 3600 * 1000).toISOString().slice(0, 19);
		const run = await runMessageFlow(sim, { parameters: { ...send, recipients: '+48500100200', messageFlowOptions: { scheduleTime: twoYears, timeZone: 'UTC' } } });
		expect(run.error?.message).toMatch(/^Schedule Time: MessageFlow refused the request: Validation Error: scheduleTime must be a Unix time in seconds, at most one year ahead \(\d+\)$/);
		const sender = await runMessageFlow(sim, { parameters: { ...send, sender: 'NOPE', recipients: '+48500100200, +48500100201' }, continueOnFail: true });
		expect(sender.items.map((item) => item.json.error)).toEqual([
			'Sender: MessageFlow refused the request: Invalid sender: Sender NOPE is not registered for this account (NOPE)',
			'Sender: MessageFlow refused the request: Invalid sender: Sender NOPE is not registered for this account (NOPE)',
		]);
	});

	it('a bulk send stopped by an error says, on each message left out, which error stopped it', async () => {
		sim.addFault({ provider: 'messageflow', pathIncludes: '/v2.1/sms', method: 'POST', kind: 'status', status: 500, skip: 1 } as never);
		const texts = ['Sale A', 'Sale B', 'Sale A'];
		const run = await runMessageFlow(sim, {
			items: texts.map((_, index) => ({ phone: `+4850010${String(1000 + index)}` })),
			parameters: (index) => ({ resource: 'message', operation: 'sendBulk', sender: 'ACME', recipients: `+4850010${String(1000 + index)}`, message: texts[index], messageFlowOptions: { batchSize: 1, concurrency: 1 } }),
		});
		// Item 1 (the other text) was never sent: the node stops with its error, which names the cause.
		expect(run.error?.message).toMatch(/^Not sent: the bulk send stopped at an error \(MessageFlow answered "POST \/v2.1\/sms" with HTTP 500/);
		expect(sends(sim)).toHaveLength(2);
	});

	it('a bulk request MessageFlow refuses as a whole stops the bulk send; a refused number does not', async () => {
		const twoYears = new Date(Date.now() + 2 * 365 * 24 * 3600 * 1000).toISOString().slice(0, 19);
		const phones = Array.from({ length: 4 }, (_, index) => `+4850040${String(1000 + index)}`);
		const parameters = (index: number) => ({
			resource: 'message',
			operation: 'sendBulk',
			sender: 'ACME',
			recipients: phones[index],
			message: `Hi ${index}`,
			messageFlowOptions: { concurrency: 1, ...(index === 0 ? { scheduleTime: twoYears, timeZone: 'UTC' } : {}) },
		});
		const stored = () => (sim.snapshot('messageflow') as { messages: Array<{ phoneNumber: string }> }).messages.map((m) => m.phoneNumber);

		const stopped = await runMessageFlow(sim, { items: phones.map((phone) => ({ phone })), parameters });
		expect(stopped.error?.message).toMatch(/^Schedule Time: MessageFlow refused the request: Validation Error: scheduleTime must be a Unix time in seconds, at most one year ahead/);
		// Only the refused request went out: a re-run does not text the other three twice.
		expect(sends(sim).map((request) => [request.body.phoneNumbers, request.response?.status])).toEqual([[[phones[0]], 422]]);
		expect(stored()).toEqual([]);

		// With Continue On Fail every request goes, and only the refused item is an error.
		sim.reset();
		const all = await runMessageFlow(sim, { items: phones.map((phone) => ({ phone })), parameters, continueOnFail: true });
		expect(sends(sim).map((request) => request.response?.status)).toEqual([422, 201, 201, 201]);
		expect(all.items.map((item) => item.json.error ?? item.json.status)).toEqual([
			expect.stringMatching(/^Schedule Time: MessageFlow refused the request: /),
			'queued',
			'queued',
			'queued',
		]);
		expect(stored()).toEqual(phones.slice(1));

		// A number MessageFlow refuses (its problem names the number) is that item's error only.
		sim.reset();
		const blocked = ['+48500409999', ...phones.slice(1)];
		const refusedNumber = await runMessageFlow(sim, {
			items: blocked.map((phone) => ({ phone })),
			parameters: (index) => ({ ...parameters(index), recipients: blocked[index], messageFlowOptions: { concurrency: 1 } }),
		});
		expect(refusedNumber.error?.message).toMatch(/^Recipients: MessageFlow refused \+48500409999: Blocked by operator/);
		expect(sends(sim).map((request) => request.response?.status)).toEqual([422, 201, 201, 201]);
	});

	it('a bulk send stopped by a request refused as a whole names that refusal on each message left out', async () => {
		// Items 0 and 2 share a text, so with one number per request they go first, one after the
		// other; MessageFlow refuses the second of them (item 2), and item 1's request never starts.
		sim.addFault({
			provider: 'messageflow',
			pathIncludes: '/v2.1/sms',
			method: 'POST',
			kind: 'status',
			status: 422,
			skip: 1,
			times: 1,
			body: { data: [], errors: [{ title: 'Invalid sender', message: 'Sender ACME is suspended', code: 422, meta: { source: 'body', parameter: 'sender', value: 'ACME' } }], meta: { status: 422 } },
		} as never);
		const texts = ['Sale A', 'Sale B', 'Sale A'];
		const phones = texts.map((_, index) => `+4850041${String(1000 + index)}`);
		const run = await runMessageFlow(sim, {
			items: phones.map((phone) => ({ phone })),
			parameters: (index) => ({ resource: 'message', operation: 'sendBulk', sender: 'ACME', recipients: phones[index], message: texts[index], messageFlowOptions: { batchSize: 1, concurrency: 1 } }),
		});
		expect(run.error?.message).toBe('Not sent: the bulk send stopped at an error (Sender: MessageFlow refused the request: Invalid sender: Sender ACME is suspended (ACME))');
		expect(sends(sim).map((request) => [request.body.phoneNumbers, request.response?.status])).toEqual([
			[[phones[0]], 201],
			[[phones[2]], 422],
		]);
	});

	it('a bulk request taken with a problem beside it (an option the account lacks) is sent, and the bulk send goes on', async () => {
		const phones = ['+48500100301', '+48500100302'];
		answerSends(
			{
				data: [{ smsId: 7100000009, sender: 'ACME', phoneNumber: phones[0], status: 1, numberOfParts: 1 }],
				errors: [{ title: 'Ignored', message: 'shortLink is not enabled for this account', code: 400, meta: { source: 'body', parameter: 'shortLink', value: true } }],
				meta: {},
			},
			1,
		);
		const run = await runMessageFlow(sim, {
			items: phones.map((phone) => ({ phone })),
			parameters: (index: number) => ({ resource: 'message', operation: 'sendBulk', sender: 'ACME', recipients: phones[index], message: `Hi ${index}`, messageFlowOptions: { concurrency: 1, shortLink: true } }),
		});
		expect(run.error).toBeUndefined();
		expect(run.items.map((item) => [item.json.recipient, item.json.messageId])).toEqual([
			[phones[0], '7100000009'],
			[phones[1], expect.any(String)],
		]);
		expect(sends(sim).map((request) => request.body.phoneNumbers)).toEqual([[phones[0]], [phones[1]]]);
	});

	it('two items with the same number and text in one bulk request each get their own message ID, or their own refusal', async () => {
		const phone = '+48500100200';
		const bulk = (message: string) => ({ resource: 'message', operation: 'sendBulk', sender: 'ACME', recipients: phone, message });
		const run = await runMessageFlow(sim, { items: [{ phone }, { phone }], parameters: bulk('Sale today') });
		expect(run.error).toBeUndefined();
		expect(sends(sim).map((request) => request.body.phoneNumbers)).toEqual([[phone, phone]]);
		const ids = (sim.snapshot('messageflow') as { messages: Array<{ smsId: string }> }).messages.map((m) => m.smsId);
		expect(ids).toHaveLength(2);
		expect(run.items.map((item) => item.json.messageId)).toEqual(ids);
		expect(run.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);

		// MessageFlow takes one copy and refuses the other: one item is sent, the other an error.
		answerSends({
			data: [{ smsId: 7100000001, sender: 'ACME', phoneNumber: phone, status: 1, numberOfParts: 1 }],
			errors: [{ title: 'Duplicate', message: 'The same text to the same number twice', code: 422, meta: { source: 'body', parameter: 'phoneNumbers', value: phone } }],
			meta: { uniqId: 'req-dup' },
		});
		const half = await runMessageFlow(sim, { items: [{ phone }, { phone }], parameters: bulk('Sale tomorrow'), continueOnFail: true });
		expect(half.items.map((item) => [item.json.messageId ?? null, item.json.error ?? null])).toEqual([
			['7100000001', null],
			[null, `Recipients: MessageFlow refused ${phone}: Duplicate: The same text to the same number twice (${phone})`],
		]);

		// An answer naming the number once leaves the other copy unmentioned, not sent twice.
		answerSends({ data: [{ smsId: 7100000002, sender: 'ACME', phoneNumber: phone, status: 1, numberOfParts: 1 }], errors: [], meta: {} });
		const once = await runMessageFlow(sim, { items: [{ phone }, { phone }], parameters: bulk('Sale next week'), continueOnFail: true });
		expect(once.items.map((item) => [item.json.messageId ?? null, item.json.error ?? null])).toEqual([
			['7100000002', null],
			[null, `Recipients: MessageFlow's answer does not mention ${phone} (sent as ${phone}): it may or may not have been sent`],
		]);
	});

	it('Send Bulk groups identical texts into shared requests and sends personalised texts one request each', async () => {
		const people = Array.from({ length: 12 }, (_, index) => ({ phone: `+4850010${String(1000 + index)}`, name: `P${index}` }));
		const same = await runMessageFlow(sim, {
			items: people,
			parameters: (index) => ({ resource: 'message', operation: 'sendBulk', sender: 'ACME', recipients: people[index].phone, message: 'Sale today', messageFlowOptions: { batchSize: 5 } }),
		});
		expect(same.error).toBeUndefined();
		expect(same.items).toHaveLength(12);
		expect(same.items.map((item) => item.pairedItem)).toEqual(people.map((_, item) => ({ item })));
		// The three requests go out in parallel and may arrive in any order: compare the chunks sorted.
		const chunks = sends(sim).map((request) => (request.body.phoneNumbers as string[]).join(','));
		const phones = people.map((person) => person.phone);
		expect(chunks.sort()).toEqual([phones.slice(0, 5), phones.slice(5, 10), phones.slice(10)].map((numbers) => numbers.join(',')).sort());

		sim.clearRequests();
		const personal = await runMessageFlow(sim, {
			items: people,
			parameters: (index) => ({ resource: 'message', operation: 'sendBulk', sender: 'ACME', recipients: people[index].phone, message: `Hi ${people[index].name}` }),
		});
		expect(personal.items.every((item) => item.json.status === 'queued')).toBe(true);
		expect(sends(sim)).toHaveLength(12);
		expect(personal.items[7].json.recipient).toBe(people[7].phone);
	});

	it('Get Many pages through the status list, and an empty list is no error', async () => {
		const empty = await runMessageFlow(sim, { parameters: { resource: 'message', operation: 'getMany', returnAll: true } });
		expect(empty.error).toBeUndefined();
		expect(empty.items).toHaveLength(0);

		const numbers = Array.from({ length: 7 }, (_, index) => `+4850020${String(1000 + index)}`).join(', ');
		await runMessageFlow(sim, { parameters: { ...send, recipients: numbers } });
		sim.advance(2);
		const some = await runMessageFlow(sim, { parameters: { resource: 'message', operation: 'getMany', returnAll: false, limit: 3, messageFlowFilters: { senders: 'ACME' } } });
		expect(some.items).toHaveLength(3);
		expect(some.items[0].json).toMatchObject({ provider: 'messageFlow', direction: 'outbound', sender: 'ACME' });
		const all = await runMessageFlow(sim, { parameters: { resource: 'message', operation: 'getMany', returnAll: true } });
		expect(all.items).toHaveLength(7);
		const list = sim.requests({ provider: 'messageflow', method: 'GET' });
		expect(list.some((request) => request.query.sender === 'ACME' && request.query.limit === '3')).toBe(true);
	});

	it('Get Many lists an entry pushed from one page into the next (a message sent meanwhile) once', async () => {
		const entry = (id: number) => ({ smsId: id, phoneNumber: `+4850030${String(1000 + id)}`, status: 'Delivered', sender: 'ACME' });
		// Page 1 holds ids 1001…2; by the time page 2 is read a new message (1002) came first, so
		// page 2 starts with id 2 again.
		const first = Array.from({ length: 1000 }, (_, index) => entry(1001 - index));
		sim.addFault({ provider: 'messageflow', method: 'GET', pathIncludes: 'offset=0', kind: 'status', status: 200, body: { data: first, errors: [], meta: {} } });
		sim.addFault({ provider: 'messageflow', method: 'GET', pathIncludes: 'offset=1000', kind: 'status', status: 200, body: { data: [entry(2), entry(1)], errors: [], meta: {} } });
		const run = await runMessageFlow(sim, { parameters: { resource: 'message', operation: 'getMany', returnAll: true } });
		expect(run.error).toBeUndefined();
		const ids = run.items.map((item) => item.json.messageId);
		expect(ids).toHaveLength(1001);
		expect(new Set(ids).size).toBe(1001);
		expect(ids.at(-1)).toBe('1');
	});

	it('Get Many meeting a 404 page that is not MessageFlow’s (a wrong Base URL) is an error, not an empty list', async () => {
		sim.addFault({ provider: 'messageflow', method: 'GET', kind: 'html', status: 404 });
		const run = await runMessageFlow(sim, { parameters: { resource: 'message', operation: 'getMany', returnAll: true }, continueOnFail: true });
		expect(run.items).toHaveLength(1);
		expect(String(run.items[0].json.error)).toMatch(/^MessageFlow answered "GET \/v2.1\/sms" with HTTP 404 \(an HTML page/);
		expect(String(run.items[0].json.description)).toMatch(/Base URL/);
		// MessageFlow's own 404 body is not published: an empty one is still "no results".
		sim.addFault({ provider: 'messageflow', method: 'GET', kind: 'empty', status: 404 });
		const empty = await runMessageFlow(sim, { parameters: { resource: 'message', operation: 'getMany', returnAll: true } });
		expect(empty.error).toBeUndefined();
		expect(empty.items).toHaveLength(0);
	});
});
