import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { sendOneByOne } from '../../shared/batching';
import { readChoice, readOnOff, readWholeNumber } from '../../shared/fieldValues';
import { InvalidInputError } from '../../shared/errors';
import { fingerprint } from '../../shared/ledger';
import { readTextField } from '../../shared/message';
import { readTimeZone, scheduleTime } from '../../shared/time';
import type { MessageOutput } from '../../shared/types';
import type { MessagingCapability, OutgoingMessage, RecipientResult } from '../types';
import { checkDeviceExists } from './devices';
import { channelField, deviceField, scheduleFields } from './fields';
import { addSmsAnswer } from './schemas';
import { CHANNELS, SMS_CHANNELS, WHATSAPP_CHANNELS } from './status';
import { callSmsGateway24 } from './transport';

export const PROVIDER_ID = 'smsGateway24';

const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/gif'];

const commonOptions: INodeProperties[] = [
	{
		displayName: 'Customer Reference',
		name: 'customerReference',
		type: 'number',
		typeOptions: { minValue: 0, numberPrecision: 0 },
		default: 0,
		description:
			'Your own whole-number reference (e.g. an order or customer ID), stored with the message; Get Many can filter by it. 0 means none.',
	},
	...scheduleFields,
	{
		displayName: 'Urgent',
		name: 'urgent',
		type: 'boolean',
		default: false,
		description: 'Whether the phone sends this message before others waiting in its queue (for one-time codes)',
	},
];

export const sendFields: INodeProperties[] = [
	deviceField,
	channelField,
	{
		displayName: 'Options',
		name: 'smsGateway24Options',
		description: 'Optional SMSGateway24 settings; add only the ones you need',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			...commonOptions,
			{
				displayName: 'Image (Binary Property)',
				name: 'imageBinaryProperty',
				type: 'string',
				default: '',
				placeholder: 'data',
				description:
					'Send an image (JPEG, PNG, WebP or GIF) from this binary property of the input item, e.g. data. WhatsApp channels only; SMSGateway24 delivers the image in place of the text.',
			},
		],
	},
];

export const bulkFields: INodeProperties[] = [
	deviceField,
	channelField,
	{
		displayName: 'Options',
		name: 'smsGateway24Options',
		description: 'Optional SMSGateway24 settings; add only the ones you need',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			...commonOptions,
			{
				displayName: 'Batch Size',
				name: 'batchSize',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 1000, numberPrecision: 0 },
				default: 500,
				description:
					'How many messages go in one request. SMSGateway24 publishes no limit; 500 (about 100 KB) keeps each request small. A refused request fails only its own messages.',
			},
			{
				displayName: 'Parallel Requests',
				name: 'concurrency',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 10, numberPrecision: 0 },
				default: 3,
				description:
					'How many batches are sent at the same time. 1 stores the batches strictly in order; more is faster for thousands of items.',
			},
			{
				displayName: 'Look Up Message IDs',
				name: 'lookUpIds',
				type: 'boolean',
				default: false,
				description:
					'Whether to ask SMSGateway24 for the IDs of the sent messages afterwards (bulk sending returns none). Needs a Customer Reference on every item; costs one extra request per reference.',
			},
		],
	},
];

export interface SendSettings {
	deviceId: string;
	channel: number;
	urgent: boolean;
	customerReference?: number;
	timeToSend?: string;
	image?: { data: Buffer; mimeType: string; fileName: string };
}

export function readDeviceId(ctx: IExecuteFunctions, itemIndex: number, name = 'device'): string {
	// A number is an ID too; an object or a list is refused as such (it was "no device chosen").
	const text = readTextField(ctx.getNodeParameter(name, itemIndex, '', { extractValue: true }), 'Device').trim();
	if (!/^\d+$/.test(text)) {
		throw new InvalidInputError(
			'Device',
			text === '' ? 'no device chosen' : `"${text}" is not a device ID`,
			'Pick a device from the list, or enter its numeric ID (Device → Get Many lists them).',
		);
	}
	return text;
}

/**
 * The Customer Reference (SMSGateway24's `customerid`): a whole number such as an order ID, or
 * undefined when empty or 0 (none). Sending and Get Many's filter read it alike.
 */
export function readCustomerReference(raw: unknown): number | undefined {
	const reference = readWholeNumber(raw, 'Customer Reference', { min: 0, fallback: 0, fix: 'SMSGateway24 stores a whole number here, e.g. an order ID, or leave it empty.' });
	return reference === 0 ? undefined : reference;
}

/** The SIM slot or chat channel, checked: expressions can hand over anything. */
export function readChannel(ctx: IExecuteFunctions, itemIndex: number): number {
	// A channel's number (0–5) or its name ("WhatsApp", "sim 1 (sms)") from a sheet.
	return readChoice(ctx.getNodeParameter('channel', itemIndex, 0), 'SIM Slot / Channel', CHANNELS);
}

function readOptions(ctx: IExecuteFunctions, itemIndex: number): IDataObject {
	return ctx.getNodeParameter('smsGateway24Options', itemIndex, {}) as IDataObject;
}

export function textIsOptional(ctx: IExecuteFunctions, itemIndex: number): boolean {
	return readImageProperty(readOptions(ctx, itemIndex)) !== '';
}

function readImageProperty(options: IDataObject): string {
	return readTextField(options.imageBinaryProperty, 'Image (Binary Property)', 'Enter the name of the binary property, e.g. data, not the binary data itself.').trim();
}

