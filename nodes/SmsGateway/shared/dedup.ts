import type { IDataObject } from 'n8n-workflow';
import { eventKey, type TriggerEvent } from './events';
import { toRecord } from './record';

/**
 * "None twice" for pushed events. Providers resend a webhook when they did not see our answer in
 * time, so the same event can arrive twice, seconds or hours apart, even after an n8n restart.
 *
 * Two layers, both bounded:
 * - the workflow's static data (per trigger node): survives restarts and is shared by every n8n
 *   process that loads the workflow; n8n saves it after the webhook answered;
 * - a small in-process memory: closes the gap in which two copies arrive at once, before either
 *   copy's static data is saved (each request loads the workflow on its own), and is written into
 *   the static data with every save, so that requests saved one after another keep each other's.
 *
 * An event is remembered by provider, message id and status for `ttlMs` after it was last seen,
 * at most `maxKeys` of them per trigger node (least recently seen dropped first). A copy that comes
 * later than that starts the workflow again; providers retry within minutes or hours.
 */
export interface DedupLimits {
	maxKeys: number;
	ttlMs: number;
}

export const WEBHOOK_DEDUP_LIMITS: DedupLimits = { maxKeys: 1000, ttlMs: 48 * 60 * 60 * 1000 };

/** How many trigger nodes the in-process memory keeps (least recently used dropped first). */
const MAX_SCOPES = 200;
const memory = new Map<string, Map<string, number>>();

function scopeMemory(scope: string): Map<string, number> {
	let seen = memory.get(scope);
	if (seen) {
		memory.delete(scope);
	} else {
		seen = new Map();
	}
	memory.set(scope, seen);
	while (memory.size > MAX_SCOPES) memory.delete(memory.keys().next().value as string);
	return seen;
}

/** Forgets everything held in process memory (tests; the static data is the workflow's own). */
export function clearDedupMemory(): void {
	memory.clear();
}

const STATIC_KEY = 'seenEvents';

function readPersistent(staticData: IDataObject): Map<string, number> {
	const stored = staticData[STATIC_KEY];
	const seen = new Map<string, number>();
	if (stored && typeof stored === 'object' && !Array.isArray(stored)) {
		for (const [key, time] of Object.entries(stored as IDataObject)) {
			if (typeof time === 'number') seen.set(key, time);
		}
	}
	return seen;
}

function prune(seen: Map<string, number>, now: number, limits: DedupLimits): void {
	for (const [key, time] of seen) if (now - time > limits.ttlMs) seen.delete(key);
	while (seen.size > limits.maxKeys) seen.delete(seen.keys().next().value as string);
}

function touch(seen: Map<string, number>, key: string, now: number): void {
	// Re-inserting moves the key to the end: insertion order is the recency order.
	seen.delete(key);
	seen.set(key, now);
}

/**
 * Returns the events seen for the first time (also once within `events`) and remembers them all.
 * `staticData` is the trigger node's static data; `scope` names the node (workflow id + node id).
 */
export function firstSightings(
	events: TriggerEvent[],
	{ staticData, scope, now = Date.now(), limits = WEBHOOK_DEDUP_LIMITS }: { staticData: IDataObject; scope: string; now?: number; limits?: DedupLimits },
): TriggerEvent[] {
	const inMemory = scopeMemory(scope);
	const persistent = readPersistent(staticData);
	prune(inMemory, now, limits);
	prune(persistent, now, limits);
	const fresh: TriggerEvent[] = [];
	for (const event of events) {
		const key = eventKey(event);
		const seenBefore = inMemory.has(key) || persistent.has(key);
		touch(inMemory, key, now);
		touch(persistent, key, now);
		if (!seenBefore) fresh.push(event);
	}
	// n8n loads the static data for each request on its own and writes that copy back whole, so of
	// two requests under way at once the one saved last decided what was stored: the other's events
	// were lost, and a copy of them that came after a restart (or to another n8n process) started
	// the workflow again. What this process has seen is stored too, so the later save keeps them.
	const stored = mergeSeen(persistent, inMemory);
	prune(inMemory, now, limits);
	prune(stored, now, limits);
	// A new object (not edits in place) so that n8n notices the change and saves it; see toRecord
	// for why not Object.fromEntries.
	staticData[STATIC_KEY] = toRecord(stored);
	return fresh;
}

/** Both records in one, each key at its latest time, least recently seen first (as prune expects). */
function mergeSeen(a: Map<string, number>, b: Map<string, number>): Map<string, number> {
	const merged = new Map(a);
	for (const [key, time] of b) if ((merged.get(key) ?? -Infinity) < time) merged.set(key, time);
	return new Map([...merged].sort((x, y) => x[1] - y[1]));
}
