import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { InvalidInputError } from '../../shared/errors';
import { readChoice, readWholeNumber } from '../../shared/fieldValues';
import { readTextField } from '../../shared/message';
import type { ProviderOperation } from '../types';
import { acceptedMessage, anyObject, pending } from './schemas';
import { normaliseStatus } from './status';
import { callSmsBridge } from './transport';
import { PROVIDER_ID, toOutput } from './messages';

/** SMS Bridge's operations beyond messaging: account, sender ID, API key, and the gateway queue. */

async function get(ctx: IExecuteFunctions, itemIndex: number, path: string, qs?: IDataObject): Promise<IDataObject> {
	const answer = await callSmsBridge(ctx, { method: 'GET', path, qs, itemIndex }, anyObject);
	return answer.ok ? (answer.data as IDataObject) : {};
}

async function post(ctx: IExecuteFunctions, itemIndex: number, path: string, body: IDataObject): Promise<IDataObject> {
	const answer = await callSmsBridge(ctx, { method: 'POST', path, body, itemIndex }, anyObject);
	return answer.ok ? (answer.data as IDataObject) : {};
}

const account: Record<string, ProviderOperation> = {
	checkKey: {
		name: 'Check Key',
		action: 'Check the API key',
		description: 'Whether the API key works, and the account it belongs to',
		fields: [],
		execute: async (ctx, itemIndex) => ({ provider: PROVIDER_ID, ...(await get(ctx, itemIndex, 'auth.php')) }),
	},
	getBalance: {
		name: 'Get Balance',
		action: 'Get the account balance',
		description: 'The money left on the account',
		fields: [],
		execute: async (ctx, itemIndex) => ({ provider: PROVIDER_ID, ...(await get(ctx, itemIndex, 'account/balance.php')) }),
	},
	getSubscription: {
		name: 'Get Subscription',
		action: 'Get the subscription status',
		description: 'The plan, its limits, what is used and the billing period',
		fields: [],
		execute: async (ctx, itemIndex) => ({ provider: PROVIDER_ID, ...(await get(ctx, itemIndex, 'subscription/status.php')) }),
	},
};

const senderId: Record<string, ProviderOperation> = {
	get: {
		name: 'Get',
		action: 'Get the sender ID',
		description: 'The sender ID messages go out with',
		fields: [],
		execute: async (ctx, itemIndex) => ({ provider: PROVIDER_ID, ...(await get(ctx, itemIndex, 'sender-id.php')) }),
	},
	update: {
		name: 'Update',
		action: 'Update the sender ID',
		description: 'Change the sender ID messages go out with',
		fields: [
			{
				displayName: 'Sender ID',
				name: 'newSenderId',
				type: 'string',
				default: '',
				required: true,
				placeholder: 'Clinic-Main',
				description: 'The new sender ID (SMS Bridge checks which characters it allows)',
			},
		],
		execute: async (ctx, itemIndex) => {
			const value = readTextField(ctx.getNodeParameter('newSenderId', itemIndex, ''), 'Sender ID').trim();
			if (value === '') throw new InvalidInputError('Sender ID', 'no sender ID given', 'Enter the new sender ID.');
			return { provider: PROVIDER_ID, ...(await post(ctx, itemIndex, 'sender-id/update.php', { sender_id: value })) };
		},
	},
};

const apiKey: Record<string, ProviderOperation> = {
	markScanned: {
		name: 'Mark Scanned',
		action: 'Mark the API key as scanned',
		description: 'Record that the gateway app has scanned the key (its QR code)',
		fields: [
			{
				displayName: 'Device',
				name: 'scannedDevice',
				type: 'string',
				default: '',
				placeholder: 'Pixel 7 (reception)',
				description: 'Optional name of the phone that scanned it',
			},
		],
		execute: async (ctx, itemIndex) => {
			const device = readTextField(ctx.getNodeParameter('scannedDevice', itemIndex, ''), 'Device').trim();
			return { provider: PROVIDER_ID, ...(await post(ctx, itemIndex, 'api-keys/mark-scanned.php', device ? { device } : {})) };
		},
	},
	checkScanned: {
		name: 'Check Scanned',
		action: 'Check whether the API key was scanned',
		description: 'Whether the gateway app has scanned the key yet',
		fields: [],
		execute: async (ctx, itemIndex) => ({ provider: PROVIDER_ID, ...(await post(ctx, itemIndex, 'api-keys/check-scanned.php', {})) }),
	},
};

const REPORTABLE = [
	{ name: 'Sent', value: 'sms_sent', description: 'The message went out' },
	{ name: 'Failed', value: 'failed', description: 'It could not be sent; give the reason as Error' },
	{ name: 'Claimed (Still Working)', value: 'claimed', description: 'Still working on it: reported as claimed (SMS Bridge’s documents do not say whether this extends the lease)' },
];

