import type { IDataObject, IExecuteFunctions, IHttpRequestOptions } from 'n8n-workflow';
import { InvalidInputError } from '../../shared/errors';
import { baseUrlOf, describeBody, httpStatusAdvice, parseJsonBody } from '../../shared/http';
import { rateLimiter, rateLimitKey, type RateLimitSettings } from '../../shared/rateLimit';
import { redact, secretValues } from '../../shared/redact';
import { callProvider, failure, unreadableAnswer, type ProviderCall } from '../../shared/transport';
import { envelope, type Envelope } from './schemas';

export const PROVIDER_ID = 'ugsms';
const PROVIDER = 'UGSMS';

/** v2: an API key in the X-API-Key header. */
export const API_KEY_CREDENTIAL = 'ugsmsApi';
/** v1 (and key management): username and password as fields of the request. */
export const ACCOUNT_CREDENTIAL = 'ugsmsAccountApi';
export const DEFAULT_BASE_URL = 'https://ugsms.com';

export type UgsmsAuth = 'apiKey' | 'usernamePassword';

/** UGSMS's published limit: 60 requests per minute per key. */
export const DEFAULT_RATE_LIMIT: RateLimitSettings = { limit: 60, windowMs: 60_000 };

export function authOf(ctx: IExecuteFunctions, itemIndex = 0): UgsmsAuth {
	return ctx.getNodeParameter('authentication', itemIndex, 'apiKey') === 'usernamePassword' ? 'usernamePassword' : 'apiKey';
}

export function credentialTypeOf(auth: UgsmsAuth): string {
	return auth === 'apiKey' ? API_KEY_CREDENTIAL : ACCOUNT_CREDENTIAL;
}

/**
 * The site's root, from whatever the credential holds. UGSMS's documents name the v2 base
 * (…/api/v2) and the v1 endpoint (…/v1/sms/send), while key management lives beside them
 * (…/api/generate-key), so the node works from the root and accepts any of those bases.
 */
export function ugsmsRoot(baseUrl: unknown): string {
	return baseUrlOf(baseUrl, DEFAULT_BASE_URL).replace(/\/(api\/v2|api|v1)$/i, '');
}

export interface UgsmsRequest {
	method: 'GET' | 'POST';
	/** After the root, e.g. api/v2/sms/send. */
	path: string;
	body?: IDataObject;
	itemIndex: number;
	/** What a lost answer may mean ("the message may already have gone out"). */
	whenLost?: string;
	/** Refusals the caller reads itself (a refused number); everything else that is not 2xx throws. */
	passThrough?: (status: number, body: Envelope) => boolean;
	rateLimit?: RateLimitSettings;
}

export interface UgsmsAnswer {
	status: number;
	body: Envelope;
}

/** UGSMS's words for a refusal: its `error`, Laravel's `message`, and the per-field `errors`. */
export function refusalText(body: Envelope | undefined): string {
	if (!body) return '';
	const parts: string[] = [];
	const main = body.error ?? body.message;
	if (typeof main === 'string' && main.trim() !== '') parts.push(main.trim());
	for (const messages of Object.values(body.errors ?? {})) {
		for (const text of Array.isArray(messages) ? messages : [messages]) {
			if (typeof text === 'string' && !parts.includes(text.trim())) parts.push(text.trim());
		}
	}
	return parts.join(' ');
}

/** Keys in an answer (key management returns one): they must not reach an error message. */
function keysIn(body: unknown): string[] {
	const data = (body as { data?: { api_key?: unknown } } | undefined)?.data;
	return typeof data?.api_key === 'string' ? [data.api_key] : [];
}

function advice(status: number, auth: UgsmsAuth, path: string): string {
	if (status === 401 || status === 403) {
		return auth === 'apiKey'
			? 'Check the API key in the UGSMS API credential. A key that expired, was regenerated or revoked stops working: get a new one with API Key → Regenerate (Authentication: Username and Password) and put it in the credential.'
			: 'Check the username and password in the UGSMS Account API credential (the ones you sign in to UGSMS with).';
	}
	if (status === 400 || status === 422) return 'Check the values of this item against what UGSMS says above. Nothing was sent.';
	if (status === 402) return 'Top up the UGSMS account. Nothing was sent.';
	if (status === 404 && path === 'api/revoke-key') return 'The account has no API key to revoke. API Key → Generate makes one.';
	if (status === 404) return "Check the credential's Base URL: it is UGSMS's address (https://ugsms.com), without /api/v2 or /v1.";
	if (status === 409) return 'Replace the active key with API Key → Regenerate, or remove it with Revoke first.';
	if (status === 429) {
		return 'The node paces its requests to the rate limit, but UGSMS still refused: other workflows or apps are probably using the same key. Try again in a minute, or lower Requests per Window in the options.';
	}
	return httpStatusAdvice(status);
}

