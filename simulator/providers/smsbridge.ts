/**
 * SMS Bridge emulation (seed 000, providers.md §3). Mounted at `/smsbridge`; the credential's Base URL is
 * `<simulator>/smsbridge/api/v2` (endpoints such as `<simulator>/smsbridge/api/v2/messages/send.php`).
 * `<simulator>/smsbridge/v2` works too, because real deployments differ in that prefix.
 *
 * SMS Bridge is a queue: clients put messages in, a gateway (the Android app, or an n8n workflow acting as
 * one) claims them under a lease and reports what happened. The simulator plays the server; `advance()`
 * additionally plays a built-in phone so client-only tests see statuses move without writing a gateway.
 *
 * The seed documents endpoints and the envelope, almost nothing else. Every guess is listed in
 * simulator/README.md ("SMS Bridge"); when changing one, change the README too.
 */
import { sqlDateTime } from '../core/time';
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

export const SMSBRIDGE = 'smsbridge';

export const SB_STATUSES = ['queued', 'claimed', 'sent_to_device', 'sms_sent', 'failed', 'blocked'] as const;
export type SbStatus = (typeof SB_STATUSES)[number];

/** Statuses a gateway may report through `messages/status.php` (the seed documents the first three). */
const REPORTABLE: SbStatus[] = ['claimed', 'sent_to_device', 'sms_sent', 'failed'];
const FINAL: SbStatus[] = ['sms_sent', 'failed', 'blocked'];

/**
 * What a reused `external_id` does. The real behaviour is unknown, so tests can pick:
 * `conflict` (default) answers 409 naming the existing message, `return-existing` answers 200 with the
 * existing message and creates nothing, `duplicate` creates a second message (no unique index).
 */
export type SbExternalIdReuse = 'conflict' | 'return-existing' | 'duplicate';

export interface SmsBridgeSeed {
	/** One key for client and gateway endpoints (the seed shows a single `YOUR_API_KEY`). */
	apiKey: string;
	keyId: number;
	keyLabel: string;
	account: { id: number; name: string; email: string };
	/** The gateway's sender identity, as in the seed's status report example. */
	senderId: string;
	/** Reported by `account/balance.php`; sending does not deduct from it (billing is by subscription). */
	balance: number;
	currency: string;
	plan: string;
	subscriptionActive: boolean;
	/** Messages per billing period (calendar month, UTC); the next send beyond it is refused with 403. */
	messageLimit: number;
	/** Messages already used this period before the simulator started (to test the limit quickly). */
	usedInPeriod: number;
	/** How long a claim lasts before the message is offered again. */
	leaseMs: number;
	/** Claims per message; when the lease of the last one runs out the message fails. 0 = unlimited. */
	maxAttempts: number;
	firstMessageId: number;
	externalIdReuse: SbExternalIdReuse;
	/** Largest `limit` that `pending.php` accepts. */
	maxPendingLimit: number;
	maxTextLength: number;
	/** Name the built-in phone (driven by `advance`) reports as `details.device`. */
	builtInDevice: string;
	/** false: `advance()` and `statusStepMs` never touch the queue (only real gateways claim). */
	builtInDeviceEnabled: boolean;
}

export const SB_DEFAULT_SEED: SmsBridgeSeed = {
	...ACCOUNTS.smsBridge,
	keyId: 7,
	keyLabel: 'Default key',
	account: { id: 1042, name: 'Demo Clinic', email: 'demo@smsbridge.test' },
	senderId: 'Sendit-ABCDEF12',
	balance: 49.5,
	currency: 'PLN',
	plan: 'Pro',
	subscriptionActive: true,
	messageLimit: 1000,
	usedInPeriod: 0,
	leaseMs: 30_000,
	maxAttempts: 5,
	firstMessageId: 1001,
	externalIdReuse: 'conflict',
	maxPendingLimit: 100,
	maxTextLength: 1600,
	builtInDevice: 'simulator-phone',
	builtInDeviceEnabled: true,
};

/** Test outcomes chosen by the recipient's last digits, like the other providers of this simulator. */
export type SbOutcome = 'sent' | 'failed' | 'stuck' | 'blocked';

export function sbOutcomeFor(phone: string): SbOutcome {
	const digits = phone.replace(/\D/g, '');
	if (digits.endsWith('9999')) return 'blocked';
	if (digits.endsWith('0000')) return 'failed';
	if (digits.endsWith('2222')) return 'stuck';
	return 'sent';
}

