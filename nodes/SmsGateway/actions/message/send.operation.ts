import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { PROVIDERS } from '../../providers';
import type { OutgoingMessage, ProviderDefinition } from '../../providers/types';
import { showOnlyFor } from '../../shared/descriptions';
import { readMessageText } from '../../shared/message';
import { normaliseRecipients } from '../../shared/phone';
import type { ItemOutcome, Operation } from '../types';
import { defaultCountryField, messageTextField, readDefaultCountry, recipientsField } from './fields';

const fields: INodeProperties[] = [
	recipientsField,
	defaultCountryField,
	messageTextField,
	// Each provider adds what only it has (device, sender ID, …), shown only when it is chosen.
	...PROVIDERS.flatMap((provider) => showOnlyFor({ provider: [provider.id] }, provider.messaging.sendFields)),
];

export const description = showOnlyFor({ resource: ['message'], operation: ['send'] }, fields);

/** Reads, checks and normalises one item's message; throws InvalidInputError before anything is sent. */
export async function readOutgoingMessage(ctx: IExecuteFunctions, itemIndex: number): Promise<OutgoingMessage> {
	const defaultCountry = await readDefaultCountry(ctx, itemIndex);
	const recipients = await normaliseRecipients(ctx.getNodeParameter('recipients', itemIndex, ''), defaultCountry);
	const { text, segments } = readMessageText(ctx.getNodeParameter('message', itemIndex, ''));
	return { itemIndex, recipients, text, segments };
}

async function execute(ctx: IExecuteFunctions, itemIndex: number, provider: ProviderDefinition): Promise<ItemOutcome[]> {
	const message = await readOutgoingMessage(ctx, itemIndex);
	const send = await provider.messaging.prepareSend(ctx, message);
	const results = await send();
	return results.map((result) =>
		'message' in result ? { json: result.message } : { error: result.error, context: { recipient: result.recipient } },
	);
}

export const send: Operation = { description, execute };