const gatewayQueue: Record<string, ProviderOperation> = {
	claimPending: {
		name: 'Claim Pending',
		action: 'Claim pending messages from the queue',
		description: 'Take queued messages to deliver them (n8n acts as the gateway phone); each becomes an item',
		fields: [
			{
				displayName: 'Claim Limit',
				name: 'claimLimit',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 100, numberPrecision: 0 },
				default: 50,
				description: 'How many queued messages to claim (1–100). Each is held for this workflow until its lease ends: report each with Report Status, or it is offered again then.',
			},
		],
		execute: async (ctx, itemIndex) => {
			const limit = readWholeNumber(ctx.getNodeParameter('claimLimit', itemIndex, 50), 'Claim Limit', { min: 1, max: 100, fallback: 50, fix: 'Claim between 1 and 100 messages at a time.' });
			const answer = await callSmsBridge(ctx, { method: 'GET', path: 'messages/pending.php', qs: { limit }, itemIndex }, pending);
			const messages = answer.ok ? (answer.data.messages ?? []) : [];
			// Each claimed message holds a lease: report it (Report Status) before the lease ends, or
			// SMS Bridge offers it again.
			return messages.map((claimed) => ({
				provider: PROVIDER_ID,
				messageId: claimed.id,
				recipient: claimed.target_phone ?? null,
				text: claimed.message_text ?? '',
				externalId: claimed.external_id ?? null,
				attempts: claimed.attempts === undefined || claimed.attempts === null ? null : Number(claimed.attempts),
				leaseUntil: claimed.lease_until ?? null,
				status: normaliseStatus('claimed'),
				providerStatus: 'claimed',
				raw: claimed as IDataObject,
			}));
		},
	},
	reportStatus: {
		name: 'Report Status',
		action: 'Report the status of a claimed message',
		description: 'Tell SMS Bridge that a claimed message was sent, failed, or is still being worked on',
		fields: [
			{
				displayName: 'Message ID',
				name: 'queueMessageId',
				type: 'string',
				default: '',
				required: true,
				description: 'The ID of the claimed message, usually mapped from Claim Pending: the messageId field',
			},
			{ displayName: 'Status', name: 'queueStatus', type: 'options', options: REPORTABLE, default: 'sms_sent', description: 'What happened to the message' },
			{
				displayName: 'Error',
				name: 'queueError',
				type: 'string',
				default: '',
				description: 'Why it failed (shown in SMS Bridge as the last error)',
				displayOptions: { show: { queueStatus: ['failed'] } },
			},
			{
				displayName: 'Options',
				name: 'queueOptions',
				description: 'Optional details to report with the status',
				type: 'collection',
				placeholder: 'Add option',
				default: {},
				options: [
					{ displayName: 'Device', name: 'device', type: 'string', default: '', description: 'Name of what delivered it (e.g. n8n, or a phone)' },
					{ displayName: 'Sender ID', name: 'senderId', type: 'string', default: '', description: 'The sender ID it went out with' },
				],
			},
		],
		execute: async (ctx, itemIndex) => {
			const id = readTextField(ctx.getNodeParameter('queueMessageId', itemIndex, ''), 'Message ID').trim();
			if (!/^\d+$/.test(id)) {
				throw new InvalidInputError('Message ID', id === '' ? 'no message ID given' : `"${id}" is not a message ID`, 'Map the messageId of a claimed message, e.g. from Claim Pending.');
			}
			// An expression can give any text; SMS Bridge refuses one it does not know, and with
			// Continue On Fail the report would be lost: the message offered again when its lease
			// ends, and texted twice. A status's name from a sheet ("Failed") is taken; an empty value
			// is refused rather than reported as Sent.
			const status = readChoice(ctx.getNodeParameter('queueStatus', itemIndex, 'sms_sent'), 'Status', REPORTABLE);
			const options = ctx.getNodeParameter('queueOptions', itemIndex, {}) as IDataObject;
			const details: IDataObject = {};
			const device = readTextField(options.device, 'Device').trim();
			if (device !== '') details.device = device;
			if (status === 'failed') details.error = readTextField(ctx.getNodeParameter('queueError', itemIndex, ''), 'Error') || 'failed';
			const body: IDataObject = { message_id: Number(id), status, details };
			const senderId = readTextField(options.senderId, 'Sender ID').trim();
			if (senderId !== '') body.sender_id = senderId;
			const answer = await callSmsBridge(ctx, { method: 'POST', path: 'messages/status.php', body, itemIndex }, acceptedMessage);
			if (!answer.ok) return {};
			// The report was taken; what the answer leaves out is what was reported.
			const output = toOutput(answer.data);
			return { ...output, messageId: output.messageId ?? id, ...(answer.data.status ? {} : { status: normaliseStatus(status), providerStatus: status }) };
		},
	},
};

export const operations = { account, senderId, apiKey, gatewayQueue };
