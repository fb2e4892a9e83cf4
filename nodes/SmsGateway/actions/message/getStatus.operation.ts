import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { PROVIDERS } from '../../providers';
import { showOnlyFor } from '../../shared/descriptions';
import { InvalidInputError, preview } from '../../shared/errors';
import type { ItemOutcome, Operation, OperationContext } from '../types';

const fields: INodeProperties[] = [
	{
		displayName: 'Message ID',
		name: 'messageId',
		type: 'string',
		default: '',
		required: true,
		placeholder: '62807347',
		description:
			'The ID the provider gave the message when it was sent, usually the messageId field of a Send node mapped in. Several IDs separated by commas give one output item each.',
	},
	...PROVIDERS.flatMap((provider) =>
		provider.messaging.getStatus ? showOnlyFor({ provider: [provider.id] }, provider.messaging.getStatus.fields) : [],
	),
];

export const description = showOnlyFor({ resource: ['message'], operation: ['getStatus'] }, fields);

export function readMessageIds(value: unknown): string[] {
	if (typeof value === 'number') return [String(value)];
	if (typeof value !== 'string') {
		throw new InvalidInputError(
			'Message ID',
			`expected a message ID but got ${preview(value)}`,
			'Map the messageId field of a sent message, e.g. {{ $json.messageId }}.',
		);
	}
	const ids = value
		.split(',')
		.map((id) => id.trim())
		.filter((id) => id !== '');
	if (ids.length === 0) {
		throw new InvalidInputError('Message ID', 'no message ID given', 'Map the messageId field of a sent message, e.g. {{ $json.messageId }}.');
	}
	return ids;
}

async function execute(ctx: IExecuteFunctions, itemIndex: number, { provider }: OperationContext): Promise<ItemOutcome[]> {
	const ids = readMessageIds(ctx.getNodeParameter('messageId', itemIndex, ''));
	const outcomes: ItemOutcome[] = [];
	for (const id of ids) {
		try {
			outcomes.push({ json: await provider.messaging.getStatus!.execute(ctx, itemIndex, id) });
		} catch (error) {
			outcomes.push({ error: error as Error, context: { messageId: id } });
		}
	}
	return outcomes;
}

export const getStatus: Operation = { description, execute };
