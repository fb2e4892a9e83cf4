import type { IExecuteFunctions, INode } from 'n8n-workflow';
import { errorText, route } from '../../nodes/SmsGateway/actions/router';
import { InvalidInputError } from '../../nodes/SmsGateway/shared/errors';

// An operation over all items whose failure is not about one item (the case the router guards):
// everything else about the node stays real. A test can give it other outcomes for one run.
const mockExecuteAll = jest.fn();
jest.mock('../../nodes/SmsGateway/actions/message/sendBulk.operation', () => ({
	sendBulk: {
		description: [],
		executeAll: async (...args: unknown[]) => await mockExecuteAll(...args),
	},
}));

beforeEach(() => {
	mockExecuteAll.mockReset();
	mockExecuteAll.mockRejectedValue(new Error('The provider broke off the run'));
});

const node: INode = { id: 'n', name: 'SMS', type: 'n8n-nodes-sms-gateway.smsGateway', typeVersion: 1, position: [0, 0], parameters: {} };

function context(continueOnFail: boolean, chosen: Record<string, string> = {}, onError?: INode['onError']): IExecuteFunctions {
	const parameters: Record<string, string> = { provider: 'smsBridge', resource: 'message', operation: 'sendBulk', ...chosen };
	return {
		getInputData: () => [{ json: { phone: '+48500100200' } }, { json: { phone: '+48500100201' } }],
		getNodeParameter: (name: string) => parameters[name],
		getNode: () => ({ ...node, onError }),
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
		const run = route(context(false, { provider: 'ugsms', operation: 'getStatus' }));
		await expect(run).rejects.toThrow('UGSMS does not offer message → getStatus');
		await expect(route(context(false, { provider: 'ugsms', operation: 'getStatus' }))).rejects.toMatchObject({ description: 'Choose the Provider again: SMSGateway24, SMS Bridge offer it.' });
		await expect(route(context(false, { provider: 'messageFlow', resource: 'device', operation: 'getMany' }))).rejects.toMatchObject({
			message: 'MessageFlow does not offer device → getMany',
			description: 'Choose the Provider again: SMSGateway24 offers it.',
		});
		expect(mockExecuteAll).not.toHaveBeenCalled();
	});

	// Thrown, n8n would pass the input items on as the output: on the success output with
	// "Continue (using error output)", as if the messages were sent.
	it('with Continue On Fail, is an error item for every input item', async () => {
		const chosen = { provider: 'ugsms', operation: 'getStatus' };
		const [regular] = await route(context(true, chosen, 'continueRegularOutput'));
		expect(regular).toEqual([0, 1].map((item) => ({
			json: { error: 'UGSMS does not offer message → getStatus', description: 'Choose the Provider again: SMSGateway24, SMS Bridge offer it.' },
			pairedItem: { item },
		})));
		const [toErrorOutput] = await route(context(true, chosen, 'continueErrorOutput'));
		expect(toErrorOutput).toEqual([0, 1].map((item) => ({
			json: { error: 'UGSMS does not offer message → getStatus. Choose the Provider again: SMSGateway24, SMS Bridge offer it.' },
			pairedItem: { item },
		})));
		expect(mockExecuteAll).not.toHaveBeenCalled();
	});
});

describe('router: error items for "Continue (using error output)"', () => {
	// n8n moves an item to the error output only when `error` is its only field (1.x: or error
	// and message); any other field keeps it on the success output.
	const outcomes = () => [
		[{ json: { recipient: '+48500100200', status: 'queued' } }],
		[
			{
				error: new InvalidInputError('Recipients', '"+48 ABC" is not a phone number', 'Use a number such as +48500100200.'),
				context: { recipient: '+48 ABC' },
			},
			{ error: new Error('SMS Bridge refused the message'), context: { recipient: '+48500100201' } },
		],
	];

	it('are { error } alone, the description and the recipient in that text, paired with their input item', async () => {
		mockExecuteAll.mockResolvedValueOnce(outcomes());
		const [output] = await route(context(true, {}, 'continueErrorOutput'));
		expect(output).toEqual([
			{ json: { recipient: '+48500100200', status: 'queued' }, pairedItem: { item: 0 } },
			{ json: { error: 'Recipients: "+48 ABC" is not a phone number. Use a number such as +48500100200.' }, pairedItem: { item: 1 } },
			{ json: { error: 'To +48500100201: SMS Bridge refused the message' }, pairedItem: { item: 1 } },
		]);
	});

	it('keep error, description and recipient as fields with "Continue" (regular output)', async () => {
		mockExecuteAll.mockResolvedValueOnce(outcomes());
		const [output] = await route(context(true, {}, 'continueRegularOutput'));
		expect(output.slice(1)).toEqual([
			{
				json: { error: 'Recipients: "+48 ABC" is not a phone number', description: 'Use a number such as +48500100200.', recipient: '+48 ABC' },
				pairedItem: { item: 1 },
			},
			{ json: { error: 'SMS Bridge refused the message', recipient: '+48500100201' }, pairedItem: { item: 1 } },
		]);
	});

	it('errorText: names what the error concerned unless the message does, and adds what to do', () => {
		expect(errorText({ message: 'Sms not found' }, { messageId: '99' })).toBe('Message ID 99: Sms not found');
		expect(errorText({ message: 'refused +48500109999: Blocked by operator' }, { recipient: '+48500109999' })).toBe(
			'refused +48500109999: Blocked by operator',
		);
		expect(errorText({ message: 'Device: there is no device with ID 9', description: 'Devices: Office Pixel (ID 260)' })).toBe(
			'Device: there is no device with ID 9. Devices: Office Pixel (ID 260)',
		);
		expect(errorText({ message: 'HTTP 500 ("500 Internal Server Error")', description: 'Try again later.' })).toBe(
			'HTTP 500 ("500 Internal Server Error"). Try again later.',
		);
		expect(errorText({ message: 'Check the number!', description: 'It has letters.' })).toBe('Check the number! It has letters.');
	});
});