export interface SbMessage {
	id: number;
	to: string;
	text: string;
	messagePrefix: string;
	sender: string;
	senderPhone: string | null;
	externalId: string | null;
	status: SbStatus;
	attempts: number;
	/** Epoch ms; set while claimed, null otherwise. */
	leaseUntil: number | null;
	lastError: string | null;
	/** Reported by the gateway. */
	senderId: string | null;
	device: string | null;
	/** Who holds the claim: a gateway over HTTP, or the built-in phone of `advance()`. */
	claimedBy: 'gateway' | 'built-in' | null;
	outcome: SbOutcome;
	createdAt: number;
	updatedAt: number;
	sentAt: number | null;
	lastStepAt: number;
	history: { status: SbStatus; at: string; by: string }[];
	requestSeq: number;
}

export interface SbState {
	messages: Map<number, SbMessage>;
	nextId: number;
	senderId: string;
	senderIdUpdatedAt: number;
	keyRevoked: boolean;
	keyCreatedAt: number;
	keyLastUsedAt: number | null;
	scannedAt: number | null;
	scannedDevice: string | null;
}

/** Thrown inside a handler to answer the error envelope; keeps validation code linear. */
class SbError extends Error {
	constructor(
		readonly status: number,
		readonly code: string,
		message: string,
		readonly details: Record<string, unknown> = {},
	) {
		super(message);
	}
}

function success(data: unknown, status = 200): ProviderResponse {
	return { status, json: { success: true, data } };
}

function failure(status: number, code: string, message: string, details: Record<string, unknown> = {}, headers?: Record<string, string>): ProviderResponse {
	return { status, headers, json: { success: false, error: { code, message, details } } };
}

function validation(field: string, message: string, extra: Record<string, unknown> = {}): SbError {
	return new SbError(400, 'validation_error', message, { field, ...extra });
}

/** A JSON string member, or a number the client sent unquoted; objects and arrays are refused. */
function textField(fields: Record<string, FieldValue>, name: string): string | undefined {
	const value = fields[name];
	if (value === undefined || value === null) return undefined;
	if (typeof value === 'string') return value;
	if (typeof value === 'number') return String(value);
	throw validation(name, `Field '${name}' must be a string`);
}

function requiredText(fields: Record<string, FieldValue>, name: string): string {
	const value = textField(fields, name);
	if (value === undefined || value.trim() === '') throw validation(name, `Field '${name}' is required`);
	return value;
}

/** Spaces, dashes, dots and brackets are formatting; what remains must be an E.164-like number. */
function normalisePhone(value: string, field: string): string {
	const compact = value.trim().replace(/[\s\-().]/g, '');
	if (!/^\+?\d{6,15}$/.test(compact)) throw validation(field, 'Invalid phone number', { value });
	return compact;
}

function parseId(value: FieldValue | undefined, field: string): number {
	const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
	if (!/^\d+$/.test(text)) throw validation(field, `Field '${field}' must be a positive integer`);
	return Number(text);
}

interface Route {
	method: 'GET' | 'POST';
	handler: (r: ProviderRequest) => ProviderResponse;
}

export class SmsBridgeProvider implements ProviderInstance {
	readonly name = SMSBRIDGE;
	readonly title = 'SMS Bridge';
	readonly seed: SmsBridgeSeed;
	state!: SbState;

	constructor(private readonly ctx: ProviderContext) {
		const overrides = (ctx.seed ?? {}) as Partial<SmsBridgeSeed>;
		this.seed = { ...SB_DEFAULT_SEED, ...overrides };
		if (!['conflict', 'return-existing', 'duplicate'].includes(this.seed.externalIdReuse)) {
			throw new Error(`smsbridge seed: externalIdReuse must be conflict, return-existing or duplicate`);
		}
		if (!(this.seed.leaseMs > 0)) throw new Error('smsbridge seed: leaseMs must be positive');
		this.reset();
	}

	reset(): void {
		const now = this.ctx.now();
		this.state = {
			messages: new Map(),
			nextId: this.seed.firstMessageId,
			senderId: this.seed.senderId,
			senderIdUpdatedAt: now,
			keyRevoked: false,
			keyCreatedAt: now,
			keyLastUsedAt: null,
			scannedAt: null,
			scannedDevice: null,
		};
	}

