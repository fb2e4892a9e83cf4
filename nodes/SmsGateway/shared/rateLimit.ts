import { createHash } from 'node:crypto';
import { sleep } from 'n8n-workflow';
import { headerValue, retryAfterSeconds, type ProviderAnswer } from './http';

/**
 * Pacing for providers that limit requests per time window (UGSMS: 60 per minute per key), so a
 * node run never hits the limit — also over thousands of items — instead of collecting 429s.
 *
 * Two sources, and a request waits until both allow it:
 * - What the provider says: `x-ratelimit-remaining` (and `-limit`, `-reset`) on its answers, and
 *   `Retry-After` on a 429. This covers every client of the same key (other workflows, other n8n
 *   instances), which this process cannot see otherwise.
 * - A local sliding window over this process's own requests: never more than `limit` requests in
 *   any `windowMs`. It works where the headers are missing and covers requests still in flight,
 *   whose effect the headers cannot show yet. Finished requests are timed by when their answer
 *   arrived (the provider counted them at or before that moment), so the window is never
 *   optimistic about when a slot frees up; one still in flight occupies a slot.
 *
 * State is module-level on purpose: one execution sends many requests over many items, and the
 * next execution (or another node using the same key) must see the budget already spent. It is
 * keyed by a hash of the provider, address and credential, holds no secret, and is bounded.
 */

/** How many keys are remembered; the least recently used idle ones go first. */
const MAX_BUCKETS = 200;
/** Longest single sleep, so a cancelled execution stops waiting soon. */
const SLICE_MS = 1000;
/** How often to look again when every slot is held by a request still in flight. */
const IN_FLIGHT_POLL_MS = 25;

export interface RateLimitSettings {
	/** Requests allowed per window (the provider's `x-ratelimit-limit`, when lower, wins). */
	limit: number;
	windowMs: number;
}

/** Lets a request go when the rate limit allows; the returned function records its answer. */
export interface Throttle {
	take(): Promise<(answer?: ProviderAnswer) => void>;
}

interface ServerView {
	/** Requests the provider will still accept in its current window, as far as we know. */
	available: number;
	/** When this view stops saying anything (the window's reset, or a window after it was seen). */
	validUntil: number;
	/** The provider's reset header as sent, when it sends one; tells its windows apart. */
	resetId?: number;
}

class Bucket {
	settings: RateLimitSettings;
	headerLimit?: number;
	/** Answer times of finished requests inside the window, oldest first, at most `limit`. */
	private readonly finished: number[] = [];
	inFlight = 0;
	/** Whether any answer came back yet; until then one request goes alone, to learn the budget. */
	private probed = false;
	private server?: ServerView;
	private blockedUntil = 0;

	constructor(settings: RateLimitSettings) {
		this.settings = settings;
	}

	private get limit(): number {
		const configured = Math.max(1, Math.floor(this.settings.limit));
		return this.headerLimit !== undefined ? Math.min(configured, this.headerLimit) : configured;
	}

	/** How long the next request must wait; 0 when it may go now. */
	waitMs(now: number): number {
		const { windowMs } = this.settings;
		while (this.finished.length > 0 && this.finished[0] + windowMs <= now) this.finished.shift();
		if (this.blockedUntil > now) return this.blockedUntil - now;
		// Another client may have used the key already: its answers tell, so a first request goes
		// alone rather than a whole wave of parallel requests meeting a 429 together.
		if (!this.probed && this.inFlight > 0) return IN_FLIGHT_POLL_MS;
		if (this.server && now >= this.server.validUntil) this.server = undefined;
		if (this.server && this.server.available <= 0) return Math.max(1, this.server.validUntil - now);
		if (this.inFlight + this.finished.length < this.limit) return 0;
		// Every slot is taken: the oldest finished request leaves the window first; if all slots
		// are held by requests in flight, their answers free nothing until they arrive.
		if (this.finished.length > 0 && this.inFlight < this.limit) return Math.max(1, this.finished[0] + windowMs - now);
		return IN_FLIGHT_POLL_MS;
	}

	start(): void {
		this.inFlight += 1;
		if (this.server) this.server.available -= 1;
	}

	finish(now: number, answer?: ProviderAnswer): void {
		this.inFlight = Math.max(0, this.inFlight - 1);
		this.probed = true;
		// A request without an answer may still have been counted: it takes its slot like the others.
		this.finished.push(now);
		if (this.finished.length > this.limit) this.finished.splice(0, this.finished.length - this.limit);
		if (answer) this.observe(now, answer);
	}

