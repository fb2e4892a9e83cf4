/**
 * MessageFlow emulation (seed 001, providers.md §2). Mounted at `/messageflow`, so a credential's Base URL
 * is `<simulator>/messageflow` and the SMS resource is `<simulator>/messageflow/v2.1/sms`.
 *
 * MessageFlow publishes the send request and the answer's models, little else. Everything it leaves open
 * (status codes, ids, error texts, webhook payloads, how a 202 is repeated) is decided here and listed in
 * simulator/README.md under "MessageFlow"; when changing one of those choices, change the README too.
 */
import { createHash, randomUUID } from 'node:crypto';
import { isRealDate, sqlDateTime } from '../core/time';
import type {
	FieldValue,
	HtmlHelpers,
	IncomingInput,
	ProviderContext,
	ProviderFactory,
	ProviderInstance,
	ProviderRequest,
	ProviderResponse,
} from '../core/types';
// The accounts the simulator is seeded with: one file, read by the e2e suites, the demo and the bench too.
import ACCOUNTS from '../accounts.json';

export const MESSAGEFLOW = 'messageflow';

export interface MessageFlowSeed {
	/** Value of the `Authorization` header, raw (MessageFlow takes no "Bearer" prefix). */
	authorizationKey: string;
	/** Value of the `Application-Key` header. */
	applicationKey: string;
	/** Sender IDs registered in the panel; `sender` must be one of them (exact, case-sensitive). */
	senders: string[];
	/** Short code / long number 2-way messages arrive on (the `to` of incoming messages by default). */
	inboundNumber: string;
	accountBalance: number;
	/** Price of one SMS part; a message costs parts × this. */
	pricePerPart: number;
	currency: string;
	/** Ids are handed out upward from here and shown as strings (clients must treat them as opaque). */
	firstSmsId: number;
	/** Date format of answers and webhooks: `sql` = `YYYY-MM-DD HH:MM:SS` UTC, `rfc3339` = `YYYY-MM-DDTHH:MM:SSZ`. */
	timeFormat: 'sql' | 'rfc3339';
}

export const MF_DEFAULT_SEED: MessageFlowSeed = {
	...ACCOUNTS.messageFlow,
	senders: ['ACME', 'SHOP'],
	inboundNumber: '48799000111',
	accountBalance: 1000,
	pricePerPart: 0.07,
	currency: 'PLN',
	firstSmsId: 7100000001,
	timeFormat: 'sql',
};

/**
 * Numeric status codes. MessageFlow does not publish its codes; these are the simulator's own, chosen so
 * that each of the package's normalised statuses has exactly one code (see README "MessageFlow status codes").
 */
export const MF_STATUS = {
	scheduled: 1,
	queued: 2,
	sent: 3,
	delivered: 4,
	undelivered: 5,
	expired: 6,
	failed: 7,
} as const;

export const MF_STATUS_NAMES: Record<number, string> = {
	1: 'Scheduled',
	2: 'Queued',
	3: 'Sent',
	4: 'Delivered',
	5: 'Undelivered',
	6: 'Expired',
	7: 'Failed',
};

/** Statuses after which nothing changes by itself; reaching one fires the delivery report. */
const FINAL_STATUSES = new Set<number>([4, 5, 6, 7]);

export function mfStatusName(status: number): string {
	return MF_STATUS_NAMES[status] ?? 'Unknown';
}

/** Test outcomes chosen by the recipient's last digits (README "MessageFlow outcome by number"). */
export type MfOutcome = 'delivered' | 'undelivered' | 'expired' | 'failed' | 'stuck';

const PATHS: Record<MfOutcome, number[]> = {
	delivered: [2, 3, 4],
	undelivered: [2, 3, 5],
	expired: [2, 3, 6],
	failed: [2, 7],
	stuck: [2, 3],
};

export function mfOutcomeFor(phoneNumber: string): MfOutcome {
	const digits = phoneNumber.replace(/\D/g, '');
	if (digits.endsWith('0000')) return 'expired';
	if (digits.endsWith('1111')) return 'undelivered';
	if (digits.endsWith('2222')) return 'stuck';
	if (digits.endsWith('3333')) return 'failed';
	return 'delivered';
}

/** Numbers the "operator" refuses at submission: the number lands in `errors`, never in `data`. */
export function mfIsBlocked(phoneNumber: string): boolean {
	return phoneNumber.replace(/\D/g, '').endsWith('9999');
}

/** Digits only with an optional leading `+`, 8–15 digits, no leading zero: E.164 without separators. */
const PHONE_RE = /^\+?[1-9]\d{7,14}$/;

// ---- SMS part counting ---------------------------------------------------------------------------------

const GSM7_BASIC = new Set(
	[
		...'@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?',
		...'¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
	],
);
/** Characters reached through the GSM-7 escape: each costs two septets. */
const GSM7_EXTENSION = new Set([...'^{}\\[~]|€\f']);

export interface MfPartCount {
	encoding: 'GSM-7' | 'UCS-2';
	/** Septets for GSM-7 (extension characters count 2), UTF-16 code units for UCS-2. */
	units: number;
	parts: number;
}

