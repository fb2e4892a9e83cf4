import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { BulkStop, mapWithConcurrency, sendOneByOne } from '../../shared/batching';
import { readChoice, readOnOff, readWholeNumber } from '../../shared/fieldValues';
import { InvalidInputError } from '../../shared/errors';
import { readTextField } from '../../shared/message';
import { digitsOf } from '../../shared/phone';
import type { MessageOutput } from '../../shared/types';
import type { BulkResult, MessagingCapability, OutgoingMessage, RecipientResult } from '../types';
import type { SendLedger } from '../../shared/ledger';
import { countSegments, type SegmentInfo } from '../../shared/segments';
import { acceptedMessage, message as messageSchema, type BridgeMessage } from './schemas';
import { normaliseStatus } from './status';
import { callSmsBridge } from './transport';

export const PROVIDER_ID = 'smsBridge';

const sendOptions: INodeProperties[] = [
	{
		displayName: 'External ID',
		name: 'externalId',
		type: 'string',
		default: '',
		placeholder: 'EXT-2026-001',
		description:
			'Your own reference for the message. With Idempotent on (the default), a message with this ID that already exists is returned instead of sending again — safe for retries and re-runs.',
	},
	{
		displayName: 'Idempotent',
		name: 'idempotent',
		type: 'boolean',
		default: true,
		description: 'Whether to look the External ID up first and return the existing message rather than texting the person twice. Needs an External ID.',
	},
	{
		displayName: 'Message Prefix',
		name: 'messagePrefix',
		type: 'string',
		default: '',
		description: 'Text SMS Bridge puts in front of the message',
	},
	{
		displayName: 'Sender Phone',
		name: 'senderPhone',
		type: 'string',
		default: '',
		placeholder: '+48123456789',
		description: 'The phone number that should send the message, where the gateway has several',
	},
];

const senderField: INodeProperties = {
	displayName: 'Sender',
	// Not `sender`: MessageFlow's Sender ID has that name, and n8n keeps a value across a provider
	// change when the name is the same (SMS Bridge's "client" went to MessageFlow as a Sender ID).
	name: 'smsBridgeSender',
	type: 'string',
	default: 'client',
	required: true,
	description: 'The sender name SMS Bridge records with the message ("client" in its examples)',
};

export const sendFields: INodeProperties[] = [
	senderField,
	{ displayName: 'Options', name: 'smsBridgeOptions', description: 'Optional SMS Bridge settings; add only the ones you need', type: 'collection', placeholder: 'Add option', default: {}, options: sendOptions },
];

export const bulkFields: INodeProperties[] = [
	senderField,
	{
		displayName: 'Options',
		name: 'smsBridgeOptions',
		description: 'Optional SMS Bridge settings; add only the ones you need',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			...sendOptions,
			{
				displayName: 'Parallel Requests',
				name: 'concurrency',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 20, numberPrecision: 0 },
				default: 5,
				description: 'SMS Bridge has no bulk endpoint: messages go one request each, this many at a time',
			},
		],
	},
];

/** Requests in flight when the messages go one request each (SMS Bridge has no bulk endpoint). */
const DEFAULT_CONCURRENCY = 5;

interface SendSettings {
	sender: string;
	externalId?: string;
	idempotent: boolean;
	messagePrefix?: string;
	senderPhone?: string;
}

function readSettings(ctx: IExecuteFunctions, message: OutgoingMessage): SendSettings {
	const { itemIndex } = message;
	const sender = readTextField(ctx.getNodeParameter('smsBridgeSender', itemIndex, ''), 'Sender').trim();
	if (sender === '') throw new InvalidInputError('Sender', 'no sender given', 'Enter the sender name, e.g. client.');
	const options = ctx.getNodeParameter('smsBridgeOptions', itemIndex, {}) as IDataObject;
	const externalId = readTextField(options.externalId, 'External ID').trim();
	if (externalId !== '' && message.recipients.length > 1) {
		throw new InvalidInputError(
			'External ID',
			`one External ID cannot name messages to ${message.recipients.length} recipients`,
			'Give each recipient its own item (and External ID), or leave the External ID empty.',
		);
	}
	return {
		sender,
		externalId: externalId || undefined,
		idempotent: readOnOff(options.idempotent, 'Idempotent', true),
		messagePrefix: readTextField(options.messagePrefix, 'Message Prefix') || undefined,
		senderPhone: readTextField(options.senderPhone, 'Sender Phone').trim() || undefined,
	};
}

