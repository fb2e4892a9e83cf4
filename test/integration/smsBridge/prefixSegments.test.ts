import { startSimulator, type Simulator } from '../../../simulator/server';
import { bridgeRequests, runSmsBridge } from '../../harness/smsBridge';

/**
 * The Message Prefix goes out in front of the text (the simulator joins them as they are, as the
 * field's description says): the parts and encoding in the output are those of what the phone
 * sends, prefix included.
 */
describe('SMS Bridge · Message Prefix and the parts it costs', () => {
	let sim: Simulator;
	beforeAll(async () => {
		sim = await startSimulator();
	});
	afterAll(async () => await sim.close());
	beforeEach(() => sim.reset());

	const send = { resource: 'message', operation: 'send', recipients: '+48500100200' };

	it('counts the prefix: 150 plain characters fit one SMS, "[Clinic] " in front makes two', async () => {
		const text = 'a'.repeat(150);
		const plain = await runSmsBridge(sim, { parameters: { ...send, message: text } });
		expect(plain.items[0].json).toMatchObject({ segments: 1, encoding: 'GSM-7' });
		const prefixed = await runSmsBridge(sim, { parameters: { ...send, message: text, smsBridgeOptions: { messagePrefix: '[Clinic] ' } } });
		expect(bridgeRequests(sim, 'messages/send.php')[1].body).toMatchObject({ text, message_prefix: '[Clinic] ' });
		// 9 + 150 characters, the brackets two septets each: 161 septets, two parts.
		expect(prefixed.items[0].json).toMatchObject({ segments: 2, encoding: 'GSM-7' });
	});

	it('a prefix with letters outside GSM-7 makes the whole SMS UCS-2', async () => {
		const run = await runSmsBridge(sim, { parameters: { ...send, message: 'Wizyta jutro o 14:30', smsBridgeOptions: { messagePrefix: 'Przychodnia Łódź: ' } } });
		expect(run.items[0].json).toMatchObject({ segments: 1, encoding: 'UCS-2' });
	});
});