/** The 160/153 and 70/67 rule from providers.md (MessageFlow's billing page). */
export function mfCountParts(text: string): MfPartCount {
	let septets = 0;
	let gsm = true;
	for (const ch of text) {
		if (GSM7_BASIC.has(ch)) septets += 1;
		else if (GSM7_EXTENSION.has(ch)) septets += 2;
		else {
			gsm = false;
			break;
		}
	}
	if (gsm) return { encoding: 'GSM-7', units: septets, parts: septets <= 160 ? 1 : Math.ceil(septets / 153) };
	// UCS-2 counts code units: an emoji outside the BMP takes two, as it does on the air interface.
	const units = text.length;
	return { encoding: 'UCS-2', units, parts: units <= 70 ? 1 : Math.ceil(units / 67) };
}

export const MF_MAX_PARTS = 9;

// ---- state ---------------------------------------------------------------------------------------------

export interface MfMessage {
	smsId: string;
	/** Request id (`meta.uniqId`) of the send call that created it. */
	uniqId: string;
	sender: string;
	phoneNumber: string;
	message: string;
	externalId: string | null;
	validity: number | null;
	scheduleTime: number | null;
	type: number | null;
	shortLink: boolean;
	webhookUrl: string | null;
	encoding: MfPartCount['encoding'];
	numberOfParts: number;
	smsPrice: number;
	status: number;
	statusAt: number;
	createdAt: number;
	outcome: MfOutcome;
	history: { status: number; at: string }[];
	/** Recorded request that created the message (links state to `GET /__sim/requests`). */
	requestSeq: number;
}

export interface MfIncoming {
	smsId: string;
	from: string;
	to: string;
	message: string;
	receivedAt: number;
}

export interface MfWebhookConfig {
	deliveryUrl?: string;
	incomingUrl?: string;
	headers: Record<string, string>;
}

export type MfHoldTarget = 'send' | 'list' | 'any';

/** "Answer the next `remaining` matching requests with 202" (see `holdNext`). */
export interface MfHoldRule {
	target: MfHoldTarget;
	remaining: number;
	retryAfterSeconds: number;
	expiresSeconds: number;
}

/** A request answered 202 whose real answer waits for the client to ask again. */
export interface MfPendingJob {
	fingerprint: string;
	kind: 'send' | 'list';
	uniqId: string;
	createdAt: number;
	readyAt: number;
	expiresAt: number;
	response: ProviderResponse;
	requestSeq: number;
	/** 202 answers given so far for this job (the first one included). */
	accepted: number;
}

export interface MfState {
	messages: Map<string, MfMessage>;
	inbox: MfIncoming[];
	nextSmsId: number;
	accountBalance: number;
	/** Set by `expireTokens({includeStatic:true})`: both keys answer 401 until reset. */
	keysRevoked: boolean;
	webhooks: MfWebhookConfig;
	hold: MfHoldRule | null;
	jobs: Map<string, MfPendingJob>;
}

// ---- answers -------------------------------------------------------------------------------------------

export interface MfError {
	title: string;
	message: string;
	code: number;
	meta?: { source: string; parameter?: string; value?: unknown };
}

interface Envelope {
	data: unknown[];
	errors: MfError[];
	meta: Record<string, unknown>;
}

/**
 * Errors raised before the application sees the request (routing, auth, content type) answer only
 * `{"errors":[...]}`, the way an API gateway in front of the service would; application answers carry the
 * full `{data, errors, meta}` envelope. Clients must cope with both.
 */
function gatewayError(status: number, error: MfError, headers?: Record<string, string>): ProviderResponse {
	return { status, headers, json: { errors: [error] } };
}

function envelope(status: number, body: Envelope): ProviderResponse {
	return { status, json: body };
}

function round4(value: number): number {
	return Math.round(value * 10000) / 10000;
}

/** Key-order independent JSON, so `{"a":1,"b":2}` and `{"b":2,"a":1}` fingerprint alike. */
function canonicalJson(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
	if (value && typeof value === 'object') {
		const entries = Object.entries(value as Record<string, unknown>)
			.filter(([, v]) => v !== undefined)
			.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
		return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
	}
	return JSON.stringify(value) ?? 'null';
}

const SQL_DATE_RE = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;
const RFC3339_RE = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** `dateFrom`/`dateTo`: RFC 3339 (any offset) or `YYYY-MM-DD hh:mm:ss` read as UTC. Undefined = not a date. */
export function mfParseDate(text: string): number | undefined {
	const value = text.trim();
	const m = SQL_DATE_RE.exec(value) ?? RFC3339_RE.exec(value);
	if (!m) return undefined;
	if (!isRealDate(Number(m[1]), Number(m[2]), Number(m[3]))) return undefined;
	if (Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6]) > 59) return undefined;
	const iso = m[8] === undefined ? `${value.replace(' ', 'T')}Z` : value;
	const ms = Date.parse(iso);
	return Number.isNaN(ms) ? undefined : ms;
}

function monthBefore(ms: number): number {
	const d = new Date(ms);
	d.setUTCMonth(d.getUTCMonth() - 1);
	return d.getTime();
}

function isHttpUrl(value: string): boolean {
	try {
		const url = new URL(value);
		return url.protocol === 'http:' || url.protocol === 'https:';
	} catch {
		return false;
	}
}

interface ValidSend {
	sender: string;
	message: string;
	phoneNumbers: unknown[];
	parts: MfPartCount;
	validity: number | null;
	scheduleTime: number | null;
	type: number | null;
	shortLink: boolean;
	webhookUrl: string | null;
	externalId: string | null;
}

