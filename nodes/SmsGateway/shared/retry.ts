import { sleep } from 'n8n-workflow';

/**
 * When a failed request may be sent again. Sending an SMS is not idempotent, so a retry is only
 * safe when the provider cannot have acted on the first attempt: the connection was refused before
 * anything was sent, or the provider said "too many requests" (it refused, it did not process).
 * A timeout or a connection dropped mid-request is never retried: the message may already be out.
 */
export const MAX_ATTEMPTS = 4;
const MAX_WAIT_SECONDS = 60;

/** Failures before the request could leave: the connection or its name lookup failed. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ERR_INVALID_URL']);

/**
 * TLS refusals: the handshake, which comes before any of the request, failed. Nothing was sent,
 * but asking again cannot help either (a wrong certificate, or https:// to a plain HTTP server).
 */
const TLS_CODES = new Set([
	'DEPTH_ZERO_SELF_SIGNED_CERT',
	'SELF_SIGNED_CERT_IN_CHAIN',
	'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
	'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
	'CERT_HAS_EXPIRED',
	'CERT_NOT_YET_VALID',
	'ERR_TLS_CERT_ALTNAME_INVALID',
	'ERR_SSL_WRONG_VERSION_NUMBER',
]);

export function errorCode(error: unknown): string | undefined {
	let current: unknown = error;
	for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
		const code = (current as { code?: unknown }).code;
		if (typeof code === 'string' && (/^E[A-Z_]+$/.test(code) || TLS_CODES.has(code) || NOT_SENT_CODES.has(code))) return code;
		current = (current as { cause?: unknown }).cause;
	}
	const message = error instanceof Error ? error.message : String(error);
	return /\b(E[A-Z]{4,})\b/.exec(message)?.[1];
}

const PLAIN_REASONS: Record<string, string> = {
	ECONNREFUSED: 'the connection was refused',
	ENOTFOUND: 'the host name was not found',
	EAI_AGAIN: 'the host name could not be looked up',
	ECONNRESET: 'the connection was reset before the answer arrived',
	EPIPE: 'the connection was closed before the answer arrived',
	ECONNABORTED: 'no answer came within the time limit',
	ETIMEDOUT: 'no answer came within the time limit',
	ESOCKETTIMEDOUT: 'no answer came within the time limit',
	EHOSTUNREACH: 'the host could not be reached',
	ENETUNREACH: 'the network could not be reached',
	ERR_INVALID_URL: 'the address is not a valid URL',
};

/**
 * Why a request that went out got no answer, in words. n8n's own error replaces any message that
 * contains a code such as ECONNRESET with its stock text ("You can retry the request
 * immediately…"), which is wrong advice for a send that may already have gone out, so the code
 * is put in words and never named.
 */
export function transportReason(error: unknown): string {
	const code = errorCode(error);
	if (code !== undefined && PLAIN_REASONS[code]) return PLAIN_REASONS[code];
	if (isTlsRefusal(error, code)) return 'the secure connection (TLS) could not be set up: check http:// or https:// in the address, and the server’s certificate';
	let innermost: Error | undefined;
	let current: unknown = error;
	for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
		innermost = current;
		current = current.cause;
	}
	const message = (innermost?.message || String(error)).replace(/\bE(?!RROR\b)[A-Z_]{3,}\b/g, '').replace(/\s+/g, ' ').trim();
	return message || 'the connection failed before the answer arrived';
}

/** A TLS handshake that failed: by its code, or OpenSSL's "wrong version number" under EPROTO. */
function isTlsRefusal(error: unknown, code: string | undefined): boolean {
	if (code !== undefined && TLS_CODES.has(code)) return true;
	return code === 'EPROTO' && /wrong version number|handshake failure|unsupported protocol/i.test(error instanceof Error ? innermostMessage(error) : String(error));
}

function innermostMessage(error: Error): string {
	let current: unknown = error;
	let text = '';
	for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
		text += ` ${current.message}`;
		current = current.cause;
	}
	return text;
}

/** Whether the request cannot have reached the provider (so sending it again cannot duplicate). */
export function wasNeverSent(error: unknown): boolean {
	const code = errorCode(error);
	return (code !== undefined && NOT_SENT_CODES.has(code)) || isTlsRefusal(error, code);
}

/** Whether asking again may help: never sent, and not a TLS refusal (which would only repeat). */
export function worthRetrying(error: unknown): boolean {
	return wasNeverSent(error) && !isTlsRefusal(error, errorCode(error));
}

/** How long to wait before attempt `attempt + 1`: the provider's Retry-After when given, else a short back-off. */
export function retryDelayMs(attempt: number, retryAfter?: number): number {
	const seconds = retryAfter ?? Math.min(2 ** (attempt - 1), 8) * 0.5;
	return Math.min(seconds, MAX_WAIT_SECONDS) * 1000;
}

export async function waitBeforeRetry(attempt: number, retryAfter?: number): Promise<void> {
	await sleep(retryDelayMs(attempt, retryAfter));
}
