import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { InvalidInputError } from '../../shared/errors';
import { readTextList } from '../../shared/message';
import { formatInstant, toInstant } from '../../shared/time';
import type { MessageOutput } from '../../shared/types';
import type { MessagingCapability } from '../types';
import type { SentMessage } from './schemas';
import { PROVIDER_ID } from './send';
import { normaliseStatus } from './status';
import { callMessageFlow } from './transport';

/** MessageFlow's status list: the last month of messages, paged by offset and limit (at most 1000). */
export const LIST_PAGE_SIZE = 1000;

/**
 * Whether a page of the status list is its last. A page shorter than asked for is, except when it
 * holds a round number of entries (a multiple of 50): a server that caps its pages below the
 * `limit` asked (MessageFlow documents a default of 100 and a maximum of 1000, not whether it
 * ever answers with fewer) answers with such a page, and taking it as the last one dropped the
 * rest of the list without a word. Reading on costs one more request (an empty page) for about
 * one list in fifty.
 */
export function isLastPage(received: number, asked: number): boolean {
	return received < asked && (received === 0 || received % 50 !== 0);
}
const MAX_SENDERS = 10;

const fields: INodeProperties[] = [
	{
		displayName: 'Filters',
		name: 'messageFlowFilters',
		description: 'Narrow the list down; add only the filters you need',
		type: 'collection',
		placeholder: 'Add filter',
		default: {},
		options: [
			{ displayName: 'From', name: 'from', type: 'dateTime', default: '', description: 'Only messages from this time on (MessageFlow keeps the last month)' },
			{
				displayName: 'Senders',
				name: 'senders',
				type: 'string',
				default: '',
				placeholder: 'ACME, SHOP',
				description: 'Only messages from these Sender IDs, separated by commas (at most 10)',
			},
			{ displayName: 'To', name: 'to', type: 'dateTime', default: '', description: 'Only messages up to this time' },
		],
	},
];

function toOutput(entry: SentMessage): MessageOutput {
	const raw = entry as IDataObject;
	const id = raw.smsId ?? raw.id ?? raw.messageId;
	return {
		provider: PROVIDER_ID,
		messageId: id === undefined || id === null ? null : String(id),
		direction: 'outbound',
		recipient: entry.phoneNumber,
		status: normaliseStatus(entry.status),
		providerStatus: entry.status ?? null,
		segments: entry.numberOfParts === undefined || entry.numberOfParts === null ? null : Number(entry.numberOfParts),
		encoding: null,
		sender: entry.sender ?? undefined,
		externalId: entry.externalId ?? null,
		statusTime: entry.statusTime ?? null,
		raw,
	};
}

/** The Senders filter (Get Many, the Poll Trigger): the Sender IDs, at most as many as MessageFlow filters by. */
export function readSenders(value: unknown): string[] {
	const senders = readTextList(value, 'Senders');
	if (senders.length > MAX_SENDERS) {
		throw new InvalidInputError('Senders', `${senders.length} senders given; MessageFlow filters by at most ${MAX_SENDERS}`, 'Remove some senders, or leave the field empty for all.');
	}
	return senders;
}

function readFilters(ctx: IExecuteFunctions, itemIndex: number): IDataObject {
	const filters = ctx.getNodeParameter('messageFlowFilters', itemIndex, {}) as IDataObject;
	const qs: IDataObject = {};
	const zone = ctx.getTimezone();
	for (const [name, key, label] of [
		['from', 'dateFrom', 'From'],
		['to', 'dateTo', 'To'],
	] as const) {
		const value = filters[name];
		if (value !== undefined && value !== '' && value !== null) {
			// The API reads these in UTC.
			qs[key] = formatInstant(toInstant(value, zone, label), 'UTC', 'YYYY-MM-DD HH:mm:ss');
		}
	}
	const senders = readSenders(filters.senders);
	if (senders.length > 0) qs.sender = senders.join(',');
	return qs;
}

export const getMany: NonNullable<MessagingCapability['getMany']> = {
	fields,
	async execute(ctx, itemIndex, limit) {
		const qs = readFilters(ctx, itemIndex);
		const messages: MessageOutput[] = [];
		const seen = new Set<string>();
		for (let offset = 0; limit === undefined || messages.length < limit; ) {
			const pageSize = limit === undefined ? LIST_PAGE_SIZE : Math.min(LIST_PAGE_SIZE, limit - messages.length);
			// 404 means "no results" for a list: an empty page, not an error.
			const { status, body } = await callMessageFlow(ctx, { method: 'GET', path: '/v2.1/sms', qs: { ...qs, offset, limit: pageSize }, itemIndex, passThrough: [404] });
			const page = status === 404 ? [] : (body.data ?? []);
			for (const message of page.map(toOutput)) {
				// The pages are read by offset: a message sent while they are read shifts the later
				// pages by one. Where entries carry an ID, one pushed into the next page is not listed
				// twice. (A To filter fixed at the start would also keep one from being skipped, but
				// it would hide the newest messages whenever n8n's clock runs behind MessageFlow's.)
				if (message.messageId !== null && seen.has(message.messageId)) continue;
				if (message.messageId !== null) seen.add(message.messageId);
				messages.push(message);
			}
			if (isLastPage(page.length, pageSize)) break;
			offset += page.length;
		}
		return limit === undefined ? messages : messages.slice(0, limit);
	},
};