const MAX_EXTERNAL_ID = 255;
const MAX_SENDER_FILTER = 10;
const MAX_LIMIT = 1000;
const DEFAULT_LIMIT = 100;
/** A `scheduleTime` further ahead than this is refused: it catches milliseconds sent where seconds belong. */
const MAX_SCHEDULE_AHEAD_S = 365 * 24 * 3600;

export class MessageFlowProvider implements ProviderInstance {
	readonly name = MESSAGEFLOW;
	readonly title = 'MessageFlow';
	readonly seed: MessageFlowSeed;
	state!: MfState;

	constructor(private readonly ctx: ProviderContext) {
		const overrides = (ctx.seed ?? {}) as Partial<MessageFlowSeed>;
		this.seed = { ...MF_DEFAULT_SEED, ...overrides };
		this.reset();
	}

	reset(): void {
		this.state = {
			messages: new Map(),
			inbox: [],
			nextSmsId: this.seed.firstSmsId,
			accountBalance: this.seed.accountBalance,
			keysRevoked: false,
			webhooks: { headers: {} },
			hold: null,
			jobs: new Map(),
		};
	}

	private time(ms: number): string {
		if (this.seed.timeFormat === 'rfc3339') return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
		return sqlDateTime(ms, 'UTC');
	}

	// ---- HTTP -------------------------------------------------------------------------------------

	async handle(r: ProviderRequest): Promise<ProviderResponse> {
		if (!/^\/v2\.1\/sms\/?$/.test(r.path)) {
			return gatewayError(404, { title: 'Not Found', message: `No resource at ${r.path}`, code: 404, meta: { source: 'path', value: r.path } });
		}
		const kind = r.method === 'POST' ? 'send' : r.method === 'GET' ? 'list' : undefined;
		if (!kind) {
			return gatewayError(
				405,
				{ title: 'Method Not Allowed', message: `${r.method} is not allowed on /v2.1/sms`, code: 405 },
				{ Allow: 'GET, POST' },
			);
		}
		const authError = this.checkAuth(r.headers);
		if (authError) return authError;

		const now = this.ctx.now();
		this.dropExpiredJobs(now);
		const fingerprint = this.fingerprint(r, kind);
		const job = this.state.jobs.get(fingerprint);
		if (job) {
			// The repeat of a 202: too early → another 202; ready → the stored answer, exactly once.
			if (now < job.readyAt) return this.acceptedAnswer(job, now);
			this.state.jobs.delete(fingerprint);
			return job.response;
		}

		const response = kind === 'send' ? this.send(r) : this.list(r);
		const hold = this.state.hold;
		// Only answers that took real work are deferred; auth and validation errors stay synchronous.
		const deferrable = response.status < 300 || (kind === 'list' && response.status === 404);
		if (hold && hold.remaining > 0 && (hold.target === 'any' || hold.target === kind) && deferrable) {
			hold.remaining -= 1;
			if (hold.remaining <= 0) this.state.hold = null;
			const meta = (response.json as Envelope | undefined)?.meta;
			const pending: MfPendingJob = {
				fingerprint,
				kind,
				uniqId: typeof meta?.uniqId === 'string' ? meta.uniqId : randomUUID(),
				createdAt: now,
				readyAt: now + hold.retryAfterSeconds * 1000,
				expiresAt: now + hold.expiresSeconds * 1000,
				response,
				requestSeq: r.seq,
				accepted: 0,
			};
			this.state.jobs.set(fingerprint, pending);
			return this.acceptedAnswer(pending, now);
		}
		return response;
	}

	authErrorResponse(): ProviderResponse {
		return gatewayError(401, {
			title: 'Unauthorized',
			message: 'Invalid authorization key',
			code: 401,
			meta: { source: 'header', parameter: 'Authorization' },
		});
	}

	/** Both keys are static (generated in the panel), so only a revocation (`includeStatic`) invalidates them. */
	expireTokens(options: { includeStatic?: boolean }): void {
		if (options.includeStatic) this.state.keysRevoked = true;
	}

	private checkAuth(headers: Record<string, string>): ProviderResponse | undefined {
		const unauthorized = (message: string, parameter: string): ProviderResponse =>
			gatewayError(401, { title: 'Unauthorized', message, code: 401, meta: { source: 'header', parameter } });
		const auth = headers.authorization?.trim();
		const appKey = headers['application-key']?.trim();
		if (!auth) return unauthorized('Missing Authorization header', 'Authorization');
		if (!appKey) return unauthorized('Missing Application-Key header', 'Application-Key');
		if (this.state.keysRevoked) return unauthorized('Authorization key has been revoked', 'Authorization');
		if (auth !== this.seed.authorizationKey) {
			// The one mistake worth spelling out: the key is sent raw, a Bearer prefix makes it wrong.
			const bearer = /^bearer\s+/i.test(auth) && auth.replace(/^bearer\s+/i, '') === this.seed.authorizationKey;
			return unauthorized(
				bearer ? 'Invalid authorization key (send the raw key, without a "Bearer" prefix)' : 'Invalid authorization key',
				'Authorization',
			);
		}
		if (appKey !== this.seed.applicationKey) return unauthorized('Invalid application key', 'Application-Key');
		return undefined;
	}

	// ---- 202 Accepted ---------------------------------------------------------------------------------

