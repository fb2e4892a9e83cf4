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

/**
 * Whether no needle can be anywhere in `value`: one native JSON.stringify and a search instead of
 * walking and copying every entry (a MessageFlow answer for 500 numbers took longer to redact that
 * way than to parse; CPU profile in bench/). Only for needles that JSON writes unchanged, so a
 * secret in a string value shows in the JSON as it is; anything unusual takes the full walk.
 */
function certainlyClean(value: unknown, needles: string[]): boolean {
	if (value === null || typeof value !== 'object') return false;
	if (!needles.every((needle) => JSON.stringify(needle) === `"${needle}"`)) return false;
	let json: string | undefined;
	try {
		json = JSON.stringify(value);
	} catch {
		return false;
	}
	return typeof json === 'string' && !needles.some((needle) => json.includes(needle));
}

export function redact<T>(value: T, secrets: string[]): T {
	if (secrets.length === 0) return value;
	const needles = needlesFor(secrets);
	// Nothing to remove: the value itself (callers treat answers as read-only, and those come
	// fresh from the schema's parse).
	if (certainlyClean(value, needles)) return value;
	return redactWith(value, needles);
}