	private time(ms: number | null): string | null {
		return ms === null ? null : sqlDateTime(ms, 'UTC');
	}

	// ---- HTTP -------------------------------------------------------------------------------------

	private readonly routes: Record<string, Route> = {
		'auth.php': { method: 'GET', handler: () => this.auth() },
		'messages/send.php': { method: 'POST', handler: (r) => this.send(r) },
		'messages/get.php': { method: 'GET', handler: (r) => this.get(r) },
		'messages/pending.php': { method: 'GET', handler: (r) => this.pending(r) },
		'messages/status.php': { method: 'POST', handler: (r) => this.report(r) },
		'sender-id.php': { method: 'GET', handler: () => this.senderId() },
		'sender-id/update.php': { method: 'POST', handler: (r) => this.updateSenderId(r) },
		'account/balance.php': { method: 'GET', handler: () => this.balance() },
		'subscription/status.php': { method: 'GET', handler: () => this.subscription() },
		'api-keys/mark-scanned.php': { method: 'POST', handler: (r) => this.markScanned(r) },
		'api-keys/check-scanned.php': { method: 'POST', handler: () => this.checkScanned() },
	};

	handle(request: ProviderRequest): ProviderResponse {
		const match = /^\/(?:api\/)?v2\/(.+?)\/?$/.exec(request.path);
		const route = match ? this.routes[match[1]] : undefined;
		if (!route) return failure(404, 'not_found', `Endpoint not found: ${request.path}`);
		if (request.method !== route.method) {
			return failure(405, 'method_not_allowed', `Use ${route.method} for this endpoint`, { allowed: [route.method] }, { Allow: route.method });
		}
		try {
			this.authenticate(request);
			if (request.method === 'POST' && request.bodyError) {
				throw new SbError(400, 'invalid_json', 'Request body is not valid JSON', { reason: request.bodyError });
			}
			this.sweep(this.ctx.now());
			return route.handler(request);
		} catch (err) {
			if (err instanceof SbError) {
				const headers = err.status === 401 ? { 'WWW-Authenticate': 'Bearer' } : undefined;
				return failure(err.status, err.code, err.message, err.details, headers);
			}
			throw err;
		}
	}

	authErrorResponse(): ProviderResponse {
		return failure(401, 'unauthorized', 'Invalid API key', {}, { 'WWW-Authenticate': 'Bearer' });
	}

	private authenticate(r: ProviderRequest): void {
		const header = r.headers.authorization ?? '';
		const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
		if (!m) throw new SbError(401, 'unauthorized', 'Missing API key: send Authorization: Bearer <API key>');
		if (m[1] !== this.seed.apiKey || this.state.keyRevoked) throw new SbError(401, 'unauthorized', 'Invalid API key');
		this.state.keyLastUsedAt = this.ctx.now();
	}

	/** Revokes the key (until reset) only with `includeStatic`; the lease is the time-limited credential here. */
	expireTokens(options: { includeStatic?: boolean }): void {
		this.expireLeases();
		if (options.includeStatic) this.state.keyRevoked = true;
	}

	// ---- client endpoints ---------------------------------------------------------------------------

	private auth(): ProviderResponse {
		const s = this.state;
		return success({
			authenticated: true,
			account: { ...this.seed.account },
			api_key: {
				id: this.seed.keyId,
				label: this.seed.keyLabel,
				// Only a hint of the key, as dashboards show it.
				last_four: this.seed.apiKey.slice(-4),
				scopes: ['client', 'gateway'],
				created_at: this.time(s.keyCreatedAt),
				last_used_at: this.time(s.keyLastUsedAt),
				scanned: s.scannedAt !== null,
			},
		});
	}