	private observe(now: number, answer: ProviderAnswer): void {
		const { windowMs } = this.settings;
		const limit = integerHeader(answer, 'x-ratelimit-limit');
		if (limit !== undefined && limit > 0) this.headerLimit = limit;
		const reset = resetTime(answer, now, windowMs);
		if (answer.status === 429) {
			// Refused: nothing more until the provider says (Retry-After), else until its reset. A
			// bare 429 says nothing about the window (a proxy's, perhaps): the caller's back-off and
			// the local window pace the next attempts.
			const retryAfter = retryAfterSeconds(answer, now);
			const until = retryAfter !== undefined ? now + Math.min(retryAfter * 1000, windowMs) : reset?.at;
			if (until === undefined) return;
			this.blockedUntil = Math.max(this.blockedUntil, until);
			this.server = { available: 0, validUntil: until, resetId: reset?.id };
			return;
		}
		const remaining = integerHeader(answer, 'x-ratelimit-remaining');
		if (remaining === undefined) return;
		// Requests still in flight may not be counted in this answer yet: assume they are not.
		const available = remaining - this.inFlight;
		const current = this.server;
		if (current && reset !== undefined && current.resetId !== undefined) {
			if (reset.id < current.resetId) return; // an answer from a window that has ended
			if (reset.id === current.resetId) {
				current.available = Math.min(current.available, available);
				return;
			}
		} else if (current && reset === undefined) {
			// Without a reset time, windows cannot be told apart: an answer that arrives late may
			// report an older, higher count, so the lower figure stands until this view expires.
			current.available = Math.min(current.available, available);
			return;
		}
		// The window ends at its reset, or at the latest one window after this request was counted.
		this.server = { available, validUntil: reset?.at ?? now + windowMs, resetId: reset?.id };
	}
}

function integerHeader(answer: ProviderAnswer, name: string): number | undefined {
	const value = headerValue(answer, name);
	if (value === undefined || !/^\s*\d+\s*$/.test(value)) return undefined;
	return Number(value);
}

/**
 * The provider's reset as a time: Unix seconds (Laravel) or, for small values, seconds from now
 * (other APIs). Never later than one window from now — a window cannot end later than that, and
 * a server clock that runs ahead must not stall the node.
 */
function resetTime(answer: ProviderAnswer, now: number, windowMs: number): { id: number; at: number } | undefined {
	const value = integerHeader(answer, 'x-ratelimit-reset');
	if (value === undefined) return undefined;
	const at = value > 1_000_000_000 ? value * 1000 : now + value * 1000;
	// Seconds-from-now values differ from answer to answer; only Unix times name a window.
	return { id: value > 1_000_000_000 ? value : Math.round(at / 1000), at: Math.min(at, now + windowMs) };
}

const buckets = new Map<string, Bucket>();

function bucketFor(id: string, settings: RateLimitSettings): Bucket {
	let bucket = buckets.get(id);
	if (bucket) {
		buckets.delete(id); // re-inserted below: the map's order is least recently used first
		bucket.settings = settings;
	} else {
		bucket = new Bucket(settings);
	}
	buckets.set(id, bucket);
	if (buckets.size > MAX_BUCKETS) {
		for (const [key, candidate] of buckets) {
			if (buckets.size <= MAX_BUCKETS) break;
			if (candidate.inFlight === 0 && candidate !== bucket) buckets.delete(key);
		}
	}
	return bucket;
}

/** A bucket name from the parts that identify one rate limit (provider, address, key or user). */
export function rateLimitKey(parts: unknown[]): string {
	return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

async function pause(ms: number, signal?: AbortSignal): Promise<void> {
	if (signal?.aborted) throw new Error('The execution was cancelled while waiting for the provider’s rate limit');
	await sleep(Math.min(ms, SLICE_MS));
}

/**
 * The throttle for one rate limit. `key` comes from `rateLimitKey`; every throttle with the same
 * key shares one budget.
 */
export function rateLimiter(key: string, settings: RateLimitSettings, signal?: AbortSignal): Throttle {
	return {
		async take() {
			for (;;) {
				// Looking and reserving happen in one synchronous step, so requests running side by
				// side (bulk sends) cannot both take the last slot.
				const bucket = bucketFor(key, settings);
				const wait = bucket.waitMs(Date.now());
				if (wait <= 0) {
					bucket.start();
					let done = false;
					return (answer?: ProviderAnswer) => {
						if (done) return;
						done = true;
						bucket.finish(Date.now(), answer);
					};
				}
				await pause(wait, signal);
			}
		},
	};
}

/** Forgets every budget (tests start each case with a fresh provider). */
export function resetRateLimiters(): void {
	buckets.clear();
}
