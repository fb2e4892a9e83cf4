import { sleep } from 'n8n-workflow';

/**
 * When a failed request may be sent again. Sending an SMS is not idempotent, so a retry is only
 * safe when the provider cannot have acted on the first attempt: the connection was refused before
 * anything was sent, or the provider said "too many requests" (it refused, it did not process).
 * A timeout or a connection dropped mid-request is never retried: the message may already be out.
 */
export const MAX_ATTEMPTS = 4;
const MAX_WAIT_SECONDS = 60;

const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);

export function errorCode(error: unknown): string | undefined {
	let current: unknown = error;
	for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
		const code = (current as { code?: unknown }).code;
		if (typeof code === 'string' && /^E[A-Z_]+$/.test(code)) return code;
		current = (current as { cause?: unknown }).cause;
	}
	const message = error instanceof Error ? error.message : String(error);
	return /\b(E[A-Z]{4,})\b/.exec(message)?.[1];
}

export function wasNeverSent(error: unknown): boolean {
	const code = errorCode(error);
	return code !== undefined && NOT_SENT_CODES.has(code);
}

/** Waits before attempt `attempt + 1`: the provider's Retry-After when given, else a short back-off. */
export async function waitBeforeRetry(attempt: number, retryAfter?: number): Promise<void> {
	const seconds = retryAfter ?? Math.min(2 ** (attempt - 1), 8) * 0.5;
	await sleep(Math.min(seconds, MAX_WAIT_SECONDS) * 1000);
}
