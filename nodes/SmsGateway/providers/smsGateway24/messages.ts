import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import type { z } from 'zod';
import { byName } from '../../shared/descriptions';
import { InvalidInputError } from '../../shared/errors';
import { isEmptyValue, readChoice, readOnOff } from '../../shared/fieldValues';
import { readTextField } from '../../shared/message';
import { formatInstant, readTimeZone, toInstant } from '../../shared/time';
import type { MessageOutput } from '../../shared/types';
import type { MessagingCapability } from '../types';
import { channelField, deviceField } from './fields';
import { listAnswer, statusAnswer, type storedMessage } from './schemas';
import { PROVIDER_ID, readCustomerReference } from './send';
import { CHANNELS, INCOMING_STATUS, normaliseStatus, STATUS_BY_ID } from './status';
import { callSmsGateway24 } from './transport';

type StoredMessage = z.infer<typeof storedMessage>;


/** A message from getallsms in the package's normalised form. */
export function storedToOutput(stored: StoredMessage): MessageOutput {
	const incoming = Number(stored.status) === INCOMING_STATUS;
	const number = stored.sendto ?? '';
	return {
		provider: PROVIDER_ID,
		messageId: stored.id,
		direction: incoming ? 'inbound' : 'outbound',
		recipient: incoming ? null : number,
		...(incoming ? { sender: number } : {}),
		status: normaliseStatus(stored.status),
		providerStatus: typeof stored.status === 'number' ? stored.status : Number(stored.status),
		providerStatusText: stored.statustitle ?? null,
		segments: null,
		encoding: null,
		text: stored.body ?? '',
		deviceId: stored.deviceid === null || stored.deviceid === undefined ? null : String(stored.deviceid),
		channel: stored.sim === null || stored.sim === undefined ? null : Number(stored.sim),
		customerReference: stored.customerid === null || stored.customerid === undefined ? null : Number(stored.customerid),
		createdAt: stored.created?.date ?? null,
		raw: stored as IDataObject,
	};
}

function asList(smss: z.infer<typeof listAnswer>['smss']): StoredMessage[] {
	if (!smss) return [];
	return Array.isArray(smss) ? smss : Object.values(smss);
}

/** Ids grow with time: the newest message first. */
const newestFirst = (a: StoredMessage, b: StoredMessage): number => Number(b.id) - Number(a.id);

/** Messages of the account with a customer reference (bulk id look-up). */
export async function findSentMessages(ctx: IExecuteFunctions, itemIndex: number, customerReference: number) {
	const answer = await callSmsGateway24(ctx, 'getallsms', { customerid: customerReference, orderbydesc: 1 }, listAnswer, { itemIndex });
	// Newest first, so a message just sent is matched before an older one with the same reference,
	// number and text (a re-run campaign). The list is keyed by id, and parsing sorts such keys
	// ascending whatever orderbydesc asked for (see Get Many).
	return asList(answer.smss)
		.sort(newestFirst)
		.map((stored) => ({ id: stored.id, sendto: stored.sendto ?? '', body: stored.body ?? '' }));
}

const statusFilterOptions = Object.entries(STATUS_BY_ID)
	.map(([id, { name }]) => ({ name, value: Number(id) }))
	.sort(byName);

const getManyFields: INodeProperties[] = [
	{
		displayName: 'Filters',
		name: 'smsGateway24Filters',
		description: 'Narrow the list down; add only the filters you need',
		type: 'collection',
		placeholder: 'Add filter',
		default: {},
		options: [
			{
				displayName: 'Count Only',
				name: 'countOnly',
				type: 'boolean',
				default: false,
				description: 'Whether to return just the number of matching messages, as one item',
			},
			{
				displayName: 'Customer Reference',
				name: 'customerReference',
				type: 'number',
				typeOptions: { minValue: 0, numberPrecision: 0 },
				default: 0,
				description: 'Only messages sent with this Customer Reference',
			},
			{ ...deviceField, required: false, description: 'Only messages of this device' },
			{ displayName: 'From', name: 'from', type: 'dateTime', default: '', description: 'Only messages created at or after this time' },
			{
				displayName: 'Newest First',
				name: 'newestFirst',
				type: 'boolean',
				default: true,
				description: 'Whether to list the newest messages first',
			},
			{
				displayName: 'Phone Number',
				name: 'phone',
				type: 'string',
				default: '',
				placeholder: '+4915752982212',
				description: 'Only messages to or from this number',
			},
			{ ...channelField, displayName: 'SIM Slot / Channel', description: 'Only messages on this SIM slot or chat app' },
			{
				displayName: 'Status',
				name: 'status',
				type: 'options',
				options: statusFilterOptions,
				default: 7,
				description: 'Only messages in this status. "Incoming Message" lists received messages.',
			},
			{
				displayName: 'Time Zone',
				name: 'timeZone',
				type: 'string',
				default: '',
				placeholder: 'Europe/Berlin',
				description: "The zone for From, To and the times in the answer, as an IANA name. Empty means the workflow's time zone.",
			},
			{ displayName: 'To', name: 'to', type: 'dateTime', default: '', description: 'Only messages created at or before this time' },
		],
	},
];

