import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { BulkStop, chunk, mapWithConcurrency } from '../../shared/batching';
import { readChoice, readWholeNumber } from '../../shared/fieldValues';
import { InvalidInputError } from '../../shared/errors';
import { readTextField } from '../../shared/message';
import type { SendLedger } from '../../shared/ledger';
import { loadPhoneNumbers, NUMBER_FORMAT_OPTIONS, requireHomeNumber, type HomeCountry, type NumberFormat, type PhoneNumbers } from '../../shared/phone';
import type { RateLimitSettings } from '../../shared/rateLimit';
import type { MessageOutput } from '../../shared/types';
import type { BulkResult, MessagingCapability, OutgoingMessage } from '../types';
import { sent as sentSchema, type Envelope } from './schemas';
import { authOf, callUgsms, DEFAULT_RATE_LIMIT, PROVIDER_ID, refusalText, type UgsmsAnswer, type UgsmsAuth } from './transport';

/** UGSMS's documented maximum for `sender_id`. */
export const MAX_SENDER_ID_LENGTH = 11;
/**
 * UGSMS bills `message_body` at 160 characters per segment (providers.md), whatever the alphabet:
 * not the GSM 03.38 parts (153 per part once split, 70/67 for UCS-2) the other providers bill.
 * Whether it counts code points, UTF-16 units or bytes is not published; code points are what a
 * person counts (and what the simulator bills).
 */
export const SEGMENT_LENGTH = 160;

/** The segments UGSMS bills for a text. */
export function billedSegments(message: OutgoingMessage): number {
	return Math.max(1, Math.ceil(message.segments.characters / SEGMENT_LENGTH));
}
/**
 * Numbers per request for one text. UGSMS publishes no maximum, but it does count requests (60 a
 * minute per key): at 500 a 2,000-number campaign costs 4 of them instead of 20, two round trips at
 * three in flight (bench/). Should an account refuse lists this long, the refusal fails that
 * request's items with UGSMS's own message, and Numbers per Request lowers the size.
 */
const DEFAULT_BATCH_SIZE = 500;
const MAX_BATCH_SIZE = 1000;
const DEFAULT_CONCURRENCY = 3;

const senderIdField: INodeProperties = {
	displayName: 'Sender ID',
	name: 'ugsmsSenderId',
	type: 'string',
	default: '',
	placeholder: 'MYSHOP',
	description: 'The name recipients see, at most 11 characters. Leave empty for the account’s default.',
};

const numberHint: INodeProperties = {
	displayName: 'UGSMS reads numbers as Ugandan: set Default Country to UG to type them as in its documents (0701234567)',
	name: 'ugsmsNumberNotice',
	type: 'notice',
	default: '',
};

const commonOptions: INodeProperties[] = [
	{
		displayName: 'Number Format',
		name: 'numberFormat',
		type: 'options',
		options: NUMBER_FORMAT_OPTIONS,
		default: 'national',
		description:
			'How recipients are written in the request. UGSMS’s documents use national Ugandan numbers (0701234567), the default; with it, numbers outside Uganda are refused before sending.',
	},
	{
		displayName: 'Numbers per Request',
		name: 'batchSize',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: MAX_BATCH_SIZE, numberPrecision: 0 },
		default: 500,
		description:
			'Recipients of the same text go out together, this many per request. UGSMS publishes no maximum; it allows 60 requests a minute, so fewer, fuller requests leave more of that for other sends.',
	},
	{
		displayName: 'Requests per Window',
		name: 'rateLimit',
		type: 'number',
		typeOptions: { minValue: 1, numberPrecision: 0 },
		default: 60,
		description:
			'UGSMS allows 60 requests per minute per key. The node waits rather than go over it (a lower limit announced by UGSMS in its answers wins).',
	},
	{
		displayName: 'Window (Seconds)',
		name: 'rateWindowSeconds',
		type: 'number',
		typeOptions: { minValue: 1, numberPrecision: 0 },
		default: 60,
		description: 'The length of the rate-limit window. Change it only if UGSMS changes its limit.',
	},
];

export const sendFields: INodeProperties[] = [
	numberHint,
	senderIdField,
	{ displayName: 'Options', name: 'ugsmsOptions', description: 'Optional UGSMS settings; add only the ones you need', type: 'collection', placeholder: 'Add option', default: {}, options: commonOptions },
];

