import type { IDataObject } from 'n8n-workflow';
import type { PolledRecord } from '../../shared/cursor';
import { fingerprint, isFinal, isObject, isoTime, pick, providerInstant, text, type TriggerEvent, type WebhookParse } from '../../shared/events';
import { formatInstant } from '../../shared/time';
import type { NormalisedStatus } from '../../shared/types';
import type { ProviderContext } from '../../shared/transport';
import { isLastPage, LIST_PAGE_SIZE } from './list';
import { PROVIDER_ID } from './send';
import { normaliseStatus } from './status';
import { callMessageFlow } from './transport';

/**
 * MessageFlow events for the trigger nodes: delivery reports and incoming 2-way messages posted
 * by its webhooks, and status changes found in its status list.
 *
 * MessageFlow publishes neither its webhook payloads nor its numeric status codes. So any JSON is
 * accepted and what is recognisable is taken from it under the names MessageFlow's API uses
 * elsewhere (smsId, phoneNumber, status, statusTime…) and their common variants; the payload is
 * kept whole in `raw`. Status names (Delivered, Undelivered, Expired…) are mapped; a numeric code
 * is "unknown" unless the user names it in the node's Status Codes option.
 */

const ID_FIELDS = ['smsId', 'sms_id', 'messageId', 'message_id', 'msgId', 'id'];
const RECIPIENT_FIELDS = ['phoneNumber', 'phone_number', 'msisdn', 'recipient', 'destination', 'to', 'number', 'phone'];
const SENDER_FIELDS = ['from', 'msisdn', 'phoneNumber', 'phone_number', 'phone', 'source', 'originator', 'sender'];
const TEXT_FIELDS = ['message', 'text', 'body', 'content', 'messageText'];
const STATUS_NAME_FIELDS = ['statusName', 'status_name', 'statusText', 'status_text', 'state', 'dlrStatus', 'dlr_status', 'status'];
const STATUS_CODE_FIELDS = ['status', 'statusCode', 'status_code', 'statusId', 'status_id'];
const STATUS_TIME_FIELDS = ['statusTime', 'status_time', 'doneDate', 'done_date', 'deliveredAt', 'deliveryTime', 'timestamp', 'time', 'date'];
const RECEIVE_TIME_FIELDS = ['receiveTime', 'receive_time', 'receivedAt', 'received_at', 'receiveDate', 'date', 'time', 'timestamp', 'createTime'];

export type StatusCodes = Record<string, NormalisedStatus>;

/** The status of a report or list entry: its name where given, else a code the user named. */
export function readStatus(entry: IDataObject, codes: StatusCodes = {}) {
	let name: string | undefined;
	for (const field of STATUS_NAME_FIELDS) {
		const value = pick(entry, [field]);
		if (typeof value === 'string' && value.trim() !== '' && !/^\d+$/.test(value.trim())) {
			name = value.trim();
			break;
		}
	}
	let code: number | undefined;
	for (const field of STATUS_CODE_FIELDS) {
		const value = pick(entry, [field]);
		const number = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
		if (typeof number === 'number' && Number.isFinite(number)) {
			code = number;
			break;
		}
	}
	let status: NormalisedStatus = name === undefined ? 'unknown' : normaliseStatus(name);
	if (status === 'unknown' && code !== undefined && codes[String(code)]) status = codes[String(code)];
	return { status, providerStatus: code ?? name ?? null, providerStatusText: name ?? null, known: name !== undefined || code !== undefined };
}

function idOf(entry: IDataObject): string | null {
	const id = text(pick(entry, ID_FIELDS));
	return id === undefined || id.trim() === '' ? null : id.trim();
}

function kindOf(entry: IDataObject): 'delivery' | 'incoming' | 'other' | undefined {
	const name = text(pick(entry, ['event', 'eventType', 'event_type']))?.toLowerCase();
	if (name === undefined) return undefined;
	if (/incoming|inbound|\bmo\b|receiv|reply|2-?way/.test(name)) return 'incoming';
	if (/dlr|deliver|status|report/.test(name)) return 'delivery';
	return 'other';
}

/**
 * An entry whose status is named as an incoming one (`status: "received"`): an incoming message
 * that carries a status field, not a report about a sent message (read as one, its sender and
 * text were lost and the number it was sent to became the "recipient").
 */
