import { NodeApiError, type Failure, type IDataObject, type IN8nHttpFullResponse, type INode, type JsonObject } from 'n8n-workflow';
import { redact } from './redact';

/**
 * What every provider transport needs to turn an HTTP answer into data or a clear error:
 * reading a body that may be JSON, empty, HTML or broken, and describing HTTP failures in terms a
 * workflow builder can act on. Provider envelopes (error flags, codes) stay in the providers.
 */

export interface ProviderAnswer {
	status: number;
	headers: Record<string, string | string[] | undefined>;
	body: unknown;
}

export function asAnswer(response: IN8nHttpFullResponse): ProviderAnswer {
	return {
		status: response.statusCode,
		headers: (response.headers ?? {}) as ProviderAnswer['headers'],
		body: response.body,
	};
}

export function headerValue(answer: ProviderAnswer, name: string): string | undefined {
	const wanted = name.toLowerCase();
	for (const [key, value] of Object.entries(answer.headers)) {
		if (key.toLowerCase() === wanted) return Array.isArray(value) ? value[0] : value;
	}
	return undefined;
}

/**
 * The credential's Base URL, ready for a path: spaces and line breaks that come with a pasted
 * address taken off (inside the URL they sent requests to a path with %20 in it, or made the host
 * invalid, and nobody sees them in the field), trailing slashes too, and `fallback` (the
 * provider's public address) for an empty field.
 */
export function baseUrlOf(value: unknown, fallback = ''): string {
	const text = typeof value === 'string' ? value.trim() : '';
	return (text || fallback).replace(/\/+$/, '');
}

/** Seconds from a Retry-After header (seconds or an HTTP date); undefined when absent or unreadable. */
export function retryAfterSeconds(answer: ProviderAnswer, now = Date.now()): number | undefined {
	const value = headerValue(answer, 'retry-after');
	if (value === undefined || value.trim() === '') return undefined;
	const seconds = Number(value);
	if (Number.isFinite(seconds)) return Math.max(0, seconds);
	const date = Date.parse(value);
	return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}

function bodyText(body: unknown): string {
	if (typeof body === 'string') return body;
	if (body instanceof Uint8Array) return new TextDecoder().decode(body);
	// n8n's request helper hands JSON answers over parsed.
	if (body !== null && typeof body === 'object') return JSON.stringify(body) ?? '';
	return '';
}

/** Whether an answer has a body at all (an empty one says nothing about who sent it). */
export function hasBody(body: unknown): boolean {
	return bodyText(body).trim() !== '';
}

/** How much of a body is looked at to quote 80 characters of it (a body can be megabytes). */
const QUOTED_PART = 4096;

/**
 * A short description of a body that is not the JSON we expected, for error messages. The
 * credential values (`secrets`) are taken out before the quote is cut: cut first, a secret at the
 * cut would show in part, which no later redaction finds.
 */
export function describeBody(body: unknown, secrets: string[] = []): string {
	const text = redact(bodyText(body).trim(), secrets);
	if (text === '') return 'an empty answer';
	if (/^<(!doctype|html|head|body)/i.test(text)) {
		const title = /<title>([^<]*)<\/title>/i.exec(text.slice(0, QUOTED_PART))?.[1]?.trim();
		return title ? `an HTML page ("${title.slice(0, 80)}")` : 'an HTML page';
	}
	const quote = hideSecretFields(text.slice(0, QUOTED_PART)).slice(0, 80);
	return typeof body === 'object' && !(body instanceof Uint8Array) ? `an answer of an unexpected shape ("${quote}")` : `text that is not JSON ("${quote}")`;
}

/**
 * A cut-off JSON answer cannot be parsed, so the redaction that removes credential values from
 * parsed answers never sees it; a key or token the answer itself brings (UGSMS's new API key) would
 * be quoted as it is. Values of fields named like secrets are blanked in the quoted text: JSON
 * fields, and form fields (an error page that echoes the request, `…&token=…`). A name is secret
 * when one of its words is (api_key, X-API-Key, sessionToken, Authorization), not when it merely
 * contains one (keyword, monkey, author, passenger).
 */
