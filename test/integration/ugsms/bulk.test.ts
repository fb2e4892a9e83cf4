import { resetRateLimiters } from '../../../nodes/SmsGateway/shared/rateLimit';
import { startSimulator, type Simulator } from '../../../simulator/server';
import { ugMessages, ugRequests, runUgsms } from '../../harness/ugsms';

const phone = (index: number) => `0772${String(index).padStart(6, '0')}`;

describe('UGSMS: Message → Send Bulk', () => {
	let sim: Simulator;
	beforeAll(async () => {
		sim = await startSimulator({ seed: { ugsms: { balance: 1_000_000 } } });
	});
	afterAll(async () => await sim.close());
	beforeEach(() => {
		sim.reset();
		resetRateLimiters();
	});

	it('items with the same text share requests (numbers joined, chunked); output is one item per input item, in order', async () => {
		const phones = Array.from({ length: 12 }, (_, index) => phone(index));
		const run = await runUgsms(sim, {
			items: phones.map((value) => ({ phone: value })),
			parameters: (index) => ({ resource: 'message', operation: 'sendBulk', recipients: phones[index], defaultCountry: 'UG', message: 'Water supply returns at 18:00.', ugsmsSenderId: 'NWSC', ugsmsOptions: { batchSize: 5 } }),
		});
		expect(run.error).toBeUndefined();
		// The first request goes alone (it learns the key's budget), the other two in parallel: they
		// may reach the simulator in either order, so requests and messages are matched by number.
		const chunks = ugRequests(sim, 'sms/send').map((request) => String(request.body.numbers).split(','));
		expect(chunks.map((numbers) => numbers.join(',')).sort()).toEqual([phones.slice(0, 5), phones.slice(5, 10), phones.slice(10)].map((numbers) => numbers.join(',')).sort());
		expect(ugRequests(sim, 'sms/send')[0].body).toEqual({ numbers: phones.slice(0, 5).join(','), message_body: 'Water supply returns at 18:00.', sender_id: 'NWSC' });
		expect(run.items).toHaveLength(12);
		expect(run.items.map((item) => item.json.numberSent)).toEqual(phones);
		expect(run.items.map((item) => item.pairedItem)).toEqual(phones.map((_, item) => ({ item })));
		const idOf = (number: string) => ugMessages(sim).find((message) => message.numbers.includes(number))?.id;
		expect(run.items.map((item) => item.json.messageId)).toEqual(phones.map(idOf));
		expect(new Set(phones.map(idOf)).size).toBe(3);
		expect(run.items[11].json.recipientsInRequest).toBe(2);
	});

	it('different texts go one request per text; equal texts among them are still grouped', async () => {
		const names = ['Amina', 'Brian', 'Amina', 'Cissy'];
		const run = await runUgsms(sim, {
			items: names.map((name, index) => ({ name, phone: phone(index) })),
			parameters: (index) => ({ resource: 'message', operation: 'sendBulk', recipients: phone(index), defaultCountry: 'UG', message: `Hello ${names[index]}, your loan is approved.` }),
		});
		expect(run.error).toBeUndefined();
		const requests = ugRequests(sim, 'sms/send');
		expect(requests).toHaveLength(3);
		const byText = Object.fromEntries(requests.map((request) => [request.body.message_body, request.body.numbers]));
		expect(byText['Hello Amina, your loan is approved.']).toBe(`${phone(0)},${phone(2)}`);
		expect(run.items.map((item) => item.json.recipient)).toEqual([0, 1, 2, 3].map((index) => `+256${phone(index).slice(1)}`));
	});

	it('a different sender ID makes its own request', async () => {
		await runUgsms(sim, {
			items: [{}, {}, {}],
			parameters: (index) => ({ resource: 'message', operation: 'sendBulk', recipients: phone(index), defaultCountry: 'UG', message: 'Same text', ugsmsSenderId: index === 1 ? 'OTHER' : 'MAIN' }),
		});
		expect(ugRequests(sim, 'sms/send').map((request) => [request.body.sender_id, request.body.numbers])).toEqual([
			['MAIN', `${phone(0)},${phone(2)}`],
			['OTHER', phone(1)],
		]);
	});

	it('all items are checked before anything is sent: a sender ID over 11 characters stops the node first', async () => {
		const run = await runUgsms(sim, {
			items: [{}, {}, {}],
			parameters: (index) => ({ resource: 'message', operation: 'sendBulk', recipients: phone(index), defaultCountry: 'UG', message: 'Hi', ugsmsSenderId: index === 2 ? 'TWELVE-CHARS' : 'OK' }),
		});
		expect(run.error?.message).toBe('Sender ID: "TWELVE-CHARS" is 12 characters; UGSMS allows at most 11');
		expect(ugRequests(sim)).toHaveLength(0);
	});

	it('with Continue On Fail, an invalid number in a shared request fails only its own item', async () => {
		const numbers = [phone(1), '0414123456', phone(3), phone(4)];
		const run = await runUgsms(sim, {
			continueOnFail: true,
			items: numbers.map(() => ({})),
			parameters: (index) => ({ resource: 'message', operation: 'sendBulk', recipients: numbers[index], defaultCountry: 'UG', message: 'Meeting moved to 10:00' }),
		});
		expect(run.items.map((item) => (item.json.error ? 'error' : item.json.status))).toEqual(['sent', 'error', 'sent', 'sent']);
		expect(run.items[1].json.error).toBe('Recipients: UGSMS refused +256414123456 (sent as 0414123456): Invalid phone number format.');
		expect(run.items[1].pairedItem).toEqual({ item: 1 });
		expect(ugMessages(sim).flatMap((message) => message.numbers).sort()).toEqual([phone(1), phone(3), phone(4)].sort());
	});

	it('with Username and Password, bulk goes over v1', async () => {
		const run = await runUgsms(sim, {
			items: [{}, {}],
			parameters: (index) => ({ resource: 'message', operation: 'sendBulk', authentication: 'usernamePassword', recipients: phone(index), defaultCountry: 'UG', message: 'v1 bulk' }),
		});
		expect(run.error).toBeUndefined();
		expect(ugRequests(sim, 'sms/send').map((request) => request.path)).toEqual(['/ugsms/v1/sms/send']);
		expect(run.items).toHaveLength(2);
	});
});
