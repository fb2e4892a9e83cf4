import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { InvalidInputError } from '../../shared/errors';
import { readChoice, readOnOff, readWholeNumber } from '../../shared/fieldValues';
import { readTextField } from '../../shared/message';
import { digitsOf, loadPhoneNumbers, NUMBER_FORMAT_OPTIONS, requireHomeNumber, type HomeCountry, type NumberFormat } from '../../shared/phone';
import { maxUnitsFor } from '../../shared/segments';
import { readTimeZone, scheduleTime } from '../../shared/time';
import type { MessageOutput } from '../../shared/types';
import type { MessagingCapability, OutgoingMessage, RecipientResult } from '../types';
import type { Problem, SentMessage } from './schemas';
import { normaliseStatus } from './status';
import { callMessageFlow, problemText } from './transport';

export const PROVIDER_ID = 'messageFlow';

/** MessageFlow sends at most 9 parts: 1377 GSM-7 or 603 UCS-2 characters. */
export const MAX_PARTS = 9;

const senderField: INodeProperties = {
	displayName: 'Sender',
	name: 'sender',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'ACME',
	description: 'A Sender ID registered in the MessageFlow panel (the name or number recipients see)',
};

const commonOptions: INodeProperties[] = [
	{
		displayName: 'Delivery Report URL',
		name: 'webhookUrl',
		type: 'string',
		default: '',
		placeholder: 'https://your-n8n/webhook/…',
		description:
			'MessageFlow posts the delivery report of each message here. Paste the production URL of an SMS Gateway Trigger to start a workflow when a message is delivered or fails.',
	},
	{
		displayName: 'External ID',
		name: 'externalId',
		type: 'string',
		default: '',
		description: 'Your own reference, stored with the message and returned in reports',
	},
	{
		displayName: 'Number Format',
		name: 'numberFormat',
		type: 'options',
		options: NUMBER_FORMAT_OPTIONS,
		default: 'e164',
		description: 'How recipients are written in the request. MessageFlow does not document one; international with + is the default. National takes Polish numbers only (others would lose their country code).',
	},
	{
		displayName: 'Schedule Time',
		name: 'scheduleTime',
		type: 'dateTime',
		default: '',
		description: 'Send later, at this time. Leave empty to send now.',
	},
	{
		displayName: 'Schedule Time Zone',
		name: 'timeZone',
		type: 'string',
		default: '',
		placeholder: 'Europe/Warsaw',
		description: "The time zone the Schedule Time is meant in, as an IANA name. Empty means the workflow's time zone.",
	},
	{
		displayName: 'Short Links',
		name: 'shortLink',
		type: 'boolean',
		default: false,
		description: 'Whether MessageFlow shortens the links in the text (and tracks their clicks)',
	},
	{
		displayName: 'Validity',
		name: 'validity',
		type: 'number',
		typeOptions: { minValue: 0, numberPrecision: 0 },
		default: 0,
		description: 'How long operators keep trying to deliver, in the unit MessageFlow uses for "validity" (see its API documentation). 0 leaves the default.',
	},
];

export const sendFields: INodeProperties[] = [
	senderField,
	{
		displayName: 'Options',
		name: 'messageFlowOptions',
		description: 'Optional MessageFlow settings; add only the ones you need',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: commonOptions,
	},
];

export const bulkFields: INodeProperties[] = [
	senderField,
	{
		displayName: 'Options',
		name: 'messageFlowOptions',
		description: 'Optional MessageFlow settings; add only the ones you need',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			...commonOptions,
			{
				displayName: 'Numbers per Request',
				name: 'batchSize',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 1000, numberPrecision: 0 },
				default: 500,
				description: 'Items with the same text go out together, this many numbers per request',
			},
			{
				displayName: 'Parallel Requests',
				name: 'concurrency',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 20, numberPrecision: 0 },
				default: 5,
				description: 'How many requests run at the same time when texts differ (personalised messages)',
			},
		],
	},
];

export interface SendSettings {
	/** What goes into the request besides the numbers and the text. */
	fields: IDataObject;
	numberFormat: NumberFormat;
}

/** MessageFlow is a Polish service: a national number is read as Polish. */
const POLAND: HomeCountry = { provider: 'MessageFlow', callingCode: '+48', adjective: 'Polish' };

export async function readSendSettings(ctx: IExecuteFunctions, message: OutgoingMessage): Promise<SendSettings> {
	const settings = readSendFields(ctx, message);
	if (settings.numberFormat === 'national') {
		const phones = await loadPhoneNumbers();
		for (const recipient of message.recipients) requireHomeNumber(phones, recipient, settings.numberFormat, POLAND);
	}
	return settings;
}