function saysIncoming(entry: IDataObject): boolean {
	const name = readStatus(entry).providerStatusText;
	return name !== null && /^(received|incoming|inbound|mo)$/i.test(name);
}

/**
 * A report about a sent message: it names the message (id or phone number). Without a status
 * field the node recognises, it is read only when `withoutStatus` (after the other readings
 * failed): its status is then "unknown" (Other Status) and the payload is in `raw`, so the user
 * sees it and can map it, where refusing it would lose the report and make MessageFlow retry.
 */
function deliveryEvent(entry: IDataObject, receivedAt: number, codes: StatusCodes, withoutStatus = false): TriggerEvent | undefined {
	const status = readStatus(entry, codes);
	const recipient = text(pick(entry, RECIPIENT_FIELDS));
	const messageId = idOf(entry);
	if ((!status.known && !withoutStatus) || (messageId === null && recipient === undefined)) return undefined;
	const externalId = text(pick(entry, ['externalId', 'external_id']));
	return {
		provider: PROVIDER_ID,
		event: 'status',
		messageId: messageId ?? `sha-${fingerprint(entry)}`,
		direction: 'outbound',
		recipient: recipient ?? null,
		status: status.status,
		providerStatus: status.providerStatus,
		providerStatusText: status.providerStatusText,
		...(externalId !== undefined ? { externalId } : {}),
		...(typeof entry.sender === 'string' ? { senderId: entry.sender } : {}),
		eventTime: isoTime(providerInstant(pick(entry, STATUS_TIME_FIELDS)), receivedAt),
		raw: entry,
	};
}

function incomingEvent(entry: IDataObject, receivedAt: number): TriggerEvent | undefined {
	const sender = text(pick(entry, SENDER_FIELDS));
	const body = pick(entry, TEXT_FIELDS);
	if (sender === undefined || (body !== undefined && typeof body !== 'string')) return undefined;
	if (body === undefined && kindOf(entry) !== 'incoming') return undefined;
	const to = text(pick(entry, ['to', 'recipient', 'destination', 'shortCode', 'short_code']));
	return {
		provider: PROVIDER_ID,
		event: 'received',
		messageId: idOf(entry) ?? `sha-${fingerprint(entry)}`,
		direction: 'inbound',
		sender,
		...(to !== undefined ? { to } : {}),
		status: 'received',
		providerStatus: text(pick(entry, ['status', 'statusName'])) ?? null,
		text: typeof body === 'string' ? body : '',
		eventTime: isoTime(providerInstant(pick(entry, RECEIVE_TIME_FIELDS)), receivedAt),
		raw: entry,
	};
}

function entriesOf(body: unknown): unknown[] {
	if (Array.isArray(body)) return body;
	if (isObject(body) && Array.isArray(body.data)) return body.data;
	return [body];
}

/** Reads a webhook body (one report or message, an array of them, or `{data: [...]}`) into events. */
export function parseMessageFlowWebhook(body: unknown, { receivedAt, statusCodes = {} }: { receivedAt: number; statusCodes?: StatusCodes }): WebhookParse {
	const events: TriggerEvent[] = [];
	for (const entry of entriesOf(body)) {
		if (!isObject(entry)) continue;
		const kind = kindOf(entry);
		let event: TriggerEvent | undefined;
		if (kind === 'incoming') event = incomingEvent(entry, receivedAt);
		else if (kind === 'delivery') event = deliveryEvent(entry, receivedAt, statusCodes, true);
		else if (kind === undefined) {
			event =
				(saysIncoming(entry) ? incomingEvent(entry, receivedAt) : undefined) ??
				deliveryEvent(entry, receivedAt, statusCodes) ??
				incomingEvent(entry, receivedAt) ??
				deliveryEvent(entry, receivedAt, statusCodes, true);
		}
		if (event) events.push(event);
	}
	if (events.length > 0) return { events };
	return {
		reason:
			'not a MessageFlow delivery report or incoming message: a report names a message id or phone number, an incoming message has a sender and a text',
	};
}

