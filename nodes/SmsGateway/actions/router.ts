import { NodeApiError, NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';
import { PROVIDERS, providerById } from '../providers';
import type { MessageOperation, ProviderDefinition } from '../providers/types';
import { InvalidInputError, toNodeError } from '../shared/errors';
import { SendLedger } from '../shared/ledger';
import { errorsGoToModel } from '../shared/tool';
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

/** The operation as this provider offers it, or undefined when it does not. */
function operationOf(provider: ProviderDefinition, resource: string, operationName: string): Operation | undefined {
	if (resource === 'message') return provider.messaging[operationName as MessageOperation] ? RESOURCES.message[operationName] : undefined;
	if (RESOURCES[resource]) return provider.resources.some((option) => option.value === resource) ? RESOURCES[resource][operationName] : undefined;
	return providedOperation(provider, resource, operationName);
}

export function asNodeError(ctx: IExecuteFunctions, error: Error, itemIndex: number): NodeApiError | NodeOperationError {
	if (error instanceof InvalidInputError) return toNodeError(ctx.getNode(), error, itemIndex);
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		error.context = { ...error.context, itemIndex };
		return error;
	}
	return new NodeOperationError(ctx.getNode(), error, { itemIndex });
}

/** How an error item names what it concerned, when its message does not already. */
const CONTEXT_LABELS: Record<string, string> = { recipient: 'To', messageId: 'Message ID' };

/**
 * The error as one text for the error output: what it concerned (unless the message names it),
 * the message, and what to do.
 */
export function errorText(error: { message: string; description?: string | null }, context: IDataObject = {}): string {
	const concerned = Object.entries(context)
		.filter(([, value]) => value !== undefined && value !== null && value !== '' && !error.message.includes(String(value)))
		.map(([key, value]) => `${CONTEXT_LABELS[key] ?? key} ${String(value)}: `)
		.join('');
	const description = error.description?.trim();
	const text = `${concerned}${error.message}`;
	if (!description) return text;
	return /[.!?…]$/.test(text) ? `${text} ${description}` : `${text}. ${description}`;
}

/**
 * The error item Continue On Fail puts in place of a result: message, what to do, and what it concerned.
 * With "Continue (using error output)" n8n moves an item to the error output only when `error` is
 * its only field (n8n 1.x: or `error` and `message`; 2.x: also `details`), and then adds the input
 * item's fields to it; any other item stays on the success output. There the error item is
 * `{ error }` alone, with the description and what it concerned in that text (`message` would
 * hide the input item's own `message` field, common in SMS workflows).
 */
function errorItem(ctx: IExecuteFunctions, error: NodeApiError | NodeOperationError, itemIndex: number, context: IDataObject = {}): INodeExecutionData {
	if (ctx.getNode().onError === 'continueErrorOutput') {
		return { json: { error: errorText(error, context) }, pairedItem: { item: itemIndex } };
	}
	const json: IDataObject = { error: error.message, ...context };
	if (error.description) json.description = error.description;
	return { json, pairedItem: { item: itemIndex } };
}

/**
 * Turns outcomes into output items paired to their input item. Continue On Fail is handled here
 * only: an error becomes an error item and the rest goes on; without it, the first error stops the node.
 * As an AI agent's tool the error item is the model's answer (see errorsGoToModel).
 */
function collect(ctx: IExecuteFunctions, output: INodeExecutionData[], itemIndex: number, outcomes: ItemOutcome[]): void {
	for (const outcome of outcomes) {
		if ('json' in outcome) {
			output.push({ json: outcome.json, pairedItem: { item: itemIndex } });
			continue;
		}
		const nodeError = asNodeError(ctx, outcome.error, itemIndex);
		if (!ctx.continueOnFail() && !errorsGoToModel(ctx.getNode())) throw nodeError;
		output.push(errorItem(ctx, nodeError, itemIndex, outcome.context));
	}
}

/** Runs the chosen operation over the input items. */
export async function route(ctx: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = ctx.getInputData();
	const provider = providerById(ctx.getNodeParameter('provider', 0) as string);
	const resource = ctx.getNodeParameter('resource', 0) as string;
	const operationName = ctx.getNodeParameter('operation', 0) as string;
	const operation = operationOf(provider, resource, operationName);
	if (!operation) {
		// n8n's editor can keep a Provider chosen for another operation when the operation changes
		// (it does not reset a value the new Provider list lacks): say so before anything runs.
		const offering = PROVIDERS.filter((candidate) => operationOf(candidate, resource, operationName)).map((candidate) => candidate.displayName);
		const refusal = new NodeOperationError(ctx.getNode(), `${provider.displayName} does not offer ${resource} → ${operationName}`, {
			description: offering.length > 0 ? `Choose the Provider again: ${offering.join(', ')} ${offering.length === 1 ? 'offers' : 'offer'} it.` : 'Choose another operation.',
		});
		if (!ctx.continueOnFail()) throw refusal;
		// Thrown, n8n would pass the input items on as the node's output (with "Continue (using
		// error output)" on the success output, as if sent): each item gets the refusal instead.
		const output: INodeExecutionData[] = [];
		items.forEach((_, itemIndex) => collect(ctx, output, itemIndex, [{ error: refusal }]));
		return [output];
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
	context.ledger.close(output);
	return [output];
}