/**
 * Calls UGSMS with the credential the node's Authentication chooses, paced to the rate limit of
 * that key (or username), and returns the parsed answer. Refusals throw errors that carry UGSMS's
 * own words, its `help` text and what to do, without any credential value.
 */
export async function callUgsms(ctx: IExecuteFunctions, auth: UgsmsAuth, options: UgsmsRequest): Promise<UgsmsAnswer> {
	const credentialType = credentialTypeOf(auth);
	const credentials = await ctx.getCredentials(credentialType, options.itemIndex);
	const root = ugsmsRoot(credentials.baseUrl);
	const request: IHttpRequestOptions = {
		method: options.method,
		url: `${root}/${options.path}`,
		headers: { Accept: 'application/json' },
		// A copy: n8n writes the username and password into the body it is given.
		...(options.body ? { body: { ...options.body }, json: true } : {}),
	};
	const identity = auth === 'apiKey' ? ['key', credentials.apiKey] : ['user', credentials.username];
	const signal = typeof ctx.getExecutionCancelSignal === 'function' ? ctx.getExecutionCancelSignal() : undefined;
	const call: ProviderCall = {
		provider: PROVIDER,
		action: `${options.method} ${options.path}`,
		credentialType,
		request,
		itemIndex: options.itemIndex,
		secrets: secretValues([credentials.apiKey, credentials.password]),
		whenLost: options.whenLost,
		throttle: rateLimiter(rateLimitKey([PROVIDER_ID, root, ...identity]), options.rateLimit ?? DEFAULT_RATE_LIMIT, signal),
	};
	const answer = await callProvider(ctx, call);
	const parsedBody = parseJsonBody(answer.body);
	const parsed = envelope.safeParse(parsedBody ?? {});
	const body = parsed.success && parsedBody !== undefined ? parsed.data : undefined;
	const secrets = [...call.secrets, ...keysIn(parsedBody)];
	const errorCall = { ...call, secrets };

	if (body && options.passThrough?.(answer.status, body)) return { status: answer.status, body: redact(body, call.secrets) };
	if (answer.status < 200 || answer.status >= 300 || body?.success === false) {
		const said = refusalText(body);
		const who = auth === 'apiKey' ? 'the API key' : 'the username and password';
		const message =
			answer.status === 401 || answer.status === 403
				? `UGSMS refused ${who} (HTTP ${answer.status})${said ? `: ${said}` : ''}`
				: `UGSMS refused "${call.action}" (HTTP ${answer.status})${said ? `: ${said}` : body ? '' : ` with ${describeBody(answer.body, call.secrets)}`}`;
		const help = typeof body?.help === 'string' && body.help.trim() !== '' ? `UGSMS says: ${body.help.trim().replace(/\.?$/, '.')} ` : '';
		throw failure(ctx, errorCall, message, `${help}${advice(answer.status, auth, options.path)}`, {
			response: answer,
			cause: answer.status === 401 || answer.status === 403 ? 'credential-invalid' : undefined,
			answer: typeof parsedBody === 'object' && parsedBody !== null ? (parsedBody as IDataObject) : undefined,
		});
	}
	if (!body) {
		// A success status with an answer that cannot be read: UGSMS has most likely acted (a send
		// may be out), so the error is marked in doubt and a retry does not send it again.
		throw unreadableAnswer(
			ctx,
			errorCall,
			answer.status,
			parsedBody === undefined ? describeBody(answer.body, call.secrets) : 'an answer of an unexpected shape',
			"Check the credential's Base URL: it is UGSMS's address (https://ugsms.com), without /api/v2 or /v1. If it is right, UGSMS may be having problems: try again later.",
		);
	}
	return { status: answer.status, body: redact(body, call.secrets) };
}

/** Some operations exist in one API only; say so before anything is sent. */
export function requireApiKey(auth: UgsmsAuth, operation: string, alternative: string): void {
	if (auth === 'apiKey') return;
	throw new InvalidInputError(
		'Authentication',
		`${operation} needs an API key: UGSMS offers it only in its v2 API, which does not take a username and password`,
		`Choose Authentication: API Key with a UGSMS API credential. ${alternative}`,
	);
}