/** The number a message went to, under either name SMS Bridge's documents use for it. */
function recipientOf(message: BridgeMessage): string | undefined {
	return message.to || message.target_phone || undefined;
}

export function toOutput(message: BridgeMessage, extra: IDataObject = {}): MessageOutput {
	return {
		provider: PROVIDER_ID,
		messageId: message.id ?? null,
		direction: 'outbound',
		recipient: recipientOf(message) ?? null,
		status: normaliseStatus(message.status),
		providerStatus: message.status ?? null,
		segments: null,
		encoding: null,
		externalId: message.external_id ?? null,
		...extra,
		raw: message as IDataObject,
	};
}

/**
 * The message with this External ID, if any. How SMS Bridge says "none" is not published: a
 * success without a message (no data, or data without an id) counts as none, like a refusal that
 * says so (see isNotFound).
 */
async function findByExternalId(ctx: IExecuteFunctions, itemIndex: number, externalId: string): Promise<BridgeMessage | undefined> {
	const found = await callSmsBridge(ctx, { method: 'GET', path: 'messages/get.php', qs: { external_id: externalId }, itemIndex, passThrough: isNotFound }, acceptedMessage);
	return found.ok && found.data.id ? found.data : undefined;
}

/** SMS Bridge publishes no error codes: "no such message" is a 404 or 410, or a code or text that says so. */
const isNotFound = (code: string, status: number, message: string): boolean =>
	status === 404 || status === 410 || /not[\s_-]?found|does not exist|no such/i.test(`${code} ${message}`);

const ALREADY_SENT = 'A message with this External ID already existed, so it was not sent again.';

/**
 * The message found under this item's External ID, as this item's result: the same message when
 * it went to the same number (sent before: not again), an error when it went to someone else
 * (the ID was reused, e.g. one fixed External ID for a whole bulk send), so this recipient is not
 * silently skipped with another person's message.
 */
function existingResult(existing: BridgeMessage, recipient: string, segments: SegmentInfo, externalId: string): RecipientResult {
	const existingTo = recipientOf(existing);
	if (existingTo && digitsOf(existingTo) !== digitsOf(recipient)) {
		return {
			recipient,
			error: new InvalidInputError(
				'External ID',
				`SMS Bridge already has a message with External ID "${externalId}", to ${existingTo}: nothing was sent to ${recipient}`,
				'Give each message its own External ID, e.g. {{ $json.id }}: an External ID names one message.',
			),
		};
	}
	// An answer that names no number cannot show that the message went to this recipient: it is
	// not sent again (a retry must not text anyone twice), and the note says what is unconfirmed.
	const note = existingTo
		? ALREADY_SENT
		: `${ALREADY_SENT} SMS Bridge's answer does not say to which number it went: if this External ID may have been used for someone else, check the message in SMS Bridge.`;
	return {
		recipient,
		message: { ...toOutput(existing, { alreadySent: true, note }), recipient, segments: segments.segments, encoding: segments.encoding },
	};
}

/**
 * Sends one message, idempotently when it has an external id: the id is looked up first, and a
 * "duplicate external id" refusal also returns the existing message. So n8n's Retry On Fail or
 * a re-run workflow never texts the person twice.
 */
async function sendOne(ctx: IExecuteFunctions, message: OutgoingMessage, recipient: string, settings: SendSettings, ledger: SendLedger): Promise<RecipientResult> {
	const { itemIndex } = message;
	// SMS Bridge puts the Message Prefix in front of the text (seed 000 names the field only; the
	// simulator joins them as they are): the parts and encoding are those of what goes out. A
	// prefix such as "[Clinic] " or "Przychodnia:" can add a part or switch the text to UCS-2.
	const segments = settings.messagePrefix ? countSegments(settings.messagePrefix + message.text) : message.segments;
	try {
		if (settings.externalId && settings.idempotent) {
			const existing = await findByExternalId(ctx, itemIndex, settings.externalId);
			if (existing) return existingResult(existing, recipient, segments, settings.externalId);
		}
		const body: IDataObject = { to: recipient, text: message.text, sender: settings.sender };
		if (settings.externalId) body.external_id = settings.externalId;
		if (settings.messagePrefix) body.message_prefix = settings.messagePrefix;
		if (settings.senderPhone) body.sender_phone = settings.senderPhone;
		const { value: answer } = await ledger.once(['smsBridge/send', itemIndex, recipient], body, async () =>
			await callSmsBridge(ctx, { method: 'POST', path: 'messages/send.php', body, itemIndex, whenLost: 'the message may already be queued', passThrough: ['duplicate_external_id'] }, acceptedMessage),
		);
		if (answer.ok) {
			// A sent message is queued (seed 000): that is its status when the answer does not say.
			const status = answer.data.status ? {} : { status: 'queued' as const };
			return { recipient, message: { ...toOutput(answer.data), recipient, ...status, segments: segments.segments, encoding: segments.encoding } };
		}
		// The id exists although the look-up missed it (or idempotency was off): report the existing message.
		const existing = settings.externalId ? await findByExternalId(ctx, itemIndex, settings.externalId) : undefined;
		if (existing && settings.idempotent) return existingResult(existing, recipient, segments, settings.externalId!);
		return {
			recipient,
			error: new InvalidInputError('External ID', `SMS Bridge already has a message with External ID "${settings.externalId}"`, 'Use a new External ID for a new message, or turn Idempotent on to get the existing one back.'),
		};
	} catch (error) {
		return { recipient, error: error as Error };
	}
}