const SECRET_WORDS = new Set(['key', 'apikey', 'token', 'pass', 'passwd', 'password', 'passcode', 'pin', 'secret', 'auth', 'authorization', 'bearer', 'credential', 'credentials']);

function isSecretName(name: string): boolean {
	const words = name
		.replace(/([a-z0-9])([A-Z])/g, '$1 $2')
		.toLowerCase()
		.split(/[\s_-]+/)
		.filter((word) => word !== '');
	return words.some((word) => SECRET_WORDS.has(word)) || SECRET_WORDS.has(words.join(''));
}

// Names are bounded (64 characters): an unbounded name pattern took minutes on long runs of letters.
const JSON_FIELD = /("([\w-]{1,64})"\s*:\s*")[^"]*("?)/g;
const FORM_FIELD = /((?:^|[?&\s])([\w-]{1,64})=)[^&\s"]*/g;

export function hideSecretFields(text: string): string {
	return text
		.replace(JSON_FIELD, (field: string, head: string, name: string, close: string) => (isSecretName(name) ? `${head}***${close}` : field))
		.replace(FORM_FIELD, (field: string, head: string, name: string) => (isSecretName(name) ? `${head}***` : field));
}

/** Parses a JSON body; returns undefined when it is not JSON (empty, HTML, cut off). */
export function parseJsonBody(body: unknown): unknown {
	if (body !== null && typeof body === 'object' && !(body instanceof Uint8Array)) return body;
	const text = bodyText(body).trim();
	if (text === '') return undefined;
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return undefined;
	}
}

export interface ApiErrorDetails {
	message: string;
	description: string;
	httpCode?: number;
	itemIndex?: number;
	/** What the provider said, kept for the user without any credential value. */
	providerAnswer?: IDataObject;
	/** How long the provider asked to wait (its Retry-After), in milliseconds. */
	retryAfterMs?: number;
	/** Why it failed, where the HTTP status alone does not say (a refused login inside an HTTP 200). */
	cause?: Failure['cause'];
}

/**
 * Why the request failed, in n8n's own terms (n8n-workflow's `Failure`, carried as the error's
 * `failure`). n8n 2.x reads it where it decides when to try again: its poll scheduler (when switched
 * on) waits out a rate limit for as long as the provider asked, backs off gently while the
 * provider is down, and waits longest for a credential someone has to fix. The error alone does not
 * tell it: n8n looks for the Retry-After in the error's response headers, and these errors carry
 * none (their answer is redacted for the user). n8n 1.x ignores the field.
 */
export function failureOf(details: Pick<ApiErrorDetails, 'httpCode' | 'retryAfterMs' | 'cause'>): Failure | undefined {
	const { httpCode: status, retryAfterMs } = details;
	const wait = retryAfterMs !== undefined && Number.isFinite(retryAfterMs) && retryAfterMs > 0 ? { retryAfterMs } : {};
	const cause = details.cause ?? (status === 429 ? 'rate-limited' : status === 401 ? 'credential-invalid' : status === 408 || (status ?? 0) >= 500 ? 'temporarily-unavailable' : undefined);
	if (cause === undefined) return undefined;
	if (cause === 'rate-limited' || cause === 'quota-exhausted' || cause === 'temporarily-unavailable') return { cause, ...wait };
	return { cause };
}

export function apiError(node: INode, details: ApiErrorDetails): NodeApiError {
	return new NodeApiError(node, (details.providerAnswer ?? {}) as JsonObject, {
		message: details.message,
		description: details.description,
		httpCode: details.httpCode === undefined ? undefined : String(details.httpCode),
		itemIndex: details.itemIndex,
		failure: failureOf(details),
	});
}

/** The advice that goes with an HTTP status no provider envelope explains. */
export function httpStatusAdvice(status: number): string {
	if (status === 401 || status === 403) return "The provider refused the credential. Check the credential's values and press its Test button.";
	if (status === 404) return "The address was not found. Check the credential's Base URL.";
	if (status === 429) return 'The provider is rate-limiting this account. Wait a little, or send fewer messages per minute.';
	if (status >= 500) return 'The provider had an internal problem. Try again later; if it persists, contact the provider.';
	return 'Check the values sent and the credential’s Base URL.';
}
