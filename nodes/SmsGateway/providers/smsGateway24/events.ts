import type { IDataObject } from 'n8n-workflow';
import type { z } from 'zod';
import type { PolledRecord } from '../../shared/cursor';
import { fingerprint, isFinal, isObject, isoTime, pick, providerInstant, text, wholeNumber, type TriggerEvent, type WebhookParse } from '../../shared/events';
import { formatInstant } from '../../shared/time';
import type { SmsGateway24Context } from './transport';
import { listAnswer, type storedMessage } from './schemas';
import { PROVIDER_ID } from './send';
import { INCOMING_STATUS, normaliseStatus, STATUS_BY_ID } from './status';
import { callSmsGateway24 } from './transport';

/**
 * SMSGateway24 events for the trigger nodes: its webhooks (set per device in the web panel) and
 * its message list (getallsms, which holds sent and incoming messages alike).
 */

function statusTitle(id: number | undefined): string | null {
	return id === undefined ? null : (STATUS_BY_ID[id]?.name ?? null);
}

function optionalId(value: unknown): string | null {
	const id = text(value);
	return id === undefined || id.trim() === '' ? null : id.trim();
}

function channelOf(value: unknown): number | null {
	return wholeNumber(value) ?? null;
}

/**
 * Delivery webhook: `{sms_id, status_id, status_message, sendto, senttime, channel_id, device_id}`,
 * posted on every status change. It carries no time of the change, so the event time is when n8n
 * received it.
 */
function deliveryEvent(body: IDataObject, receivedAt: number): TriggerEvent | undefined {
	const statusId = wholeNumber(body.status_id);
	const messageId = optionalId(body.sms_id);
	if (statusId === undefined || messageId === null) return undefined;
	if (statusId === INCOMING_STATUS) return undefined;
	return {
		provider: PROVIDER_ID,
		event: 'status',
		messageId,
		direction: 'outbound',
		recipient: text(body.sendto) ?? null,
		status: normaliseStatus(statusId),
		providerStatus: statusId,
		providerStatusText: text(body.status_message) ?? statusTitle(statusId),
		deviceId: optionalId(body.device_id),
		channel: channelOf(body.channel_id),
		eventTime: isoTime(undefined, receivedAt),
		raw: body,
	};
}

/**
 * Incoming webhook: `{address, date, date_sent, body, internal_id, channel_id, sms_id, device_id,
 * device_name, type: "text"}`; the image variant has `type: "img"`, an empty body and `img_url`.
 */
function incomingEvent(body: IDataObject, receivedAt: number, timeZone: string): TriggerEvent | undefined {
	const sender = text(body.address);
	const type = text(body.type)?.toLowerCase();
	const hasContent = body.body !== undefined || body.img_url !== undefined || type === 'text' || type === 'img';
	if (sender === undefined || sender.trim() === '' || !hasContent) return undefined;
	const imageUrl = text(body.img_url);
	// The message's own id; a payload without one is identified by its content (for de-duplication).
	const messageId = optionalId(body.sms_id) ?? optionalId(body.internal_id) ?? `sha-${fingerprint(body)}`;
	return {
		provider: PROVIDER_ID,
		event: 'received',
		messageId,
		direction: 'inbound',
		sender,
		status: 'received',
		providerStatus: INCOMING_STATUS,
		providerStatusText: statusTitle(INCOMING_STATUS),
		text: text(body.body) ?? '',
		...(imageUrl ? { imageUrl } : {}),
		deviceId: optionalId(body.device_id),
		deviceName: text(body.device_name) ?? null,
		channel: channelOf(body.channel_id),
		eventTime: isoTime(providerInstant(body.date, timeZone) ?? providerInstant(body.date_sent, timeZone), receivedAt),
		raw: body,
	};
}

/**
 * Reads a webhook body (one payload, or several in an array) into events. `timeZone` is how
 * times without an offset are read (the panel writes wall-clock times).
 */