	/**
	 * Makes the next `times` send and/or list requests (after auth, with a 2xx answer or the list's 404)
	 * answer 202 with `Retry-After` and `Expires`. The request is processed at once (messages exist from the
	 * first call); the same request repeated after `Retry-After` and before `Expires` gets the real answer.
	 * `times <= 0` clears the rule.
	 */
	holdNext(options: { times?: number; target?: MfHoldTarget; retryAfterSeconds?: number; expiresSeconds?: number } = {}): MfHoldRule | null {
		const times = Math.floor(options.times ?? 1);
		const target = options.target ?? 'any';
		if (!['send', 'list', 'any'].includes(target)) throw new Error('messageflow: target must be send, list or any');
		const retryAfterSeconds = options.retryAfterSeconds ?? 1;
		const expiresSeconds = options.expiresSeconds ?? 60;
		if (!Number.isInteger(retryAfterSeconds) || retryAfterSeconds < 0) throw new Error('messageflow: retryAfterSeconds must be a whole number >= 0');
		if (!(expiresSeconds > retryAfterSeconds)) throw new Error('messageflow: expiresSeconds must be greater than retryAfterSeconds');
		this.state.hold = times > 0 ? { target, remaining: times, retryAfterSeconds, expiresSeconds } : null;
		return this.state.hold;
	}

	private fingerprint(r: ProviderRequest, kind: 'send' | 'list'): string {
		// The key is part of it so two accounts never collect each other's answers.
		const input = kind === 'send' ? canonicalJson(r.body) : canonicalJson(r.query);
		return createHash('sha256').update(`${kind}\n${r.headers['application-key'] ?? ''}\n${input}`).digest('hex');
	}

	private dropExpiredJobs(now: number): void {
		for (const [key, job] of this.state.jobs) if (now >= job.expiresAt) this.state.jobs.delete(key);
	}

	private acceptedAnswer(job: MfPendingJob, now: number): ProviderResponse {
		job.accepted += 1;
		const retryAfter = Math.max(0, Math.ceil((job.readyAt - now) / 1000));
		return {
			status: 202,
			headers: { 'Retry-After': String(retryAfter), Expires: new Date(job.expiresAt).toUTCString() },
			json: {
				data: [],
				errors: [],
				meta: { status: 202, uniqId: job.uniqId, retryAfter, expires: this.time(job.expiresAt) },
			},
		};
	}

	/**
	 * `GET /messageflow/__sim/long-running[/<times>[/<target>[/<retryAfterSeconds>[/<expiresSeconds>]]]]`
	 * — the HTTP way to call `holdNext` for out-of-process users (e2e, demo); without `<times>` it only
	 * shows the rule. It rides on `serveStatic` (GET, not recorded, never faulted, path only — hence path
	 * segments instead of a query) because the generic control API has no provider-specific hook.
	 */
	serveStatic(path: string): ProviderResponse | undefined {
		const m = /^\/__sim\/long-running(?:\/(-?\d+)(?:\/([a-z]+)(?:\/(\d+)(?:\/(\d+))?)?)?)?\/?$/.exec(path);
		if (!m) return undefined;
		if (m[1] !== undefined) {
			try {
				this.holdNext({
					times: Number(m[1]),
					target: (m[2] ?? 'any') as MfHoldTarget,
					retryAfterSeconds: m[3] === undefined ? undefined : Number(m[3]),
					expiresSeconds: m[4] === undefined ? undefined : Number(m[4]),
				});
			} catch (err) {
				return { status: 400, json: { error: (err as Error).message } };
			}
		}
		return { status: 200, json: { longRunning: this.state.hold ? { ...this.state.hold } : null, pendingJobs: this.state.jobs.size } };
	}

	// ---- send -------------------------------------------------------------------------------------------

