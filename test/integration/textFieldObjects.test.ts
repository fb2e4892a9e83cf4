import { startSimulator, type Simulator } from '../../simulator/server';
import { runMessageFlow, sends } from '../harness/messageFlow';
import { bridgeRequests, runSmsBridge } from '../harness/smsBridge';
import { received, runSmsGateway24, tokenCredentials } from '../harness/smsGateway24';
import { poll } from '../harness/trigger';

/**
 * An expression that hands a text field a whole object ({{ $json.order }} instead of
 * {{ $json.order.id }}) is refused for its item, naming the field: String() made it
 * "[object Object]", which went to the provider as the value.
 */
describe('objects mapped into text fields', () => {
	let sim: Simulator;
	beforeAll(async () => {
		sim = await startSimulator();
	});
	afterAll(async () => await sim.close());
	beforeEach(() => sim.reset());

	it('SMS Bridge: an object as External ID is refused, so a second order’s text is not skipped as "already sent"', async () => {
		const base = { resource: 'message', operation: 'send', recipients: '+48500100200' };
		const first = await runSmsBridge(sim, { parameters: { ...base, message: 'Order 1 has shipped', smsBridgeOptions: { externalId: { order: 1 } } }, continueOnFail: true });
		const second = await runSmsBridge(sim, { parameters: { ...base, message: 'Order 2 has shipped', smsBridgeOptions: { externalId: { order: 2 } } }, continueOnFail: true });
		for (const run of [first, second]) {
			expect(run.items).toHaveLength(1);
			expect(run.items[0].json.error).toBe('External ID: expected text but got {"order":' + (run === first ? '1' : '2') + '}');
			expect(run.items[0].json.alreadySent).toBeUndefined();
		}
		expect(bridgeRequests(sim, 'messages/send.php')).toHaveLength(0);
	});

	it('MessageFlow: an object as External ID is refused before sending, not stored as "[object Object]"', async () => {
		const run = await runMessageFlow(sim, {
			parameters: { resource: 'message', operation: 'send', sender: 'ACME', message: 'Hello', recipients: '+48500100200', messageFlowOptions: { externalId: { id: 17 } } },
		});
		expect(run.error?.message).toBe('External ID: expected text but got {"id":17}');
		expect(sends(sim)).toHaveLength(0);
	});

	it('SMSGateway24: an object as a tag title is refused, a number is taken as text', async () => {
		const run = await runSmsGateway24(sim, {
			credentials: tokenCredentials(sim),
			items: [{}, {}],
			continueOnFail: true,
			parameters: (index) => ({ resource: 'tag', operation: 'create', title: index === 0 ? { name: 'VIP' } : 2026 }),
		});
		expect(run.items[0].json.error).toBe('Title: expected text but got {"name":"VIP"}');
		expect(received(sim, 'savetag').map((request) => request.body.title)).toEqual(['2026']);
	});

	it('MessageFlow Get Many: an object as the Senders filter is refused, not sent as the sender "[object Object]" (an empty list)', async () => {
		await runMessageFlow(sim, { parameters: { resource: 'message', operation: 'send', sender: 'ACME', message: 'Hello', recipients: '+48500100200' } });
		sim.advance(2);
		const run = await runMessageFlow(sim, { parameters: { resource: 'message', operation: 'getMany', returnAll: true, messageFlowFilters: { senders: { sender: 'ACME' } } } });
		expect(run.error?.message).toBe('Senders: expected text but got {"sender":"ACME"}');
		expect(sim.requests({ provider: 'messageflow', method: 'GET' })).toHaveLength(0);
		// A list of senders ({{ $json.senders }} holding ["ACME", "SHOP"]) is what the field means.
		const listed = await runMessageFlow(sim, { parameters: { resource: 'message', operation: 'getMany', returnAll: true, messageFlowFilters: { senders: ['ACME', 'SHOP'] } } });
		expect(listed.error).toBeUndefined();
		expect(listed.items).toHaveLength(1);
		expect(sim.requests({ provider: 'messageflow', method: 'GET' }).map((request) => request.query.sender)).toEqual(['ACME,SHOP']);
	});

	describe('other text fields that read String(x): an object was "[object Object]", refused under another name or not at all', () => {
		const device = { __rl: true, mode: 'id', value: '260' };
		const sgSend = { resource: 'message', operation: 'send', recipients: '+4915710000001', message: 'Hello', device };
		const mfSend = { resource: 'message', operation: 'send', sender: 'ACME', message: 'Hello', recipients: '+48500100200' };
		// A wall-clock time some weeks ahead (MessageFlow takes at most a year ahead).
		const later = `${new Date(Date.now() + 40 * 24 * 3600_000).toISOString().slice(0, 10)}T10:30:00`;
		const zone = { name: 'Europe/Berlin', offset: 60 };

		it('time zones: an object (a geo API’s time zone) is refused as such, not as the zone "[object Object]"; a name with spaces around, from a sheet, is taken', async () => {
			const mf = (timeZone: unknown) => runMessageFlow(sim, { parameters: { ...mfSend, messageFlowOptions: { scheduleTime: later, timeZone } as never } });
			expect((await mf(zone)).error?.message).toBe('Schedule Time Zone: expected text but got {"name":"Europe/Berlin","offset":60}');
			expect((await mf(' Europe/Berlin ')).error).toBeUndefined();
			expect((await mf('Europe/Berlin')).error).toBeUndefined();
			const [spaced, plain] = sends(sim).map((request) => request.body.scheduleTime);
			expect(spaced).toBe(plain);

			const sg = (timeZone: unknown) => runSmsGateway24(sim, { credentials: tokenCredentials(sim), parameters: { ...sgSend, smsGateway24Options: { scheduleTime: later, timeZone } as never } });
			expect((await sg(zone)).error?.message).toBe('Schedule Time Zone: expected text but got {"name":"Europe/Berlin","offset":60}');
			expect((await sg('Europe/Berlin ')).error).toBeUndefined();
			expect(received(sim, 'addsms').map((request) => request.body.timetosend)).toEqual([later.replace('T', ' ')]);

			const list = (timeZone: unknown) =>
				runSmsGateway24(sim, { credentials: tokenCredentials(sim), parameters: { resource: 'message', operation: 'getMany', returnAll: true, smsGateway24Filters: { timeZone } as never } });
			expect((await list(zone)).error?.message).toBe('Time Zone: expected text but got {"name":"Europe/Berlin","offset":60}');
			expect((await list(' Europe/Berlin')).error).toBeUndefined();
			expect(received(sim, 'getallsms').map((request) => request.body.timezone)).toEqual(['Europe/Berlin']);

			const newsletter = await runSmsGateway24(sim, {
				credentials: tokenCredentials(sim),
				parameters: { resource: 'newsletter', operation: 'create', title: 'Sale', device, message: 'Hi', tagIds: '8303', startTime: later, timeZone: zone as never },
			});
			expect(newsletter.error?.message).toBe('Time Zone: expected text but got {"name":"Europe/Berlin","offset":60}');
			expect(received(sim, 'savepaket')).toHaveLength(0);
		});

		it('Default Country and a contact’s Phone Number: an object is refused as such ("[OBJECT OBJECT]" was not a country code)', async () => {
			const country = await runMessageFlow(sim, { parameters: { ...mfSend, recipients: '500100200', defaultCountry: { code: 'PL' } as never } });
			expect(country.error?.message).toBe('Default Country: expected text but got {"code":"PL"}');
			expect(sends(sim)).toHaveLength(0);
			const contact = await runSmsGateway24(sim, {
				credentials: tokenCredentials(sim),
				parameters: { resource: 'contact', operation: 'create', phone: { mobile: '+4915752982212' } as never, name: 'Jane', tagId: '8303' },
			});
			expect(contact.error?.message).toBe('Phone Number: expected text but got {"mobile":"+4915752982212"}');
			expect(received(sim, 'savecontact')).toHaveLength(0);
		});

		it('Tag IDs: an object is refused as such; a list of numbers is taken', async () => {
			const create = (tagIds: unknown) =>
				runSmsGateway24(sim, { credentials: tokenCredentials(sim), parameters: { resource: 'newsletter', operation: 'create', title: 'Sale', device, message: 'Hi', tagIds: tagIds as never, startTime: later } });
			expect((await create({ id: 8303 })).error?.message).toBe('Tag IDs: expected text but got {"id":8303}');
			expect(received(sim, 'savepaket')).toHaveLength(0);
			for (const title of ['A', 'B']) await runSmsGateway24(sim, { credentials: tokenCredentials(sim), parameters: { resource: 'tag', operation: 'create', title } });
			expect((await create([8303, ' 8304 '])).error).toBeUndefined();
			expect(sim.snapshot('smsgateway24')).toMatchObject({ newsletters: [{ tags: [8303, 8304] }] });
		});

		it('SMSGateway24 Device: an object is refused as such (it was "no device chosen"), in Send, the Get Many filter and the Poll Trigger', async () => {
			const send = await runSmsGateway24(sim, { credentials: tokenCredentials(sim), parameters: { ...sgSend, device: { ...device, value: { id: 260 } } as never } });
			expect(send.error?.message).toBe('Device: expected text but got {"id":260}');
			const list = await runSmsGateway24(sim, {
				credentials: tokenCredentials(sim),
				parameters: { resource: 'message', operation: 'getMany', returnAll: true, smsGateway24Filters: { device: { ...device, value: { id: 260 } } } as never },
			});
			expect(list.error?.message).toBe('Device: expected text but got {"id":260}');
			const polled = await poll({ parameters: { provider: 'smsGateway24', device: { ...device, value: { id: 260 } } as never }, credentials: tokenCredentials(sim), staticData: {} });
			expect(polled.error?.message).toBe('Device: expected text but got {"id":260}');
			expect(received(sim, 'addsms')).toHaveLength(0);
			expect(received(sim, 'getallsms')).toHaveLength(0);
		});

		it('SMSGateway24 Image (Binary Property), MessageFlow Delivery Report URL, SMS Bridge Report Status Message ID: an object is refused as such', async () => {
			const image = await runSmsGateway24(sim, { credentials: tokenCredentials(sim), parameters: { ...sgSend, channel: 2, smsGateway24Options: { imageBinaryProperty: { data: 'iVBOR' } } as never } });
			expect(image.error?.message).toBe('Image (Binary Property): expected text but got {"data":"iVBOR"}');
			expect(received(sim, 'addsms')).toHaveLength(0);
			const url = await runMessageFlow(sim, { parameters: { ...mfSend, messageFlowOptions: { webhookUrl: { url: 'https://n8n.example/webhook/sms' } } as never } });
			expect(url.error?.message).toBe('Delivery Report URL: expected text but got {"url":"https://n8n.example/webhook/sms"}');
			expect(sends(sim)).toHaveLength(0);
			const report = await runSmsBridge(sim, { parameters: { resource: 'gatewayQueue', operation: 'reportStatus', queueMessageId: { id: 5 } as never, queueStatus: 'sms_sent' } });
			expect(report.error?.message).toBe('Message ID: expected text but got {"id":5}');
			expect(bridgeRequests(sim, 'messages/status.php')).toHaveLength(0);
		});
	});

	it('a calculation that gave NaN or Infinity is refused, not sent as the text "NaN"', async () => {
		const run = await runMessageFlow(sim, {
			items: [{}, {}, {}],
			continueOnFail: true,
			parameters: (index) => ({ resource: 'message', operation: 'send', sender: 'ACME', recipients: '+48500100200', message: [Number.NaN, 'Your total is 12 PLN', Number.POSITIVE_INFINITY][index] as never }),
		});
		expect(run.items.map((item) => item.json.error ?? item.json.status)).toEqual([
			'Message: the expression gave NaN, not a value',
			'queued',
			'Message: the expression gave Infinity, not a value',
		]);
		expect(sends(sim).map((request) => request.body.message)).toEqual(['Your total is 12 PLN']);
	});
});