function readSendFields(ctx: IExecuteFunctions, message: OutgoingMessage): SendSettings {
	const { itemIndex } = message;
	if (message.segments.segments > MAX_PARTS) {
		throw new InvalidInputError(
			'Message',
			`the text is ${message.segments.units} ${message.segments.encoding} characters, ${message.segments.segments} SMS parts; MessageFlow sends at most ${MAX_PARTS} parts (${maxUnitsFor(MAX_PARTS, message.segments.encoding)} ${message.segments.encoding} characters)`,
			message.segments.encoding === 'UCS-2'
				? 'Shorten the text. Emoji and letters outside the GSM alphabet (e.g. ą, ś) make every part hold 67 characters instead of 153.'
				: 'Shorten the text, or send it as two messages.',
		);
	}
	const sender = readTextField(ctx.getNodeParameter('sender', itemIndex, ''), 'Sender').trim();
	if (sender === '') throw new InvalidInputError('Sender', 'no sender given', 'Enter a Sender ID registered in the MessageFlow panel.');
	const options = ctx.getNodeParameter('messageFlowOptions', itemIndex, {}) as IDataObject;
	const fields: IDataObject = { sender, message: message.text };
	const validity = readWholeNumber(options.validity, 'Validity', { min: 0, fallback: 0, fix: 'Enter a whole number, or 0 for the default.' });
	if (validity > 0) fields.validity = validity;
	if (options.scheduleTime !== undefined && options.scheduleTime !== '' && options.scheduleTime !== null) {
		const zone = readTimeZone(options.timeZone, 'Schedule Time Zone', ctx.getTimezone());
		fields.scheduleTime = Number(scheduleTime(options.scheduleTime, zone, 'unix', 'Schedule Time'));
	}
	if (readOnOff(options.shortLink, 'Short Links', false)) fields.shortLink = true;
	const webhookUrl = readTextField(options.webhookUrl, 'Delivery Report URL').trim();
	if (webhookUrl !== '') {
		if (!/^https?:\/\/\S+$/i.test(webhookUrl)) {
			throw new InvalidInputError('Delivery Report URL', `"${webhookUrl}" is not a web address`, 'Enter a full URL starting with https://, e.g. the SMS Gateway Trigger’s production URL.');
		}
		fields.webhookUrl = webhookUrl;
	}
	const externalId = readTextField(options.externalId, 'External ID').trim();
	if (externalId !== '') fields.externalId = externalId;
	return { fields, numberFormat: readChoice(options.numberFormat as unknown, 'Number Format', NUMBER_FORMAT_OPTIONS, 'e164') };
}

function toOutput(recipient: string, message: OutgoingMessage, sent: SentMessage, uniqId: unknown): MessageOutput {
	const raw = sent as IDataObject;
	const id = raw.smsId ?? raw.id ?? raw.messageId;
	return {
		provider: PROVIDER_ID,
		messageId: id === undefined || id === null ? null : String(id),
		direction: 'outbound',
		recipient,
		// MessageFlow has accepted the message; what its numeric codes mean is not published.
		status: typeof sent.status === 'string' ? normaliseStatus(sent.status) : 'queued',
		providerStatus: sent.status ?? null,
		segments: sent.numberOfParts === undefined || sent.numberOfParts === null ? message.segments.segments : Number(sent.numberOfParts),
		encoding: message.segments.encoding,
		...(sent.externalId ? { externalId: sent.externalId } : {}),
		...(uniqId !== undefined ? { requestId: String(uniqId) } : {}),
		raw,
	};
}

/** Each number's result, and the refusal of the request as a whole (not of one number), if any. */
export interface RequestOutcome {
	results: RecipientResult[];
	failure?: Error;
}

/**
 * Sends one text to several numbers in one request and reports each number: accepted numbers come
 * back in `data`, refused ones in `errors` (by number), and a number the answer does not mention is
 * an error too, so no recipient is silently dropped. A problem that is not about one of the numbers
 * (a sender, a schedule time) refuses the request: it is the outcome's `failure`, which stops a
 * bulk send without Continue On Fail.
 */
