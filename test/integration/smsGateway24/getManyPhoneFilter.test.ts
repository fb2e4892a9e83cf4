import { startSimulator, type Simulator } from '../../../simulator/server';
import { received, runSmsGateway24, tokenCredentials } from '../../harness/smsGateway24';

/**
 * Get Many's Phone Number filter mapped from data that holds the number as a number
 * ({{ $json.phone }} = 4915752982212, as sheets and JSON often have it): the filter applies; it was
 * dropped without a word and every message of the account listed.
 */
describe('SMSGateway24 · Get Many with a Phone Number filter that is a number', () => {
	let sim: Simulator;
	beforeAll(async () => {
		sim = await startSimulator();
	});
	afterAll(async () => await sim.close());
	beforeEach(() => sim.reset());

	it('lists only that number’s messages', async () => {
		const device = { __rl: true, mode: 'id', value: '260' };
		const sent = await runSmsGateway24(sim, {
			credentials: tokenCredentials(sim),
			parameters: { resource: 'message', operation: 'send', recipients: '+4915752982212, +4917612345678', message: 'Hello', device, channel: 0 },
		});
		expect(sent.error).toBeUndefined();
		const run = await runSmsGateway24(sim, {
			credentials: tokenCredentials(sim),
			parameters: { resource: 'message', operation: 'getMany', returnAll: true, smsGateway24Filters: { phone: 4915752982212, status: 1 } },
		});
		expect(run.error).toBeUndefined();
		expect(received(sim, 'getallsms').at(-1)?.body.phone).toBe('4915752982212');
		expect(run.items.map((item) => item.json.recipient)).toEqual(['+4915752982212']);
	});

	it('refuses an object as the Phone Number filter, naming the field', async () => {
		const run = await runSmsGateway24(sim, {
			credentials: tokenCredentials(sim),
			parameters: { resource: 'message', operation: 'getMany', returnAll: true, smsGateway24Filters: { phone: { number: '+4915752982212' } } },
		});
		expect(run.error?.message).toBe('Phone Number: expected text but got {"number":"+4915752982212"}');
		expect(received(sim, 'getallsms')).toHaveLength(0);
	});
});
