import { createHash } from 'node:crypto';
import type { IDataObject, INodePropertyOptions } from 'n8n-workflow';
import { byName } from './descriptions';
import { InvalidInputError } from './errors';
import { readTextField } from './message';
import { toInstant } from './time';
import { NORMALISED_STATUSES, type NormalisedStatus } from './types';

/**
 * What the trigger nodes emit: one event per thing that happened to a message, in the same
 * vocabulary as the action node's output, whichever provider reported it and whether it was pushed
 * (webhook) or found by polling.
 */
export interface TriggerEvent extends IDataObject {
	provider: string;
	/** `status`: an outgoing message changed status; `received`: a person sent a message. */
	event: 'status' | 'received';
	/** The provider's id for the message; null only when the provider sent none. */
	messageId: string | null;
	direction: 'outbound' | 'inbound';
	/** Who an outgoing message went to, as the provider writes it (outbound events). */
	recipient?: string | null;
	/** Who sent an incoming message, as the provider writes it (inbound events). */
	sender?: string | null;
	status: NormalisedStatus;
	/** The provider's own status code or name, unchanged. */
	providerStatus: string | number | null;
	providerStatusText?: string | null;
	/** The text of an incoming message. */
	text?: string;
	imageUrl?: string;
	deviceId?: string | null;
	channel?: number | null;
	/** When it happened, ISO 8601 UTC: the provider's time where it gives one, else when n8n learnt of it. */
	eventTime: string;
	/** The provider's payload or list entry for this event, unchanged. */
	raw: IDataObject;
}

/** Statuses after which an outgoing message does not change any more. */
export const FINAL_STATUSES: readonly NormalisedStatus[] = ['delivered', 'undelivered', 'failed', 'expired', 'received'];

export function isFinal(status: NormalisedStatus): boolean {
	return FINAL_STATUSES.includes(status);
}

const EVENT_LABELS: Record<NormalisedStatus, { name: string; description: string }> = {
	received: { name: 'Message Received', description: 'A person sent a message to your number or phone' },
	delivered: { name: 'Delivered', description: 'The recipient’s phone confirmed it' },
	undelivered: { name: 'Not Delivered', description: 'The network reported it could not be delivered' },
	failed: { name: 'Failed', description: 'It could not be sent' },
	expired: { name: 'Expired', description: 'The network gave up after the validity period' },
	sent: { name: 'Sent', description: 'It left the gateway (no delivery report yet)' },
	sending: { name: 'Sending', description: 'The gateway or phone took it' },
	queued: { name: 'Queued', description: 'Waiting at the provider' },
	unknown: { name: 'Other Status', description: 'A status code the package cannot name (the code is in providerStatus)' },
};

/** Event choices for a filter, for the statuses a provider can report. */
export function eventOptions(statuses: readonly NormalisedStatus[]): INodePropertyOptions[] {
	return NORMALISED_STATUSES.filter((status) => statuses.includes(status))
		.map((status) => ({ name: EVENT_LABELS[status].name, value: status, description: EVENT_LABELS[status].description }))
		.sort(byName);
}

/**
 * What a trigger listens for unless the user says otherwise: outcomes and replies. Intermediate
 * steps (queued, sending, sent) are opt-in; they are frequent and rarely what a workflow waits for.
 */
export const DEFAULT_EVENTS: NormalisedStatus[] = ['received', 'delivered', 'undelivered', 'failed', 'expired', 'unknown'];

export function matchesEvents(event: TriggerEvent, selected: readonly string[]): boolean {
	return selected.includes(event.status);
}

/**
 * The identity of an event for de-duplication: provider, message and status. A status is taken by
 * the provider's own code, so two codes that normalise alike (SMSGateway24's 1 and 3, both
 * "queued") are still two events. A payload without a message id is identified by its content,
 * and so is the status of a report whose status field the node does not know (providerStatus
 * null): two such reports of one message (accepted, then delivered) are two events, not a
 * duplicate.
 */
export function eventKey(event: TriggerEvent): string {
	const hasId = event.messageId !== null && event.messageId !== '';
	const content = hasId && event.providerStatus !== null ? undefined : fingerprint(event.raw);
	const status = event.providerStatus ?? `${event.status}#${content}`;
	return hasId ? `${event.provider}:${event.messageId}:${String(status)}` : `${event.provider}:#${content}:${String(status)}`;
}

/** A stable hash of a JSON value (object members sorted), for payloads that carry no id. */
export function fingerprint(value: unknown): string {
	const canonical = (entry: unknown): unknown => {
		if (Array.isArray(entry)) return entry.map(canonical);
		if (entry !== null && typeof entry === 'object') {
			return Object.fromEntries(
				Object.keys(entry as IDataObject)
					.sort()
					.map((key) => [key, canonical((entry as IDataObject)[key])]),
			);
		}
		return entry;
	};
	return createHash('sha256').update(JSON.stringify(canonical(value)) ?? '').digest('hex').slice(0, 32);
}