export const bulkFields: INodeProperties[] = [
	numberHint,
	senderIdField,
	{
		displayName: 'Options',
		name: 'ugsmsOptions',
		description: 'Optional UGSMS settings; add only the ones you need',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			...commonOptions,
			{
				displayName: 'Parallel Requests',
				name: 'concurrency',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 10, numberPrecision: 0 },
				default: 3,
				description: 'How many requests run at the same time when texts differ; all of them still keep to the rate limit',
			},
		],
	},
];

/** UGSMS's documents use national Ugandan numbers (0701234567). */
const UGANDA: HomeCountry = { provider: 'UGSMS', callingCode: '+256', adjective: 'Ugandan' };

interface Numbered {
	recipient: string;
	/** How the number goes into the request (written when its request is built: writtenOf). */
	numberFormat: NumberFormat;
	written?: string;
}

/**
 * The number as it goes into the request. Written when its request is built, not while the items
 * are read: libphonenumber's national formatting is about a third of its cost per number in a
 * fresh process, and the numbers of later requests are then written while the first request,
 * which UGSMS's pacing sends alone, is on its way (bench/).
 */
function writtenOf(entry: Numbered, phones: PhoneNumbers): string {
	return (entry.written ??= phones.format(entry.recipient, entry.numberFormat));
}

/** One item's message, checked and ready: sender, numbers written for UGSMS, pacing. */
export interface PreparedSend {
	auth: UgsmsAuth;
	senderId?: string;
	numbers: Numbered[];
	batchSize: number;
	rateLimit: RateLimitSettings;
}

export function readRateLimit(options: IDataObject): RateLimitSettings {
	return {
		limit: readWholeNumber(options.rateLimit, 'Requests per Window', { min: 1, max: 100_000, fallback: DEFAULT_RATE_LIMIT.limit }),
		windowMs: readWholeNumber(options.rateWindowSeconds, 'Window (Seconds)', { min: 1, max: 86_400, fallback: DEFAULT_RATE_LIMIT.windowMs / 1000 }) * 1000,
	};
}

/** Reads and checks one item's UGSMS fields and writes its numbers; nothing is sent yet. */
export async function prepareSend(ctx: IExecuteFunctions, message: OutgoingMessage): Promise<PreparedSend> {
	const { itemIndex } = message;
	const senderId = readTextField(ctx.getNodeParameter('ugsmsSenderId', itemIndex, ''), 'Sender ID').trim();
	const length = [...senderId].length;
	if (length > MAX_SENDER_ID_LENGTH) {
		throw new InvalidInputError(
			'Sender ID',
			`"${senderId}" is ${length} characters; UGSMS allows at most ${MAX_SENDER_ID_LENGTH}`,
			`Shorten it to ${MAX_SENDER_ID_LENGTH} characters or fewer, or leave it empty for the account’s default.`,
		);
	}
	const options = ctx.getNodeParameter('ugsmsOptions', itemIndex, {}) as IDataObject;
	const numberFormat = readChoice(options.numberFormat as unknown, 'Number Format', NUMBER_FORMAT_OPTIONS, 'national');
	const phones = await loadPhoneNumbers();
	const numbers: Numbered[] = [];
	for (const recipient of message.recipients) {
		requireHomeNumber(phones, recipient, numberFormat, UGANDA);
		numbers.push({ recipient, numberFormat });
	}
	return {
		auth: authOf(ctx, itemIndex),
		senderId: senderId === '' ? undefined : senderId,
		numbers,
		batchSize: readWholeNumber(options.batchSize, 'Numbers per Request', { min: 1, max: MAX_BATCH_SIZE, fallback: DEFAULT_BATCH_SIZE }),
		rateLimit: readRateLimit(options),
	};
}

interface Entry extends Numbered {
	message: OutgoingMessage;
}

/** One request: a text, its sender, and the numbers it goes to. */
interface Batch {
	auth: UgsmsAuth;
	text: string;
	senderId?: string;
	rateLimit: RateLimitSettings;
	entries: Entry[];
}

/** A refusal that concerns the numbers (UGSMS checks every number before sending any). */
function isNumberRefusal(status: number, body: Envelope): boolean {
	if (status !== 400 && status !== 422) return false;
	if (Object.keys(body.errors ?? {}).some((field) => /^numbers?(\.|$)/.test(field))) return true;
	return /phone number|invalid number/i.test(refusalText(body));
}

