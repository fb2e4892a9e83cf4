import type { IExecuteFunctions, INode } from 'n8n-workflow';
import { route } from '../../nodes/SmsGateway/actions/router';

// An operation over all items whose failure is not about one item (the case the router guards):
// everything else about the node stays real.
jest.mock('../../nodes/SmsGateway/actions/message/sendBulk.operation', () => ({
	sendBulk: {
		description: [],
		executeAll: async () => {
			throw new Error('The provider broke off the run');
		},
	},
}));

const node: INode = { id: 'n', name: 'SMS', type: 'n8n-nodes-sms-gateway.smsGateway', typeVersion: 1, position: [0, 0], parameters: {} };

function context(continueOnFail: boolean, chosen: Record<string, string> = {}): IExecuteFunctions {
	const parameters: Record<string, string> = { provider: 'smsBridge', resource: 'message', operation: 'sendBulk', ...chosen };
	return {
		getInputData: () => [{ json: { phone: '+48500100200' } }, { json: { phone: '+48500100201' } }],
		getNodeParameter: (name: string) => parameters[name],
		getNode: () => node,
		getExecutionId: () => 'router-test',
		getExecuteData: () => ({ source: null, runIndex: 0 }),
		continueOnFail: () => continueOnFail,
	} as unknown as IExecuteFunctions;
}

describe('router: an error that escapes an operation over all items', () => {
	it('with Continue On Fail, becomes an error item for every input item (not the input passed through)', async () => {
		const [output] = await route(context(true));
		expect(output).toEqual([
			{ json: { error: 'The provider broke off the run' }, pairedItem: { item: 0 } },
			{ json: { error: 'The provider broke off the run' }, pairedItem: { item: 1 } },
		]);
	});

	it('without it, stops the node with that error', async () => {
		await expect(route(context(false))).rejects.toThrow('The provider broke off the run');
	});
});

describe('router: a Provider that does not offer the chosen operation', () => {
	// n8n's editor can keep the Provider of an earlier operation when the operation changes.
	it('is refused before anything runs, naming the providers that offer it', async () => {
		const run = route(context(true, { provider: 'ugsms', operation: 'getStatus' }));
		await expect(run).rejects.toThrow('UGSMS does not offer message → getStatus');
		await expect(route(context(true, { provider: 'ugsms', operation: 'getStatus' }))).rejects.toMatchObject({ description: 'Choose the Provider again: SMSGateway24, SMS Bridge offer it.' });
		await expect(route(context(false, { provider: 'messageFlow', resource: 'device', operation: 'getMany' }))).rejects.toMatchObject({
			message: 'MessageFlow does not offer device → getMany',
			description: 'Choose the Provider again: SMSGateway24 offers it.',
		});
	});
});
