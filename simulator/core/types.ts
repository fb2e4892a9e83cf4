/**
 * Shared shapes of the simulator: what a provider module receives and answers, what the recorder keeps,
 * and what a fault rule looks like. Provider modules depend on this file only (plus the small helpers in
 * core/), never on the server, so a new provider stays one self-contained file.
 */

export type FieldValue = string | number | boolean | null | FieldValue[] | { [key: string]: FieldValue };

export interface UploadedFile {
	/** Form field the file came in (`file` for SMSGateway24). */
	field: string;
	/** File name the client sent in Content-Disposition. */
	filename: string;
	mime: string;
	data: Buffer;
}

/** A provider request after body parsing, with the provider's mount prefix removed from `path`. */
export interface ProviderRequest {
	/** Sequence number of the recorded request, so state can point back at the request that created it. */
	seq: number;
	method: string;
	/** Path below the provider prefix, e.g. `/getdata/addsms` for `/smsgateway24/getdata/addsms`. */
	path: string;
	query: Record<string, string>;
	/** Body fields only (JSON object members, form fields, multipart text parts). */
	body: Record<string, FieldValue>;
	/** Query and body merged, body winning: what a PHP `$_REQUEST` or Laravel `input()` would see. */
	fields: Record<string, FieldValue>;
	files: UploadedFile[];
	headers: Record<string, string>;
	contentType: string;
	rawBody: Buffer;
	/** Set when the body could not be parsed (bad JSON, broken multipart); the provider decides what that means. */
	bodyError?: string;
}

export interface ProviderResponse {
	status: number;
	headers?: Record<string, string>;
	/** Serialised as JSON unless `raw` is given. */
	json?: unknown;
	/** Exact body text/bytes: used when member order matters (PHP keeps insertion order, JS objects do not). */
	raw?: string | Buffer;
	contentType?: string;
}

export interface IncomingInput {
	from: string;
	body: string;
	deviceId?: number | string;
	/** Optional image URL for providers whose inbox supports pictures. */
	imageUrl?: string;
	sim?: number;
}

export interface WebhookDelivery {
	seq: number;
	time: string;
	provider: string;
	kind: string;
	url: string;
	headers: Record<string, string>;
	payload: unknown;
	/** HTTP status the receiver answered, or undefined while in flight / on network error. */
	status?: number;
	error?: string;
	durationMs?: number;
}

export interface WebhookRequest {
	provider: string;
	kind: string;
	url: string;
	payload: unknown;
	headers?: Record<string, string>;
}

/** What the server lends to a provider module. */
export interface ProviderContext {
	/** Public base URL of the simulator (no trailing slash), known once the server listens. */
	baseUrl(): string;
	/** URL prefix of this provider, e.g. `http://127.0.0.1:4010/smsgateway24`. */
	providerUrl(): string;
	/** Cap for list endpoints (Infinity = return everything). */
	maxListSize: number;
	/** Per-provider seed overrides from `SimulatorOptions.seed[name]`. */
	seed: unknown;
	/** Fire-and-forget webhook POST; the server tracks and records it. */
	sendWebhook(request: WebhookRequest): void;
	now(): number;
}

/** Rendering helpers passed to `renderHtml` so providers share one look without importing the page code. */
export interface HtmlHelpers {
	escape(value: unknown): string;
	table(headers: string[], rows: string[][]): string;
}

/**
 * One emulated provider. The server owns routing, recording, faults, latency and the HTML frame;
 * the provider owns its state and answers.
 */
export interface ProviderInstance {
	readonly name: string;
	readonly title: string;
	/** Answers a provider request. Thrown errors become a 500 so a bug in the simulator is visible. */
	handle(request: ProviderRequest): ProviderResponse | Promise<ProviderResponse>;
	/** Files and other passive assets served without recording or faults (e.g. uploaded images). */
	serveStatic?(path: string): ProviderResponse | undefined;
	/** Back to seed data. */
	reset(): void;
	/** Moves every message `steps` statuses forward. */
	advance(steps: number): void;
	/** Moves messages whose status is older than `stepMs` (automatic progression). */
	advanceDue(now: number, stepMs: number): void;
	/** Invalidates every session credential; `includeStatic` also revokes pasted/static ones. */
	expireTokens(options: { includeStatic?: boolean }): void;
	/** The answer a client sees when its credential is no longer valid (used by the `expiredToken` fault). */
	authErrorResponse(): ProviderResponse;
	injectIncoming?(input: IncomingInput): unknown;
	setMessageStatus?(messageId: string, status: number | string): unknown;
	configureWebhooks?(config: Record<string, unknown>): unknown;
	webhookConfig?(): unknown;
	/** JSON-safe view of the state for `GET /__sim/state`. */
	snapshot(): unknown;
	/** Credentials and ids worth printing at start-up. */
	describeSeed(): Record<string, unknown>;
	renderHtml(helpers: HtmlHelpers): string;
}

export interface ProviderFactory {
	/** Mount prefix and provider id; lower-case, URL-safe. */
	readonly name: string;
	create(context: ProviderContext): ProviderInstance;
}

export type FaultKind = 'latency' | 'status' | 'timeout' | 'drop' | 'malformed' | 'html' | 'empty' | 'expiredToken';

export interface FaultRuleInput {
	provider?: string;
	/** Substring of the request path (query string included). */
	pathIncludes?: string;
	/** HTTP method to match (case-insensitive). */
	method?: string;
	/** How many matching requests the rule affects; default 1; 0 or negative = until cleared. */
	times?: number;
	/** Let this many matching requests through untouched before the rule starts to apply (default 0). */
	skip?: number;
	/** Process the request first (state changes happen), then replace the answer. */
	afterProcessing?: boolean;
	kind: FaultKind;
	latencyMs?: number;
	status?: number;
	retryAfter?: number | string;
	body?: unknown;
	/**
	 * status/html: the answer's body is the request's own body, as sent (a server error page that
	 * echoes the request, as PHP debug pages do): what a client quotes from it must hold no secret.
	 */
	echoRequest?: boolean;
}

export interface FaultRule extends FaultRuleInput {
	id: number;
	times: number;
	/** Matching requests left; Infinity when unlimited (shown as null in JSON). */
	remaining: number;
	hits: number;
	/** Matching requests still to let through before the rule applies. */
	toSkip: number;
}

export interface RecordedFile {
	field: string;
	name: string;
	size: number;
	mime: string;
}

export interface RecordedRequest {
	seq: number;
	time: string;
	provider: string;
	method: string;
	path: string;
	query: Record<string, string>;
	headers: Record<string, string>;
	contentType: string;
	body: Record<string, FieldValue>;
	/** Unparsed body text for non-multipart requests (truncated to 64 KiB). */
	rawBody?: string;
	bodyError?: string;
	files: RecordedFile[];
	/** Null while unanswered, and forever for `timeout`/`drop` faults. */
	response: { status: number; headers: Record<string, string>; body: unknown } | null;
	fault?: { id: number; kind: FaultKind; afterProcessing: boolean };
	durationMs?: number;
}