/**
 * What a successful answer says about its whole request, read once per request: the answer is
 * the same for every recipient in it (read per recipient, its schema check ran 500 times per
 * answer, about 18 ms of a fresh process's 2,000-recipient send).
 */
interface RequestOutcome {
	messageId: string | null;
	status: MessageOutput['status'];
	providerStatus: string | null;
	note?: string;
}

function readOutcome(body: Envelope, shared: number): RequestOutcome {
	const parsed = sentSchema.safeParse(body.data ?? {});
	const data = parsed.success ? parsed.data : {};
	// UGSMS counts the recipients it took. Fewer than were sent means it left some out without
	// saying which (its documents show only whole-request refusals): none is then reported as sent.
	const counted = data.recipients === undefined || data.recipients === null || data.recipients === '' ? undefined : Number(data.recipients);
	const short = counted !== undefined && Number.isFinite(counted) && counted < shared;
	return {
		messageId: data.message_id ?? null,
		// UGSMS reports "sent" and nothing after it: no delivery reports, no status look-up.
		status: short ? 'unknown' : 'sent',
		providerStatus: typeof body.message === 'string' ? body.message : null,
		note: short
			? `UGSMS counted ${counted} recipients for the ${shared} numbers of this request and does not say which it left out: check them in the UGSMS dashboard before sending again.`
			: shared > 1
				? `UGSMS returns one message ID per request: the ${shared} recipients of this request share it.`
				: undefined,
	};
}

function toOutput(entry: Entry, written: string, batch: Batch, body: Envelope, outcome: RequestOutcome, shared: number): MessageOutput {
	return {
		provider: PROVIDER_ID,
		messageId: outcome.messageId,
		direction: 'outbound',
		recipient: entry.recipient,
		status: outcome.status,
		providerStatus: outcome.providerStatus,
		segments: billedSegments(entry.message),
		encoding: entry.message.segments.encoding,
		numberSent: written,
		senderId: batch.senderId ?? null,
		recipientsInRequest: shared,
		...(outcome.note === undefined ? {} : { note: outcome.note }),
		raw: body as IDataObject,
	};
}

/**
 * Sends one batch. UGSMS refuses the whole request when one number is invalid (HTTP 400, nothing
 * sent, and it does not say which): the batch is then halved and each half sent again until the
 * refused numbers stand alone, so the valid numbers still go and each refused one gets an error
 * naming it. Nothing can go out twice, because a refused request sent nothing.
 */
async function sendBatch(ctx: IExecuteFunctions, batch: Batch, ledger: SendLedger): Promise<BatchOutcome> {
	const { entries } = batch;
	const first = entries[0].message;
	const phones = await loadPhoneNumbers();
	const written = entries.map((entry) => writtenOf(entry, phones));
	const body: IDataObject = { numbers: written.join(','), message_body: batch.text };
	if (batch.senderId) body.sender_id = batch.senderId;
	const path = batch.auth === 'apiKey' ? 'api/v2/sms/send' : 'v1/sms/send';
	let answer: UgsmsAnswer;
	try {
		({ value: answer } = await ledger.once(['ugsms/send', entries.map((entry) => [entry.message.itemIndex, entry.recipient])], [batch.auth, body], async () =>
			await callUgsms(ctx, batch.auth, {
				method: 'POST',
				path,
				body,
				itemIndex: first.itemIndex,
				whenLost: entries.length > 1 ? 'these messages may already have gone out' : 'the message may already have gone out',
				passThrough: isNumberRefusal,
				rateLimit: batch.rateLimit,
			}),
		));
	} catch (error) {
		return { results: entries.map((entry) => ({ recipient: entry.recipient, itemIndex: entry.message.itemIndex, error: error as Error })), failure: error as Error };
	}
	if (answer.status >= 200 && answer.status < 300) {
		const outcome = readOutcome(answer.body, entries.length);
		return { results: entries.map((entry, index) => ({ recipient: entry.recipient, itemIndex: entry.message.itemIndex, message: toOutput(entry, written[index], batch, answer.body, outcome, entries.length) })) };
	}
	if (entries.length === 1) {
		const [entry] = entries;
		return {
			results: [
				{
					recipient: entry.recipient,
					itemIndex: entry.message.itemIndex,
					error: new InvalidInputError(
						'Recipients',
						`UGSMS refused ${entry.recipient} (sent as ${written[0]}): ${refusalText(answer.body) || 'invalid number'}`,
						'Nothing was sent to this number. Check it, and the Number Format option (UGSMS’s documents use national numbers such as 0701234567).',
					),
				},
			],
		};
	}
	const half = Math.ceil(entries.length / 2);
	const results: BulkResult[] = [];
	for (const part of [entries.slice(0, half), entries.slice(half)]) {
		const outcome = await sendBatch(ctx, { ...batch, entries: part }, ledger);
		results.push(...outcome.results);
		if (outcome.failure) {
			// A half that fails (no credit left, a server error) does not take the half already sent
			// with it: those numbers got their text. What was not tried yet is not sent.
			const cause = outcome.failure;
			for (const entry of entries.slice(results.length)) {
				results.push({ recipient: entry.recipient, itemIndex: entry.message.itemIndex, error: new Error(`Not sent: the request for other numbers of this text failed first (${cause.message})`) });
			}
			return { results, failure: cause };
		}
	}
	return { results };
}

