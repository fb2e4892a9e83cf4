import { startSimulator, type Simulator } from '../../../simulator/server';
import { passwordCredentials, runSmsGateway24 } from '../../harness/smsGateway24';

/**
 * The node as an AI agent's tool, called the way AI Agent 3 calls tools on n8n 2.40 and 1.123 (each
 * call a run of the tool node of its own; test/e2e/ai-agent-errors.e2e.mjs runs the same in real n8n).
 * A failed call is the model's to handle: it gets the error and the fix as the tool's result (n8n 1.x
 * would otherwise stop the workflow, and 2.x hands the model the message without the fix), and a
 * call the model makes again after an answer was lost does not text anyone a second time.
 */

const PHONE = '+4915752982212';
const sendParameters = {
	resource: 'message',
	operation: 'send',
	recipients: PHONE,
	message: 'Your table is ready',
	device: { __rl: true, mode: 'id', value: '260' },
	channel: 0,
};

describe('SMSGateway24 · Send as an AI agent’s tool', () => {
	let sim: Simulator;
	beforeAll(async () => {
		sim = await startSimulator();
	});
	afterAll(async () => await sim.close());
	beforeEach(() => sim.reset());

	const stored = () => (sim.snapshot('smsgateway24') as { messages: Array<{ sendto: string }> }).messages;
	const toolCall = (executionId: string, call: number, parameters: Record<string, unknown> = {}) => ({
		credentials: passwordCredentials(sim),
		executionId,
		toolCall: { agent: 'AI Agent', call },
		parameters: { ...sendParameters, ...parameters },
	});

	it('hands a bad number back to the model as the result, with the field and the fix, instead of failing the workflow', async () => {
		const run = await runSmsGateway24(sim, toolCall('agent-bad-number', 0, { recipients: '015752982212' }));
		expect(run.error).toBeUndefined();
		expect(run.items).toHaveLength(1);
		expect(run.items[0].json).toEqual({
			error: 'Recipients: "015752982212" has no country code',
			description: expect.stringMatching(/international form/),
		});
		expect(stored()).toHaveLength(0);
	});

	it('hands an empty text and a provider refusal back the same way; Settings → On Error → Stop Workflow still stops', async () => {
		const empty = await runSmsGateway24(sim, toolCall('agent-empty', 0, { message: '' }));
		expect(empty.error).toBeUndefined();
		expect(empty.items[0].json).toMatchObject({ error: 'Message: the message is empty', description: expect.stringMatching(/text/) });

		const wrongLogin = passwordCredentials(sim);
		wrongLogin.smsGateway24Api.password = 'wrong-password-5f3a9c';
		const refused = await runSmsGateway24(sim, { ...toolCall('agent-login', 0), credentials: wrongLogin });
		expect(refused.error).toBeUndefined();
		expect(JSON.stringify(refused.items)).toMatch(/Login or password incorrect/);
		expect(JSON.stringify(refused.items)).not.toContain('wrong-password-5f3a9c');

		const stops = await runSmsGateway24(sim, { ...toolCall('agent-stop', 0, { message: '' }), onError: 'stopWorkflow' });
		expect(stops.error?.message).toBe('Message: the message is empty');
		// Outside an agent nothing changes: the node run fails.
		const plain = await runSmsGateway24(sim, { parameters: { ...sendParameters, message: '' } });
		expect(plain.error?.message).toBe('Message: the message is empty');
	});

	it('does not send again when the model repeats a call whose answer was lost; a repeat after a success is sent', async () => {
		sim.addFault({ provider: 'smsgateway24', pathIncludes: 'addsms', kind: 'drop', afterProcessing: true });
		const lost = await runSmsGateway24(sim, toolCall('agent-lost', 0));
		expect(lost.error).toBeUndefined();
		expect(lost.items[0].json).toMatchObject({ error: expect.stringMatching(/^SMSGateway24 gave no answer to "addsms"/), description: expect.stringMatching(/may already have gone out/) });
		expect(stored()).toHaveLength(1);

		// The model tries the same call again: another run of the tool node in the same agent run.
		const again = await runSmsGateway24(sim, toolCall('agent-lost', 1));
		expect(again.error).toBeUndefined();
		expect(again.items[0].json.error).toMatch(/^Not sent again: an earlier attempt in this run may already have gone out/);
		expect(stored()).toHaveLength(1);
		// And a third time: still in doubt.
		expect((await runSmsGateway24(sim, toolCall('agent-lost', 2))).items[0].json.error).toMatch(/^Not sent again/);
		expect(stored()).toHaveLength(1);

		// Another text to the same person is another message.
		const other = await runSmsGateway24(sim, toolCall('agent-lost', 3, { message: 'We are closing at 10' }));
		expect(other.items[0].json).toMatchObject({ recipient: PHONE, status: 'queued' });
		// A call that succeeded is forgotten: made again deliberately, it sends again.
		expect((await runSmsGateway24(sim, toolCall('agent-lost', 4, { message: 'We are closing at 10' }))).items[0].json.status).toBe('queued');
		expect(stored()).toHaveLength(3);
		// Another agent run (another execution) is not held back by this one's doubt.
		expect((await runSmsGateway24(sim, toolCall('agent-next', 0))).items[0].json.status).toBe('queued');
	});
});
