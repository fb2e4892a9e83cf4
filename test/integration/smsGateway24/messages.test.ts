import { startSimulator, type Simulator } from '../../../simulator/server';
import { received, runSmsGateway24, tokenCredentials } from '../../harness/smsGateway24';

const device = { __rl: true, mode: 'id', value: '260' };

describe('SMSGateway24 · Send Bulk, Get Status, Get Many', () => {
	let sim: Simulator;
	beforeAll(async () => {
		sim = await startSimulator();
	});
	afterAll(async () => await sim.close());
	beforeEach(() => sim.reset());

	const people = Array.from({ length: 450 }, (_, index) => ({ phone: `+49157${String(10000000 + index)}`, name: `Person ${index}` }));

	const bulk = (extra: Record<string, unknown> = {}) => ({
		items: people,
		credentials: tokenCredentials(sim),
		parameters: (itemIndex: number) => ({
			resource: 'message',
			operation: 'sendBulk',
			recipients: people[itemIndex].phone,
			message: `Hi ${people[itemIndex].name}, your parcel is on its way`,
			device,
			channel: 1,
			...extra,
		}),
	});

	it('sends 450 personalised items in one request (up to 500 by default), one output item per input item', async () => {
		const run = await runSmsGateway24(sim, bulk());
		expect(run.error).toBeUndefined();
		expect(run.items).toHaveLength(450);
		run.items.forEach((item, index) => {
			expect(item.pairedItem).toEqual({ item: index });
			expect(item.json).toMatchObject({ recipient: people[index].phone, status: 'queued', messageId: null });
		});
		const requests = received(sim, 'addalotofsms');
		expect(requests).toHaveLength(1);
		const sent = requests.flatMap((request) => (JSON.parse(String(request.body.datajson)) as { smsdata: Array<{ sendto: string; body: string; sim: number }> }).smsdata);
		expect(sent).toHaveLength(450);
		expect(sent[449]).toMatchObject({ sendto: people[449].phone, body: `Hi ${people[449].name}, your parcel is on its way`, sim: 1 });
		expect(JSON.parse(String(requests[0].body.datajson)).token).toBe('panel-token-0123456789abcdef');
	});

	it('writes every datajson message with the integer fields as numbers, as the API documents them', async () => {
		const run = await runSmsGateway24(sim, { ...bulk({ smsGateway24Options: { customerReference: 122, urgent: true } }), items: people.slice(0, 2) });
		expect(run.error).toBeUndefined();
		const [request] = received(sim, 'addalotofsms');
		const sent = (JSON.parse(String(request.body.datajson)) as { smsdata: Array<Record<string, unknown>> }).smsdata;
		// Seed 003's example: {"sendto":"...","body":"...","sim":1,"device_id":260,"customerid":122,"urgent":1}.
		expect(sent[0]).toEqual({ sendto: people[0].phone, body: 'Hi Person 0, your parcel is on its way', device_id: 260, sim: 1, customerid: 122, urgent: 1 });
		// The output keeps the device's ID as text, like every other ID.
		expect(run.items[0].json.deviceId).toBe('260');
	});

	it('asks for the device list while the items are still being read, not after the last one', async () => {
		const many = Array.from({ length: 2000 }, (_, index) => ({ phone: `+49157${String(20000000 + index)}` }));
		let deviceListsWhenLastItemRead: number | undefined;
		const run = await runSmsGateway24(sim, {
			items: many,
			credentials: tokenCredentials(sim),
			parameters: (itemIndex: number) => {
				// The harness resolves an item's parameters when the node first reads them.
				if (itemIndex === many.length - 1) deviceListsWhenLastItemRead ??= received(sim, 'getalldevices').length;
				return { resource: 'message', operation: 'sendBulk', recipients: many[itemIndex].phone, message: 'Doors open at 9.', device };
			},
		});
		expect(run.error).toBeUndefined();
		expect(run.items).toHaveLength(2000);
		expect(received(sim, 'getalldevices')).toHaveLength(1);
		// The look-up's round trip overlaps the reading (sendBulk.operation.ts reads in slices).
		expect(deviceListsWhenLastItemRead).toBe(1);
	});

	it('sends texts with form-special characters, accents and emoji exactly as written', async () => {
		const texts = ['Tom & Jerry: 50% off + free=yes?', 'Zażółć gęślą jaźń ✓', 'Party 🎉 at 8 #fun', 'a+b%20c'];
		const run = await runSmsGateway24(sim, {
			items: texts.map((text, index) => ({ phone: people[index].phone, text })),
			credentials: tokenCredentials(sim),
			parameters: (itemIndex: number) => ({ resource: 'message', operation: 'sendBulk', recipients: people[itemIndex].phone, message: texts[itemIndex], device }),
		});
		expect(run.error).toBeUndefined();
		const [request] = received(sim, 'addalotofsms');
		// The node writes the form text itself (see the credential); the provider reads it as a form.
		expect(request.contentType).toMatch(/^application\/x-www-form-urlencoded/);
		expect(request.body.token).toBe('panel-token-0123456789abcdef');
		const sent = (JSON.parse(String(request.body.datajson)) as { smsdata: Array<{ sendto: string; body: string }> }).smsdata;
		expect(sent.map((sms) => sms.body)).toEqual(texts);
		expect(sent.map((sms) => sms.sendto)).toEqual(people.slice(0, 4).map((person) => person.phone));
	});

	it('starts a second request at the 501st message by default', async () => {
		const many = Array.from({ length: 501 }, (_, index) => ({ phone: `+49157${String(20000000 + index)}` }));
		const run = await runSmsGateway24(sim, {
			items: many,
			credentials: tokenCredentials(sim),
			parameters: (itemIndex: number) => ({ resource: 'message', operation: 'sendBulk', recipients: many[itemIndex].phone, message: 'Doors open at 9.', device }),
		});
		expect(run.error).toBeUndefined();
		const sizes = received(sim, 'addalotofsms').map((request) => (JSON.parse(String(request.body.datajson)) as { smsdata: unknown[] }).smsdata.length);
		expect(sizes.sort((a, b) => b - a)).toEqual([500, 1]);
	});

	it('sends three batches at a time by default, strictly one after another with Parallel Requests 1', async () => {
		// Every batch takes 150 ms at the provider, so overlapping requests are easy to see.
		sim.addFault({ provider: 'smsgateway24', pathIncludes: 'addalotofsms', kind: 'latency', latencyMs: 150, times: 0 } as never);
		const spans = () =>
			received(sim, 'addalotofsms').map((request) => {
				const start = Date.parse(request.time);
				return { start, end: start + (request.durationMs ?? 0) };
			});
		const parallel = await runSmsGateway24(sim, bulk({ smsGateway24Options: { batchSize: 100 } }));
		expect(parallel.error).toBeUndefined();
		const first = spans();
		expect(first).toHaveLength(5);
		// The first three were all in flight before the first answer came back.
		expect(first[2].start).toBeLessThan(first[0].end);
		expect(parallel.items.map((item) => item.pairedItem)).toEqual(people.map((_, index) => ({ item: index })));

		sim.clearRequests();
		const serial = await runSmsGateway24(sim, bulk({ smsGateway24Options: { batchSize: 100, concurrency: 1 } }));
		expect(serial.error).toBeUndefined();
		const second = spans();
		expect(second).toHaveLength(5);
		for (let index = 1; index < second.length; index++) expect(second[index].start).toBeGreaterThanOrEqual(second[index - 1].end - 5);
	});

	it('without Continue On Fail, a refused batch stops the batches not yet started', async () => {
		sim.addFault({ provider: 'smsgateway24', pathIncludes: 'addalotofsms', kind: 'status', status: 500, times: 1 } as never);
		const run = await runSmsGateway24(sim, bulk({ smsGateway24Options: { batchSize: 50 } }));
		expect(run.error?.message).toMatch(/HTTP 500/);
		// Nine batches; the three started together finish, the other six never go out.
		expect(received(sim, 'addalotofsms')).toHaveLength(3);
	});

	it('looks up the ids by customer reference when asked', async () => {
		const run = await runSmsGateway24(sim, {
			...bulk({ smsGateway24Options: { customerReference: 777, lookUpIds: true, batchSize: 100 } }),
			items: people.slice(0, 5),
		});
		expect(run.error).toBeUndefined();
		const ids = run.items.map((item) => item.json.messageId);
		expect(ids.every((id) => typeof id === 'string' && /^\d+$/.test(id))).toBe(true);
		expect(new Set(ids).size).toBe(5);
		expect(received(sim, 'getallsms')).toHaveLength(1);
	});

	it('a campaign sent again with the same reference gets the ids of its own messages, not the earlier ones', async () => {
		const options = bulk({ smsGateway24Options: { customerReference: 777, lookUpIds: true, batchSize: 100 } });
		const first = await runSmsGateway24(sim, { ...options, items: people.slice(0, 3) });
		const again = await runSmsGateway24(sim, { ...options, items: people.slice(0, 3) });
		expect(again.error).toBeUndefined();
		const firstIds = first.items.map((item) => Number(item.json.messageId));
		const againIds = again.items.map((item) => Number(item.json.messageId));
		// Same reference, numbers and texts: the ids must be the newer messages of the second run.
		againIds.forEach((id, index) => expect(id).toBeGreaterThan(firstIds[index]));
		expect(new Set([...firstIds, ...againIds]).size).toBe(6);
	});

	it('looks up a distinct id for each of several items with the same number and text', async () => {
		const same = Array.from({ length: 4 }, () => ({ phone: people[0].phone }));
		const run = await runSmsGateway24(sim, {
			items: same,
			credentials: tokenCredentials(sim),
			parameters: () => ({ resource: 'message', operation: 'sendBulk', recipients: people[0].phone, message: 'Same text', device, channel: 1, smsGateway24Options: { customerReference: 779, lookUpIds: true } }),
		});
		expect(run.error).toBeUndefined();
		const ids = run.items.map((item) => item.json.messageId);
		expect(ids.every((id) => typeof id === 'string' && /^\d+$/.test(id))).toBe(true);
		expect(new Set(ids).size).toBe(4);
	});

	it('a failed id look-up leaves the sent messages reported as sent, with a note, not a failed node', async () => {
		sim.addFault({ provider: 'smsgateway24', pathIncludes: 'getallsms', kind: 'status', status: 500, times: 1 } as never);
		const run = await runSmsGateway24(sim, {
			...bulk({ smsGateway24Options: { customerReference: 778, lookUpIds: true, batchSize: 100 } }),
			items: people.slice(0, 5),
		});
		expect(run.error).toBeUndefined();
		expect(run.items).toHaveLength(5);
		for (const item of run.items) {
			expect(item.json).toMatchObject({ status: 'queued', messageId: null });
			expect(item.json.note).toMatch(/^The message was sent, but looking up its ID failed \(.*HTTP 500.*\); look for it with Message → Get Many\.$/);
		}
		expect(received(sim, 'addalotofsms')).toHaveLength(1);
	});

	it('a rejected batch fails only its own items under Continue On Fail', async () => {
		sim.addFault({ provider: 'smsgateway24', pathIncludes: 'addalotofsms', kind: 'status', status: 503, times: 1 } as never);
		const run = await runSmsGateway24(sim, { ...bulk({ smsGateway24Options: { batchSize: 200 } }), continueOnFail: true });
		expect(run.items).toHaveLength(450);
		const failed = run.items.filter((item) => item.json.error);
		expect(failed).toHaveLength(200);
		expect(failed[0].json.error).toMatch(/HTTP 503/);
		expect(run.items.slice(200).every((item) => item.json.status === 'queued')).toBe(true);
		expect(received(sim, 'addalotofsms')).toHaveLength(3);
	});

	it('checks every item before sending: one bad number stops the node with nothing sent', async () => {
		const items = [{ phone: '+4915710000001' }, { phone: 'not a number' }, { phone: '+4915710000003' }];
		const run = await runSmsGateway24(sim, {
			items,
			credentials: tokenCredentials(sim),
			parameters: (index) => ({ resource: 'message', operation: 'sendBulk', recipients: items[index].phone, message: 'Hello', device }),
		});
		expect(run.error?.message).toMatch(/^Recipients: "not a number" is not a phone number/);
		expect((run.error as { context?: { itemIndex?: number } }).context?.itemIndex).toBe(1);
		expect(received(sim, 'addalotofsms')).toHaveLength(0);
	});

	it('a retry of the node (Retry On Fail) does not send accepted batches again', async () => {
		// The second batch is refused once: the first run stops with an error after batch 1 went out.
		sim.addFault({ provider: 'smsgateway24', pathIncludes: 'addalotofsms', kind: 'status', status: 500, times: 1, skip: 1 } as never);
		const options = { ...bulk({ smsGateway24Options: { batchSize: 300 } }), executionId: 'retry-me' };
		const first = await runSmsGateway24(sim, options);
		expect(first.error?.message).toMatch(/HTTP 500/);
		// n8n runs the node again in the same execution, with the same input.
		const second = await runSmsGateway24(sim, options);
		expect(second.error).toBeUndefined();
		expect(second.items).toHaveLength(450);
		const requests = received(sim, 'addalotofsms');
		expect(requests.map((request) => request.response?.status)).toEqual([200, 500, 200]);
		const accepted = requests
			.filter((request) => request.response?.status === 200)
			.flatMap((request) => (JSON.parse(String(request.body.datajson)) as { smsdata: Array<{ sendto: string }> }).smsdata.map((sms) => sms.sendto));
		expect(accepted).toHaveLength(450);
		expect(new Set(accepted).size).toBe(450);
	});

	it('a new execution with the same input sends again (the memory is per node run)', async () => {
		const small = { ...bulk(), items: people.slice(0, 3) };
		await runSmsGateway24(sim, { ...small, executionId: 'a' });
		await runSmsGateway24(sim, { ...small, executionId: 'b' });
		expect(received(sim, 'addalotofsms')).toHaveLength(2);
	});

	it('gets the status of messages by id, one output item per id, following the status as it moves', async () => {
		const sendRun = await runSmsGateway24(sim, {
			credentials: tokenCredentials(sim),
			parameters: { resource: 'message', operation: 'send', recipients: '+4915752982212, +4915752981111', message: 'Hi', device },
		});
		const ids = sendRun.items.map((item) => item.json.messageId as string);
		sim.advance(4);
		const run = await runSmsGateway24(sim, {
			credentials: tokenCredentials(sim),
			parameters: { resource: 'message', operation: 'getStatus', messageId: ids.join(', ') },
		});
		expect(run.error).toBeUndefined();
		expect(run.items.map((item) => [item.json.messageId, item.json.status, item.json.providerStatus])).toEqual([
			[ids[0], 'delivered', 7],
			[ids[1], 'undelivered', 8],
		]);
	});

	it('lists messages with filters, marks incoming ones, and applies the limit', async () => {
		await runSmsGateway24(sim, {
			credentials: tokenCredentials(sim),
			parameters: {
				resource: 'message',
				operation: 'send',
				recipients: '+4915752982212, +4915752982213, +4915752982214',
				message: 'Hi',
				device,
				smsGateway24Options: { customerReference: 42 },
			},
		});
		sim.injectIncoming('smsgateway24', { from: '+4917600000001', body: 'STOP', deviceId: '260' } as never);
		const all = await runSmsGateway24(sim, {
			credentials: tokenCredentials(sim),
			parameters: { resource: 'message', operation: 'getMany', returnAll: true },
		});
		expect(all.error).toBeUndefined();
		const incoming = all.items.filter((item) => item.json.direction === 'inbound');
		expect(incoming).toHaveLength(1);
		expect(incoming[0].json).toMatchObject({ status: 'received', sender: '+4917600000001', text: 'STOP', recipient: null });

		const filtered = await runSmsGateway24(sim, {
			credentials: tokenCredentials(sim),
			parameters: {
				resource: 'message',
				operation: 'getMany',
				returnAll: false,
				limit: 2,
				smsGateway24Filters: { customerReference: 42, device, status: 1, newestFirst: false },
			},
		});
		expect(filtered.items).toHaveLength(2);
		expect(filtered.items.every((item) => item.json.customerReference === 42)).toBe(true);
		const request = received(sim, 'getallsms').pop()!;
		expect(request.body).toMatchObject({ customerid: '42', device_id: '260', status: '1', orderbydesc: '0', timezone: 'UTC' });

		const count = await runSmsGateway24(sim, {
			credentials: tokenCredentials(sim),
			parameters: { resource: 'message', operation: 'getMany', smsGateway24Filters: { countOnly: true } },
		});
		expect(count.items.map((item) => item.json)).toEqual([{ provider: 'smsGateway24', count: 4 }]);
	});

	it.each([-1, 0, 2.5, 'ten'])('Get Many refuses a Limit of %p from an expression, naming the field, before asking', async (limit) => {
		sim.clearRequests();
		const run = await runSmsGateway24(sim, {
			credentials: tokenCredentials(sim),
			continueOnFail: true,
			parameters: { resource: 'message', operation: 'getMany', returnAll: false, limit },
		});
		expect(run.items).toHaveLength(1);
		expect(String(run.items[0].json.error)).toMatch(/^Limit: .* is not a whole number, 1 or more/);
		expect(received(sim, 'getallsms')).toHaveLength(0);
	});
});