/** The results of a batch's numbers, and the failure (not a refused number) that stopped it, if any. */
interface BatchOutcome {
	results: BulkResult[];
	failure?: Error;
}

/**
 * Sends batches a few at a time. Without Continue On Fail the node stops at the first error, so
 * batches not yet started are not sent (and not reported as sent).
 */
async function sendBatches(ctx: IExecuteFunctions, batches: Batch[], concurrency: number, ledger: SendLedger): Promise<BulkResult[]> {
	const stop = new BulkStop(ctx.continueOnFail());
	const outcomes = await mapWithConcurrency(batches, concurrency, async (batch): Promise<BulkResult[]> => {
		if (stop.stopped) return batch.entries.map((entry) => ({ recipient: entry.recipient, itemIndex: entry.message.itemIndex, error: stop.notSent() }));
		const outcome = await sendBatch(ctx, batch, ledger);
		if (outcome.failure) stop.failed(outcome.failure);
		return outcome.results;
	});
	return outcomes.flat();
}

export const send: MessagingCapability['send'] = {
	fields: sendFields,
	async prepare(ctx, message, ledger) {
		const prepared = await prepareSend(ctx, message);
		return async () => {
			const entries = prepared.numbers.map((numbered) => ({ ...numbered, message }));
			const batches = chunk(entries, prepared.batchSize).map((part) => ({ auth: prepared.auth, text: message.text, senderId: prepared.senderId, rateLimit: prepared.rateLimit, entries: part }));
			return await sendBatches(ctx, batches, 1, ledger);
		};
	},
};

/**
 * Bulk sending: items with the same text and sender share requests (their numbers joined, up to
 * Numbers per Request), personalised texts go one request per text. Every recipient still gets
 * its own result, paired to its item.
 */
export const sendBulk: NonNullable<MessagingCapability['sendBulk']> = {
	fields: bulkFields,
	async prepare(ctx, message) {
		return await prepareSend(ctx, message);
	},
	async send(ctx, prepared, ledger) {
		const options = ctx.getNodeParameter('ugsmsOptions', 0, {}) as IDataObject;
		const concurrency = readWholeNumber(options.concurrency, 'Parallel Requests', { min: 1, max: 10, fallback: DEFAULT_CONCURRENCY });
		const groups = new Map<string, { settings: PreparedSend; text: string; entries: Entry[] }>();
		for (const { message, settings } of prepared) {
			const typed = settings as PreparedSend;
			// The JSON itself is the key: hashing it for each of thousands of items cost more than the
			// grouping (bench/).
			const key = JSON.stringify([message.text, typed.senderId ?? null, typed.auth]);
			const group = groups.get(key) ?? { settings: typed, text: message.text, entries: [] };
			// One by one, not push(...): one item's recipients spread as arguments overflowed the
			// stack from some 150,000 numbers (see splitRecipients).
			for (const numbered of typed.numbers) group.entries.push({ ...numbered, message });
			groups.set(key, group);
		}
		const batches = [...groups.values()].flatMap((group) =>
			chunk(group.entries, group.settings.batchSize).map((entries) => ({
				auth: group.settings.auth,
				text: group.text,
				senderId: group.settings.senderId,
				rateLimit: group.settings.rateLimit,
				entries,
			})),
		);
		return await sendBatches(ctx, batches, concurrency, ledger);
	},
};