	private validateSend(r: ProviderRequest): { valid?: ValidSend; errors: MfError[]; status: number } {
		const errors: MfError[] = [];
		const field = (parameter: string, message: string, value?: unknown, title = 'Validation Error'): void => {
			errors.push({ title, message, code: 422, meta: { source: 'body', parameter, value: value === undefined ? null : value } });
		};
		const b = r.body;

		const sender = b.sender;
		if (typeof sender !== 'string' || sender.trim() === '') field('sender', 'sender is required', sender);
		else if (!this.seed.senders.includes(sender)) field('sender', `Sender ${sender} is not registered for this account`, sender, 'Invalid sender');

		const message = b.message;
		let parts: MfPartCount | undefined;
		if (typeof message !== 'string' || message.trim() === '') field('message', 'message must be a non-empty string', message);
		else {
			parts = mfCountParts(message);
			if (parts.parts > MF_MAX_PARTS) {
				field(
					'message',
					`Message needs ${parts.parts} parts (${parts.encoding}, ${parts.units} characters); at most ${MF_MAX_PARTS} parts ` +
						'(1377 GSM-7 / 603 Unicode characters) are allowed',
					parts.units,
					'Message too long',
				);
			}
		}

		const phoneNumbers = b.phoneNumbers;
		if (!Array.isArray(phoneNumbers) || phoneNumbers.length === 0) {
			field('phoneNumbers', 'phoneNumbers must be a non-empty array of phone numbers', phoneNumbers);
		}

		const optionalInt = (name: string, check: (n: number) => string | undefined): number | null => {
			const value = b[name];
			if (value === undefined || value === null) return null;
			if (typeof value !== 'number' || !Number.isInteger(value)) {
				field(name, `${name} must be an integer`, value);
				return null;
			}
			const problem = check(value);
			if (problem) field(name, problem, value);
			return value;
		};
		const validity = optionalInt('validity', (n) => (n > 0 ? undefined : 'validity must be a positive integer'));
		const nowS = Math.floor(this.ctx.now() / 1000);
		const scheduleTime = optionalInt('scheduleTime', (n) => {
			if (n < 0) return 'scheduleTime must be a Unix time in seconds';
			if (n > nowS + MAX_SCHEDULE_AHEAD_S) return 'scheduleTime must be a Unix time in seconds, at most one year ahead';
			return undefined;
		});
		const type = optionalInt('type', (n) => (n >= 0 ? undefined : 'type must be a non-negative integer'));

		let shortLink = false;
		if (b.shortLink !== undefined && b.shortLink !== null) {
			if (typeof b.shortLink !== 'boolean') field('shortLink', 'shortLink must be a boolean', b.shortLink);
			else shortLink = b.shortLink;
		}
		let webhookUrl: string | null = null;
		if (b.webhookUrl !== undefined && b.webhookUrl !== null && b.webhookUrl !== '') {
			if (typeof b.webhookUrl !== 'string' || !isHttpUrl(b.webhookUrl)) field('webhookUrl', 'webhookUrl must be an http(s) URL', b.webhookUrl);
			else webhookUrl = b.webhookUrl;
		}
		let externalId: string | null = null;
		if (b.externalId !== undefined && b.externalId !== null && b.externalId !== '') {
			if (typeof b.externalId !== 'string') field('externalId', 'externalId must be a string', b.externalId);
			else if (b.externalId.length > MAX_EXTERNAL_ID) field('externalId', `externalId must be at most ${MAX_EXTERNAL_ID} characters`, b.externalId);
			else externalId = b.externalId;
		}

		if (errors.length > 0 || !parts) return { errors, status: 422 };
		return {
			errors,
			status: 201,
			valid: {
				sender: sender as string,
				message: message as string,
				phoneNumbers: phoneNumbers as unknown[],
				parts,
				validity,
				scheduleTime,
				type,
				shortLink,
				webhookUrl,
				externalId,
			},
		};
	}

	private send(r: ProviderRequest): ProviderResponse {
		const uniqId = randomUUID();
		const meta = (data: unknown[], errors: MfError[], status: number, notSent: number): Record<string, unknown> => ({
			sentSms: data.length,
			notSentSms: notSent,
			accountBalance: round4(this.state.accountBalance),
			numberOfErrors: errors.length,
			numberOfData: data.length,
			status,
			uniqId,
		});
		const contentType = r.contentType.split(';')[0].trim().toLowerCase();
		if (r.rawBody.length > 0 && contentType !== 'application/json' && !contentType.endsWith('+json')) {
			return gatewayError(415, {
				title: 'Unsupported Media Type',
				message: 'Send the request body as application/json',
				code: 415,
				meta: { source: 'header', parameter: 'Content-Type', value: r.contentType || null },
			});
		}
		if (r.bodyError || r.rawBody.length === 0) {
			const errors: MfError[] = [
				{
					title: 'Bad Request',
					message: r.bodyError ? `Request body is not a JSON object: ${r.bodyError}` : 'Request body is empty',
					code: 400,
					meta: { source: 'body' },
				},
			];
			return envelope(400, { data: [], errors, meta: meta([], errors, 400, 0) });
		}

		const checked = this.validateSend(r);
		const notSentAll = Array.isArray(r.body.phoneNumbers) ? r.body.phoneNumbers.length : 0;
		if (!checked.valid) {
			return envelope(checked.status, { data: [], errors: checked.errors, meta: meta([], checked.errors, checked.status, notSentAll) });
		}
		const v = checked.valid;
		const now = this.ctx.now();
		const price = round4(v.parts.parts * this.seed.pricePerPart);
		const scheduled = v.scheduleTime !== null && v.scheduleTime * 1000 > now;
		const data: Record<string, unknown>[] = [];
		const errors: MfError[] = [];
		const numberError = (title: string, message: string, value: unknown, code = 422): void => {
			errors.push({ title, message, code, meta: { source: 'body', parameter: 'phoneNumbers', value: value === undefined ? null : (value as FieldValue) } });
		};
		for (const entry of v.phoneNumbers) {
			if (typeof entry !== 'string' || !PHONE_RE.test(entry.trim())) {
				numberError('Invalid phone number', 'Phone number must be 8 to 15 digits with an optional leading +', entry);
				continue;
			}
			const phoneNumber = entry.trim();
			if (mfIsBlocked(phoneNumber)) {
				numberError('Blocked by operator', `The operator refuses messages to ${phoneNumber}`, phoneNumber);
				continue;
			}
			if (this.state.accountBalance + 1e-9 < price) {
				numberError('Insufficient funds', `Account balance ${round4(this.state.accountBalance)} ${this.seed.currency} is too low`, phoneNumber, 402);
				continue;
			}
			this.state.accountBalance = round4(this.state.accountBalance - price);
			const status = scheduled ? MF_STATUS.scheduled : MF_STATUS.queued;
			const m: MfMessage = {
				smsId: String(this.state.nextSmsId++),
				uniqId,
				sender: v.sender,
				phoneNumber,
				message: v.message,
				externalId: v.externalId,
				validity: v.validity,
				scheduleTime: v.scheduleTime,
				type: v.type,
				shortLink: v.shortLink,
				webhookUrl: v.webhookUrl,
				encoding: v.parts.encoding,
				numberOfParts: v.parts.parts,
				smsPrice: price,
				status,
				statusAt: now,
				createdAt: now,
				outcome: mfOutcomeFor(phoneNumber),
				history: [{ status, at: new Date(now).toISOString() }],
				requestSeq: r.seq,
			};
			this.state.messages.set(m.smsId, m);
			data.push(this.messageJson(m));
		}
		// 201 as soon as one number was taken (partial acceptance included); nothing taken is a 422.
		const status = data.length > 0 ? 201 : 422;
		return envelope(status, { data, errors, meta: meta(data, errors, status, errors.length) });
	}

