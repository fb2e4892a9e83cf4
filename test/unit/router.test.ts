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

function context(continueOnFail: boolean): IExecuteFunctions {
	const parameters: Record<string, string> = { provider: 'smsBridge', resource: 'message', operation: 'sendBulk' };
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
