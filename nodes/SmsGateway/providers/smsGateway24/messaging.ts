import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { InvalidInputError } from '../../shared/errors';
import { scheduleTime } from '../../shared/time';
import type { MessageOutput } from '../../shared/types';
import type { MessagingCapability, OutgoingMessage, RecipientResult } from '../types';
import { channelField, deviceField, scheduleFields } from './fields';
import { addSmsAnswer } from './schemas';
import { callSmsGateway24 } from './transport';

export const PROVIDER_ID = 'smsGateway24';

const sendFields: INodeProperties[] = [
	deviceField,
	channelField,
	{
		displayName: 'Options',
		name: 'smsGateway24Options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Customer Reference',
				name: 'customerReference',
				type: 'number',
				default: 0,
				description: 'Your own whole-number reference (e.g. an order or customer ID), stored with the message; Get Many can filter by it',
			},
			...scheduleFields,
			{
				displayName: 'Urgent',
				name: 'urgent',
				type: 'boolean',
				default: false,
				description: 'Whether the phone sends this message before others waiting in its queue (for one-time codes)',
			},
		],
	},
];

export interface SmsGateway24SendSettings {
	deviceId: string;
	channel: number;
	urgent: boolean;
	customerReference?: number;
	timeToSend?: string;
}

export function readDeviceId(ctx: IExecuteFunctions, itemIndex: number, name = 'device'): string {
	const value = ctx.getNodeParameter(name, itemIndex, '', { extractValue: true }) as unknown;
	const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
	if (!/^\d+$/.test(text)) {
		throw new InvalidInputError(
			'Device',
			text === '' ? 'no device chosen' : `"${text}" is not a device ID`,
			'Pick a device from the list, or enter its numeric ID (Device → Get Many lists them).',
		);
	}
	return text;
}

export function readSendSettings(ctx: IExecuteFunctions, itemIndex: number): SmsGateway24SendSettings {
	const deviceId = readDeviceId(ctx, itemIndex);
	const channel = Number(ctx.getNodeParameter('channel', itemIndex, 0));
	if (!Number.isInteger(channel) || channel < 0 || channel > 5) {
		throw new InvalidInputError('SIM Slot / Channel', `${channel} is not a channel`, 'Choose SIM 1, SIM 2, WhatsApp Business, WhatsApp, RCS 1 or RCS 2.');
	}
	const options = ctx.getNodeParameter('smsGateway24Options', itemIndex, {}) as IDataObject;
	const settings: SmsGateway24SendSettings = { deviceId, channel, urgent: options.urgent === true };
	if (options.customerReference !== undefined && options.customerReference !== '' && options.customerReference !== 0) {
		const reference = Number(options.customerReference);
		if (!Number.isSafeInteger(reference) || reference < 0) {
			throw new InvalidInputError('Customer Reference', `"${String(options.customerReference)}" is not a whole number`, 'SMSGateway24 stores a whole number here, e.g. an order ID.');
		}
		settings.customerReference = reference;
	}
	if (options.scheduleTime !== undefined && options.scheduleTime !== '' && options.scheduleTime !== null) {
		const zone = String(options.timeZone || ctx.getTimezone());
		settings.timeToSend = scheduleTime(options.scheduleTime, zone, 'YYYY-MM-DD HH:mm:ss', 'Schedule Time');
	}
	return settings;
}

/** The fields of one message as addsms and addalotofsms both take them. */
export function messageFields(recipient: string, text: string, settings: SmsGateway24SendSettings): IDataObject {
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
	settings: SmsGateway24SendSettings,
	messageId: string | null,
	raw: IDataObject,
): MessageOutput {
	return {
		provider: PROVIDER_ID,
		messageId,
		direction: 'outbound',
		recipient,
		// A message the API has just saved is "new, waiting on the server" (status 1).
		status: 'queued',
		providerStatus: null,
		segments: message.segments.segments,
		encoding: message.segments.encoding,
		deviceId: settings.deviceId,
		channel: settings.channel,
		...(settings.customerReference !== undefined ? { customerReference: settings.customerReference } : {}),
		...(settings.timeToSend !== undefined ? { scheduledFor: settings.timeToSend } : {}),
		raw,
	};
}

export const messaging: MessagingCapability = {
	sendFields,
	async prepareSend(ctx, message) {
		const settings = readSendSettings(ctx, message.itemIndex);
		return async () => {
			// One request per recipient: addsms answers with a single id, and each person's message
			// needs its own id to be tracked.
			const results: RecipientResult[] = [];
			for (const recipient of message.recipients) {
				try {
					const answer = await callSmsGateway24(ctx, 'addsms', messageFields(recipient, message.text, settings), addSmsAnswer, {
						itemIndex: message.itemIndex,
					});
					results.push({ recipient, message: sentMessage(recipient, message, settings, answer.sms_id, answer as IDataObject) });
				} catch (error) {
					results.push({ recipient, error: error as Error });
				}
			}
			return results;
		};
	},
};
