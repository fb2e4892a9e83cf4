import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Checking what a provider's panel can send with a webhook: a secret header or HTTP basic auth.
 * Neither SMSGateway24 nor MessageFlow signs its webhooks, so these (on top of n8n's unguessable
 * webhook path) are what keeps strangers from starting the workflow.
 *
 * Values are compared in constant time: both sides are hashed first, so that the comparison
 * neither stops at the first differing character nor reveals the secret's length.
 */
export function safeEqual(given: string, expected: string): boolean {
	const a = createHash('sha256').update(given, 'utf8').digest();
	const b = createHash('sha256').update(expected, 'utf8').digest();
	return timingSafeEqual(a, b);
}

export type HeaderValue = string | string[] | undefined;

function single(value: HeaderValue): string | undefined {
	// A repeated header is ambiguous; only its first value is considered.
	return Array.isArray(value) ? value[0] : value;
}

/** Header names arrive lower-cased (Node's HTTP server); the user may type them in any case. */
export function headerOf(headers: Record<string, HeaderValue>, name: string): string | undefined {
	const wanted = name.trim().toLowerCase();
	for (const [key, value] of Object.entries(headers)) {
		if (key.toLowerCase() === wanted) return single(value);
	}
	return undefined;
}

export function checkHeaderSecret(headers: Record<string, HeaderValue>, name: string, expected: string): boolean {
	// HTTP drops spaces and tabs around a header value on the way, so a secret typed or pasted with
	// one at either end could never match: it is compared without them.
	const secret = expected.trim();
	if (name.trim() === '' || secret === '') return false;
	const given = headerOf(headers, name);
	// Compare even when the header is missing, so that both cases take the same time.
	const equal = safeEqual(given ?? '', secret);
	return given !== undefined && equal;
}

export function checkBasicAuth(headers: Record<string, HeaderValue>, user: string, password: string): boolean {
	if (user === '' && password === '') return false;
	const header = headerOf(headers, 'authorization') ?? '';
	const match = /^\s*basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header);
	let givenUser = '';
	let givenPassword = '';
	let readable = false;
	if (match) {
		const decoded = Buffer.from(match[1], 'base64').toString('utf8');
		const colon = decoded.indexOf(':');
		if (colon >= 0) {
			givenUser = decoded.slice(0, colon);
			givenPassword = decoded.slice(colon + 1);
			readable = true;
		}
	}
	// Both parts are always compared (no early exit on a wrong user name).
	const userOk = safeEqual(givenUser, user);
	const passwordOk = safeEqual(givenPassword, password);
	return readable && userOk && passwordOk;
}
