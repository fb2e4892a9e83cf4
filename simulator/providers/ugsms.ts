/**
 * UGSMS emulation (seed 002, providers.md §4), a Laravel API. Mounted at `/ugsms`:
 * v2 (API key) at `<simulator>/ugsms/api/v2/...`, v1 (username + password) at `<simulator>/ugsms/v1/sms/send`,
 * key management at `<simulator>/ugsms/api/generate-key` and friends.
 *
 * The real service publishes request parameters and a few answers; everything else (key management
 * answers, balance shape, costs, how the rate limit is counted) is decided here and listed in
 * simulator/README.md ("UGSMS"). When changing one of those choices, change the README too.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type {
	FieldValue,
	HtmlHelpers,
	ProviderContext,
	ProviderFactory,
	ProviderInstance,
	ProviderRequest,
	ProviderResponse,
} from '../core/types';
// The accounts the simulator is seeded with: one file, read by the e2e suites, the demo and the bench too.
import ACCOUNTS from '../accounts.json';

export const UGSMS = 'ugsms';

export interface UgsmsSeed {
	username: string;
	password: string;
	apiKey: string;
	/** ISO time the seeded key expires, or null for a key without expiry. */
	apiKeyExpiresAt: string | null;
	/** UGX. */
	balance: number;
	currency: string;
	/** Price of one 160-character segment to one recipient (seed example: 2 recipients cost 20.0). */
	costPerSegment: number;
	segmentLength: number;
	maxSenderIdLength: number;
	/** Requests per window and bucket (per key for v2, per username for v1). */
	rateLimit: number;
	/** Window length; tests shorten it instead of sleeping a minute. */
	rateWindowMs: number;
}

export const UG_DEFAULT_SEED: UgsmsSeed = {
	...ACCOUNTS.ugsms,
	apiKeyExpiresAt: null,
	balance: 1000,
	currency: 'UGX',
	costPerSegment: 10,
	segmentLength: 160,
	maxSenderIdLength: 11,
	rateLimit: 60,
	rateWindowMs: 60_000,
};

export const UG_ERRORS = {
	keyRequired: { error: 'API key is required', help: 'Provide X-API-Key header or api_key parameter' },
	keyInvalid: { error: 'Invalid API key', help: 'Check the key or generate a new one with /api/generate-key' },
	keyExpired: { error: 'API key has expired', help: 'Generate a new key with /api/regenerate-key' },
	unauthorized: { error: 'Unauthorized.' },
	badNumber: { error: 'Invalid phone number format.' },
	insufficient: { error: 'Insufficient balance.' },
	tooMany: { message: 'Too Many Attempts.' },
} as const;

/**
 * PHP's json_encode writes a float 20.0 as `20.0` (PHP >= 7.1), which JSON.stringify cannot reproduce.
 * Money values are wrapped in this marker and written by `phpJson`.
 */
class PhpFloat {
	constructor(readonly value: number) {}
}

function phpJson(value: unknown): string {
	if (value instanceof PhpFloat) return Number.isInteger(value.value) ? `${value.value}.0` : JSON.stringify(value.value);
	if (Array.isArray(value)) return `[${value.map(phpJson).join(',')}]`;
	if (value !== null && typeof value === 'object') {
		const members = Object.entries(value as Record<string, unknown>)
			.filter(([, v]) => v !== undefined)
			.map(([k, v]) => `${JSON.stringify(k)}:${phpJson(v)}`);
		return `{${members.join(',')}}`;
	}
	return JSON.stringify(value) ?? 'null';
}

function money(value: number): PhpFloat {
	return new PhpFloat(Math.round(value * 100) / 100);
}

