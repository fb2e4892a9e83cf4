import type { IDataObject } from 'n8n-workflow';
import type { TriggerEvent } from './events';
import { toRecord } from './record';

/**
 * The polling cursor for providers that list messages (SMSGateway24's getallsms, MessageFlow's
 * status list). Two things are tracked, both in the trigger node's static data:
 *
 * 1. Which messages were seen. `time` is the newest creation time seen, on the provider's clock
 *    (never n8n's, so a skewed n8n clock cannot skip anything); `ids` remembers the messages
 *    created at or up to LATE_ARRIVAL_MS before it. A listed message is new when it is not among
 *    them and was created after `time - LATE_ARRIVAL_MS`, or, for providers whose numeric ids only
 *    grow, when its id is above the highest seen (`maxId`), whatever its creation time says.
 *    Several messages created in the same second are therefore told apart by id, and a message
 *    that shows up in the list a little after later ones is still found.
 * 2. What each unfinished message's status was (`pending`): a message whose last seen status was
 *    not final (queued, sending, sent, unknown) is compared on every poll, and a change is an
 *    event. Final messages leave `pending`; a message that stays unfinished leaves it when it is
 *    older than the tracking window.
 *
 * Each event is produced once: for a new message, its current status; afterwards, each status
 * that differs from the last one seen. Statuses a message passes through between two polls are
 * not seen (webhooks report every step). The state is saved by n8n with the execution that the
 * events start; a poll whose state is lost (n8n stopped before saving it) is simply repeated.
 */

/** One message as a provider's list shows it, with the event its current status stands for. */
export interface PolledRecord {
	id: string;
	/** Creation time on the provider's clock, ms since the epoch. */
	createdMs: number;
	/** The provider's status, as compared between polls. */
	providerStatus: string;
	final: boolean;
	event: TriggerEvent;
}

export interface ListCursor extends IDataObject {
	v: 1;
	/** What the list was asked for (provider, device, senders…): another scope starts afresh. */
	scope: string;
	/**
	 * The saved n8n credential whose account was read. Another credential is another account (its
	 * messages were never seen), so the cursor starts afresh; cursors stored before this was kept
	 * have none and are carried on (they were read with the credential the trigger has now, unless
	 * it changed since, which cannot be known).
	 */
	account?: string;
	time: number;
	maxId: number | null;
	ids: Record<string, number>;
	/**
	 * Set when more messages were created near the cursor's time than `ids` keeps: every message
	 * created before this instant was seen, though not all their ids are kept. Without it, a
	 * dropped id whose message was already final looked new on every poll (a send to more than
	 * CURSOR_LIMITS.maxIds numbers reported its deliveries again and again).
	 */
	idsFrom?: number;
	pending: Record<string, [string, number]>;
	/**
	 * Where a paged list cut short by the poll's time budget goes on: the same start (`since`) from
	 * the next page (`offset`). Without it every poll read the same first pages again.
	 */
	resume?: { since: number; offset: number };
	/** The first poll's reading is not finished (it was cut short): what the next polls read is history too. */
	initial?: true;
}

/** How long after its creation time a message may still appear in a list and be found as new. */
export const LATE_ARRIVAL_MS = 15 * 60 * 1000;

export const CURSOR_LIMITS = {
	/** Messages remembered around the cursor's time (those created within LATE_ARRIVAL_MS). */
	maxIds: 5000,
	/** Unfinished messages whose status is followed. */
	maxPending: 10000,
};

const STATIC_KEY = 'cursor';

/**
 * The scope of a provider's list: its id and the words of the filters that narrow it, sorted
 * (`smsGateway24:device=260:received`). Values in the words must not hold `:` (encode them).
 */
export function listScope(provider: string, filters: readonly string[] = []): string {
	return [provider, ...[...new Set(filters)].sort()].join(':');
}

/**
 * The stored cursor for a list of this scope, also when it was kept for a broader list of the
 * same provider (a subset of the filters: all phones, then one; every event, then Message
 * Received alone). A broader list saw everything the narrower one shows, so carrying on from it
 * misses nothing that arrived while the workflow was changed. Never the other way round: a
 * narrower or another list never saw the rest, which would all look new (a Device or Senders
 * changed to include more reported up to the whole tracking window again), so such a change
 * starts afresh, like a first activation. Where a cut-short poll stopped (`resume`) belongs to
 * the list that was read, and is dropped with another scope.
 */