export async function sendToNumbers(
	ctx: IExecuteFunctions,
	entries: Array<{ recipient: string; message: OutgoingMessage }>,
	settings: SendSettings,
	run: <T>(send: () => Promise<T>) => Promise<T>,
): Promise<RequestOutcome> {
	const phones = await loadPhoneNumbers();
	const written = entries.map((entry) => phones.format(entry.recipient, settings.numberFormat));
	const first = entries[0].message;
	const body = { ...settings.fields, message: first.text, phoneNumbers: written };
	const { body: answer } = await run(
		async () =>
			await callMessageFlow(ctx, {
				method: 'POST',
				path: '/v2.1/sms',
				body,
				itemIndex: first.itemIndex,
				whenLost: entries.length > 1 ? 'these messages may already have gone out' : 'the message may already have gone out',
				passThrough: [400, 422],
			}),
	);
	// MessageFlow names numbers in its answer; in what form is not published (the simulator echoes
	// them as sent). An entry is found by the digits of the form it was sent in or its E.164 form,
	// leading zeros aside (0048…, 0157…); only when the answer names a number in neither form is
	// each entry's national number worked out too.
	const primary = entries.map((entry, index) => [numberKey(written[index]), numberKey(entry.recipient)]);
	const named = [...(answer.data ?? []).map((sent) => numberKey(sent.phoneNumber)), ...(answer.errors ?? []).map((problem) => numberKey(problem.meta?.value))];
	const known = new Set(primary.flat());
	const keysOf = named.some((key) => key !== '' && !known.has(key))
		? primary.map((keys, index) => [...keys, numberKey(phones.format(entries[index].recipient, 'national'))])
		: primary;
	const ours = new Set(keysOf.flat());
	// The same number can be in a request twice (two items with the same text): each answer entry
	// is matched to one sent entry only, in order, so each copy gets its own message ID or refusal.
	const accepted = new AnswerQueues<SentMessage>();
	for (const sent of answer.data ?? []) accepted.add(numberKey(sent.phoneNumber), sent);
	const refused = new AnswerQueues<string>();
	const general: Problem[] = [];
	for (const problem of answer.errors ?? []) {
		// A problem is about one number only when it names the numbers and its value is one of
		// ours; a sender, a schedule time or a validity with digits in it concerns the whole request.
		const number = numberKey(problem.meta?.value);
		const aboutNumbers = /^phoneNumbers/.test(problem.meta?.parameter ?? '') || !problem.meta?.parameter;
		if (aboutNumbers && ours.has(number)) refused.add(number, problemText(problem));
		else general.push(problem);
	}
	const uniqId = (answer.meta as IDataObject | undefined)?.uniqId;
	const requestProblem = general.length > 0 ? requestError(general) : undefined;
	const results = entries.map((entry, index): RecipientResult => {
		const keys = keysOf[index];
		const sent = accepted.take(keys);
		if (sent) return { recipient: entry.recipient, message: toOutput(entry.recipient, entry.message, sent, uniqId) };
		const reason = refused.take(keys);
		if (reason === undefined && requestProblem) return { recipient: entry.recipient, error: requestProblem };
		if (reason === undefined) {
			// Accepted requests name what they took; a number the answer leaves out is not known to
			// be refused, so it is not reported as refused (a re-run would text the person twice).
			return {
				recipient: entry.recipient,
				error: new InvalidInputError(
					'Recipients',
					`MessageFlow's answer does not mention ${entry.recipient} (sent as ${written[index]}): it may or may not have been sent`,
					'Look for it with Message → Get Many before sending it again; the other recipients of this request were handled separately.',
				),
			};
		}
		return {
			recipient: entry.recipient,
			error: new InvalidInputError('Recipients', `MessageFlow refused ${entry.recipient}: ${reason}`, 'Check the number; the other recipients of this request were handled separately.'),
		};
	});
	// Refused as a whole only when nothing was taken: a problem beside accepted numbers (an option
	// the account lacks) leaves those sent, and stopping would lose them from the node's output.
	const refusedWhole = requestProblem !== undefined && (answer.data ?? []).length === 0;
	return { results, ...(refusedWhole ? { failure: requestProblem } : {}) };
}

/** An answer's entries by number key, each handed out once, first come first served. */
class AnswerQueues<T> {
	private readonly byKey = new Map<string, T[]>();

	add(key: string, value: T): void {
		const queue = this.byKey.get(key);
		if (queue) queue.push(value);
		else this.byKey.set(key, [value]);
	}

	/** The first entry not yet taken under the first of these keys that has one. */
	take(keys: string[]): T | undefined {
		for (const key of keys) {
			const queue = this.byKey.get(key);
			if (queue && queue.length > 0) return queue.shift();
		}
		return undefined;
	}
}

/** A number as digits without leading zeros, to compare the forms MessageFlow may write it in. */
const numberKey = (value: unknown): string => digitsOf(value).replace(/^0+/, '');

/** The node's name for each field of the request, for errors MessageFlow reports by its own name. */
const FIELD_NAMES = new Map<string, string>([
	...[senderField, ...commonOptions].map((field): [string, string] => [field.name, field.displayName]),
	['message', 'Message'],
	['phoneNumbers', 'Recipients'],
]);

/** Problems with the request as a whole: the first one names its field, all are quoted. */
function requestError(problems: Problem[]): InvalidInputError {
	const parameter = problems.find((problem) => problem.meta?.parameter)?.meta?.parameter ?? '';
	const field = FIELD_NAMES.get(parameter.replace(/\[.*$/, '')) ?? (parameter || 'Options');
	return new InvalidInputError(
		field,
		`MessageFlow refused the request: ${problems.map(problemText).join('; ')}`,
		`Check the ${field} value of this item against what MessageFlow says.`,
	);
}

export const send: MessagingCapability['send'] = {
	fields: sendFields,
	async prepare(ctx, message, ledger) {
		const settings = await readSendSettings(ctx, message);
		return async () => {
			const entries = message.recipients.map((recipient) => ({ recipient, message }));
			try {
				const outcome = await sendToNumbers(ctx, entries, settings, async (request) => (await ledger.once(['messageFlow/send', message.itemIndex, message.recipients], settings.fields, request)).value);
				return outcome.results;
			} catch (error) {
				return entries.map((entry) => ({ recipient: entry.recipient, error: error as Error }));
			}
		};
	},
};
