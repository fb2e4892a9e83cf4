import { startSimulator, type Simulator } from '../../../simulator/server';
import { received, runSmsGateway24, tokenCredentials } from '../../harness/smsGateway24';

/**
 * Bad input on Message → Send: every case is refused for its own item, with the field's name and
 * what to do, before any request; under Continue On Fail the good items of the same run still go.
 */

const good = {
	resource: 'message',
	operation: 'send',
	recipients: '+4915752982212',
	message: 'Hello',
	device: { __rl: true, mode: 'id', value: '260' },
	channel: 0,
};

type WithDescription = Error & { description?: string; context?: { itemIndex?: number } };

// [case, parameters that differ from `good`, expected error message, expected advice]
const BAD_INPUT: Array<[string, Record<string, unknown>, RegExp, RegExp]> = [
	[
		'a message that is an object (an expression resolved to an object)',
		{ message: { text: 'Hello', lang: 'en' } },
		/^Message: expected text but got \{"text":"Hello","lang":"en"\}$/,
		/not a whole object/,
	],
	[
		'recipients containing an object',
		{ recipients: ['+4915752982212', { phone: '+48601234567' }] },
		/^Recipients: expected phone numbers but got \{"phone":"\+48601234567"\}$/,
		/not a whole object/,
	],
	[
		'the same recipient written two ways',
		{ recipients: '+4915752982212, 015752982212', defaultCountry: 'DE' },
		/^Recipients: \+4915752982212 appears twice \("\+4915752982212" and "015752982212"\)$/,
		/Remove the duplicate/,
	],
	[
		'a German national number with Default Country PL',
		{ recipients: '015752982212', defaultCountry: 'PL' },
		/^Recipients: "015752982212" is not a valid phone number for country PL$/,
		/Default Country/,
	],
	['a short number', { recipients: '123', defaultCountry: 'DE' }, /^Recipients: "123" is not a valid phone number for country DE$/, /missing or extra digits/],
	['a short number without a Default Country', { recipients: '123' }, /^Recipients: "123" has no country code$/, /international form/],
	['an invalid Default Country', { recipients: '015752982212', defaultCountry: 'XX' }, /^Default Country: "XX" is not a country code$/, /ISO 3166/],
	[
		'a schedule time in the past',
		{ smsGateway24Options: { scheduleTime: '2021-03-01T09:00:00', timeZone: 'Europe/Berlin' } },
		/^Schedule Time: 2021-03-01 09:00:00 \(Europe\/Berlin\) is in the past$/,
		/in the future/,
	],
	[
		'an unparsable schedule time',
		{ smsGateway24Options: { scheduleTime: 'next Tuesday after lunch' } },
		/^Schedule Time: cannot read "next Tuesday after lunch" as a date and time$/,
		/date picker/,
	],
	[
		'an unknown time zone',
		{ smsGateway24Options: { scheduleTime: '2030-01-15T10:30:00', timeZone: 'Mars/Olympus_Mons' } },
		/^Schedule Time Zone: unknown time zone "Mars\/Olympus_Mons"$/,
		/IANA/,
	],
	['customer reference "abc"', { smsGateway24Options: { customerReference: 'abc' } }, /^Customer Reference: "abc" is not a whole number, 0 or more$/, /whole number/],
	['device ID "abc"', { device: { __rl: true, mode: 'id', value: 'abc' } }, /^Device: "abc" is not a device ID$/, /Device → Get Many/],
];

describe('SMSGateway24 · bad input on Message → Send', () => {
	let sim: Simulator;
	beforeAll(async () => {
		sim = await startSimulator();
	});
	afterAll(async () => await sim.close());
	beforeEach(() => sim.reset());

	it.each(BAD_INPUT)('refuses %s with a clear error before any request', async (_name, bad, message, advice) => {
		const run = await runSmsGateway24(sim, { parameters: { ...good, ...bad }, credentials: tokenCredentials(sim) });
		const error = run.error as WithDescription;
		expect(error).toBeDefined();
		expect(error.message).toMatch(message);
		expect(error.description).toMatch(advice);
		expect(error.context?.itemIndex).toBe(0);
		expect(run.items).toEqual([]);
		expect(sim.requests({ provider: 'smsgateway24' })).toHaveLength(0);
	});

	it('with Continue On Fail every bad item gets its own error and the good items still go', async () => {
		// Good items at the start, in the middle and at the end, bad ones in between.
		const plan: Array<Record<string, unknown> | undefined> = [
			undefined,
			...BAD_INPUT.slice(0, 6).map(([, bad]) => bad),
			undefined,
			...BAD_INPUT.slice(6).map(([, bad]) => bad),
			undefined,
		];
		const goodRecipients = new Map([
			[0, '+4915752980001'],
			[7, '+4915752980002'],
			[plan.length - 1, '+4915752980003'],
		]);
		const run = await runSmsGateway24(sim, {
			items: plan.map(() => ({})),
			continueOnFail: true,
			credentials: tokenCredentials(sim),
			parameters: (index) => (plan[index] ? { ...good, ...plan[index] } : { ...good, recipients: goodRecipients.get(index) }),
		});
		expect(run.error).toBeUndefined();
		expect(run.items).toHaveLength(plan.length);
		run.items.forEach((item, index) => expect(item.pairedItem).toEqual({ item: index }));

		const expectedErrors = [...BAD_INPUT.slice(0, 6), ...BAD_INPUT.slice(6)].map(([, , message]) => message);
		const errorItems = run.items.filter((item) => item.json.error !== undefined);
		expect(errorItems).toHaveLength(BAD_INPUT.length);
		errorItems.forEach((item, position) => {
			expect(item.json.error).toMatch(expectedErrors[position]);
			expect(typeof item.json.description).toBe('string');
		});

		for (const [index, recipient] of goodRecipients) {
			expect(run.items[index].json).toMatchObject({ recipient, status: 'queued' });
		}
		// Only the good items reached the provider, each once.
		expect(received(sim, 'addsms').map((request) => request.body.sendto)).toEqual([...goodRecipients.values()]);
	});

	it('a bad item stops the node without Continue On Fail, after the items before it went out', async () => {
		// Send handles items one by one: item 0 is out before item 1 is read. n8n then reports the
		// error for item 1, and its Retry On Fail (the same input, the same execution) must not text
		// item 0's recipient a second time.
		const plan = [undefined, { recipients: '123' }, undefined];
		const options = {
			items: plan.map(() => ({})),
			credentials: tokenCredentials(sim),
			executionId: 'retry-on-fail',
			parameters: (index: number) => ({ ...good, ...plan[index] }),
		};
		const run = await runSmsGateway24(sim, options);
		expect(run.error?.message).toMatch(/^Recipients: "123" has no country code/);
		expect((run.error as WithDescription).context?.itemIndex).toBe(1);
		expect(received(sim, 'addsms')).toHaveLength(1);

		const retry = await runSmsGateway24(sim, options);
		expect(retry.error?.message).toMatch(/^Recipients: "123" has no country code/);
		expect(received(sim, 'addsms')).toHaveLength(1);
	});
});