export function loadCursorFor(staticData: IDataObject, scope: string, account?: string): ListCursor | undefined {
	const saved = staticData[STATIC_KEY] as ListCursor | undefined;
	const stored = saved?.scope;
	if (typeof stored !== 'string') return undefined;
	// Switching the trigger to another saved credential (another account of the provider) carried
	// the cursor over: the new account's messages of the last minutes, newer than the cursor,
	// were reported as new. Another account starts afresh, like a first activation.
	if (account !== undefined && typeof saved?.account === 'string' && saved.account !== account) return undefined;
	if (stored === scope) return loadCursor(staticData, scope);
	const [provider, ...filters] = scope.split(':');
	const [storedProvider, ...storedFilters] = stored.split(':');
	if (storedProvider !== provider || !storedFilters.every((filter) => filters.includes(filter))) return undefined;
	const cursor = loadCursor(staticData, stored);
	if (!cursor) return undefined;
	delete cursor.resume;
	return { ...cursor, scope };
}

export function loadCursor(staticData: IDataObject, scope: string): ListCursor | undefined {
	const stored = staticData[STATIC_KEY] as ListCursor | undefined;
	if (!stored || typeof stored !== 'object' || stored.v !== 1 || stored.scope !== scope || typeof stored.time !== 'number') return undefined;
	return {
		v: 1,
		scope,
		...(typeof stored.account === 'string' ? { account: stored.account } : {}),
		time: stored.time,
		maxId: typeof stored.maxId === 'number' ? stored.maxId : null,
		ids: { ...(stored.ids ?? {}) },
		...(typeof stored.idsFrom === 'number' ? { idsFrom: stored.idsFrom } : {}),
		pending: { ...(stored.pending ?? {}) },
		...(isResume(stored.resume) ? { resume: { since: stored.resume.since, offset: stored.resume.offset } } : {}),
		...(stored.initial === true ? { initial: true as const } : {}),
	};
}

function isResume(value: unknown): value is { since: number; offset: number } {
	const resume = value as { since?: unknown; offset?: unknown } | undefined;
	return typeof resume?.since === 'number' && Number.isInteger(resume.offset) && (resume.offset as number) > 0;
}

/** Whether the static data holds a cursor at all (of any list): none before the first reading. */
export function hasCursor(staticData: IDataObject): boolean {
	return staticData[STATIC_KEY] !== undefined && staticData[STATIC_KEY] !== null;
}

/** The stored cursor as text, to tell whether two copies of the static data hold the same one. */
export function cursorFingerprint(staticData: IDataObject): string {
	return JSON.stringify(staticData[STATIC_KEY] ?? null);
}

export function saveCursor(staticData: IDataObject, cursor: ListCursor): void {
	// A new object, so that n8n notices the change and saves it.
	staticData[STATIC_KEY] = cursor;
}

/** From when the provider's list must be read (creation time, ms): the oldest of the two needs. */
export function querySince(cursor: ListCursor | undefined, now: number, lookbackMs: number): number {
	const window = now - lookbackMs;
	return cursor ? Math.min(cursor.time - LATE_ARRIVAL_MS, window) : window;
}

export interface AdvanceOptions {
	now: number;
	/** Where the list started (querySince), ms. */
	since: number;
	/** How long unfinished messages are followed, ms. */
	lookbackMs: number;
	/** Whether the provider's numeric ids only grow (SMSGateway24). */
	monotonicIds: boolean;
	/** First poll: emit the current status of the messages in the window instead of only remembering them. */
	replayOnFirstPoll: boolean;
	/** False when the list was cut short (the poll's time budget ran out): the cursor's time then stays. */
	complete: boolean;
	scope: string;
	limits?: typeof CURSOR_LIMITS;
}

function numericId(id: string): number | undefined {
	return /^\d{1,15}$/.test(id) ? Number(id) : undefined;
}

