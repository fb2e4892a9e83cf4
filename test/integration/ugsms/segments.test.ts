import { resetRateLimiters } from '../../../nodes/SmsGateway/shared/rateLimit';
import { startSimulator, type Simulator } from '../../../simulator/server';
import { ugMessages, runUgsms } from '../../harness/ugsms';

/**
 * UGSMS bills 160 characters per segment (providers.md), whatever the alphabet. The output's
 * segments are what it bills, as its estimated cost in `raw` says, not GSM 03.38's parts.
 */
describe('UGSMS · segments as UGSMS bills them', () => {
	let sim: Simulator;
	beforeAll(async () => {
		sim = await startSimulator();
	});
	afterAll(async () => await sim.close());
	beforeEach(() => {
		sim.reset();
		resetRateLimiters();
	});

	it.each([
		['160 plain characters', 'a'.repeat(160), 1],
		['161 plain characters', 'a'.repeat(161), 2],
		['320 plain characters (three GSM parts of 153)', 'a'.repeat(320), 2],
		['100 characters with a Luganda ŋ (UCS-2: two parts of 67)', `Ŋŋ${'a'.repeat(98)}`, 1],
		['81 euro signs (162 septets, two GSM parts)', '€'.repeat(81), 1],
	])('%s: the segments UGSMS bills', async (_name, message, billed) => {
		const run = await runUgsms(sim, { parameters: { resource: 'message', operation: 'send', defaultCountry: 'UG', recipients: '0701234567', message } });
		expect(run.error).toBeUndefined();
		expect(ugMessages(sim)[0].segments).toBe(billed);
		expect(run.items[0].json.segments).toBe(billed);
	});
});