export function parseSmsGateway24Webhook(body: unknown, { receivedAt, timeZone = 'UTC' }: { receivedAt: number; timeZone?: string }): WebhookParse {
	const entries = Array.isArray(body) ? body : [body];
	const events: TriggerEvent[] = [];
	for (const entry of entries) {
		if (!isObject(entry)) continue;
		const isDelivery = 'status_id' in entry || ('sms_id' in entry && !('address' in entry));
		const event = isDelivery ? deliveryEvent(entry, receivedAt) : incomingEvent(entry, receivedAt, timeZone);
		if (event) events.push(event);
	}
	if (events.length > 0) return { events };
	return {
		reason:
			'not an SMSGateway24 webhook: a delivery report has sms_id and status_id, an incoming message has address and body (or img_url)',
	};
}

type StoredMessage = z.infer<typeof storedMessage>;

/** A getallsms entry as the event its current status stands for. */
export function storedToEvent(stored: StoredMessage, detectedAt: number): PolledRecord | undefined {
	const raw = stored as IDataObject;
	const statusId = wholeNumber(stored.status);
	const createdMs = providerInstant(stored.created, 'UTC');
	if (createdMs === undefined) return undefined;
	const incoming = statusId === INCOMING_STATUS;
	const status = normaliseStatus(stored.status);
	const deviceId = optionalId(stored.deviceid);
	const channel = channelOf(stored.sim);
	const common = {
		provider: PROVIDER_ID,
		messageId: stored.id,
		providerStatus: statusId ?? (text(stored.status) as string),
		providerStatusText: stored.statustitle ?? statusTitle(statusId),
		deviceId,
		channel,
		raw,
	};
	const imageUrl = text(pick(raw, ['img_url', 'imgUrl', 'image_url']));
	const event: TriggerEvent = incoming
		? {
				...common,
				event: 'received',
				direction: 'inbound',
				sender: stored.sendto ?? null,
				status: 'received',
				text: stored.body ?? '',
				...(imageUrl ? { imageUrl } : {}),
				eventTime: isoTime(createdMs, detectedAt),
			}
		: {
				...common,
				event: 'status',
				direction: 'outbound',
				recipient: stored.sendto ?? null,
				status,
				customerReference: stored.customerid === null || stored.customerid === undefined ? null : Number(stored.customerid),
				// The list says when a message was created and sent, not when its status changed.
				eventTime: isoTime(undefined, detectedAt),
			};
	return { id: stored.id, createdMs, providerStatus: String(stored.status), final: isFinal(event.status), event };
}

export interface SmsGateway24ListQuery {
	sinceMs: number;
	now: number;
	deviceId?: string;
	/** Only the messages the phones received (getallsms's status filter), not the sent ones. */
	receivedOnly?: boolean;
}

/**
 * The account's messages created since `sinceMs`, as polled records. getallsms has no paging: it
 * answers with the whole selection, which the window keeps small. Times are asked in UTC.
 */
export async function listSmsGateway24Records(ctx: SmsGateway24Context, query: SmsGateway24ListQuery): Promise<PolledRecord[]> {
	const fields: IDataObject = {
		timezone: 'UTC',
		orderbydesc: 0,
		begindate: formatInstant(query.sinceMs, 'UTC', 'YYYY-MM-DD HH:mm:ss'),
	};
	if (query.deviceId) fields.device_id = query.deviceId;
	if (query.receivedOnly) fields.status = INCOMING_STATUS;
	const answer = await callSmsGateway24(ctx, 'getallsms', fields, listAnswer);
	const smss = answer.smss ?? [];
	const list = Array.isArray(smss) ? smss : Object.values(smss);
	// Whether SMSGateway24 caps the list is not published; its count says when it did. The list is
	// read oldest first, so the newest messages would be the ones missing, poll after poll:
	// that is said rather than passed over.
	const counted = Number(answer.count);
	if (Number.isFinite(counted) && counted > list.length) {
		ctx.logger.warn(
			`SMSGateway24 counted ${counted} messages since ${fields.begindate as string} UTC but listed ${list.length}: the newest may not be reported. A shorter Tracking Window (or one Device, or Message Received alone) makes the list shorter.`,
		);
	}
	return list.map((stored) => storedToEvent(stored, query.now)).filter((record): record is PolledRecord => record !== undefined);
}
