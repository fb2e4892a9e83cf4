/**
 * Removes credential values from anything the node is about to show: output items, error messages,
 * provider answers (some providers echo the request, token included). Values shorter than four
 * characters are left alone: replacing them would mangle ordinary text and they protect nothing.
 */
export const REDACTED = '[redacted]';

export function secretValues(values: unknown[]): string[] {
	return values.filter((value): value is string => typeof value === 'string' && value.length >= 4);
}

/**
 * What to look for: each secret as it is, then percent-encoded (form bodies and URLs carry secrets
 * that way) where that differs. Worked out once per call of `redact`, not for every string in a
 * provider's answer: a bulk answer holds thousands (bench/).
 */
function needlesFor(secrets: string[]): string[] {
	const needles: string[] = [];
	for (const secret of secrets) {
		needles.push(secret);
		const encoded = encodeURIComponent(secret);
		if (encoded !== secret) needles.push(encoded);
	}
	return needles;
}

function redactText(text: string, needles: string[]): string {
	let result = text;
	for (const needle of needles) if (result.includes(needle)) result = result.split(needle).join(REDACTED);
	return result;
}

function redactWith<T>(value: T, needles: string[]): T {
	if (typeof value === 'string') return redactText(value, needles) as T;
	if (Array.isArray(value)) return value.map((entry) => redactWith(entry, needles)) as T;
	if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
		const copy: Record<string, unknown> = {};
		for (const [key, entry] of Object.entries(value)) copy[key] = redactWith(entry, needles);
		return copy as T;
	}
	return value;
}

export function redact<T>(value: T, secrets: string[]): T {
	if (secrets.length === 0) return value;
	return redactWith(value, needlesFor(secrets));
}
