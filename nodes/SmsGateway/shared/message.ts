import { InvalidInputError, preview } from './errors';
import { countSegments, type SegmentInfo } from './segments';

export const MESSAGE_FIELD = 'Message';

/**
 * Half of a UTF-16 surrogate pair: what `.slice(0, 160)` leaves of an emoji cut at the end. It is no
 * character at all: a form field cannot hold it (SMSGateway24's single send put "�" in its
 * place), a JSON body carries it as `\ud83c`, which a provider may refuse for a whole batch
 * (SMSGateway24's bulk send), and a handset shows "�" at best. So the item is refused.
 */
const HALF_A_CHARACTER = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Reads the text of a message. Expressions can hand the node anything, so a number (or a date)
 * is accepted as text, while another object or an empty text is refused with the reason.
 */
export function readMessageText(
	value: unknown,
	field = MESSAGE_FIELD,
	optional = false,
): { text: string; segments: SegmentInfo } {
	const text = readTextField(value, field, 'Map a text field such as {{ $json.text }}, not a whole object. JSON.stringify() turns an object into text if that is really meant.');
	const broken = HALF_A_CHARACTER.exec(text);
	if (broken) {
		throw new InvalidInputError(
			field,
			`the text holds half of an emoji or another character cut in two (at character ${[...text.slice(0, broken.index)].length + 1})`,
			'Cut texts between characters, e.g. {{ Array.from($json.text).slice(0, 160).join("") }} instead of .slice(0, 160), or map the whole text.',
		);
	}
	if (text.trim() === '' && !optional) {
		throw new InvalidInputError(field, 'the message is empty', 'Enter the text to send, or check that the mapped field has a value for this item.');
	}
	return { text, segments: countSegments(text) };
}

/**
 * Reads a text field (the message, a sender, an External ID, a title): '' when empty, a
 * number or a date as text. Another object or an array is refused: String() made it
 * "[object Object]", which went to the provider as the value (SMS Bridge then took every such
 * External ID for one message, and skipped the next send to the same number as already sent).
 */
export function readTextField(value: unknown, field: string, hint = 'Map a text or number field such as {{ $json.id }}, not a whole object or list.'): string {
	// A date is the exception: n8n hands a field that is all expression its result as it is, so
	// {{ $now }} or {{ $today }} arrives as a Luxon DateTime, whose text (ISO) was and is the value.
	if (isValidDate(value)) return String(value);
	if (value !== null && typeof value === 'object') {
		throw new InvalidInputError(
			field,
			`expected text but got ${preview(value)}`,
			hint,
		);
	}
	// A calculation over a missing or non-numeric field ({{ $json.total * 1.2 }}) gives NaN; sent
	// on, the text read "NaN" (a message, an External ID). Never what was meant.
	if (typeof value === 'number' && !Number.isFinite(value)) {
		throw new InvalidInputError(field, `the expression gave ${String(value)}, not a value`, 'Check the expression: a calculation with a missing or non-numeric field gives NaN.');
	}
	return value === undefined || value === null ? '' : String(value);
}

/** A JS Date or Luxon DateTime that holds a time (an invalid one writes "Invalid DateTime"). */
function isValidDate(value: unknown): boolean {
	if (value instanceof Date) return !Number.isNaN(value.getTime());
	const date = value as { isValid?: unknown; toISO?: unknown; toMillis?: unknown } | null;
	return typeof date === 'object' && date !== null && date.isValid === true && typeof date.toISO === 'function' && typeof date.toMillis === 'function';
}

/**
 * Reads a text field that holds a list separated by commas (Senders "ACME, SHOP"): the entries,
 * trimmed, without empty ones. A list mapped as a list (["ACME", "SHOP"]) is one too; an object
 * is refused like in any text field (String() made it the one entry "[object Object]").
 */
export function readTextList(value: unknown, field: string): string[] {
	const entries = Array.isArray(value) ? value.map((entry) => readTextField(entry, field)) : readTextField(value, field).split(',');
	return entries.map((entry) => entry.trim()).filter((entry) => entry !== '');
}