	private send(r: ProviderRequest): ProviderResponse {
		const f = r.fields;
		const to = normalisePhone(requiredText(f, 'to'), 'to');
		const text = requiredText(f, 'text');
		if ([...text].length > this.seed.maxTextLength) {
			throw validation('text', `Field 'text' must not be longer than ${this.seed.maxTextLength} characters`);
		}
		const sender = requiredText(f, 'sender').trim();
		const senderPhoneText = textField(f, 'sender_phone');
		const senderPhone = senderPhoneText && senderPhoneText.trim() !== '' ? normalisePhone(senderPhoneText, 'sender_phone') : null;
		const externalText = textField(f, 'external_id');
		const externalId = externalText && externalText.trim() !== '' ? externalText.trim() : null;
		if (externalId !== null && externalId.length > 128) throw validation('external_id', "Field 'external_id' must not be longer than 128 characters");
		const messagePrefix = textField(f, 'message_prefix') ?? '';

		if (externalId !== null && this.seed.externalIdReuse !== 'duplicate') {
			const existing = this.findByExternalId(externalId);
			if (existing) {
				if (this.seed.externalIdReuse === 'return-existing') return success(this.messageJson(existing), 200);
				throw new SbError(409, 'duplicate_external_id', `A message with external_id ${externalId} already exists`, {
					external_id: externalId,
					message_id: existing.id,
					status: existing.status,
				});
			}
		}

		if (!this.seed.subscriptionActive) throw new SbError(403, 'subscription_inactive', 'Subscription is not active');
		const used = this.usedThisPeriod();
		if (used >= this.seed.messageLimit) {
			throw new SbError(403, 'subscription_limit_reached', 'Message limit of the billing period reached', {
				limit: this.seed.messageLimit,
				used,
			});
		}

		const now = this.ctx.now();
		const outcome = sbOutcomeFor(to);
		const status: SbStatus = outcome === 'blocked' ? 'blocked' : 'queued';
		const m: SbMessage = {
			id: this.state.nextId++,
			to,
			text,
			messagePrefix,
			sender,
			senderPhone,
			externalId,
			status,
			attempts: 0,
			leaseUntil: null,
			// Blocked at intake (e.g. a number on the account's block list): never offered to a gateway.
			lastError: status === 'blocked' ? 'Recipient is blocked' : null,
			senderId: null,
			device: null,
			claimedBy: null,
			outcome,
			createdAt: now,
			updatedAt: now,
			sentAt: null,
			lastStepAt: now,
			history: [{ status, at: new Date(now).toISOString(), by: 'client' }],
			requestSeq: r.seq,
		};
		this.state.messages.set(m.id, m);
		return success(this.messageJson(m), 201);
	}

	/** With `externalIdReuse: 'duplicate'` several can share an id; the newest one answers. */
	private findByExternalId(externalId: string): SbMessage | undefined {
		let found: SbMessage | undefined;
		for (const m of this.state.messages.values()) if (m.externalId === externalId) found = m;
		return found;
	}

	private get(r: ProviderRequest): ProviderResponse {
		const idText = textField(r.fields, 'id');
		const externalText = textField(r.fields, 'external_id');
		if (idText !== undefined && idText.trim() !== '') {
			const id = parseId(idText, 'id');
			const m = this.state.messages.get(id);
			if (!m) throw new SbError(404, 'message_not_found', `Message ${id} not found`, { id });
			return success(this.messageJson(m));
		}
		if (externalText !== undefined && externalText.trim() !== '') {
			const m = this.findByExternalId(externalText.trim());
			if (!m) throw new SbError(404, 'message_not_found', `Message with external_id ${externalText.trim()} not found`, { external_id: externalText.trim() });
			return success(this.messageJson(m));
		}
		throw validation('id', "Give 'id' or 'external_id'");
	}

	private senderId(): ProviderResponse {
		return success({ sender_id: this.state.senderId, updated_at: this.time(this.state.senderIdUpdatedAt) });
	}

	private updateSenderId(r: ProviderRequest): ProviderResponse {
		const value = requiredText(r.fields, 'sender_id').trim();
		// The seed's example `Sendit-ABCDEF12` is longer than an alphanumeric SMS sender (11): it names the gateway.
		if (!/^[A-Za-z0-9._-]{3,32}$/.test(value)) {
			throw validation('sender_id', "Field 'sender_id' must be 3 to 32 characters: letters, digits, '.', '_' or '-'", { value });
		}
		const previous = this.state.senderId;
		this.state.senderId = value;
		this.state.senderIdUpdatedAt = this.ctx.now();
		return success({ sender_id: value, previous_sender_id: previous, updated_at: this.time(this.state.senderIdUpdatedAt) });
	}

	private balance(): ProviderResponse {
		return success({ balance: this.seed.balance, currency: this.seed.currency });
	}