/** One entry of the status list as the event its current status stands for. */
export function listEntryToRecord(entry: IDataObject, detectedAt: number, codes: StatusCodes = {}): PolledRecord | undefined {
	const createdMs = providerInstant(pick(entry, ['createTime', 'create_time', 'createdAt']));
	if (createdMs === undefined) return undefined;
	const status = readStatus(entry, codes);
	const recipient = text(pick(entry, RECIPIENT_FIELDS)) ?? null;
	// The published list has no id; MessageFlow is expected to add one (the simulator's smsId).
	// Without it, a message is told apart by number, creation time and reference.
	const id = idOf(entry) ?? `${recipient ?? ''}@${createdMs}#${text(pick(entry, ['externalId'])) ?? ''}`;
	const externalId = text(pick(entry, ['externalId', 'external_id']));
	const event: TriggerEvent = {
		provider: PROVIDER_ID,
		event: 'status',
		messageId: idOf(entry) ?? null,
		direction: 'outbound',
		recipient,
		status: status.status,
		providerStatus: status.providerStatus,
		providerStatusText: status.providerStatusText,
		...(externalId !== undefined ? { externalId } : {}),
		...(typeof entry.sender === 'string' ? { senderId: entry.sender } : {}),
		eventTime: isoTime(providerInstant(pick(entry, ['statusTime', 'status_time'])), detectedAt),
		raw: entry,
	};
	return { id, createdMs, providerStatus: String(status.providerStatus ?? ''), final: isFinal(status.status), event };
}

export interface MessageFlowListQuery {
	sinceMs: number;
	now: number;
	senders?: string[];
	statusCodes?: StatusCodes;
	/** Stop asking for further pages after this instant (the poll's time budget). */
	deadline?: number;
	/** The offset to start at: where a poll cut short stopped (`resumeAt`). */
	from?: number;
}

/**
 * Messages created since `sinceMs` from the status list, 1000 per page, from offset `from`.
 * `complete` is false when the deadline stopped the paging early, or a page after the first failed
 * (`stoppedBy`); `resumeAt` is then the offset of the next page to ask for.
 */
export async function listMessageFlowRecords(
	ctx: ProviderContext,
	query: MessageFlowListQuery,
): Promise<{ records: PolledRecord[]; complete: boolean; resumeAt?: number; stoppedBy?: Error }> {
	const qs: IDataObject = { dateFrom: formatInstant(query.sinceMs, 'UTC', 'YYYY-MM-DD HH:mm:ss'), limit: LIST_PAGE_SIZE };
	if (query.senders && query.senders.length > 0) qs.sender = query.senders.join(',');
	const records: PolledRecord[] = [];
	// Entries without an id of their own are told apart by number, creation second and reference;
	// two messages to one number in one second share that, so the second and later (in the list's
	// order, oldest first) get a count after it. The first keeps the plain key, as before.
	const occurrences = new Map<string, number>();
	const start = query.from ?? 0;
	for (let offset = start; ; ) {
		// 404 is "no results", for an empty list and for an offset past the end.
		const asked = await callMessageFlow(ctx, { method: 'GET', path: '/v2.1/sms', qs: { ...qs, offset }, passThrough: [404] }).then(
			(answer) => ({ answer }),
			(error: Error) => ({ error }),
		);
		if ('error' in asked) {
			// A later page failed: the pages read are reported and the next poll asks again from this
			// one. Failing the whole poll dropped them, and a page that failed on every poll held the
			// trigger at the list's start for good (no event reported, however old the failure).
			if (offset > start) return { records, complete: false, resumeAt: offset, stoppedBy: asked.error };
			throw asked.error;
		}
		const { status, body } = asked.answer;
		const page = status === 404 ? [] : (body.data ?? []);
		for (const entry of page) {
			const record = listEntryToRecord(entry as IDataObject, query.now, query.statusCodes);
			if (!record) continue;
			if (record.event.messageId === null) {
				const seen = (occurrences.get(record.id) ?? 0) + 1;
				occurrences.set(record.id, seen);
				if (seen > 1) record.id = `${record.id}~${seen}`;
			}
			records.push(record);
		}
		if (isLastPage(page.length, LIST_PAGE_SIZE)) return { records, complete: true };
		offset += page.length;
		if (query.deadline !== undefined && Date.now() >= query.deadline) return { records, complete: false, resumeAt: offset };
	}
}
