import axios from 'axios';
import type { SmsGateway24Provider } from '../../../simulator/providers/smsgateway24';
import { startSimulator, type Simulator } from '../../../simulator/server';
import { passwordCredentials, received, runSmsGateway24, tokenCredentials } from '../../harness/smsGateway24';

/**
 * Issue #8: a Device the account does not have is refused per item before that item's sending
 * request, checked against the account's devices (getalldevices, a read), which are asked for at
 * most once per execution, only when an item needs them, and never at the cost of a send.
 */

type WithDescription = Error & { description?: string; context?: { itemIndex?: number } };

const device = (value: string | number) => ({ __rl: true as const, mode: 'id', value });

const phones = ['+4915752982212', '+4917612345678', '+48601234567', '+4915111111111', '+4915122222222'];

describe('SMSGateway24 · the Device is checked against the account before sending', () => {
	let sim: Simulator;
	beforeAll(async () => {
		sim = await startSimulator();
	});
	afterAll(async () => await sim.close());
	beforeEach(() => sim.reset());

	/** Requests for one method as the simulator's control API reports them (GET /__sim/requests). */
	async function requestsTo(method: string) {
		const { data } = await axios.get<Array<{ seq: number; path: string }>>(`${sim.url}/__sim/requests`, {
			params: { provider: 'smsgateway24', pathIncludes: `/getdata/${method}` },
		});
		return data;
	}

	/** Items that each name their device (as `{{ $json.device }}` would), one recipient each. */
	const perItem = (operation: 'send' | 'sendBulk', devices: Array<string | number>, extra: Record<string, unknown> = {}) => ({
		items: devices.map((id, index) => ({ phone: phones[index], device: id })),
		credentials: tokenCredentials(sim),
		parameters: (itemIndex: number) => ({
			resource: 'message',
			operation,
			recipients: phones[itemIndex],
			message: `Hello ${itemIndex}`,
			device: device(devices[itemIndex]),
			channel: 0,
			...extra,
		}),
	});

	describe('Message → Send', () => {
		it('with Continue On Fail: an unknown device is an error item naming Device, before any send for it; the others go', async () => {
			const run = await runSmsGateway24(sim, { ...perItem('send', ['260', '999999', '1576', '31337']), continueOnFail: true });
			expect(run.error).toBeUndefined();
			expect(run.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }]);
			expect(run.items[0].json).toMatchObject({ recipient: phones[0], status: 'queued', deviceId: '260' });
			expect(run.items[1].json.error).toBe('Device: there is no device with ID 999999 in this SMSGateway24 account');
			expect(run.items[1].json.description).toMatch(/^Choose a device from the list, or check the ID in SMSGateway24's panel → Devices/);
			expect(run.items[1].json.description).toMatch(/This account's devices: Office Pixel \(\+4915752982212, ID 260\), Warehouse Emulator \(.*ID 1576\)\./);
			expect(run.items[2].json).toMatchObject({ recipient: phones[2], status: 'queued', deviceId: '1576' });
			expect(run.items[3].json.error).toMatch(/^Device: there is no device with ID 31337/);
			// No sending request for the unknown devices: only the two good items reached addsms.
			const sends = received(sim, 'addsms');
			expect(sends.map((request) => [request.body.sendto, request.body.device_id])).toEqual([
				[phones[0], '260'],
				[phones[2], '1576'],
			]);
			// One look-up for the four items, before the first send.
			const lookUps = await requestsTo('getalldevices');
			expect(lookUps).toHaveLength(1);
			expect(lookUps[0].seq).toBeLessThan(sends[0].seq);
		});

		it('without Continue On Fail: stops at the item with the unknown device, before sending it', async () => {
			const run = await runSmsGateway24(sim, perItem('send', ['260', '999999', '260']));
			const error = run.error as WithDescription;
			expect(error.message).toBe('Device: there is no device with ID 999999 in this SMSGateway24 account');
			expect(error.description).toMatch(/Office Pixel/);
			expect(error.context?.itemIndex).toBe(1);
			// Item 0 was sent before item 1 was read (Send goes item by item); nothing after it.
			expect(received(sim, 'addsms').map((request) => request.body.sendto)).toEqual([phones[0]]);
		});

		it('reads the device per item from an expression: text, number, leading zeros', async () => {
			const run = await runSmsGateway24(sim, { ...perItem('send', ['1576', 260, '0260', '12']), continueOnFail: true });
			expect(run.items.map((item) => item.json.error ?? item.json.deviceId)).toEqual([
				'1576',
				'260',
				'0260',
				'Device: there is no device with ID 12 in this SMSGateway24 account',
			]);
			expect(received(sim, 'addsms').map((request) => request.body.device_id)).toEqual(['1576', '260', '0260']);
			expect(await requestsTo('getalldevices')).toHaveLength(1);
		});

		it('looks the devices up once for many items, and once again only in another execution', async () => {
			const many = Array.from({ length: 40 }, (_, index) => `+4915200${String(100000 + index)}`);
			const options = {
				items: many.map((phone) => ({ phone })),
				credentials: tokenCredentials(sim),
				parameters: (itemIndex: number) => ({ resource: 'message', operation: 'send', recipients: many[itemIndex], message: 'Hi', device: device('260') }),
			};
			const run = await runSmsGateway24(sim, { ...options, executionId: 'device-check-once' });
			expect(run.error).toBeUndefined();
			expect(received(sim, 'addsms')).toHaveLength(40);
			expect(await requestsTo('getalldevices')).toHaveLength(1);

			// The node runs again in the same execution (a loop, or Retry On Fail): the list is reused.
			await runSmsGateway24(sim, { ...options, items: options.items.slice(0, 2), executionId: 'device-check-once' });
			expect(await requestsTo('getalldevices')).toHaveLength(1);

			// A new execution asks again.
			await runSmsGateway24(sim, { ...options, items: options.items.slice(0, 2), executionId: 'device-check-next' });
			expect(await requestsTo('getalldevices')).toHaveLength(2);
		});

		it('does not look the devices up when no item is otherwise ready to send', async () => {
			const run = await runSmsGateway24(sim, {
				items: [{}, {}],
				credentials: tokenCredentials(sim),
				continueOnFail: true,
				parameters: (itemIndex: number) => ({
					resource: 'message',
					operation: 'send',
					recipients: itemIndex === 0 ? '+49 157 ABC' : '+4915752982212',
					message: itemIndex === 0 ? 'Hi' : '   ',
					device: device('999999'),
				}),
			});
			expect(run.items.map((item) => String(item.json.error).split(':')[0])).toEqual(['Recipients', 'Message']);
			expect(sim.requests({ provider: 'smsgateway24' })).toHaveLength(0);
		});

		it('checks the device after the other fields: an item with a bad channel costs no look-up', async () => {
			const run = await runSmsGateway24(sim, {
				credentials: tokenCredentials(sim),
				parameters: { resource: 'message', operation: 'send', recipients: phones[0], message: 'Hi', device: device('999999'), channel: 9 },
			});
			expect(run.error?.message).toMatch(/^SIM Slot \/ Channel:/);
			expect(sim.requests({ provider: 'smsgateway24' })).toHaveLength(0);
		});
	});

	describe('Message → Send Bulk', () => {
		it('with Continue On Fail: unknown devices are error items, the rest go in one batch without them', async () => {
			const run = await runSmsGateway24(sim, { ...perItem('sendBulk', ['260', '999999', '1576', '260', '4242']), continueOnFail: true });
			expect(run.error).toBeUndefined();
			expect(run.items.map((item) => item.pairedItem)).toEqual([0, 1, 2, 3, 4].map((item) => ({ item })));
			expect(run.items.map((item) => (item.json.error === undefined ? 'sent' : String(item.json.error)))).toEqual([
				'sent',
				'Device: there is no device with ID 999999 in this SMSGateway24 account',
				'sent',
				'sent',
				'Device: there is no device with ID 4242 in this SMSGateway24 account',
			]);
			const batches = received(sim, 'addalotofsms');
			expect(batches).toHaveLength(1);
			const smsdata = (JSON.parse(String(batches[0].body.datajson)) as { smsdata: Array<{ sendto: string; device_id: number }> }).smsdata;
			expect(smsdata.map((entry) => [entry.sendto, entry.device_id])).toEqual([
				[phones[0], 260],
				[phones[2], 1576],
				[phones[3], 260],
			]);
			const lookUps = await requestsTo('getalldevices');
			expect(lookUps).toHaveLength(1);
			expect(lookUps[0].seq).toBeLessThan(batches[0].seq);
		});

		it('without Continue On Fail: one unknown device stops the node before any message is sent', async () => {
			const run = await runSmsGateway24(sim, perItem('sendBulk', ['260', '260', '260', '999999', '260']));
			expect(run.error?.message).toBe('Device: there is no device with ID 999999 in this SMSGateway24 account');
			expect((run.error as WithDescription).context?.itemIndex).toBe(3);
			expect(received(sim, 'addalotofsms')).toHaveLength(0);
			expect(received(sim, 'getalldevices')).toHaveLength(1);
		});

		it('looks the devices up once for 500 items', async () => {
			const many = Array.from({ length: 500 }, (_, index) => `+4915200${String(100000 + index)}`);
			const run = await runSmsGateway24(sim, {
				items: many.map((phone) => ({ phone })),
				credentials: tokenCredentials(sim),
				parameters: (itemIndex: number) => ({ resource: 'message', operation: 'sendBulk', recipients: many[itemIndex], message: 'Hi', device: device(itemIndex % 2 ? '260' : '1576'), smsGateway24Options: { batchSize: 200 } }),
			});
			expect(run.error).toBeUndefined();
			expect(run.items).toHaveLength(500);
			// Three batches, three chances to ask again: still one look-up.
			expect(received(sim, 'addalotofsms')).toHaveLength(3);
			expect(await requestsTo('getalldevices')).toHaveLength(1);
		});
	});

	describe('when the look-up fails, sending goes ahead as before', () => {
		it.each([
			['HTTP 500', { kind: 'status', status: 500 }],
			['HTTP 429 (not waited for: the send waits itself)', { kind: 'status', status: 429, retryAfter: 30 }],
			['an HTML page', { kind: 'html' }],
			['a dropped connection', { kind: 'drop' }],
			['broken JSON', { kind: 'malformed' }],
		])('%s: every item is still sent, and the list is asked for once', async (_name, fault) => {
			sim.addFault({ provider: 'smsgateway24', pathIncludes: 'getalldevices', times: 0, ...fault } as never);
			const started = Date.now();
			const run = await runSmsGateway24(sim, perItem('send', ['260', '1576', '260']));
			expect(run.error).toBeUndefined();
			expect(run.items.map((item) => item.json.status)).toEqual(['queued', 'queued', 'queued']);
			expect(received(sim, 'addsms')).toHaveLength(3);
			expect(received(sim, 'getalldevices')).toHaveLength(1);
			expect(Date.now() - started).toBeLessThan(5000);
			expect(run.logs.join('\n')).toMatch(/could not list the account's devices to check the Device before sending/);
		});

		it('an unknown device then gets SMSGateway24’s own answer, per item, with the Device hint', async () => {
			sim.addFault({ provider: 'smsgateway24', pathIncludes: 'getalldevices', kind: 'status', status: 503 } as never);
			const run = await runSmsGateway24(sim, { ...perItem('send', ['260', '999999', '260']), continueOnFail: true });
			expect(run.error).toBeUndefined();
			expect(run.items[0].json.status).toBe('queued');
			expect(run.items[1].json.error).toMatch(/SMSGateway24 refused "addsms": Device not found/);
			expect(run.items[1].json.description).toMatch(/Choose a device from the list/);
			expect(run.items[2].json.status).toBe('queued');
		});

		it('Send Bulk: the batch still goes', async () => {
			sim.addFault({ provider: 'smsgateway24', pathIncludes: 'getalldevices', kind: 'status', status: 500 } as never);
			const run = await runSmsGateway24(sim, perItem('sendBulk', ['260', '1576', '260']));
			expect(run.error).toBeUndefined();
			expect(run.items).toHaveLength(3);
			expect(received(sim, 'addalotofsms')).toHaveLength(1);
		});

		it('a login that fails for the look-up fails the send with its own error, not because of the look-up', async () => {
			const credentials = passwordCredentials(sim);
			credentials.smsGateway24Api.password = 'wrong-password-123';
			const run = await runSmsGateway24(sim, { ...perItem('send', ['260']), credentials });
			expect(run.error?.message).toMatch(/login failed/i);
			expect(run.error?.message).not.toMatch(/getalldevices/);
			expect(JSON.stringify(run.error) + run.logs.join('\n')).not.toContain('wrong-password-123');
		});
	});

	describe('Newsletter → Create', () => {
		const newsletter = (deviceId: string, tagId: string) => ({
			resource: 'newsletter',
			operation: 'create',
			title: 'Spring sale',
			device: device(deviceId),
			message: 'Everything -20% this weekend',
			tagIds: tagId,
			channel: 0,
			startTime: '2030-01-15T10:30:00',
			timeZone: 'Europe/Berlin',
		});

		it('refuses an unknown device before creating the newsletter; with Continue On Fail the others are created', async () => {
			const tag = await runSmsGateway24(sim, { credentials: tokenCredentials(sim), parameters: { resource: 'tag', operation: 'create', title: 'Customers' } });
			const tagId = String(tag.items[0].json.tagId);
			const ids = ['999999', '260'];
			const run = await runSmsGateway24(sim, {
				items: [{}, {}],
				credentials: tokenCredentials(sim),
				continueOnFail: true,
				parameters: (itemIndex: number) => newsletter(ids[itemIndex], tagId),
			});
			expect(run.items[0].json.error).toBe('Device: there is no device with ID 999999 in this SMSGateway24 account');
			expect(run.items[0].json.description).toMatch(/Office Pixel/);
			expect(run.items[1].json).toMatchObject({ deviceId: '260', title: 'Spring sale' });
			expect(received(sim, 'savepaket').map((request) => request.body.device_id)).toEqual(['260']);
			expect(received(sim, 'getalldevices')).toHaveLength(1);
		});
	});

	describe('the list is one execution old', () => {
		it('a device added during a long execution is accepted once the list is older than 10 minutes', async () => {
			const provider = sim.provider<SmsGateway24Provider>('smsgateway24');
			const seeded = provider.seed.devices;
			const options = { ...perItem('send', ['777']), executionId: 'waits-for-days' };
			try {
				const before = await runSmsGateway24(sim, options);
				expect(before.error?.message).toMatch(/^Device: there is no device with ID 777/);

				// The phone is added in the panel while the execution waits.
				provider.seed.devices = [...seeded, { ...seeded[0], id: 777, title: 'New phone' }];
				const soon = await runSmsGateway24(sim, options);
				expect(soon.error?.message).toMatch(/^Device: there is no device with ID 777/); // same execution, same list
				expect(received(sim, 'getalldevices')).toHaveLength(1);

				const now = Date.now();
				jest.spyOn(Date, 'now').mockReturnValue(now + 11 * 60_000);
				const later = await runSmsGateway24(sim, options);
				expect(later.error).toBeUndefined();
				expect(later.items[0].json).toMatchObject({ deviceId: '777', status: 'queued' });
				expect(received(sim, 'getalldevices')).toHaveLength(2);
			} finally {
				jest.restoreAllMocks();
				provider.seed.devices = seeded;
			}
		});

		it('an account without devices says so', async () => {
			const provider = sim.provider<SmsGateway24Provider>('smsgateway24');
			const seeded = provider.seed.devices;
			provider.seed.devices = [];
			try {
				const run = await runSmsGateway24(sim, perItem('send', ['260']));
				expect(run.error?.message).toBe('Device: there is no device with ID 260 in this SMSGateway24 account');
				expect((run.error as WithDescription).description).toMatch(/SMSGateway24 lists no devices for this account yet/);
				expect(received(sim, 'addsms')).toHaveLength(0);
			} finally {
				provider.seed.devices = seeded;
			}
		});
	});

	it('does not look devices up for operations without a device (Tag → Create, Contact → Create)', async () => {
		await runSmsGateway24(sim, { credentials: tokenCredentials(sim), parameters: { resource: 'tag', operation: 'create', title: 'VIP' } });
		await runSmsGateway24(sim, {
			credentials: tokenCredentials(sim),
			parameters: { resource: 'contact', operation: 'create', phone: '+4915752982212', name: 'Jane', tagId: '8303' },
		});
		expect(received(sim, 'getalldevices')).toHaveLength(0);
	});
});