	/** One message as `data[]` of the send answer and of the status list carry it. */
	private messageJson(m: MfMessage): Record<string, unknown> {
		return {
			smsId: m.smsId,
			sender: m.sender,
			phoneNumber: m.phoneNumber,
			externalId: m.externalId,
			status: m.status,
			statusTime: this.time(m.statusAt),
			createTime: this.time(m.createdAt),
			smsPrice: m.smsPrice,
			currency: this.seed.currency,
			numberOfParts: m.numberOfParts,
		};
	}

	// ---- status list -------------------------------------------------------------------------------------

	private list(r: ProviderRequest): ProviderResponse {
		const uniqId = randomUUID();
		const q = r.query;
		const errors: MfError[] = [];
		const bad = (parameter: string, message: string): void => {
			errors.push({ title: 'Validation Error', message, code: 422, meta: { source: 'query', parameter, value: q[parameter] ?? null } });
		};
		const intParam = (name: string, fallback: number, min: number, max: number): number => {
			const text = q[name];
			if (text === undefined || text.trim() === '') return fallback;
			if (!/^\d+$/.test(text.trim())) {
				bad(name, `${name} must be an integer`);
				return fallback;
			}
			const n = Number(text.trim());
			if (n < min || n > max) bad(name, `${name} must be between ${min} and ${max}`);
			return n;
		};
		const offset = intParam('offset', 0, 0, Number.MAX_SAFE_INTEGER);
		const limit = intParam('limit', DEFAULT_LIMIT, 1, MAX_LIMIT);
		const dateParam = (name: string): number | undefined => {
			const text = q[name];
			if (text === undefined || text.trim() === '') return undefined;
			const ms = mfParseDate(text);
			// `+02:00` in an unencoded query string arrives as ` 02:00`, which lands here too (send %2B).
			if (ms === undefined) bad(name, `${name} must be RFC 3339 or YYYY-MM-DD hh:mm:ss (UTC)`);
			return ms;
		};
		const dateFrom = dateParam('dateFrom');
		const dateTo = dateParam('dateTo');
		if (dateFrom !== undefined && dateTo !== undefined && dateFrom > dateTo) bad('dateTo', 'dateTo must not be before dateFrom');
		let senders: string[] | undefined;
		if (q.sender !== undefined && q.sender.trim() !== '') {
			senders = q.sender
				.split(',')
				.map((s) => s.trim())
				.filter((s) => s !== '');
			if (senders.length > MAX_SENDER_FILTER) bad('sender', `At most ${MAX_SENDER_FILTER} senders can be given`);
		}
		const meta = (total: number, count: number, status: number): Record<string, unknown> => ({
			total,
			offset,
			limit: Math.min(limit, this.ctx.maxListSize),
			numberOfData: count,
			numberOfErrors: errors.length,
			status,
			uniqId,
		});
		if (errors.length > 0) return envelope(422, { data: [], errors, meta: meta(0, 0, 422) });

		const now = this.ctx.now();
		// Only the last calendar month is kept for the status list, whatever dateFrom asks for.
		const windowStart = monthBefore(now);
		// Answers show whole seconds, so filters compare whole seconds: dateTo 10:00:05 includes 10:00:05.400.
		const matches = [...this.state.messages.values()]
			.filter((m) => {
				const created = Math.floor(m.createdAt / 1000) * 1000;
				if (m.createdAt < windowStart) return false;
				if (dateFrom !== undefined && created < dateFrom) return false;
				if (dateTo !== undefined && created > dateTo) return false;
				if (senders && !senders.includes(m.sender)) return false;
				return true;
			})
			.sort((a, b) => a.createdAt - b.createdAt || Number(a.smsId) - Number(b.smsId));
		const page = matches.slice(offset, offset + Math.min(limit, this.ctx.maxListSize));
		if (page.length === 0) {
			const notFound: MfError[] = [{ title: 'Not Found', message: 'No results', code: 404 }];
			return envelope(404, { data: [], errors: notFound, meta: { ...meta(matches.length, 0, 404), numberOfErrors: 1 } });
		}
		return envelope(200, { data: page.map((m) => this.messageJson(m)), errors: [], meta: meta(matches.length, page.length, 200) });
	}

	// ---- progression and webhooks --------------------------------------------------------------------

	private setStatus(m: MfMessage, status: number, at: number): void {
		if (m.status === status) return;
		m.status = status;
		m.statusAt = at;
		m.history.push({ status, at: new Date(at).toISOString() });
		if (FINAL_STATUSES.has(status)) this.sendDeliveryReport(m);
	}