/** The result of reading a webhook body: the events in it, or why it is not a provider event. */
export type WebhookParse = { events: TriggerEvent[] } | { reason: string };

/** Reading provider payloads, whose field names and types are not always published. */

export function pick(source: IDataObject, names: readonly string[]): unknown {
	for (const name of names) {
		const value = source[name];
		if (value !== undefined && value !== null && value !== '') return value;
	}
	// Field names differ in case between documents and reality (smsId / smsid / SMSID).
	const lower = new Map(Object.keys(source).map((key) => [key.toLowerCase(), key]));
	for (const name of names) {
		const key = lower.get(name.toLowerCase());
		if (key === undefined) continue;
		const value = source[key];
		if (value !== undefined && value !== null && value !== '') return value;
	}
	return undefined;
}

export function text(value: unknown): string | undefined {
	if (typeof value === 'string') return value;
	if (typeof value === 'number' || typeof value === 'bigint') return String(value);
	return undefined;
}

export function wholeNumber(value: unknown): number | undefined {
	const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	return typeof number === 'number' && Number.isInteger(number) ? number : undefined;
}

export function isObject(value: unknown): value is IDataObject {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}

const UTC_WALL_CLOCK = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?$/;

/**
 * A provider's time as an instant, or undefined when it cannot be read. Unix times (seconds or
 * milliseconds), ISO texts with an offset, and wall-clock texts (`YYYY-MM-DD HH:MM:SS`, read in
 * `zone`) are accepted; providers write all three.
 */
export function providerInstant(value: unknown, zone = 'UTC'): number | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	if (typeof value === 'string' && /^\d+(\.\d+)?$/.test(value.trim())) return providerInstant(Number(value), zone);
	if (typeof value === 'number') return Number.isFinite(value) && value > 0 ? (value < 1e11 ? value * 1000 : value) : undefined;
	if (isObject(value) && typeof value.date === 'string') {
		// PHP's DateTime as json_encode writes it: {date, timezone_type, timezone}. Type 3 names a
		// zone (Europe/Berlin), type 1 gives an offset (+02:00, as in SMSGateway24's own example).
		const offset = value.timezone_type === 1 && typeof value.timezone === 'string' ? /^([+-])(\d{2}):?(\d{2})$/.exec(value.timezone.trim()) : null;
		if (offset) {
			const wallClock = providerInstant(value.date, 'UTC');
			const minutes = (offset[1] === '-' ? -1 : 1) * (Number(offset[2]) * 60 + Number(offset[3]));
			return wallClock === undefined ? undefined : wallClock - minutes * 60_000;
		}
		const ownZone = typeof value.timezone === 'string' && value.timezone_type === 3 ? value.timezone : zone;
		return providerInstant(value.date, ownZone);
	}
	if (typeof value !== 'string') return undefined;
	// UTC wall-clock times (every polled list) are read directly: lists hold thousands of them, and
	// the general path builds a time-zone formatter per call.
	const utc = zone === 'UTC' ? UTC_WALL_CLOCK.exec(value.trim()) : null;
	if (utc) {
		const [, y, mo, d, h = '0', mi = '0', s = '0', fraction = ''] = utc;
		const ms = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s, Math.floor(Number(`0.${fraction || '0'}`) * 1000));
		return Number.isNaN(ms) ? undefined : ms;
	}
	try {
		return toInstant(value, zone, 'time');
	} catch {
		return undefined;
	}
}

export function isoTime(instant: number | undefined, fallback: number): string {
	return new Date(instant ?? fallback).toISOString();
}

/**
 * A user's mapping of numeric status codes to the package's vocabulary, e.g.
 * `4=delivered, 5=undelivered`. For providers that do not publish their codes (MessageFlow): the
 * user who knows them can name them, and filters then work on them.
 */
export function parseStatusMap(value: unknown, field = 'Status Codes'): Record<string, NormalisedStatus> {
	const map: Record<string, NormalisedStatus> = {};
	// Anything but text (an object of codes, a number) was taken as no codes at all, without a word.
	const source = readTextField(value, field, 'Write the codes as text, e.g. 4=delivered, 5=undelivered (JSON from another node: map each pair into such a text).');
	for (const entry of source.split(/[,;\n]/)) {
		const trimmed = entry.trim();
		if (trimmed === '') continue;
		const match = /^([^=:\s]+)\s*[=:]\s*([a-z]+)$/i.exec(trimmed);
		const status = match?.[2].toLowerCase() as NormalisedStatus | undefined;
		if (!match || !status || !NORMALISED_STATUSES.includes(status)) {
			throw new InvalidInputError(
				field,
				`cannot read "${trimmed}"`,
				`Write code=status pairs separated by commas, e.g. 4=delivered, 5=undelivered. Statuses: ${NORMALISED_STATUSES.join(', ')}.`,
			);
		}
		map[match[1]] = status;
	}
	return map;
}
