import { SmsGateway24Api } from '../../../credentials/SmsGateway24Api.credentials';
import { SmsGateway } from '../../../nodes/SmsGateway/SmsGateway.node';
import { startSimulator, type Simulator } from '../../../simulator/server';
import { listSearch } from '../../harness/n8n';
import { passwordCredentials, received, runSmsGateway24, tokenCredentials } from '../../harness/smsGateway24';

/** Device, Tag, Contact and Newsletter: the SMSGateway24 resources besides Message. */

const device = (value: string) => ({ __rl: true, mode: 'id', value });
type WithDescription = Error & { description?: string; context?: { itemIndex?: number } };

describe('SMSGateway24 · Device, Tag, Contact, Newsletter', () => {
	let sim: Simulator;
	beforeAll(async () => {
		sim = await startSimulator();
	});
	afterAll(async () => await sim.close());
	beforeEach(() => sim.reset());

	/** Everything the simulator received from the node, logins included. */
	const allRequests = () => sim.requests({ provider: 'smsgateway24' });

	/** Creates tags through the node (the simulator starts with none) and returns their ids. */
	async function createTags(...titles: string[]): Promise<string[]> {
		const run = await runSmsGateway24(sim, {
			items: titles.map((title) => ({ title })),
			credentials: tokenCredentials(sim),
			parameters: (index) => ({ resource: 'tag', operation: 'create', title: titles[index] }),
		});
		expect(run.error).toBeUndefined();
		return run.items.map((item) => item.json.tagId as string);
	}

	describe('Device → Get Many', () => {
		it('lists both devices with their SIM cards mapped', async () => {
			const run = await runSmsGateway24(sim, { parameters: { resource: 'device', operation: 'getMany' } });
			expect(run.error).toBeUndefined();
			expect(run.items).toHaveLength(2);
			run.items.forEach((item) => expect(item.pairedItem).toEqual({ item: 0 }));
			const [office, warehouse] = run.items.map((item) => item.json);
			expect(office).toMatchObject({
				deviceId: '260',
				title: 'Office Pixel',
				appVersion: '12.4.3',
				sims: [
					{ slot: 0, number: '+4915752982212', carrier: 'Telekom.de', country: 'DE', roaming: false },
					{ slot: 1, number: '+4917612345678', carrier: 'Vodafone.de', country: 'DE', roaming: false },
				],
			});
			expect(office.lastSeen).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/);
			// The seed's emulator SIM has a number with a leading space: it is trimmed, not passed on.
			expect(warehouse).toMatchObject({
				deviceId: '1576',
				title: 'Warehouse Emulator',
				sims: [{ slot: 0, number: '15555215554', carrier: 'Android (T-Mobile)', country: 'US', roaming: false }],
				lastSeen: '2020-04-23 17:02:21.000000',
			});
			// The provider's own answer stays available, untouched.
			expect((warehouse.raw as { imei: string }).imei).toBe('358240051111110');

			const requests = received(sim, 'getalldevices');
			expect(requests).toHaveLength(1);
			expect(requests[0].body.token).toMatch(/^[0-9a-f]{32}$/);
		});

		it('reports a SIM in roaming as roaming', async () => {
			const roamingSim = { Slot: '0', IccId: '1', Number: '+48601234567', Roaming: '1', CountryIso: 'pl', CarrierName: 'Orange PL' };
			const roamingSim2 = { ...roamingSim, Slot: '1', Roaming: '0' };
			const roaming = await startSimulator({
				seed: {
					smsgateway24: {
						devices: [
							{
								id: 42,
								title: 'Travel phone',
								number: null,
								imei: '1',
								created: '2024-01-01 00:00:00',
								online: true,
								lastseen: '2024-01-01 00:00:00',
								serialnumber: 'X',
								siminfo: [roamingSim, roamingSim2],
								appversion: '12.4.3',
								isappversionactual: true,
								delaybetweeneachsms: null,
								delaybetweenrequest: null,
								subscription: true,
							},
						],
					},
				},
			});
			try {
				const run = await runSmsGateway24(roaming, { parameters: { resource: 'device', operation: 'getMany' } });
				expect(run.error).toBeUndefined();
				expect(run.items.map((item) => item.json.sims)).toEqual([
					[
						{ slot: 0, number: '+48601234567', carrier: 'Orange PL', country: 'PL', roaming: true },
						{ slot: 1, number: '+48601234567', carrier: 'Orange PL', country: 'PL', roaming: false },
					],
				]);
			} finally {
				await roaming.close();
			}
		});
	});

	describe('Device → Get Status', () => {
		it('says the online device is online, seen seconds ago', async () => {
			const run = await runSmsGateway24(sim, { parameters: { resource: 'device', operation: 'getStatus', device: device('260') } });
			expect(run.error).toBeUndefined();
			expect(run.items).toHaveLength(1);
			expect(run.items[0].json).toMatchObject({ deviceId: '260', title: 'Office Pixel', online: true });
			const seconds = run.items[0].json.secondsSinceLastSeen as number;
			expect(seconds).toBeGreaterThanOrEqual(0);
			expect(seconds).toBeLessThan(60);
			expect(received(sim, 'getdevicestatus')[0].body).toMatchObject({ device_id: '260' });
		});

		it('says the offline device is offline, with the time since it was last seen', async () => {
			const run = await runSmsGateway24(sim, { parameters: { resource: 'device', operation: 'getStatus', device: device('1576') } });
			expect(run.error).toBeUndefined();
			const json = run.items[0].json;
			expect(json).toMatchObject({ deviceId: '1576', title: 'Warehouse Emulator', online: false, lastSeen: '2020-04-23 17:02:21.000000' });
			const expected = Math.floor((Date.now() - Date.parse('2020-04-23T17:02:21Z')) / 1000);
			expect(Math.abs((json.secondsSinceLastSeen as number) - expected)).toBeLessThan(60);
			expect(received(sim, 'getdevicestatus')[0].body).toMatchObject({ device_id: '1576' });
		});

		it('turns an unknown device into an error that points at the Device list', async () => {
			const run = await runSmsGateway24(sim, { parameters: { resource: 'device', operation: 'getStatus', device: device('999999') } });
			const error = run.error as WithDescription;
			expect(error.message).toMatch(/SMSGateway24 refused "getdevicestatus": Device not found/);
			expect(error.description).toMatch(/Choose a device from the list/);
			expect(error.description).toMatch(/Device → Get Many/);
			expect(received(sim, 'getdevicestatus')).toHaveLength(1);
			// A read: it is not checked against the device list first (that would be a request too).
			expect(received(sim, 'getalldevices')).toHaveLength(0);
		});
	});

	describe('Device list search (the Device dropdown)', () => {
		const search = async (filter?: string) =>
			await listSearch(
				{
					nodeType: new SmsGateway(),
					credentialTypes: [new SmsGateway24Api()],
					credentials: passwordCredentials(sim),
					parameters: { provider: 'smsGateway24', resource: 'message', operation: 'send' },
				},
				'searchDevices',
				filter,
			);

		it('lists every device with its number and ID when there is no filter', async () => {
			const { results } = await search();
			expect(results).toEqual([
				{ name: 'Office Pixel (+4915752982212, ID 260)', value: '260' },
				{ name: 'Warehouse Emulator (15555215554, ID 1576)', value: '1576' },
			]);
			expect(received(sim, 'getalldevices')).toHaveLength(1);
		});

		it('filters by name, case-insensitively', async () => {
			expect((await search('warehouse')).results).toEqual([{ name: 'Warehouse Emulator (15555215554, ID 1576)', value: '1576' }]);
		});

		it('filters by ID', async () => {
			expect((await search('1576')).results.map((entry) => entry.value)).toEqual(['1576']);
		});

		it('filters by the number of either SIM card', async () => {
			expect((await search('+4917612345678')).results.map((entry) => entry.value)).toEqual(['260']);
		});

		it('gives an empty list when nothing matches', async () => {
			expect((await search('no such phone')).results).toEqual([]);
		});
	});

	describe('Tag → Create', () => {
		it('creates a tag and returns its id', async () => {
			const run = await runSmsGateway24(sim, { parameters: { resource: 'tag', operation: 'create', title: '  VIP customers ' } });
			expect(run.error).toBeUndefined();
			expect(run.items).toHaveLength(1);
			expect(run.items[0].json).toMatchObject({ tagId: '8303', title: 'VIP customers' });
			const requests = received(sim, 'savetag');
			expect(requests).toHaveLength(1);
			expect(requests[0].body).toMatchObject({ title: 'VIP customers' });
			expect(sim.snapshot('smsgateway24')).toMatchObject({ tags: [{ id: 8303, title: 'VIP customers' }] });
		});

		it('refuses an empty title per item, before any request; the other items still go', async () => {
			const titles = ['   ', 'Newsletter'];
			const run = await runSmsGateway24(sim, {
				items: titles.map((title) => ({ title })),
				continueOnFail: true,
				parameters: (index) => ({ resource: 'tag', operation: 'create', title: titles[index] }),
			});
			expect(run.error).toBeUndefined();
			expect(run.items).toHaveLength(2);
			expect(run.items[0]).toMatchObject({ json: { error: 'Title: the tag has no title' }, pairedItem: { item: 0 } });
			expect(run.items[1]).toMatchObject({ json: { tagId: '8303', title: 'Newsletter' }, pairedItem: { item: 1 } });
			expect(received(sim, 'savetag').map((request) => request.body.title)).toEqual(['Newsletter']);
		});

		it('without Continue On Fail an empty title stops the node before any request', async () => {
			const run = await runSmsGateway24(sim, { parameters: { resource: 'tag', operation: 'create', title: '' } });
			expect(run.error?.message).toBe('Title: the tag has no title');
			expect((run.error as WithDescription).description).toMatch(/Enter a name/);
			expect(allRequests()).toHaveLength(0);
		});
	});

	describe('Contact → Create', () => {
		it('normalises the phone with the Default Country and files the contact under the tag', async () => {
			const [tagId] = await createTags('Customers');
			sim.clearRequests();
			const run = await runSmsGateway24(sim, {
				parameters: { resource: 'contact', operation: 'create', phone: '0157 5298 2212', defaultCountry: 'de', name: ' Jane Doe ', tagId },
			});
			expect(run.error).toBeUndefined();
			expect(run.items).toHaveLength(1);
			expect(run.items[0].json).toMatchObject({ contactId: '15954765', phone: '+4915752982212', tagId, name: 'Jane Doe' });
			const requests = received(sim, 'savecontact');
			expect(requests).toHaveLength(1);
			// The "+" survives the form encoding (a raw "+" would arrive as a space).
			expect(requests[0].body).toMatchObject({ phone: '+4915752982212', ctag_id: tagId, tag_id: tagId, fullname: 'Jane Doe' });
			expect(sim.snapshot('smsgateway24')).toMatchObject({
				contacts: [{ id: 15954765, phone: '+4915752982212', fullname: 'Jane Doe', tagId: Number(tagId) }],
			});
		});

		// The API's documents (seed 003) name the field `ctag_id`; the official example sends `tag_id`.
		it.each(['ctag_id', 'tag_id'] as const)('files the contact under its tag on a server that reads only %s', async (contactTagField) => {
			const strict = await startSimulator({ seed: { smsgateway24: { contactTagField } } });
			try {
				const tag = await runSmsGateway24(strict, { credentials: tokenCredentials(strict), parameters: { resource: 'tag', operation: 'create', title: 'Customers' } });
				expect(tag.error).toBeUndefined();
				const tagId = tag.items[0].json.tagId as string;
				const run = await runSmsGateway24(strict, {
					credentials: tokenCredentials(strict),
					parameters: { resource: 'contact', operation: 'create', phone: '+4915752982212', name: 'Jane Doe', tagId },
				});
				expect(run.error).toBeUndefined();
				expect(run.items[0].json).toMatchObject({ contactId: '15954765', tagId });
				expect(strict.snapshot('smsgateway24')).toMatchObject({ contacts: [{ phone: '+4915752982212', tagId: Number(tagId) }] });
			} finally {
				await strict.close();
			}
		});

		it('passes on the provider refusing an unknown tag, with a hint how to get a tag ID', async () => {
			const run = await runSmsGateway24(sim, {
				parameters: { resource: 'contact', operation: 'create', phone: '+4915752982212', name: 'Jane Doe', tagId: '424242' },
			});
			const error = run.error as WithDescription;
			expect(error.message).toMatch(/SMSGateway24 refused "savecontact": Tag not found/);
			// Tags cannot be listed through the API, so the hint must not send the user to a list.
			expect(error.description).toMatch(/Tag → Create/);
			expect(error.description).not.toMatch(/from the list/);
			expect(received(sim, 'savecontact')).toHaveLength(1);
		});

		it('refuses a bad phone number per item, with nothing sent for it', async () => {
			const [tagId] = await createTags('Customers');
			sim.clearRequests();
			const phones = ['call me maybe', '+4915752982212'];
			const run = await runSmsGateway24(sim, {
				items: phones.map((phone) => ({ phone })),
				continueOnFail: true,
				parameters: (index) => ({ resource: 'contact', operation: 'create', phone: phones[index], name: 'Jane', tagId }),
			});
			expect(run.error).toBeUndefined();
			expect(run.items).toHaveLength(2);
			expect(run.items[0].json.error).toMatch(/^Phone Number: "call me maybe" is not a phone number/);
			expect(run.items[0].pairedItem).toEqual({ item: 0 });
			expect(run.items[1].json).toMatchObject({ phone: '+4915752982212', tagId });
			expect(received(sim, 'savecontact').map((request) => request.body.phone)).toEqual(['+4915752982212']);
		});

		it('an empty or listed Tag ID asks for one tag', async () => {
			for (const tagId of ['', '8303, 8304']) {
				const run = await runSmsGateway24(sim, { parameters: { resource: 'contact', operation: 'create', phone: '+4915752982212', name: 'Jane', tagId } });
				expect((run.error as WithDescription).description).toMatch(/^Enter (one|a single) tag ID \(e\.g\. 8303\)/);
			}
			expect(allRequests()).toHaveLength(0);
		});

		it('refuses a national number without a Default Country, before any request', async () => {
			const run = await runSmsGateway24(sim, {
				parameters: { resource: 'contact', operation: 'create', phone: '015752982212', name: 'Jane', tagId: '8303' },
			});
			expect(run.error?.message).toMatch(/^Phone Number: "015752982212" has no country code/);
			expect(allRequests()).toHaveLength(0);
		});
	});

	describe('Newsletter → Create', () => {
		const newsletter = (extra: Record<string, unknown> = {}) => ({
			resource: 'newsletter',
			operation: 'create',
			title: 'Spring sale',
			device: device('260'),
			message: 'Everything -20% this weekend',
			tagIds: '8303, 8304',
			channel: 1,
			startTime: '2030-01-15T10:30:00',
			timeZone: 'Europe/Berlin',
			...extra,
		});

		it('sends title, device, text, tags, SIM and the start time as DD.MM.YYYY HH:mm:ss in the chosen zone', async () => {
			expect(await createTags('A', 'B')).toEqual(['8303', '8304']);
			sim.clearRequests();
			const run = await runSmsGateway24(sim, { parameters: newsletter() });
			expect(run.error).toBeUndefined();
			expect(run.items).toHaveLength(1);
			expect(run.items[0].json).toMatchObject({
				newsletterId: '41022',
				title: 'Spring sale',
				deviceId: '260',
				tagIds: ['8303', '8304'],
				channel: 1,
				startTime: '15.01.2030 10:30:00',
			});
			expect(run.items[0].json.note).toMatch(/start the newsletter/);
			const requests = received(sim, 'savepaket');
			expect(requests).toHaveLength(1);
			expect(requests[0].body).toMatchObject({
				title: 'Spring sale',
				device_id: '260',
				body: 'Everything -20% this weekend',
				tags: '8303,8304',
				sim: '1',
				time_to_send: '15.01.2030 10:30:00',
			});
			expect(sim.snapshot('smsgateway24')).toMatchObject({ newsletters: [{ id: 41022, tags: [8303, 8304], sim: 1, deviceId: 260 }] });
		});

		it.each([
			['paket (as the official SDKs read it)', { error: 0, paket: 555, message: 'OK' }, '555', false],
			['no ID at all', { error: 0, message: 'OK' }, null, true],
		])('takes a created newsletter whose answer has %s', async (_, body, newsletterId, noted) => {
			await createTags('A', 'B');
			sim.addFault({ provider: 'smsgateway24', pathIncludes: 'savepaket', kind: 'status', status: 200, body, afterProcessing: true });
			const run = await runSmsGateway24(sim, { parameters: newsletter(), continueOnFail: true });
			expect(run.items).toHaveLength(1);
			expect(run.items[0].json.error).toBeUndefined();
			expect(run.items[0].json.newsletterId).toBe(newsletterId);
			expect(String(run.items[0].json.note)).toMatch(noted ? /success without an ID.*Newsletters.*start the newsletter/ : /^Open the SMSGateway24 app/);
		});

		it('Retry On Fail after a later item failed does not create the first newsletter again', async () => {
			await createTags('A');
			sim.clearRequests();
			const tags = ['8303', '8399'];
			const options = {
				items: tags.map((tagIds) => ({ tagIds })),
				executionId: 'newsletter-retry',
				parameters: (index: number) => newsletter({ tagIds: tags[index] }),
			};
			const first = await runSmsGateway24(sim, options);
			expect(first.error?.message).toMatch(/savepaket/);
			// n8n's Retry On Fail runs the node again, in the same execution, with the same items.
			const retry = await runSmsGateway24(sim, options);
			expect(retry.error?.message).toMatch(/savepaket/);
			expect(received(sim, 'savepaket').map((request) => request.body.tags)).toEqual(['8303', '8399', '8399']);
			expect((sim.snapshot('smsgateway24') as { newsletters: unknown[] }).newsletters).toHaveLength(1);
		});

		it('a newsletter whose answer was lost is not created again on retry, and the error says where to look', async () => {
			await createTags('A', 'B');
			sim.addFault({ provider: 'smsgateway24', pathIncludes: 'savepaket', kind: 'drop', afterProcessing: true } as never);
			const first = await runSmsGateway24(sim, { parameters: newsletter(), executionId: 'newsletter-lost' });
			expect((first.error as WithDescription).description).toMatch(/the newsletter may already have been created\. Check the newsletters in the SMSGateway24 panel before creating it again\./);
			const retry = await runSmsGateway24(sim, { parameters: newsletter(), executionId: 'newsletter-lost' });
			expect(retry.error?.message).toMatch(/^Not done again: an earlier attempt in this run may already have been carried out \(.*savepaket.*\)\. Check the newsletters in the SMSGateway24 panel before creating it again\.$/);
			expect((sim.snapshot('smsgateway24') as { newsletters: unknown[] }).newsletters).toHaveLength(1);
		});

		it('converts a start time with an offset into the chosen zone', async () => {
			await createTags('A', 'B');
			const run = await runSmsGateway24(sim, { parameters: newsletter({ startTime: '2030-07-01T08:00:00Z', timeZone: 'Europe/Warsaw' }) });
			expect(run.error).toBeUndefined();
			expect(received(sim, 'savepaket')[0].body.time_to_send).toBe('01.07.2030 10:00:00');
		});

		it("reads a start time without a zone in the workflow's time zone", async () => {
			await createTags('A', 'B');
			const run = await runSmsGateway24(sim, {
				timezone: 'America/New_York',
				parameters: newsletter({ startTime: '2030-01-15T10:30:00Z', timeZone: '' }),
			});
			expect(run.error).toBeUndefined();
			expect(received(sim, 'savepaket')[0].body.time_to_send).toBe('15.01.2030 05:30:00');
		});

		it('refuses a start time in the past per item, naming "Start Time", before any request', async () => {
			const run = await runSmsGateway24(sim, { parameters: newsletter({ startTime: '2020-01-15T10:30:00' }) });
			expect(run.error?.message).toMatch(/^Start Time: 2020-01-15 10:30:00 \(Europe\/Berlin\) is in the past/);
			expect((run.error as WithDescription).context?.itemIndex).toBe(0);
			expect(allRequests()).toHaveLength(0);
		});

		it('refuses tag IDs that are not numbers, before any request', async () => {
			const run = await runSmsGateway24(sim, { parameters: newsletter({ tagIds: '8303, VIP' }) });
			expect(run.error?.message).toBe('Tag IDs: "VIP" is not a tag ID');
			expect((run.error as WithDescription).description).toMatch(/Tag → Create/);
			expect(allRequests()).toHaveLength(0);
		});

		it('passes on the provider refusing an unknown tag', async () => {
			await createTags('A');
			const run = await runSmsGateway24(sim, { parameters: newsletter({ tagIds: '8303, 8399' }) });
			expect(run.error?.message).toMatch(/SMSGateway24 refused "savepaket": Tag not found: 8399/);
			expect((run.error as WithDescription).description).toMatch(/Tag → Create/);
			expect(sim.snapshot('smsgateway24')).toMatchObject({ newsletters: [] });
		});
	});
});
