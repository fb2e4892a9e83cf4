import type { IExecuteFunctions } from 'n8n-workflow';
import { SendLedger } from '../../nodes/SmsGateway/shared/ledger';

/**
 * The record that keeps Retry On Fail from texting anyone twice (shared/ledger.ts), with the two
 * kinds of context it meets: a node run (n8n hands out its execute data) and an agent's tool call
 * (no execute data). The integration tests (smsGateway24/retry.test.ts and others) show the same
 * through real requests to the simulator.
 */

/** A node run, or an agent's tool call: n8n 1.x and 2.x hand it the agent's execute data; without any, it throws. */
function context(executionId: string, kind: 'run' | 'tool' | 'tool without data'): IExecuteFunctions {
	return {
		getExecutionId: () => executionId,
		getNode: () => ({ name: 'SMS Gateway' }),
		getExecuteData: () => {
			if (kind === 'tool without data') throw new Error('no execute data');
			return { node: { name: kind === 'tool' ? 'AI Agent' : 'SMS Gateway' }, source: { main: [{ previousNode: 'Trigger' }] }, runIndex: 0 };
		},
	} as unknown as IExecuteFunctions;
}

describe('SendLedger', () => {
	it('in a node run, a send for the same item and recipient is one send whatever its text or time', async () => {
		const send = jest.fn(async () => ({ id: 1 }));
		const first = await new SendLedger(context('run-1', 'run')).once(['send', 0, '+4915752982212'], { text: 'at 10:00:01' }, send);
		// The retry: a new ledger for the same run, the expression's value moved on.
		const retry = await new SendLedger(context('run-1', 'run')).once(['send', 0, '+4915752982212'], { text: 'at 10:00:02' }, send);
		expect(send).toHaveBeenCalledTimes(1);
		expect(first).toEqual({ value: { id: 1 }, replayed: false });
		expect(retry).toEqual({ value: { id: 1 }, replayed: true });
	});

	it.each(['tool', 'tool without data'] as const)('in an agent’s tool calls (%s), two different texts to one recipient are two messages', async (kind) => {
		const send = jest.fn(async () => ({ id: 1 }));
		await new SendLedger(context(`agent-${kind}`, kind)).once(['send', 0, '+4915752982212'], { text: 'Hello' }, send);
		await new SendLedger(context(`agent-${kind}`, kind)).once(['send', 0, '+4915752982212'], { text: 'Your code is 1234' }, send);
		expect(send).toHaveBeenCalledTimes(2);
		// The same call repeated is still one.
		await new SendLedger(context(`agent-${kind}`, kind)).once(['send', 0, '+4915752982212'], { text: 'Hello' }, send);
		expect(send).toHaveBeenCalledTimes(2);
	});

	it('a run that finished without an error is forgotten: the next run of the node sends', async () => {
		const send = jest.fn(async () => ({ id: 1 }));
		const ledger = new SendLedger(context('run-2', 'run'));
		await ledger.once(['send', 0, '+4915752982212'], {}, send);
		ledger.close();
		await new SendLedger(context('run-2', 'run')).once(['send', 0, '+4915752982212'], {}, send);
		expect(send).toHaveBeenCalledTimes(2);
	});
});