function laravelTime(ms: number): string {
	// Laravel serialises Carbon dates as ISO-8601 with microseconds and Z.
	return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

interface UgKey {
	value: string;
	createdAt: number;
	expiresAt: number | null;
	source: 'seed' | 'generate-key' | 'regenerate-key';
}

export interface UgMessage {
	id: string;
	api: 'v1' | 'v2';
	/** As the client wrote them, trimmed. */
	numbers: string[];
	/** International form without `+`, e.g. `256701234567`. */
	normalized: string[];
	body: string;
	senderId: string | null;
	segments: number;
	cost: number;
	createdAt: number;
	requestSeq: number;
}

interface Bucket {
	windowStart: number;
	count: number;
}

export interface UgState {
	key: UgKey | null;
	balance: number;
	messages: UgMessage[];
	buckets: Map<string, Bucket>;
	/** Requests answered 429, so tests can assert a client never hit the limit. */
	rateLimited: number;
	keyEvents: { action: string; at: string; key: string | null }[];
}

/** Thrown inside a handler: answered with `status` and `body` (rate-limit headers are added by `handle`). */
class UgError extends Error {
	constructor(
		readonly status: number,
		readonly body: Record<string, unknown>,
	) {
		super(String(body.error ?? body.message));
	}
}

function fieldText(value: FieldValue | undefined): string | undefined {
	if (value === undefined || value === null) return undefined;
	if (typeof value === 'string') return value;
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	// A JSON array of numbers is a plausible client mistake for a comma list; read it as one.
	if (Array.isArray(value)) return value.map((v) => fieldText(v) ?? '').join(',');
	return JSON.stringify(value);
}

function present(fields: Record<string, FieldValue>, name: string): string | undefined {
	const value = fieldText(fields[name]);
	return value === undefined || value.trim() === '' ? undefined : value;
}

/** `07XXXXXXXX` (national, as in the docs), `2567XXXXXXXX` or `+2567XXXXXXXX`; returns `2567XXXXXXXX`. */
export function ugNormalizeNumber(value: string): string | undefined {
	const v = value.trim();
	let m = /^0(7\d{8})$/.exec(v);
	if (m) return `256${m[1]}`;
	m = /^\+?256(7\d{8})$/.exec(v);
	if (m) return `256${m[1]}`;
	return undefined;
}

type Api = 'v1' | 'v2' | 'keys';

interface Route {
	methods: string[];
	api: Api;
	handler: (r: ProviderRequest, bucket: string) => ProviderResponse;
}

export class UgsmsProvider implements ProviderInstance {
	readonly name = UGSMS;
	readonly title = 'UGSMS';
	readonly seed: UgsmsSeed;
	state!: UgState;

	constructor(private readonly ctx: ProviderContext) {
		const overrides = (ctx.seed ?? {}) as Partial<UgsmsSeed>;
		this.seed = { ...UG_DEFAULT_SEED, ...overrides };
		if (!(this.seed.rateWindowMs > 0)) throw new Error('ugsms seed: rateWindowMs must be positive');
		if (!(this.seed.rateLimit > 0)) throw new Error('ugsms seed: rateLimit must be positive');
		this.reset();
	}

	reset(): void {
		const now = this.ctx.now();
		const expires = this.seed.apiKeyExpiresAt === null ? null : Date.parse(this.seed.apiKeyExpiresAt);
		if (expires !== null && Number.isNaN(expires)) throw new Error(`ugsms seed: bad apiKeyExpiresAt ${this.seed.apiKeyExpiresAt}`);
		this.state = {
			key: { value: this.seed.apiKey, createdAt: now, expiresAt: expires, source: 'seed' },
			balance: this.seed.balance,
			messages: [],
			buckets: new Map(),
			rateLimited: 0,
			keyEvents: [],
		};
	}

	// ---- HTTP -------------------------------------------------------------------------------------

	private readonly routes: Record<string, Route> = {
		'api/v2/sms/send': { methods: ['GET', 'POST'], api: 'v2', handler: (r) => this.sendV2(r) },
		'api/v2/account/balance': { methods: ['GET'], api: 'v2', handler: (r) => this.balanceV2(r) },
		'v1/sms/send': { methods: ['POST'], api: 'v1', handler: (r) => this.sendV1(r) },
		'api/generate-key': { methods: ['POST'], api: 'keys', handler: (r) => this.generateKey(r, false) },
		'api/regenerate-key': { methods: ['POST'], api: 'keys', handler: (r) => this.generateKey(r, true) },
		'api/revoke-key': { methods: ['POST'], api: 'keys', handler: (r) => this.revokeKey(r) },
	};

	handle(request: ProviderRequest): ProviderResponse {
		const routePath = request.path.replace(/^\/+|\/+$/g, '');
		const route = this.routes[routePath];
		// Laravel answers unknown routes and wrong methods before any middleware: no rate-limit headers there.
		if (!route) return this.laravel(404, { message: `The route ${routePath} could not be found.` });
		if (!route.methods.includes(request.method)) {
			return this.laravel(405, {
				message: `The ${request.method} method is not supported for route ${routePath}. Supported methods: ${route.methods.join(', ')}.`,
			});
		}
		const now = this.ctx.now();
		const bucketName = this.bucketFor(request, route.api);
		const bucket = this.hit(bucketName, now);
		const headers = this.rateHeaders(bucket, now);
		if (bucket.count > this.seed.rateLimit) {
			// Laravel checks before counting, so a refused request does not use up the next window.
			bucket.count = this.seed.rateLimit;
			this.state.rateLimited += 1;
			const retry = Math.max(1, Math.ceil((bucket.windowStart + this.seed.rateWindowMs - now) / 1000));
			return this.laravel(429, UG_ERRORS.tooMany, { ...headers, 'x-ratelimit-remaining': '0', 'retry-after': String(retry) });
		}
		try {
			const answer = route.handler(request, bucketName);
			return { ...answer, headers: { ...answer.headers, ...headers } };
		} catch (err) {
			if (err instanceof UgError) return this.laravel(err.status, err.body, headers);
			throw err;
		}
	}

	private laravel(status: number, body: unknown, headers: Record<string, string> = {}): ProviderResponse {
		return {
			status,
			headers: { 'cache-control': 'no-cache, private', 'access-control-allow-origin': '*', ...headers },
			raw: phpJson(body),
			contentType: 'application/json',
		};
	}

	authErrorResponse(): ProviderResponse {
		return this.laravel(401, UG_ERRORS.keyExpired);
	}

	// ---- rate limit ---------------------------------------------------------------------------------

	private presentedKey(r: ProviderRequest): string | undefined {
		const header = r.headers['x-api-key'];
		if (header !== undefined && header.trim() !== '') return header.trim();
		return present(r.fields, 'api_key')?.trim();
	}

	/**
	 * Bucket per presented credential: the key string for v2 (valid or not), the username for v1, either
	 * for key management. Requests with neither share one anonymous bucket (on loopback every client has
	 * the same IP, which is what Laravel falls back to).
	 */
	private bucketFor(r: ProviderRequest, api: Api): string {
		const key = api === 'v1' ? undefined : this.presentedKey(r);
		if (key !== undefined) return `key:${key}`;
		const user = api === 'v2' ? undefined : present(r.fields, 'username');
		if (user !== undefined) return `user:${user.trim()}`;
		return 'anonymous';
	}

	/** Fixed window that starts with the bucket's first request (Laravel's cache-counter limiter). */
	private hit(name: string, now: number): Bucket {
		let bucket = this.state.buckets.get(name);
		if (!bucket || now >= bucket.windowStart + this.seed.rateWindowMs) {
			bucket = { windowStart: now, count: 0 };
			this.state.buckets.set(name, bucket);
		}
		bucket.count += 1;
		return bucket;
	}

	private rateHeaders(bucket: Bucket, now: number): Record<string, string> {
		const resetMs = Math.max(now, bucket.windowStart + this.seed.rateWindowMs);
		return {
			'x-ratelimit-limit': String(this.seed.rateLimit),
			'x-ratelimit-remaining': String(Math.max(0, this.seed.rateLimit - bucket.count)),
			'x-ratelimit-reset': String(Math.ceil(resetMs / 1000)),
		};
	}

	/** Ends every running window, as if `rateWindowMs` had passed. */
	resetRateLimits(): void {
		this.state.buckets.clear();
	}

	// ---- auth -------------------------------------------------------------------------------------

	private keyState(value: string): 'valid' | 'expired' | 'invalid' {
		const key = this.state.key;
		if (!key || key.value !== value) return 'invalid';
		if (key.expiresAt !== null && key.expiresAt <= this.ctx.now()) return 'expired';
		return 'valid';
	}

	private requireKey(r: ProviderRequest): void {
		const presented = this.presentedKey(r);
		if (presented === undefined) throw new UgError(401, UG_ERRORS.keyRequired);
		const state = this.keyState(presented);
		if (state === 'expired') throw new UgError(401, UG_ERRORS.keyExpired);
		if (state === 'invalid') throw new UgError(401, UG_ERRORS.keyInvalid);
	}

	private loginMatches(r: ProviderRequest): boolean {
		const username = present(r.fields, 'username');
		const password = fieldText(r.fields.password);
		return username !== undefined && username.trim() === this.seed.username && password === this.seed.password;
	}

	/** Key management: the account's username + password, or a currently valid key. */
	private requireAccount(r: ProviderRequest): void {
		if (this.presentedKey(r) !== undefined && present(r.fields, 'username') === undefined) {
			this.requireKey(r);
			return;
		}
		if (!this.loginMatches(r)) throw new UgError(401, UG_ERRORS.unauthorized);
	}

	/** Keys with an expiry date expire now; `includeStatic` expires the current key whatever its date. */
	expireTokens(options: { includeStatic?: boolean }): void {
		const key = this.state.key;
		if (!key) return;
		const now = this.ctx.now();
		if (key.expiresAt !== null || options.includeStatic) key.expiresAt = Math.min(key.expiresAt ?? now, now);
	}

	// ---- sending ------------------------------------------------------------------------------------

	private sendV2(r: ProviderRequest): ProviderResponse {
		this.requireKey(r);
		return this.send(r, 'v2');
	}

	private sendV1(r: ProviderRequest): ProviderResponse {
		if (!this.loginMatches(r)) throw new UgError(401, UG_ERRORS.unauthorized);
		return this.send(r, 'v1');
	}

	private send(r: ProviderRequest, api: 'v1' | 'v2'): ProviderResponse {
		const f = r.fields;
		const numbersText = present(f, 'numbers');
		if (numbersText === undefined) throw new UgError(400, { error: 'The numbers field is required.' });
		const body = fieldText(f.message_body);
		if (body === undefined || body.trim() === '') throw new UgError(400, { error: 'The message body field is required.' });
		const senderId = present(f, 'sender_id');
		if (senderId !== undefined && [...senderId].length > this.seed.maxSenderIdLength) {
			throw new UgError(400, { error: `The sender id field must not be greater than ${this.seed.maxSenderIdLength} characters.` });
		}
		const numbers = numbersText
			.split(',')
			.map((n) => n.trim())
			.filter((n) => n !== '');
		const normalized: string[] = [];
		for (const n of numbers) {
			const value = ugNormalizeNumber(n);
			if (value === undefined) throw new UgError(400, UG_ERRORS.badNumber);
			normalized.push(value);
		}
		if (normalized.length === 0) throw new UgError(400, UG_ERRORS.badNumber);

		const segments = Math.max(1, Math.ceil([...body].length / this.seed.segmentLength));
		const cost = Math.round(normalized.length * segments * this.seed.costPerSegment * 100) / 100;
		if (cost > this.state.balance + 1e-9) throw new UgError(402, UG_ERRORS.insufficient);
		this.state.balance = Math.round((this.state.balance - cost) * 100) / 100;

		const message: UgMessage = {
			id: randomUUID(),
			api,
			numbers,
			normalized,
			body,
			senderId: senderId ?? null,
			segments,
			cost,
			createdAt: this.ctx.now(),
			requestSeq: r.seq,
		};
		this.state.messages.push(message);
		return this.laravel(200, {
			success: true,
			message: 'Message sent successfully',
			data: {
				message_id: message.id,
				recipients: normalized.length,
				estimated_cost: money(cost),
				remaining_balance: money(this.state.balance),
			},
		});
	}

	private balanceV2(r: ProviderRequest): ProviderResponse {
		this.requireKey(r);
		return this.laravel(200, {
			success: true,
			message: 'Balance retrieved successfully',
			data: { balance: money(this.state.balance), currency: this.seed.currency },
		});
	}

	// ---- key management ----------------------------------------------------------------------------

	/** Laravel's `integer|min:1|max:365` on an optional field, with the framework's messages. */
	private expiryDays(r: ProviderRequest): number | null {
		const raw = r.fields.expiry_days;
		if (raw === undefined || raw === null || raw === '') return null;
		const text = fieldText(raw)?.trim() ?? '';
		const fail = (message: string): UgError => new UgError(400, { error: message, errors: { expiry_days: [message] } });
		if (!/^-?\d+$/.test(text)) throw fail('The expiry days field must be an integer.');
		const days = Number(text);
		if (days < 1) throw fail('The expiry days field must be at least 1.');
		if (days > 365) throw fail('The expiry days field must not be greater than 365.');
		return days;
	}

	private generateKey(r: ProviderRequest, replace: boolean): ProviderResponse {
		this.requireAccount(r);
		const days = this.expiryDays(r);
		const now = this.ctx.now();
		const current = this.state.key;
		if (!replace && current && this.keyState(current.value) === 'valid') {
			throw new UgError(409, { error: 'An active API key already exists. Use regenerate-key to replace it.' });
		}
		const key: UgKey = {
			value: `ug-key-${randomBytes(16).toString('hex')}`,
			createdAt: now,
			expiresAt: days === null ? null : now + days * 86_400_000,
			source: replace ? 'regenerate-key' : 'generate-key',
		};
		this.state.key = key;
		this.state.keyEvents.push({ action: key.source, at: new Date(now).toISOString(), key: key.value });
		return this.laravel(200, {
			success: true,
			message: replace ? 'API key regenerated successfully' : 'API key generated successfully',
			data: {
				api_key: key.value,
				expires_at: key.expiresAt === null ? null : laravelTime(key.expiresAt),
				created_at: laravelTime(key.createdAt),
			},
		});
	}

	private revokeKey(r: ProviderRequest): ProviderResponse {
		this.requireAccount(r);
		if (!this.state.key) throw new UgError(404, { error: 'No API key to revoke.' });
		this.state.key = null;
		this.state.keyEvents.push({ action: 'revoke-key', at: new Date(this.ctx.now()).toISOString(), key: null });
		return this.laravel(200, { success: true, message: 'API key revoked successfully' });
	}

	// ---- simulator controls ---------------------------------------------------------------------------

	/** No message statuses at UGSMS: "time passes" means the current rate-limit windows end. */
	advance(): void {
		this.resetRateLimits();
	}

	advanceDue(): void {
		// Nothing moves by itself: no delivery reports. Rate windows already follow the real clock.
	}

	snapshot(): unknown {
		const s = this.state;
		const now = this.ctx.now();
		return {
			balance: s.balance,
			currency: this.seed.currency,
			key: s.key
				? {
						value: s.key.value,
						source: s.key.source,
						createdAt: new Date(s.key.createdAt).toISOString(),
						expiresAt: s.key.expiresAt === null ? null : new Date(s.key.expiresAt).toISOString(),
						state: this.keyState(s.key.value),
					}
				: null,
			keyEvents: s.keyEvents.map((e) => ({ ...e })),
			messages: s.messages.map((m) => ({ ...m, createdAt: new Date(m.createdAt).toISOString() })),
			rateLimit: { limit: this.seed.rateLimit, windowMs: this.seed.rateWindowMs, rejected: s.rateLimited },
			buckets: [...s.buckets.entries()].map(([name, b]) => ({
				name,
				count: b.count,
				windowEndsInMs: Math.max(0, b.windowStart + this.seed.rateWindowMs - now),
			})),
		};
	}

	describeSeed(): Record<string, unknown> {
		const base = this.ctx.providerUrl();
		return {
			baseUrlV2: `${base}/api/v2`,
			baseUrlV1: `${base}/v1`,
			username: this.seed.username,
			password: this.seed.password,
			apiKey: this.seed.apiKey,
			balance: this.seed.balance,
			rateLimit: `${this.seed.rateLimit} per ${this.seed.rateWindowMs} ms`,
		};
	}

	renderHtml(h: HtmlHelpers): string {
		const s = this.state;
		const key = s.key ? `<code>${h.escape(s.key.value)}</code> (${h.escape(this.keyState(s.key.value))})` : 'none (revoked)';
		const rows = [...s.messages]
			.reverse()
			.slice(0, 100)
			.map((m) => [
				h.escape(m.id),
				h.escape(m.api),
				h.escape(m.numbers.join(', ')),
				h.escape(m.body),
				h.escape(m.senderId ?? ''),
				String(m.segments),
				h.escape(m.cost),
				h.escape(new Date(m.createdAt).toISOString()),
			]);
		return [
			`<p class="muted">v1 login <code>${h.escape(this.seed.username)}</code> / <code>${h.escape(this.seed.password)}</code>, API key ${key}. Balance ${h.escape(s.balance)} ${h.escape(this.seed.currency)}. Rate limit ${h.escape(this.seed.rateLimit)} per ${h.escape(this.seed.rateWindowMs)} ms; ${h.escape(s.rateLimited)} request(s) refused with 429.</p>`,
			`<h3>Sent (${s.messages.length})</h3>`,
			h.table(['message id', 'api', 'numbers', 'body', 'sender id', 'segments', 'cost', 'created'], rows),
		].join('\n');
	}
}

export const ugsms: ProviderFactory = {
	name: UGSMS,
	create: (ctx) => new UgsmsProvider(ctx),
};
