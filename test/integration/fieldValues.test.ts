import type { INodeParameters } from 'n8n-workflow';
import { startSimulator, type Simulator } from '../../simulator/server';
import { runMessageFlow, sends } from '../harness/messageFlow';
import { bridgeRequests, runSmsBridge } from '../harness/smsBridge';
import { received, runSmsGateway24, tokenCredentials } from '../harness/smsGateway24';
import { runUgsms, ugRequests } from '../harness/ugsms';

/**
 * Number and on/off options filled by an expression ({{ $json.size }}): the editor keeps typed values
 * in range, an expression does not. Read as `Number(x) || default`, a word or 0 quietly became the
 * default and `true` became 1; now every such field is read alike (shared/fieldValues.ts): numbers and
 * numeric texts are taken, anything else is refused naming the field, before anything is sent.
 */
describe('number and on/off options from expressions', () => {
	let sim: Simulator;
	beforeAll(async () => {
		sim = await startSimulator();
	});
	afterAll(async () => await sim.close());
	beforeEach(() => sim.reset());

	const phones = ['+48500100401', '+48500100402', '+48500100403'];
	const device = { __rl: true, mode: 'id', value: '260' };

	const providers = [
		{
			name: 'MessageFlow',
			optionsName: 'messageFlowOptions',
			batchField: 'Numbers per Request',
			batchMax: 1000,
			concurrencyMax: 20,
			run: (options: INodeParameters) =>
				runMessageFlow(sim, {
					items: phones.map((phone) => ({ phone })),
					parameters: (index) => ({ resource: 'message', operation: 'sendBulk', sender: 'ACME', recipients: phones[index], message: 'Hello', messageFlowOptions: options }),
				}),
			batches: () => sends(sim).map((request) => (request.body.phoneNumbers as string[]).length),
		},
		{
			name: 'SMSGateway24',
			optionsName: 'smsGateway24Options',
			batchField: 'Batch Size',
			batchMax: 1000,
			concurrencyMax: 10,
			run: (options: INodeParameters) =>
				runSmsGateway24(sim, {
					credentials: tokenCredentials(sim),
					items: phones.map((phone) => ({ phone })),
					parameters: (index) => ({ resource: 'message', operation: 'sendBulk', recipients: phones[index], message: 'Hello', device, smsGateway24Options: options }),
				}),
			batches: () => received(sim, 'addalotofsms').map((request) => (JSON.parse(String(request.body.datajson)) as { smsdata: unknown[] }).smsdata.length),
		},
		{
			name: 'UGSMS',
			optionsName: 'ugsmsOptions',
			batchField: 'Numbers per Request',
			batchMax: 1000,
			concurrencyMax: 10,
			run: (options: INodeParameters) => {
				const local = ['0772100401', '0772100402', '0772100403'];
				return runUgsms(sim, {
					items: local.map((phone) => ({ phone })),
					parameters: (index) => ({ resource: 'message', operation: 'sendBulk', recipients: local[index], defaultCountry: 'UG', message: 'Hello', ugsmsOptions: options }),
				});
			},
			batches: () => ugRequests(sim, 'sms/send').map((request) => String(request.body.numbers).split(',').length),
		},
	];

	describe.each(providers)('$name Send Bulk', ({ batchField, batchMax, concurrencyMax, run, batches }) => {
		it.each([
			['a word', 'ten', `"ten" is not a whole number from 1 to ${batchMax}`],
			['0', 0, `0 is not a whole number from 1 to ${batchMax}`],
			['a negative number', -5, `-5 is not a whole number from 1 to ${batchMax}`],
			['a decimal', 2.5, `2.5 is not a whole number from 1 to ${batchMax}`],
			['true', true, `true is not a whole number from 1 to ${batchMax}`],
			['too many', batchMax + 1, `${batchMax + 1} is not a whole number from 1 to ${batchMax}`],
		])(`refuses %s as ${batchField} before sending anything`, async (_name, value, message) => {
			const result = await run({ batchSize: value });
			expect(result.error?.message).toMatch(new RegExp(`${batchField.replace(/[()]/g, '\\$&')}: ${message.replace(/[.()]/g, '\\$&')}$`));
			expect(batches()).toEqual([]);
		});

		it('refuses a word as Parallel Requests before sending anything', async () => {
			const result = await run({ concurrency: 'many' });
			expect(result.error?.message).toMatch(new RegExp(`Parallel Requests: "many" is not a whole number from 1 to ${concurrencyMax}$`));
			expect(batches()).toEqual([]);
		});

		it('takes a number mapped as text ("2") as that number', async () => {
			const result = await run({ batchSize: '2', concurrency: ' 1 ' });
			expect(result.error).toBeUndefined();
			expect(result.items).toHaveLength(3);
			expect(batches().sort()).toEqual([1, 2]);
		});
	});

	it('SMS Bridge Send Bulk: Parallel Requests "many" is refused before anything is sent', async () => {
		const result = await runSmsBridge(sim, {
			items: phones.map((phone) => ({ phone })),
			parameters: (index) => ({ resource: 'message', operation: 'sendBulk', recipients: phones[index], message: 'Hi', smsBridgeSender: 'client', smsBridgeOptions: { concurrency: 'many' } }),
		});
		expect(result.error?.message).toMatch(/Parallel Requests: "many" is not a whole number from 1 to 20$/);
		expect(bridgeRequests(sim, 'messages/send.php')).toHaveLength(0);
	});

	it('SMSGateway24 Get Many: a Customer Reference that is not a number is refused, not sent as NaN (every message listed)', async () => {
		const refused = await runSmsGateway24(sim, {
			credentials: tokenCredentials(sim),
			parameters: { resource: 'message', operation: 'getMany', returnAll: true, smsGateway24Filters: { customerReference: 'order-17' } },
		});
		expect(refused.error?.message).toBe('Customer Reference: "order-17" is not a whole number, 0 or more');
		expect(received(sim, 'getallsms')).toHaveLength(0);
		const taken = await runSmsGateway24(sim, {
			credentials: tokenCredentials(sim),
			parameters: { resource: 'message', operation: 'getMany', returnAll: true, smsGateway24Filters: { customerReference: '17' } },
		});
		expect(taken.error).toBeUndefined();
		expect(received(sim, 'getallsms').map((request) => request.body.customerid)).toEqual(['17']);
	});

	it('Get Many Limit: true is refused, not read as 1', async () => {
		const result = await runMessageFlow(sim, { parameters: { resource: 'message', operation: 'getMany', returnAll: false, limit: true } });
		expect(result.error?.message).toBe('Limit: true is not a whole number, 1 or more');
		expect(sim.requests({ provider: 'messageflow', method: 'GET' })).toHaveLength(0);
	});

	describe('on/off options from a sheet or form ("TRUE", "false")', () => {
		it('SMSGateway24 Urgent "TRUE", 1 or "1" sends the message as urgent; "false", 0 or "0" does not', async () => {
			for (const urgent of ['TRUE', ' false ', 1, 0, '1', ' 0']) {
				const run = await runSmsGateway24(sim, {
					credentials: tokenCredentials(sim),
					parameters: { resource: 'message', operation: 'send', recipients: '+4915710000001', message: 'Hello', device, smsGateway24Options: { urgent } },
				});
				expect(run.error).toBeUndefined();
			}
			expect(received(sim, 'addsms').map((request) => String(request.body.urgent))).toEqual(['1', '0', '1', '0', '1', '0']);
		});

		it('MessageFlow Short Links "true" turns short links on', async () => {
			const run = await runMessageFlow(sim, { parameters: { resource: 'message', operation: 'send', sender: 'ACME', message: 'See https://example.com/offer', recipients: '+48500100200', messageFlowOptions: { shortLink: 'true' } } });
			expect(run.error).toBeUndefined();
			expect(sends(sim).map((request) => request.body.shortLink)).toEqual([true]);
		});

		it('a value that is neither is refused naming the field, before anything is sent', async () => {
			const run = await runSmsGateway24(sim, {
				credentials: tokenCredentials(sim),
				parameters: { resource: 'message', operation: 'send', recipients: '+4915710000001', message: 'Hello', device, smsGateway24Options: { urgent: 'yes' } },
			});
			expect(run.error?.message).toBe('Urgent: "yes" is not true or false');
			expect((run.error as { description?: string }).description).toMatch(/\$json\.urgent === 'yes'/);
			expect(received(sim, 'addsms')).toHaveLength(0);
		});

		it('Get Many Return All "yes" is refused, not read as off (the first Limit only)', async () => {
			const run = await runMessageFlow(sim, { parameters: { resource: 'message', operation: 'getMany', returnAll: 'yes', limit: 1 } });
			expect(run.error?.message).toBe('Return All: "yes" is not true or false');
			expect(sim.requests({ provider: 'messageflow', method: 'GET' })).toHaveLength(0);
		});
	});

	describe('drop-down options from expressions', () => {
		it('MessageFlow Number Format: a listed value as text is taken, an unknown one refused (it went out as international)', async () => {
			const send = (numberFormat: string) =>
				runMessageFlow(sim, { parameters: { resource: 'message', operation: 'send', sender: 'ACME', message: 'Hello', recipients: '+48500100200', messageFlowOptions: { numberFormat } } });
			expect((await send(' digits ')).error).toBeUndefined();
			expect(sends(sim).map((request) => request.body.phoneNumbers)).toEqual([['48500100200']]);
			const refused = await send('local');
			expect(refused.error?.message).toBe('Number Format: "local" is not one of the choices');
			expect((refused.error as { description?: string }).description).toMatch(/National \(601234567, 0701234567\) \("national"\)/);
			expect(sends(sim)).toHaveLength(1);
		});

		it('SMSGateway24 SIM Slot / Channel: a name from a sheet ("whatsapp") or a number as text is taken; "SIM 3" is refused listing the channels', async () => {
			const send = (channel: unknown) =>
				runSmsGateway24(sim, { credentials: tokenCredentials(sim), parameters: { resource: 'message', operation: 'send', recipients: '+4915710000001', message: 'Hello', device, channel: channel as never } });
			expect((await send('whatsapp')).error).toBeUndefined();
			expect((await send('1')).error).toBeUndefined();
			const refused = await send('SIM 3');
			expect(refused.error?.message).toBe('SIM Slot / Channel: "SIM 3" is not one of the choices');
			expect((refused.error as { description?: string }).description).toMatch(/SIM 1 \(SMS\) \(0\), SIM 2 \(SMS\) \(1\), WhatsApp Business \(2\)/);
			expect(received(sim, 'addsms').map((request) => String(request.body.sim))).toEqual(['3', '1']);
			const filtered = await runSmsGateway24(sim, { credentials: tokenCredentials(sim), parameters: { resource: 'message', operation: 'getMany', returnAll: true, smsGateway24Filters: { channel: 9 } } });
			expect(filtered.error?.message).toBe('SIM Slot / Channel: 9 is not one of the choices');
		});

		it('an empty SIM Slot / Channel on Send (an empty sheet cell) is refused, not sent as SMS on SIM 1', async () => {
			const run = await runSmsGateway24(sim, { credentials: tokenCredentials(sim), parameters: { resource: 'message', operation: 'send', recipients: '+4915710000001', message: 'Hello', device, channel: '' as never } });
			expect(run.error?.message).toBe('SIM Slot / Channel: nothing chosen (the expression gave an empty value)');
			expect(received(sim, 'addsms')).toHaveLength(0);
		});

		it('SMSGateway24 Get Many Status: "Delivered" or "7" filters by Delivered; a status it does not know is refused (it went out as NaN)', async () => {
			const list = (status: unknown) =>
				runSmsGateway24(sim, { credentials: tokenCredentials(sim), parameters: { resource: 'message', operation: 'getMany', returnAll: true, smsGateway24Filters: { status } as never } });
			expect((await list('delivered')).error).toBeUndefined();
			expect((await list('7')).error).toBeUndefined();
			const refused = await list('Arrived');
			expect(refused.error?.message).toBe('Status: "Arrived" is not one of the choices');
			expect(received(sim, 'getallsms').map((request) => String(request.body.status))).toEqual(['7', '7']);
		});

		it('SMSGateway24 Get Many Status and SIM Slot / Channel filters mapped to an empty cell do not filter (empty was Delivered / SIM 1 only)', async () => {
			const list = (filters: Record<string, unknown>) =>
				runSmsGateway24(sim, { credentials: tokenCredentials(sim), parameters: { resource: 'message', operation: 'getMany', returnAll: true, smsGateway24Filters: filters as never } });
			for (const filters of [{ status: '' }, { status: null }, { channel: ' ' }, { channel: null }]) {
				expect((await list(filters)).error).toBeUndefined();
			}
			expect(received(sim, 'getallsms').map((request) => [request.body.status, request.body.sim])).toEqual([
				[undefined, undefined],
				[undefined, undefined],
				[undefined, undefined],
				[undefined, undefined],
			]);
		});

		it('SMS Bridge Get Status Look Up By "External ID" (the name) looks up the External ID, not another message whose ID is that number; an unknown value is refused', async () => {
			const base = { resource: 'message', operation: 'send', message: 'Hello', smsBridgeSender: 'client' };
			const first = await runSmsBridge(sim, { parameters: { ...base, recipients: '+48500100501' } });
			const firstId = String(first.items[0].json.messageId);
			// Another message whose External ID (an order number) happens to be the first one's ID.
			const second = await runSmsBridge(sim, { parameters: { ...base, recipients: '+48500100502', smsBridgeOptions: { externalId: firstId } } });
			const look = (lookUpBy: string) => runSmsBridge(sim, { parameters: { resource: 'message', operation: 'getStatus', lookUpBy, messageId: firstId } });
			const byName = await look('External ID');
			expect(byName.error).toBeUndefined();
			expect(byName.items.map((item) => [item.json.messageId, item.json.recipient])).toEqual([[second.items[0].json.messageId, '+48500100502']]);
			const asked = bridgeRequests(sim, 'messages/get.php').length;
			const refused = await look('order number');
			expect(refused.error?.message).toBe('Look Up By: "order number" is not one of the choices');
			expect((refused.error as { description?: string }).description).toBe('Choose one of: Message ID ("id"), External ID ("externalId").');
			expect(bridgeRequests(sim, 'messages/get.php')).toHaveLength(asked);
		});

		it('SMS Bridge Report Status: a status name from a sheet ("Failed") is reported as that status; an empty one is refused, not reported as Sent', async () => {
			const report = (queueStatus: unknown) =>
				runSmsBridge(sim, { parameters: { resource: 'gatewayQueue', operation: 'reportStatus', queueMessageId: '5', queueStatus: queueStatus as string } });
			const refused = await report(' ');
			expect(refused.error?.message).toBe('Status: nothing chosen (the expression gave an empty value)');
			expect(bridgeRequests(sim, 'messages/status.php')).toHaveLength(0);
			await report('Failed');
			expect(bridgeRequests(sim, 'messages/status.php').map((request) => request.body)).toEqual([expect.objectContaining({ message_id: 5, status: 'failed' })]);
		});
	});
});