	/** One step along the message's path; false at the end, off-path (forced) or while scheduled and not due. */
	private step(m: MfMessage, at: number, respectSchedule: boolean): boolean {
		if (m.status === MF_STATUS.scheduled) {
			if (respectSchedule && m.scheduleTime !== null && at < m.scheduleTime * 1000) return false;
			this.setStatus(m, PATHS[m.outcome][0], at);
			return true;
		}
		const path = PATHS[m.outcome];
		const index = path.indexOf(m.status);
		if (index < 0 || index === path.length - 1) return false;
		this.setStatus(m, path[index + 1], at);
		return true;
	}

	/** `advance` stands for time passing, so it also releases scheduled messages whatever their scheduleTime. */
	advance(steps: number): void {
		const now = this.ctx.now();
		for (const m of this.state.messages.values()) {
			for (let i = 0; i < steps; i++) if (!this.step(m, now, false)) break;
		}
	}

	advanceDue(now: number, stepMs: number): void {
		for (const m of this.state.messages.values()) {
			if (m.status === MF_STATUS.scheduled && m.scheduleTime !== null) {
				// A scheduled message leaves status 1 at its scheduleTime, then steps every stepMs from there.
				const due = m.scheduleTime * 1000;
				if (now < due) continue;
				if (due > m.statusAt) m.statusAt = due - stepMs;
			}
			while (now - m.statusAt >= stepMs) {
				if (!this.step(m, m.statusAt + stepMs, true)) break;
			}
		}
	}

	setMessageStatus(messageId: string, status: number | string): unknown {
		const m = this.state.messages.get(String(messageId));
		if (!m) throw new Error(`messageflow: no message ${messageId}`);
		let value = Number(status);
		if (!Number.isInteger(value)) {
			const byName = Object.entries(MF_STATUS_NAMES).find(([, name]) => name.toLowerCase() === String(status).trim().toLowerCase());
			if (!byName) throw new Error(`messageflow: unknown status ${String(status)} (use a code or ${Object.values(MF_STATUS_NAMES).join(', ')})`);
			value = Number(byName[0]);
		}
		this.setStatus(m, value, this.ctx.now());
		return this.messageSnapshot(m);
	}

	injectIncoming(input: IncomingInput): unknown {
		if (!input.from) throw new Error('messageflow: incoming message needs `from`');
		// `to` is not part of the shared IncomingInput yet; over HTTP `deviceId` carries the number instead.
		const extra = input as IncomingInput & { to?: unknown };
		const toValue = extra.to ?? input.deviceId;
		const to = toValue === undefined || toValue === null || toValue === '' ? this.seed.inboundNumber : String(toValue);
		const now = this.ctx.now();
		const incoming: MfIncoming = { smsId: String(this.state.nextSmsId++), from: input.from, to, message: input.body ?? '', receivedAt: now };
		this.state.inbox.push(incoming);
		const config = this.state.webhooks;
		if (config.incomingUrl) {
			this.ctx.sendWebhook({
				provider: this.name,
				kind: 'incoming',
				url: config.incomingUrl,
				headers: config.headers,
				payload: {
					event: 'sms.incoming',
					smsId: incoming.smsId,
					from: incoming.from,
					to: incoming.to,
					message: incoming.message,
					receiveTime: this.time(now),
				},
			});
		}
		return this.incomingSnapshot(incoming);
	}

	configureWebhooks(config: Record<string, unknown>): unknown {
		const current = this.state.webhooks;
		const url = (value: unknown, name: string): string | undefined => {
			if (value === null) return undefined;
			const text = String(value);
			if (!isHttpUrl(text)) throw new Error(`messageflow: ${name} must be an http(s) URL`);
			return text;
		};
		// `null` removes a URL, `undefined` keeps it: a test can change one hook without restating the other.
		if (config.deliveryUrl !== undefined) current.deliveryUrl = url(config.deliveryUrl, 'deliveryUrl');
		if (config.incomingUrl !== undefined) current.incomingUrl = url(config.incomingUrl, 'incomingUrl');
		if (config.headers !== undefined || config.basicAuth !== undefined) {
			const headers: Record<string, string> = {};
			if (config.headers && typeof config.headers === 'object') {
				for (const [k, v] of Object.entries(config.headers as Record<string, unknown>)) headers[k] = String(v);
			}
			const basic = config.basicAuth as { username?: unknown; password?: unknown } | undefined | null;
			if (basic && typeof basic === 'object') {
				headers.Authorization = `Basic ${Buffer.from(`${String(basic.username ?? '')}:${String(basic.password ?? '')}`).toString('base64')}`;
			}
			current.headers = headers;
		}
		return this.webhookConfig();
	}

	webhookConfig(): unknown {
		return { ...this.state.webhooks, headers: { ...this.state.webhooks.headers } };
	}

