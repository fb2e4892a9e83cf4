import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { PROVIDERS } from '../../providers';
import type { MessagingCapability, OutgoingMessage } from '../../providers/types';
import { showOnlyFor } from '../../shared/descriptions';
import { readMessageText } from '../../shared/message';
import { loadPhoneNumbers, type PhoneNumbers } from '../../shared/phone';
import type { ItemOutcome, Operation, OperationContext } from '../types';
import { defaultCountryField, messageTextField, readDefaultCountryWith, recipientsField } from './fields';

const fields: INodeProperties[] = [
	recipientsField,
	defaultCountryField,
	messageTextField,
	// Each provider adds what only it has (device, sender ID, …), shown only when it is chosen.
	...PROVIDERS.flatMap((provider) => showOnlyFor({ provider: [provider.id] }, provider.messaging.send.fields)),
];

export const description = showOnlyFor({ resource: ['message'], operation: ['send'] }, fields);

/**
 * Reads, checks and normalises one item's message; throws InvalidInputError before anything is sent.
 * Synchronous, for Send Bulk's thousands of items (see PhoneNumbers).
 */
export function readOutgoingMessageWith(phones: PhoneNumbers, ctx: IExecuteFunctions, itemIndex: number, textIsOptional = false): OutgoingMessage {
	const defaultCountry = readDefaultCountryWith(phones, ctx, itemIndex);
	const recipients = phones.normaliseRecipients(ctx.getNodeParameter('recipients', itemIndex, ''), defaultCountry);
	const { text, segments } = readMessageText(ctx.getNodeParameter('message', itemIndex, ''), undefined, textIsOptional);
	return { itemIndex, recipients, text, segments };
}

export async function readOutgoingMessage(ctx: IExecuteFunctions, itemIndex: number, textIsOptional = false): Promise<OutgoingMessage> {
	return readOutgoingMessageWith(await loadPhoneNumbers(), ctx, itemIndex, textIsOptional);
}

/** The provider's results as outcomes: one per recipient, errors naming the recipient. */
export function toOutcomes(results: Awaited<ReturnType<Awaited<ReturnType<MessagingCapability['send']['prepare']>>>>): ItemOutcome[] {
	return results.map((result) =>
		'message' in result ? { json: result.message } : { error: result.error, context: { recipient: result.recipient } },
	);
}

async function execute(ctx: IExecuteFunctions, itemIndex: number, { provider, ledger }: OperationContext): Promise<ItemOutcome[]> {
	const capability = provider.messaging.send;
	const message = await readOutgoingMessage(ctx, itemIndex, capability.textIsOptional?.(ctx, itemIndex) ?? false);
	const send = await capability.prepare(ctx, message, ledger);
	return toOutcomes(await send());
}

export const send: Operation = { description, execute };