function byCreation(a: PolledRecord, b: PolledRecord): number {
	if (a.createdMs !== b.createdMs) return a.createdMs - b.createdMs;
	const na = numericId(a.id);
	const nb = numericId(b.id);
	if (na !== undefined && nb !== undefined) return na - nb;
	return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function newest<T>(entries: Array<[string, T]>, max: number, createdOf: (value: T) => number): Array<[string, T]> {
	if (entries.length <= max) return entries;
	return entries.sort((a, b) => createdOf(b[1]) - createdOf(a[1])).slice(0, max);
}

/**
 * The ids to keep (those created from `from` on), about `max`. When there are more, the oldest
 * go and `floor` says from when the kept ones start: all messages created before it were seen.
 * Messages created in the same instant as the oldest kept are all kept, even past `max` (a bulk
 * send's messages share their creation second): a message of that instant listed later is then
 * still told apart by its id, where a floor above the instant would take it for seen.
 */
function keepIds(ids: Record<string, number>, from: number, max: number): { kept: Array<[string, number]>; floor?: number } {
	const kept = Object.entries(ids).filter(([, created]) => created >= from);
	if (kept.length <= max) return { kept };
	kept.sort((a, b) => b[1] - a[1]);
	const floor = kept[max - 1][1];
	return { kept: kept.filter(([, created]) => created >= floor), floor };
}

/**
 * Applies one poll's list to the cursor: the events to emit (oldest first), the next cursor, and
 * how many unfinished messages are no longer followed because there were more than it keeps.
 */
export function advanceCursor(
	previous: ListCursor | undefined,
	listed: PolledRecord[],
	options: AdvanceOptions,
): { events: TriggerEvent[]; cursor: ListCursor; unfollowed: number } {
	const limits = options.limits ?? CURSOR_LIMITS;
	const records = [...listed].sort(byCreation);
	const events: TriggerEvent[] = [];
	const pending: Record<string, [string, number]> = { ...(previous?.pending ?? {}) };
	const ids: Record<string, number> = { ...(previous?.ids ?? {}) };
	const newestCreated = records.reduce((max, record) => Math.max(max, record.createdMs), -Infinity);
	const highestId = records.reduce<number | null>((max, record) => {
		const id = numericId(record.id);
		return id === undefined ? max : Math.max(max ?? id, id);
	}, null);

	// The first reading of the list, also when it takes several polls (cut short by the budget):
	// what exists is remembered, not reported (unless asked).
	const firstReading = !previous || previous.initial === true;
	if (firstReading) {
		for (const record of records) {
			if (pending[record.id] || ids[record.id] !== undefined) continue;
			if (options.replayOnFirstPoll) events.push(record.event);
			if (!record.final) pending[record.id] = [record.providerStatus, record.createdMs];
		}
	} else {
		const knownBefore = Math.max(previous!.time - LATE_ARRIVAL_MS, previous!.idsFrom ?? -Infinity);
		for (const record of records) {
			const followed = pending[record.id];
			if (followed) {
				if (followed[0] !== record.providerStatus) {
					events.push(record.event);
					if (record.final) delete pending[record.id];
					else pending[record.id] = [record.providerStatus, record.createdMs];
				}
				continue;
			}
			const id = numericId(record.id);
			const aboveHighest = options.monotonicIds && id !== undefined && previous.maxId !== null && id > previous.maxId;
			const known = ids[record.id] !== undefined || (record.createdMs < knownBefore && !aboveHighest);
			if (known) continue;
			events.push(record.event);
			if (!record.final) pending[record.id] = [record.providerStatus, record.createdMs];
		}
	}

	for (const record of records) ids[record.id] = record.createdMs;
	// A first reading moves the time on even when cut short: what it has not read yet is history
	// too, and its next polls carry on from where it stopped.
	const time = firstReading
		? Math.max(newestCreated, previous?.time ?? options.since)
		: options.complete
			? Math.max(previous!.time, newestCreated)
			: previous!.time;
	const keepIdsFrom = time - LATE_ARRIVAL_MS;
	// An earlier floor still inside the late-arrival span stays; ids below it are not needed.
	const carriedFloor = previous?.idsFrom !== undefined && previous.idsFrom > keepIdsFrom ? previous.idsFrom : undefined;
	const { kept: keptIds, floor } = keepIds(ids, carriedFloor ?? keepIdsFrom, limits.maxIds);
	// A list cut short may have left messages unseen above any floor drawn now (the list's order
	// is the provider's): then the oldest ids are only forgotten, as before, and no floor is set.
	const idsFrom = floor !== undefined && (options.complete || firstReading) ? floor : carriedFloor;
	const followFrom = options.now - options.lookbackMs;
	const keptPending = Object.entries(pending).filter(([, [, created]]) => created >= followFrom);
	const followed = newest(keptPending, limits.maxPending, ([, created]) => created);
	let maxId = previous?.maxId ?? null;
	if (options.monotonicIds && highestId !== null && (options.complete || firstReading)) maxId = Math.max(maxId ?? highestId, highestId);

	return {
		events,
		cursor: {
			v: 1,
			scope: options.scope,
			time,
			maxId: options.monotonicIds ? maxId : null,
			// Static data, like the webhook's record of seen events: see toRecord.
			ids: toRecord(keptIds),
			...(idsFrom !== undefined ? { idsFrom } : {}),
			pending: toRecord(followed),
			...(firstReading && !options.complete ? { initial: true as const } : {}),
		},
		unfollowed: keptPending.length - followed.length,
	};
}

/** "Fetch test event": the newest event the filter lets through, without touching the cursor. */
export function newestEvent(listed: PolledRecord[], accept: (event: TriggerEvent) => boolean): TriggerEvent | undefined {
	const records = [...listed].sort(byCreation).reverse();
	return records.find((record) => accept(record.event))?.event;
}