	/**
	 * A message's own `webhookUrl` wins over the panel's delivery URL (the per-message URL exists to
	 * override it); the panel's authorisation headers go with either, since the receiver is the user's.
	 */
	private sendDeliveryReport(m: MfMessage): void {
		const url = m.webhookUrl ?? this.state.webhooks.deliveryUrl;
		if (!url) return;
		this.ctx.sendWebhook({
			provider: this.name,
			kind: 'delivery',
			url,
			headers: this.state.webhooks.headers,
			payload: {
				event: 'sms.dlr',
				smsId: m.smsId,
				uniqId: m.uniqId,
				externalId: m.externalId,
				sender: m.sender,
				phoneNumber: m.phoneNumber,
				status: m.status,
				statusName: mfStatusName(m.status),
				statusTime: this.time(m.statusAt),
				createTime: this.time(m.createdAt),
				numberOfParts: m.numberOfParts,
			},
		});
	}

	// ---- inspection ------------------------------------------------------------------------------------

	private messageSnapshot(m: MfMessage): Record<string, unknown> {
		return {
			smsId: m.smsId,
			uniqId: m.uniqId,
			sender: m.sender,
			phoneNumber: m.phoneNumber,
			message: m.message,
			externalId: m.externalId,
			validity: m.validity,
			scheduleTime: m.scheduleTime,
			type: m.type,
			shortLink: m.shortLink,
			webhookUrl: m.webhookUrl,
			encoding: m.encoding,
			numberOfParts: m.numberOfParts,
			smsPrice: m.smsPrice,
			status: m.status,
			statusName: mfStatusName(m.status),
			outcome: m.outcome,
			createdAt: new Date(m.createdAt).toISOString(),
			statusAt: new Date(m.statusAt).toISOString(),
			requestSeq: m.requestSeq,
			history: m.history.map((h) => ({ ...h })),
		};
	}

	private incomingSnapshot(i: MfIncoming): Record<string, unknown> {
		return { smsId: i.smsId, from: i.from, to: i.to, message: i.message, receivedAt: new Date(i.receivedAt).toISOString() };
	}

	snapshot(): unknown {
		return {
			messages: [...this.state.messages.values()].map((m) => this.messageSnapshot(m)),
			inbox: this.state.inbox.map((i) => this.incomingSnapshot(i)),
			accountBalance: round4(this.state.accountBalance),
			currency: this.seed.currency,
			keysRevoked: this.state.keysRevoked,
			longRunning: this.state.hold ? { ...this.state.hold } : null,
			pendingJobs: [...this.state.jobs.values()].map((j) => ({
				kind: j.kind,
				uniqId: j.uniqId,
				requestSeq: j.requestSeq,
				accepted: j.accepted,
				readyAt: new Date(j.readyAt).toISOString(),
				expiresAt: new Date(j.expiresAt).toISOString(),
				status: j.response.status,
			})),
			webhooks: this.webhookConfig(),
		};
	}

	describeSeed(): Record<string, unknown> {
		return {
			baseUrl: this.ctx.providerUrl(),
			authorizationKey: this.seed.authorizationKey,
			applicationKey: this.seed.applicationKey,
			senders: [...this.seed.senders],
			inboundNumber: this.seed.inboundNumber,
		};
	}

	renderHtml(h: HtmlHelpers): string {
		const colour: Record<number, string> = { 4: '#cfc', 3: '#dfd', 5: '#fcc', 6: '#fcc', 7: '#fcc' };
		const statusCell = (status: number): string =>
			`<span class="st" style="background:${colour[status] ?? '#eee'}">${status} ${h.escape(mfStatusName(status))}</span>`;
		const outbox = [...this.state.messages.values()].reverse().slice(0, 100);
		const out = h.table(
			['smsId', 'to', 'sender', 'message', 'parts', 'price', 'status', 'externalId', 'created'],
			outbox.map((m) => [
				h.escape(m.smsId),
				h.escape(m.phoneNumber),
				h.escape(m.sender),
				h.escape(m.message),
				`${m.numberOfParts} ${h.escape(m.encoding)}`,
				h.escape(`${m.smsPrice} ${this.seed.currency}`),
				statusCell(m.status),
				h.escape(m.externalId ?? ''),
				h.escape(new Date(m.createdAt).toISOString()),
			]),
		);
		const inbox = h.table(
			['smsId', 'from', 'to', 'message', 'received'],
			[...this.state.inbox]
				.reverse()
				.slice(0, 100)
				.map((i) => [h.escape(i.smsId), h.escape(i.from), h.escape(i.to), h.escape(i.message), h.escape(new Date(i.receivedAt).toISOString())]),
		);
		const hold = this.state.hold
			? `next ${this.state.hold.remaining} ${this.state.hold.target} request(s) answer 202 (Retry-After ${this.state.hold.retryAfterSeconds} s)`
			: 'off';
		return [
			`<p class="muted">Authorization <code>${h.escape(this.seed.authorizationKey)}</code>, Application-Key <code>${h.escape(this.seed.applicationKey)}</code>${this.state.keysRevoked ? ' (revoked)' : ''}; senders ${h.escape(this.seed.senders.join(', '))}; inbound ${h.escape(this.seed.inboundNumber)}; balance ${h.escape(round4(this.state.accountBalance))} ${h.escape(this.seed.currency)}; long-running: ${h.escape(hold)}, ${this.state.jobs.size} pending.</p>`,
			`<h3>Outbox (${outbox.length})</h3>${out}`,
			`<h3>Inbox (${this.state.inbox.length})</h3>${inbox}`,
		].join('\n');
	}
}

export const messageFlow: ProviderFactory = {
	name: MESSAGEFLOW,
	create: (ctx) => new MessageFlowProvider(ctx),
};
