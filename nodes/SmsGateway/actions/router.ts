import { NodeApiError, NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';
import { providerById } from '../providers';
import { InvalidInputError, toNodeError } from '../shared/errors';
import * as message from './message';
import type { Operation } from './types';

const RESOURCES: Record<string, Record<string, Operation>> = {
	message: message.operations,
};

function asNodeError(ctx: IExecuteFunctions, error: Error, itemIndex: number): NodeApiError | NodeOperationError {
	if (error instanceof InvalidInputError) return toNodeError(ctx.getNode(), error, itemIndex);
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		error.context = { ...error.context, itemIndex };
		return error;
	}
	return new NodeOperationError(ctx.getNode(), error, { itemIndex });
}

/** The error item Continue On Fail puts in place of a result: message, what to do, and what it concerned. */
export function errorItem(error: NodeApiError | NodeOperationError, itemIndex: number, context: IDataObject = {}): INodeExecutionData {
	const json: IDataObject = { error: error.message, ...context };
	if (error.description) json.description = error.description;
	return { json, pairedItem: { item: itemIndex } };
}

/**
 * Runs the chosen operation over the input items. Continue On Fail is handled here only:
 * an item's error becomes an error item paired to it and the next item goes on.
 */
export async function route(ctx: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = ctx.getInputData();
	const provider = providerById(ctx.getNodeParameter('provider', 0) as string);
	const resource = ctx.getNodeParameter('resource', 0) as string;
	const operationName = ctx.getNodeParameter('operation', 0) as string;
	const operation = RESOURCES[resource]?.[operationName];
	if (!operation) {
		throw new NodeOperationError(ctx.getNode(), `The operation "${operationName}" of "${resource}" is not supported for ${provider.displayName}`);
	}

	if (operation.executeAll) return [await operation.executeAll(ctx, items, provider)];

	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		let outcomes;
		try {
			outcomes = await operation.execute!(ctx, itemIndex, provider);
		} catch (error) {
			const nodeError = asNodeError(ctx, error as Error, itemIndex);
			if (!ctx.continueOnFail()) throw nodeError;
			output.push(errorItem(nodeError, itemIndex));
			continue;
		}
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
	return [output];
}