export const send: MessagingCapability['send'] = {
	fields: sendFields,
	async prepare(ctx, message, ledger) {
		const settings = readSettings(ctx, message);
		return async () => {
			return await sendOneByOne(message.recipients, ctx.continueOnFail(), async (recipient) => await sendOne(ctx, message, recipient, settings, ledger));
		};
	},
};

export const sendBulk: NonNullable<MessagingCapability['sendBulk']> = {
	fields: bulkFields,
	async prepare(ctx, message) {
		return readSettings(ctx, message);
	},
	async send(ctx, prepared, ledger) {
		const options = ctx.getNodeParameter('smsBridgeOptions', 0, {}) as IDataObject;
		const concurrency = readWholeNumber(options.concurrency, 'Parallel Requests', { min: 1, max: 20, fallback: DEFAULT_CONCURRENCY });
		const entries = prepared.flatMap(({ message, settings }) => message.recipients.map((recipient) => ({ message, recipient, settings: settings as SendSettings })));
		const stop = new BulkStop(ctx.continueOnFail());
		// One External ID names one message: an ID given to an earlier item as well is refused
		// before anything is sent (like every other check of the items).
		const firstWith = new Map<string, number>();
		const reused = new Map<(typeof entries)[number], Error>();
		for (const entry of entries) {
			const id = entry.settings.externalId;
			if (id === undefined) continue;
			const earlier = firstWith.get(id);
			if (earlier === undefined) firstWith.set(id, entry.message.itemIndex);
			else {
				const error = new InvalidInputError('External ID', `"${id}" is also the External ID of item ${earlier + 1}`, 'Give each item its own External ID, e.g. {{ $json.id }}: an External ID names one message.');
				reused.set(entry, error);
				stop.failed(error);
			}
		}
		return await mapWithConcurrency(entries, concurrency, async (entry): Promise<BulkResult> => {
			const { message, recipient, settings } = entry;
			const refused = reused.get(entry);
			if (refused) return { itemIndex: message.itemIndex, recipient, error: refused };
			if (stop.stopped) return { itemIndex: message.itemIndex, recipient, error: stop.notSent() };
			const result = await sendOne(ctx, message, recipient, settings, ledger);
			if ('error' in result) stop.failed(result.error);
			return { ...result, itemIndex: message.itemIndex };
		});
	},
};

const LOOK_UP_BY = [
	{ name: 'Message ID', value: 'id' },
	{ name: 'External ID', value: 'externalId' },
];

export const getStatusFields: INodeProperties[] = [
	{
		displayName: 'Look Up By',
		name: 'lookUpBy',
		type: 'options',
		options: LOOK_UP_BY,
		default: 'id',
		description: 'Whether the Message ID field holds SMS Bridge’s message ID or your own External ID (commas separate several either way)',
	},
];

export const getStatus: NonNullable<MessagingCapability['getStatus']> = {
	fields: getStatusFields,
	async execute(ctx, itemIndex, messageId) {
		// From an expression, "External ID" (the name) or a word the code does not know was read as
		// Message ID without a word: an External ID such as 1042 then named another message.
		const byExternalId = readChoice(ctx.getNodeParameter('lookUpBy', itemIndex, 'id'), 'Look Up By', LOOK_UP_BY) === 'externalId';
		const answer = await callSmsBridge(ctx, { method: 'GET', path: 'messages/get.php', qs: byExternalId ? { external_id: messageId } : { id: messageId }, itemIndex }, messageSchema);
		if (!answer.ok) throw new Error('unreachable: no error code is passed through here');
		return toOutput(answer.data);
	},
};
