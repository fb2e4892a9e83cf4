import { InvalidInputError, preview } from './errors';
import { countSegments, type SegmentInfo } from './segments';

export const MESSAGE_FIELD = 'Message';

/**
 * Reads the text of a message. Expressions can hand the node anything, so a number is accepted
 * as text, while an object or an empty text is refused with the reason.
 */
export function readMessageText(
	value: unknown,
	field = MESSAGE_FIELD,
	optional = false,
): { text: string; segments: SegmentInfo } {
	if (value !== null && typeof value === 'object') {
		throw new InvalidInputError(
			field,
			`expected text but got ${preview(value)}`,
			'Map a text field such as {{ $json.text }}, not a whole object. JSON.stringify() turns an object into text if that is really meant.',
		);
	}
	const text = value === undefined || value === null ? '' : String(value);
	if (text.trim() === '' && !optional) {
		throw new InvalidInputError(field, 'the message is empty', 'Enter the text to send, or check that the mapped field has a value for this item.');
	}
	return { text, segments: countSegments(text) };
}
