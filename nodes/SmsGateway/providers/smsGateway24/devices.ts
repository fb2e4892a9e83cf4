import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import type { z } from 'zod';
import { InvalidInputError, listForError, preview } from '../../shared/errors';
import { DEVICE_FIX } from './fields';
import { callSmsGateway24, CREDENTIAL_TYPE, type CallOptions, type SmsGateway24Context } from './transport';
import { devicesAnswer, type device } from './schemas';

export type Device = z.infer<typeof device>;

/** The account's devices as a list (the API keys them by id, or sends [] when there are none). */
export async function listDevices(ctx: SmsGateway24Context, itemIndex?: number, options: Pick<CallOptions, 'timeoutMs' | 'maxAttempts'> = {}): Promise<Device[]> {
	const answer = await callSmsGateway24(ctx, 'getalldevices', {}, devicesAnswer, { ...options, itemIndex });
	const devices = answer.device ?? [];
	return Array.isArray(devices) ? devices : Object.values(devices);
}

export function deviceLabel(entry: Device): string {
	const sims = (entry.siminfo ?? []) as IDataObject[];
	const number = sims.map((sim) => String(sim.Number ?? '').trim()).find((value) => value !== '');
	const title = entry.title?.trim() || 'Device';
	return number ? `${title} (${number}, ID ${entry.id})` : `${title} (ID ${entry.id})`;
}

/**
 * The device check before sending. SMSGateway24 itself only says "Device not found" in answer to
 * the send; the node asks for the account's devices first (getalldevices, a read) and refuses an
 * unknown Device per item, before that item's sending request.
 *
 * The list is asked for at most once per execution and credential: every item, every run of the
 * node in a loop and a Retry On Fail share it. It is asked for only when an item reaches the
 * check, i.e. is otherwise ready to send. If asking fails (network, login, a broken answer), the
 * check is skipped for the execution and sending goes ahead: SMSGateway24's own answer still
 * reports a wrong device, as it did before the check existed.
 */
interface Lookup {
	at: number;
	/** undefined: the list could not be read, so nothing is refused. */
	devices: Promise<Device[] | undefined>;
}

/**
 * The list only guards the send, so it must not hold it up: one try (no waiting out a refused
 * connection or a 429; the send does that itself) and at most this long.
 */
const LOOKUP_TIMEOUT_MS = 10_000;
/**
 * An execution can last days (a Wait node). A device added meanwhile must not be refused on an old
 * list, so an ID missing from a list older than this is checked against a fresh one (once).
 */
const STALE_AFTER_MS = 10 * 60_000;
/** Executions whose lists are kept (the most recently used); one list is a few kilobytes. */
const MAX_LOOKUPS = 200;

const lookups = new Map<string, Lookup>();
/** Contexts without an execution ID keep their list on the context itself. */
const unkeyed = new WeakMap<object, Lookup>();

/**
 * The key of a context, worked out once: every item of a bulk send asks, and n8n's getNode() hands
 * out a deep copy of the node each time (a measurable share of reading 2,000 items, bench/). A
 * context belongs to one node run, so its execution and credential do not change.
 */
const keysOfContexts = new WeakMap<object, string | undefined>();

function lookupKey(ctx: IExecuteFunctions): string | undefined {
	if (keysOfContexts.has(ctx)) return keysOfContexts.get(ctx);
	const executionId = typeof ctx.getExecutionId === 'function' ? ctx.getExecutionId() : undefined;
	const reference = executionId ? ctx.getNode().credentials?.[CREDENTIAL_TYPE] : undefined;
	const key = executionId ? JSON.stringify([executionId, reference?.id ?? reference?.name ?? null]) : undefined;
	keysOfContexts.set(ctx, key);
	return key;
}

function startLookup(ctx: IExecuteFunctions, itemIndex: number): Lookup {
	const devices = listDevices(ctx, itemIndex, { timeoutMs: LOOKUP_TIMEOUT_MS, maxAttempts: 1 }).catch((error: unknown) => {
		// Messages of the transport carry no credential value (see transport.ts).
		ctx.logger.warn(
			`SMSGateway24: could not list the account's devices to check the Device before sending (${preview((error as Error)?.message ?? error, 200)}). Sending without that check; SMSGateway24 still refuses an unknown device itself.`,
		);
		return undefined;
	});
	return { at: Date.now(), devices };
}

/** The lookup's own promise, not awaited here: every item of a bulk send asks (one asynchronous step less each). */
function knownDevices(ctx: IExecuteFunctions, itemIndex: number, refreshIfStale = false): Promise<Device[] | undefined> {
	const key = lookupKey(ctx);
	let lookup = key === undefined ? unkeyed.get(ctx) : lookups.get(key);
	if (lookup === undefined || (refreshIfStale && Date.now() - lookup.at > STALE_AFTER_MS)) lookup = startLookup(ctx, itemIndex);
	if (key === undefined) {
		unkeyed.set(ctx, lookup);
	} else {
		lookups.delete(key);
		lookups.set(key, lookup);
		while (lookups.size > MAX_LOOKUPS) lookups.delete(lookups.keys().next().value as string);
	}
	return lookup.devices;
}

/** IDs compared as numbers: "0260" is device 260. */
function sameId(a: string, b: string): boolean {
	return a.replace(/^0+(?=\d)/, '') === b.replace(/^0+(?=\d)/, '');
}

/** Throws an InvalidInputError naming the Device field when the account has no device with this ID. */
export async function checkDeviceExists(ctx: IExecuteFunctions, itemIndex: number, deviceId: string): Promise<void> {
	let devices = await knownDevices(ctx, itemIndex);
	if (devices === undefined || devices.some((entry) => sameId(entry.id, deviceId))) return;
	devices = await knownDevices(ctx, itemIndex, true);
	if (devices === undefined || devices.some((entry) => sameId(entry.id, deviceId))) return;
	throw new InvalidInputError(
		'Device',
		`there is no device with ID ${deviceId} in this SMSGateway24 account`,
		devices.length > 0
			? `${DEVICE_FIX} This account's devices: ${listForError(devices.map(deviceLabel))}.`
			: `${DEVICE_FIX} SMSGateway24 lists no devices for this account yet.`,
	);
}