/**
 * Reads and checks one item's SMSGateway24 fields for Send and Send Bulk, the Device included
 * (against the account's devices, see devices.ts); throws InvalidInputError before anything is sent.
 */
export async function readSendSettings(ctx: IExecuteFunctions, itemIndex: number): Promise<SendSettings> {
	const deviceId = readDeviceId(ctx, itemIndex);
	const channel = readChannel(ctx, itemIndex);
	const options = readOptions(ctx, itemIndex);
	const settings: SendSettings = { deviceId, channel, urgent: readOnOff(options.urgent, 'Urgent', false) };
	const reference = readCustomerReference(options.customerReference);
	if (reference !== undefined) settings.customerReference = reference;
	if (options.scheduleTime !== undefined && options.scheduleTime !== '' && options.scheduleTime !== null) {
		const zone = readTimeZone(options.timeZone, 'Schedule Time Zone', ctx.getTimezone());
		settings.timeToSend = scheduleTime(options.scheduleTime, zone, 'YYYY-MM-DD HH:mm:ss', 'Schedule Time');
	}
	const imageProperty = readImageProperty(options);
	if (imageProperty !== '') {
		if (!WHATSAPP_CHANNELS.includes(channel)) {
			throw new InvalidInputError(
				'Image (Binary Property)',
				'images can only be sent over WhatsApp',
				'Set SIM Slot / Channel to WhatsApp or WhatsApp Business, or remove the image option.',
			);
		}
		const binary = ctx.getInputData()[itemIndex]?.binary?.[imageProperty];
		if (!binary) {
			throw new InvalidInputError(
				'Image (Binary Property)',
				`the input item has no binary property "${imageProperty}"`,
				'Use the name shown on the input item’s binary tab (often "data"), e.g. after an HTTP Request or Read File node.',
			);
		}
		if (!IMAGE_TYPES.includes(binary.mimeType)) {
			throw new InvalidInputError(
				'Image (Binary Property)',
				`"${binary.fileName ?? imageProperty}" is ${binary.mimeType}, not an image SMSGateway24 accepts`,
				'Send a JPEG, PNG, WebP or GIF image.',
			);
		}
		const data = await ctx.helpers.getBinaryDataBuffer(itemIndex, imageProperty);
		settings.image = { data, mimeType: binary.mimeType, fileName: binary.fileName ?? `image.${binary.mimeType.split('/')[1]}` };
	}
	// Last, so that an item with another mistake never costs the device look-up.
	await checkDeviceExists(ctx, itemIndex, deviceId);
	return settings;
}

/** The fields of one message as addsms and addalotofsms both take them. */
export function messageFields(recipient: string, text: string, settings: SendSettings): IDataObject {
	const fields: IDataObject = {
		sendto: recipient,
		body: text,
		device_id: settings.deviceId,
		sim: settings.channel,
		urgent: settings.urgent ? 1 : 0,
	};
	if (settings.customerReference !== undefined) fields.customerid = settings.customerReference;
	if (settings.timeToSend !== undefined) fields.timetosend = settings.timeToSend;
	return fields;
}

export function sentMessage(
	recipient: string,
	message: OutgoingMessage,
	settings: SendSettings,
	messageId: string | null,
	raw: IDataObject,
): MessageOutput {
	// SMS parts and their alphabet are what an SMS costs; a WhatsApp or RCS message or an image is
	// not split into parts, so counting them there told the user a cost that does not exist.
	const smsParts = settings.image === undefined && SMS_CHANNELS.includes(settings.channel);
	return {
		provider: PROVIDER_ID,
		messageId,
		direction: 'outbound',
		recipient,
		// A message the API has just saved is "new, waiting on the server"; it reports no status yet.
		status: 'queued',
		providerStatus: null,
		segments: smsParts ? message.segments.segments : null,
		encoding: smsParts ? message.segments.encoding : null,
		deviceId: settings.deviceId,
		channel: settings.channel,
		...(settings.customerReference !== undefined ? { customerReference: settings.customerReference } : {}),
		...(settings.timeToSend !== undefined ? { scheduledFor: settings.timeToSend } : {}),
		raw,
	};
}

function multipart(fields: IDataObject, image: NonNullable<SendSettings['image']>): FormData {
	const form = new FormData();
	for (const [key, value] of Object.entries(fields)) form.append(key, String(value));
	form.append('file', new Blob([new Uint8Array(image.data)], { type: image.mimeType }), image.fileName);
	return form;
}

export const send: MessagingCapability['send'] = {
	fields: sendFields,
	textIsOptional,
	async prepare(ctx, message, ledger) {
		const settings = await readSendSettings(ctx, message.itemIndex);
		return async () => {
			// One request per recipient: addsms answers with a single id, and each person's message
			// needs its own id to be tracked.
			return await sendOneByOne(message.recipients, ctx.continueOnFail(), async (recipient): Promise<RecipientResult> => {
				const fields = messageFields(recipient, message.text, settings);
				const image = settings.image && { name: settings.image.fileName, bytes: fingerprint(settings.image.data.toString('base64')) };
				const { value: answer } = await ledger.once(['smsGateway24/addsms', message.itemIndex, recipient], [fields, image], async () =>
					await callSmsGateway24(ctx, 'addsms', settings.image ? {} : fields, addSmsAnswer, {
						itemIndex: message.itemIndex,
						formData: settings.image ? multipart(fields, settings.image) : undefined,
					}),
				);
				return { recipient, message: sentMessage(recipient, message, settings, answer.sms_id, answer as IDataObject) };
			});
		};
	},
};