function readFilters(ctx: IExecuteFunctions, itemIndex: number): { fields: IDataObject; countOnly: boolean } {
	const filters = ctx.getNodeParameter('smsGateway24Filters', itemIndex, {}) as IDataObject;
	const zone = readTimeZone(filters.timeZone, 'Time Zone', ctx.getTimezone());
	const fields: IDataObject = { timezone: zone, orderbydesc: readOnOff(filters.newestFirst, 'Newest First', true) ? 1 : 0 };
	if (filters.device !== undefined) {
		const device = filters.device as IDataObject;
		const id = readTextField(device && typeof device === 'object' ? device.value : device, 'Device').trim();
		if (id !== '') {
			if (!/^\d+$/.test(id)) throw new InvalidInputError('Device', `"${id}" is not a device ID`, 'Pick a device from the list, or enter its numeric ID.');
			fields.device_id = id;
		}
	}
	// A filter mapped to an empty cell filters nothing, like an empty Device or Phone Number: read
	// with the drop-down's default, it listed only Delivered messages (or SIM 1's) without a word.
	if (!isEmptyValue(filters.status)) fields.status = readChoice(filters.status, 'Status', statusFilterOptions, 7);
	if (!isEmptyValue(filters.channel)) fields.sim = readChoice(filters.channel, 'SIM Slot / Channel', CHANNELS, 0);
	// Read as in Send: "abc" went out as NaN, which SMSGateway24 does not read as a filter.
	const reference = readCustomerReference(filters.customerReference);
	if (reference !== undefined) fields.customerid = reference;
	// A number mapped from a sheet or JSON ({{ $json.phone }} holding 4915752982212) is a phone
	// number too: skipped, the filter was dropped and every message of the account listed.
	const phone = readTextField(filters.phone, 'Phone Number').trim();
	if (phone !== '') fields.phone = phone;
	for (const [name, field, label] of [
		['from', 'begindate', 'From'],
		['to', 'enddate', 'To'],
	] as const) {
		const value = filters[name];
		if (value !== undefined && value !== '' && value !== null) {
			fields[field] = formatInstant(toInstant(value, zone, label), zone, 'YYYY-MM-DD HH:mm:ss');
		}
	}
	const countOnly = readOnOff(filters.countOnly, 'Count Only', false);
	if (countOnly) fields.onlycount = 1;
	return { fields, countOnly };
}

export const getMany: NonNullable<MessagingCapability['getMany']> = {
	fields: getManyFields,
	async execute(ctx, itemIndex, limit) {
		const { fields, countOnly } = readFilters(ctx, itemIndex);
		const answer = await callSmsGateway24(ctx, 'getallsms', fields, listAnswer, { itemIndex });
		if (countOnly) return [{ provider: PROVIDER_ID, count: Number(answer.count ?? asList(answer.smss).length) }];
		// The API has no paging: it answers with the whole selection, and the limit applies here.
		// A list keyed by id loses the API's order once parsed (integer keys sort ascending), so
		// the order asked for is restored here.
		const descending = fields.orderbydesc === 1;
		const messages = asList(answer.smss).sort((a, b) => (descending ? newestFirst(a, b) : newestFirst(b, a)));
		return (limit === undefined ? messages : messages.slice(0, limit)).map(storedToOutput);
	},
};

export const getStatus: NonNullable<MessagingCapability['getStatus']> = {
	fields: [],
	async execute(ctx, itemIndex, messageId) {
		if (!/^\d+$/.test(messageId)) {
			throw new InvalidInputError('Message ID', `"${messageId}" is not an SMSGateway24 message ID`, 'SMSGateway24 message IDs are numbers, e.g. 62807347.');
		}
		const answer = await callSmsGateway24(ctx, 'getsmsstatus', { sms_id: messageId }, statusAnswer, { itemIndex });
		return {
			provider: PROVIDER_ID,
			messageId: answer.sms_id ?? messageId,
			direction: Number(answer.status) === INCOMING_STATUS ? 'inbound' : 'outbound',
			recipient: null,
			status: normaliseStatus(answer.status),
			providerStatus: Number(answer.status),
			providerStatusText: answer.status_description ?? null,
			segments: null,
			encoding: null,
			raw: answer as IDataObject,
		};
	},
};
