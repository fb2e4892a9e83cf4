import { startSimulator, type Simulator } from '../../../simulator/server';
import { received, runSmsGateway24, tokenCredentials } from '../../harness/smsGateway24';

/**
 * A text cut in the middle of an emoji (`{{ $json.text.slice(0, 160) }}` on a text with emoji) holds
 * half of a surrogate pair: no character at all. It cannot be written as form text (SMSGateway24's
 * requests), so it must fail its own item, naming the Message, and not the whole batch.
 */
describe('SMSGateway24 · a text cut inside an emoji', () => {
	let sim: Simulator;
	beforeAll(async () => {
		sim = await startSimulator();
	});
	afterAll(async () => await sim.close());
	beforeEach(() => sim.reset());

	const phones = ['+4915752982212', '+4917612345678', '+4915112345678'];
	const texts = ['Spring sale 🌸', 'Spring sale \ud83c', 'Spring sale 🌷'];
	const run = (operation: 'send' | 'sendBulk') =>
		runSmsGateway24(sim, {
			items: phones.map((phone) => ({ phone })),
			credentials: tokenCredentials(sim),
			continueOnFail: true,
			parameters: (itemIndex: number) => ({
				resource: 'message',
				operation,
				recipients: phones[itemIndex],
				message: texts[itemIndex],
				device: { __rl: true, mode: 'id', value: '260' },
				channel: 0,
			}),
		});

	for (const [operation, method] of [['send', 'addsms'], ['sendBulk', 'addalotofsms']] as const) {
		it(`${operation}: that item is an error naming the Message and what to fix; the others go`, async () => {
			const result = await run(operation);
			expect(result.error).toBeUndefined();
			expect(result.items.map((item) => (item.json.error === undefined ? 'sent' : String(item.json.error)))).toEqual([
				'sent',
				'Message: the text holds half of an emoji or another character cut in two (at character 13)',
				'sent',
			]);
			expect(String(result.items[1].json.description)).toMatch(/^Cut texts between characters/);
			const sentTexts = received(sim, method).flatMap((request) =>
				method === 'addsms'
					? [String(request.body.body)]
					: (JSON.parse(String(request.body.datajson)) as { smsdata: Array<{ body: string }> }).smsdata.map((entry) => entry.body),
			);
			expect(sentTexts).toEqual(['Spring sale 🌸', 'Spring sale 🌷']);
		});
	}
});
