import { NodeApiError, NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';
import { providerById } from '../providers';
import { InvalidInputError, toNodeError } from '../shared/errors';
import { SendLedger } from '../shared/ledger';
import * as contact from './contact';
import * as device from './device';
import * as message from './message';
import * as newsletter from './newsletter';
import { providedOperation } from './provided';
import * as tag from './tag';
import type { ItemOutcome, Operation, OperationContext } from './types';

const RESOURCES: Record<string, Record<string, Operation>> = {
	message: message.operations,
	device: device.operations,
	tag: tag.operations,
	contact: contact.operations,
	newsletter: newsletter.operations,
};

export function asNodeError(ctx: IExecuteFunctions, error: Error, itemIndex: number): NodeApiError | NodeOperationError {
	if (error instanceof InvalidInputError) return toNodeError(ctx.getNode(), error, itemIndex);
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		error.context = { ...error.context, itemIndex };
		return error;
	}
	return new NodeOperationError(ctx.getNode(), error, { itemIndex });
}

/** The error item Continue On Fail puts in place of a result: message, what to do, and what it concerned. */
function errorItem(error: NodeApiError | NodeOperationError, itemIndex: number, context: IDataObject = {}): INodeExecutionData {
	const json: IDataObject = { error: error.message, ...context };
	if (error.description) json.description = error.description;
	return { json, pairedItem: { item: itemIndex } };
}

/**
 * Turns outcomes into output items paired to their input item. Continue On Fail is handled here
 * only: an error becomes an error item and the rest goes on; without it, the first error stops the node.
 */
function collect(ctx: IExecuteFunctions, output: INodeExecutionData[], itemIndex: number, outcomes: ItemOutcome[]): void {
	for (const outcome of outcomes) {
		if ('json' in outcome) {
			output.push({ json: outcome.json, pairedItem: { item: itemIndex } });
			continue;
		}
		const nodeError = asNodeError(ctx, outcome.error, itemIndex);
		if (!ctx.continueOnFail()) throw nodeError;
		output.push(errorItem(nodeError, itemIndex, outcome.context));
	}
}

/** Runs the chosen operation over the input items. */
export async function route(ctx: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = ctx.getInputData();
	const provider = providerById(ctx.getNodeParameter('provider', 0) as string);
	const resource = ctx.getNodeParameter('resource', 0) as string;
	const operationName = ctx.getNodeParameter('operation', 0) as string;
	const operation = RESOURCES[resource]?.[operationName] ?? providedOperation(provider, resource, operationName);
	if (!operation) {
		throw new NodeOperationError(ctx.getNode(), `The operation "${operationName}" of "${resource}" is not supported for ${provider.displayName}`);
	}
	const context: OperationContext = { provider, ledger: new SendLedger(ctx) };
	const output: INodeExecutionData[] = [];

	if (operation.executeAll) {
		let outcomes: ItemOutcome[][];
		try {
			outcomes = await operation.executeAll(ctx, items, context);
		} catch (error) {
			// Operations report per item; an error that escapes one concerns them all. With Continue
			// On Fail n8n would otherwise pass the input through as if it were the output.
			outcomes = items.map(() => [{ error: error as Error }]);
		}
		outcomes.forEach((itemOutcomes, itemIndex) => collect(ctx, output, itemIndex, itemOutcomes));
	} else {
		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			let outcomes: ItemOutcome[];
			try {
				outcomes = await operation.execute!(ctx, itemIndex, context);
			} catch (error) {
				outcomes = [{ error: error as Error }];
			}
			collect(ctx, output, itemIndex, outcomes);
		}
	}
	context.ledger.close();
	return [output];
}
