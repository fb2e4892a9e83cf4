import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { PROVIDERS } from '../../providers';
import { showOnlyFor } from '../../shared/descriptions';
import { readOnOff, readWholeNumber } from '../../shared/fieldValues';
import type { ItemOutcome, Operation, OperationContext } from '../types';

const fields: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1, numberPrecision: 0 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
	...PROVIDERS.flatMap((provider) =>
		provider.messaging.getMany ? showOnlyFor({ provider: [provider.id] }, provider.messaging.getMany.fields) : [],
	),
];

export const description = showOnlyFor({ resource: ['message'], operation: ['getMany'] }, fields);

/** How many results the user wants; undefined for all. */
function readLimit(ctx: IExecuteFunctions, itemIndex: number): number | undefined {
	if (readOnOff(ctx.getNodeParameter('returnAll', itemIndex, false), 'Return All', false)) return undefined;
	// A negative or non-numeric limit from an expression cut the list without a word.
	return readWholeNumber(ctx.getNodeParameter('limit', itemIndex, 50), 'Limit', { min: 1, fix: 'Enter how many messages to return, e.g. 50, or turn on Return All.' });
}

async function execute(ctx: IExecuteFunctions, itemIndex: number, { provider }: OperationContext): Promise<ItemOutcome[]> {
	const messages = await provider.messaging.getMany!.execute(ctx, itemIndex, readLimit(ctx, itemIndex));
	return messages.map((json) => ({ json }));
}

export const getMany: Operation = { description, execute };