	private period(now: number): { start: number; end: number } {
		const d = new Date(now);
		const start = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
		const end = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) - 1000;
		return { start, end };
	}

	private usedThisPeriod(): number {
		const { start } = this.period(this.ctx.now());
		let used = this.seed.usedInPeriod;
		for (const m of this.state.messages.values()) if (m.createdAt >= start) used += 1;
		return used;
	}

	private subscription(): ProviderResponse {
		const { start, end } = this.period(this.ctx.now());
		const used = this.usedThisPeriod();
		return success({
			plan: this.seed.plan,
			status: this.seed.subscriptionActive ? 'active' : 'inactive',
			billing_period: { start: this.time(start), end: this.time(end) },
			limits: { messages_per_period: this.seed.messageLimit },
			usage: { messages: used },
			remaining: { messages: Math.max(0, this.seed.messageLimit - used) },
		});
	}

	/** The Android app calls this after scanning the key's QR code; the web panel polls check-scanned. */
	private markScanned(r: ProviderRequest): ProviderResponse {
		const device = textField(r.fields, 'device');
		if (this.state.scannedAt === null) this.state.scannedAt = this.ctx.now();
		if (device !== undefined && device.trim() !== '') this.state.scannedDevice = device.trim();
		return success(this.scanJson());
	}

	private checkScanned(): ProviderResponse {
		return success(this.scanJson());
	}

	private scanJson(): Record<string, unknown> {
		return { scanned: this.state.scannedAt !== null, scanned_at: this.time(this.state.scannedAt), device: this.state.scannedDevice };
	}

	// ---- gateway endpoints ------------------------------------------------------------------------

	private offerable(m: SbMessage, now: number): boolean {
		if (m.status === 'queued') return true;
		return m.status === 'claimed' && m.leaseUntil !== null && m.leaseUntil <= now;
	}

	private claim(m: SbMessage, now: number, by: 'gateway' | 'built-in'): void {
		if (m.status === 'claimed') m.lastError = 'Lease expired without a status report';
		m.attempts += 1;
		m.leaseUntil = now + this.seed.leaseMs;
		m.claimedBy = by;
		if (by === 'built-in') m.device = this.seed.builtInDevice;
		this.setStatus(m, 'claimed', now, by);
	}

	private pending(r: ProviderRequest): ProviderResponse {
		const limitText = textField(r.fields, 'limit');
		let limit = 50;
		if (limitText !== undefined && limitText.trim() !== '') {
			if (!/^\d+$/.test(limitText.trim())) throw validation('limit', "Field 'limit' must be an integer");
			limit = Number(limitText.trim());
			if (limit < 1 || limit > this.seed.maxPendingLimit) {
				throw validation('limit', `Field 'limit' must be between 1 and ${this.seed.maxPendingLimit}`);
			}
		}
		const now = this.ctx.now();
		const picked = [...this.state.messages.values()]
			.filter((m) => this.offerable(m, now))
			.sort((a, b) => a.id - b.id)
			.slice(0, limit);
		const messages = picked.map((m) => {
			// The seed's sample lists `"status":"queued"` for a message being handed out: the row as selected,
			// before the claim is written. Kept that way so clients never rely on this field.
			const selectedStatus = m.status;
			this.claim(m, now, 'gateway');
			return {
				id: m.id,
				target_phone: m.to,
				message_text: `${m.messagePrefix}${m.text}`,
				external_id: m.externalId,
				status: selectedStatus,
				sender: m.sender,
				sender_phone: m.senderPhone,
				attempts: m.attempts,
				lease_until: this.time(m.leaseUntil),
			};
		});
		return success({ count: messages.length, messages });
	}

	private report(r: ProviderRequest): ProviderResponse {
		const f = r.fields;
		if (f.message_id === undefined || f.message_id === null || f.message_id === '') throw validation('message_id', "Field 'message_id' is required");
		const id = parseId(f.message_id, 'message_id');
		const statusText = requiredText(f, 'status').trim();
		if (!(REPORTABLE as string[]).includes(statusText)) {
			throw validation('status', `Field 'status' must be one of ${REPORTABLE.join(', ')}`, { allowed: REPORTABLE });
		}
		const status = statusText as SbStatus;
		const senderId = textField(f, 'sender_id');
		const details = f.details;
		if (details !== undefined && details !== null && (typeof details !== 'object' || Array.isArray(details))) {
			throw validation('details', "Field 'details' must be an object");
		}
		const detailObj = (details ?? {}) as Record<string, FieldValue>;
		const device = typeof detailObj.device === 'string' ? detailObj.device : null;
		const error = typeof detailObj.error === 'string' && detailObj.error !== '' ? detailObj.error : null;

		const m = this.state.messages.get(id);
		if (!m) throw new SbError(404, 'message_not_found', `Message ${id} not found`, { message_id: id });
		const now = this.ctx.now();
		if (m.status === 'queued') {
			throw new SbError(409, 'message_not_claimed', `Message ${id} has not been claimed`, { message_id: id, status: m.status });
		}
		// A gateway that lost the answer to its report will repeat it: the same final status again is a no-op.
		if (FINAL.includes(m.status) && m.status === status) return success(this.messageJson(m));
		const allowed: Partial<Record<SbStatus, SbStatus[]>> = {
			claimed: ['claimed', 'sent_to_device', 'sms_sent', 'failed'],
			sent_to_device: ['sent_to_device', 'sms_sent', 'failed'],
		};
		if (!(allowed[m.status] ?? []).includes(status)) {
			throw new SbError(409, 'invalid_status_transition', `Cannot change message ${id} from ${m.status} to ${status}`, {
				message_id: id,
				status: m.status,
				requested: status,
			});
		}
		if (senderId !== undefined && senderId.trim() !== '') m.senderId = senderId.trim();
		if (device !== null) m.device = device;
		m.claimedBy = 'gateway';
		switch (status) {
			case 'claimed':
				// A heartbeat: the gateway needs longer, so the lease starts again (attempts stay).
				m.leaseUntil = now + this.seed.leaseMs;
				break;
			case 'sent_to_device':
				// Handed to the phone's SMS stack: re-offering now could send twice, so the lease ends here.
				m.leaseUntil = null;
				break;
			case 'sms_sent':
				m.leaseUntil = null;
				m.sentAt = now;
				break;
			case 'failed':
				m.leaseUntil = null;
				m.lastError = error ?? 'Reported as failed by the gateway';
				break;
			default:
				break;
		}
		this.setStatus(m, status, now, 'gateway');
		return success(this.messageJson(m));
	}

	// ---- leases and progression --------------------------------------------------------------------

	private setStatus(m: SbMessage, status: SbStatus, now: number, by: string): void {
		m.status = status;
		m.updatedAt = now;
		m.lastStepAt = now;
		m.history.push({ status, at: new Date(now).toISOString(), by });
	}

	/** A claim whose lease ran out on the last allowed attempt fails instead of being offered again. */
	private sweep(now: number): void {
		if (this.seed.maxAttempts <= 0) return;
		for (const m of this.state.messages.values()) {
			if (m.status === 'claimed' && m.leaseUntil !== null && m.leaseUntil <= now && m.attempts >= this.seed.maxAttempts) {
				m.leaseUntil = null;
				m.lastError = `Lease expired after ${m.attempts} attempts`;
				this.setStatus(m, 'failed', now, 'server');
			}
		}
	}

	/** Ends every running lease now, so tests see the re-offer without waiting `leaseMs`. */
	expireLeases(): number {
		const now = this.ctx.now();
		let count = 0;
		for (const m of this.state.messages.values()) {
			if (m.status === 'claimed' && m.leaseUntil !== null && m.leaseUntil > now) {
				m.leaseUntil = now;
				count += 1;
			}
		}
		this.sweep(now);
		return count;
	}

	/** One step of the built-in phone: queued → claimed → sent_to_device → sms_sent | failed. */
	private step(m: SbMessage, now: number): boolean {
		if (!this.seed.builtInDeviceEnabled || m.outcome === 'stuck') return false;
		if (m.status === 'queued') {
			this.claim(m, now, 'built-in');
			return true;
		}
		// Messages a real gateway claimed belong to it; the built-in phone does not interfere.
		if (m.claimedBy !== 'built-in') return false;
		if (m.status === 'claimed') {
			m.leaseUntil = null;
			m.senderId = this.state.senderId;
			this.setStatus(m, 'sent_to_device', now, 'built-in');
			return true;
		}
		if (m.status === 'sent_to_device') {
			if (m.outcome === 'failed') {
				// Android's SmsManager name for the usual radio failure, as a phone would report it.
				m.lastError = 'RESULT_ERROR_GENERIC_FAILURE';
				this.setStatus(m, 'failed', now, 'built-in');
			} else {
				m.sentAt = now;
				this.setStatus(m, 'sms_sent', now, 'built-in');
			}
			return true;
		}
		return false;
	}

	advance(steps: number): void {
		const now = this.ctx.now();
		for (const m of [...this.state.messages.values()]) {
			for (let i = 0; i < steps; i++) if (!this.step(m, now)) break;
		}
	}

	advanceDue(now: number, stepMs: number): void {
		this.sweep(now);
		for (const m of this.state.messages.values()) {
			while (now - m.lastStepAt >= stepMs) {
				if (!this.step(m, m.lastStepAt + stepMs)) break;
			}
		}
	}

	setMessageStatus(messageId: string, status: number | string): unknown {
		const m = this.state.messages.get(Number(messageId));
		if (!m) throw new Error(`smsbridge: no message ${messageId}`);
		const value = String(status) as SbStatus;
		if (!SB_STATUSES.includes(value)) throw new Error(`smsbridge: status must be one of ${SB_STATUSES.join(', ')}`);
		const now = this.ctx.now();
		m.leaseUntil = value === 'claimed' ? now + this.seed.leaseMs : null;
		if (value === 'sms_sent' && m.sentAt === null) m.sentAt = now;
		this.setStatus(m, value, now, 'control');
		return this.messageSnapshot(m);
	}

	// ---- shapes and inspection --------------------------------------------------------------------

	messageJson(m: SbMessage): Record<string, unknown> {
		return {
			id: m.id,
			to: m.to,
			text: m.text,
			message_prefix: m.messagePrefix,
			sender: m.sender,
			sender_phone: m.senderPhone,
			external_id: m.externalId,
			status: m.status,
			attempts: m.attempts,
			lease_until: this.time(m.leaseUntil),
			last_error: m.lastError,
			sender_id: m.senderId,
			device: m.device,
			created_at: this.time(m.createdAt),
			updated_at: this.time(m.updatedAt),
			sent_at: this.time(m.sentAt),
		};
	}

	private messageSnapshot(m: SbMessage): Record<string, unknown> {
		return {
			...this.messageJson(m),
			claimedBy: m.claimedBy,
			outcome: m.outcome,
			leaseUntilMs: m.leaseUntil,
			requestSeq: m.requestSeq,
			history: m.history.map((h) => ({ ...h })),
		};
	}

	snapshot(): unknown {
		const s = this.state;
		return {
			messages: [...s.messages.values()].map((m) => this.messageSnapshot(m)),
			senderId: s.senderId,
			keyRevoked: s.keyRevoked,
			scanned: this.scanJson(),
			usedThisPeriod: this.usedThisPeriod(),
			leaseMs: this.seed.leaseMs,
			maxAttempts: this.seed.maxAttempts,
			externalIdReuse: this.seed.externalIdReuse,
		};
	}

	describeSeed(): Record<string, unknown> {
		return {
			baseUrl: `${this.ctx.providerUrl()}/api/v2`,
			apiKey: this.seed.apiKey,
			senderId: this.seed.senderId,
			leaseMs: this.seed.leaseMs,
		};
	}

	renderHtml(h: HtmlHelpers): string {
		const now = this.ctx.now();
		const rows = [...this.state.messages.values()]
			.sort((a, b) => b.id - a.id)
			.slice(0, 100)
			.map((m) => {
				const lease =
					m.leaseUntil === null ? '' : m.leaseUntil > now ? `${Math.ceil((m.leaseUntil - now) / 1000)} s left` : 'expired';
				return [
					String(m.id),
					h.escape(m.to),
					h.escape(`${m.messagePrefix}${m.text}`),
					h.escape(m.externalId ?? ''),
					`<span class="st">${h.escape(m.status)}</span>`,
					String(m.attempts),
					h.escape(lease),
					h.escape(m.lastError ?? ''),
					h.escape(m.device ?? ''),
				];
			});
		const key = this.state.keyRevoked ? 'revoked' : 'valid';
		return [
			`<p class="muted">Base URL <code>${h.escape(`${this.ctx.providerUrl()}/api/v2`)}</code>, API key <code>${h.escape(this.seed.apiKey)}</code> (${key}), sender id <code>${h.escape(this.state.senderId)}</code>, lease ${h.escape(this.seed.leaseMs)} ms.</p>`,
			`<h3>Queue (${this.state.messages.size})</h3>`,
			h.table(['id', 'to', 'text', 'external id', 'status', 'attempts', 'lease', 'last error', 'device'], rows),
		].join('\n');
	}
}

export const smsBridge: ProviderFactory = {
	name: SMSBRIDGE,
	create: (ctx) => new SmsBridgeProvider(ctx),
};
