/**
 * Removes credential values from anything the node is about to show: output items, error messages,
 * provider answers (some providers echo the request, token included). Values shorter than four
 * characters are left alone: replacing them would mangle ordinary text and they protect nothing.
 */
export const REDACTED = '[redacted]';

export function secretValues(values: unknown[]): string[] {
	return values.filter((value): value is string => typeof value === 'string' && value.length >= 4);
}

function redactText(text: string, secrets: string[]): string {
	let result = text;
	for (const secret of secrets) {
		if (result.includes(secret)) result = result.split(secret).join(REDACTED);
		// Form bodies and URLs carry secrets percent-encoded.
		const encoded = encodeURIComponent(secret);
		if (encoded !== secret && result.includes(encoded)) result = result.split(encoded).join(REDACTED);
	}
	return result;
}

export function redact<T>(value: T, secrets: string[]): T {
	if (secrets.length === 0) return value;
	if (typeof value === 'string') return redactText(value, secrets) as T;
	if (Array.isArray(value)) return value.map((entry) => redact(entry, secrets)) as T;
	if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
		const copy: Record<string, unknown> = {};
		for (const [key, entry] of Object.entries(value)) copy[key] = redact(entry, secrets);
		return copy as T;
	}
	return value;
}
