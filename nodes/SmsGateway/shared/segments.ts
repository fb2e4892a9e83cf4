/**
 * How many SMS parts a text costs, and in which encoding it travels.
 *
 * Every provider bills per part and several refuse texts over a part limit, so the node counts
 * parts itself, before sending, with the rules of GSM 03.38: a text made only of GSM-7 characters
 * fits 160 characters in one part and 153 per part once it is split (the rest of each part carries
 * the concatenation header); any other character switches the whole text to UCS-2, with 70 and 67.
 */

export type TextEncoding = 'GSM-7' | 'UCS-2';

export interface SegmentInfo {
	encoding: TextEncoding;
	/** Billable parts. An empty text still costs one. */
	segments: number;
	/** Characters as the user sees them (code points). */
	characters: number;
	/** Units the encoding spends: septets for GSM-7 (extension characters cost two), UTF-16 units for UCS-2. */
	units: number;
}

// The GSM 03.38 default alphabet. ESC (0x1B) is left out: it only introduces extension characters.
const GSM7_BASIC =
	'@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
	'¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
// Characters reached through the escape: each costs two septets and a part boundary may not split it.
const GSM7_EXTENSION = '\f^{}\\[~]|€';

const extensionSet = new Set(Array.from(GSM7_EXTENSION));

// The same alphabet as one regular expression: bulk sends check thousands of texts, and a single
// test is several times faster than looking every character up (bench/micro.mjs). Every GSM-7
// character is in the Basic Multilingual Plane, so in a GSM-7 text one character is one UTF-16 unit.
const gsm7Text = new RegExp(`^[${(GSM7_BASIC + GSM7_EXTENSION).replace(/[\\\][^-]/g, '\\$&')}]*$`, 'u');

export const SINGLE_PART_LIMIT: Record<TextEncoding, number> = { 'GSM-7': 160, 'UCS-2': 70 };
export const MULTI_PART_LIMIT: Record<TextEncoding, number> = { 'GSM-7': 153, 'UCS-2': 67 };

export function isGsm7(text: string): boolean {
	return gsm7Text.test(text);
}

/** Units one character costs in the chosen encoding. */
function unitCost(char: string, encoding: TextEncoding): number {
	if (encoding === 'GSM-7') return extensionSet.has(char) ? 2 : 1;
	return char.length; // a surrogate pair (emoji) is two UTF-16 units
}

// The last text counted: a bulk send of one text to 2,000 people asks about the same text 2,000
// times. Callers get a copy each, so none can change another's.
let lastCounted: { text: string; info: SegmentInfo } | undefined;

export function countSegments(text: string): SegmentInfo {
	if (lastCounted?.text !== text) lastCounted = { text, info: count(text) };
	return { ...lastCounted.info };
}

function count(text: string): SegmentInfo {
	const encoding: TextEncoding = isGsm7(text) ? 'GSM-7' : 'UCS-2';
	// Totals first, without building anything per character: most texts fit one part.
	let characters = 0;
	let units = 0;
	if (encoding === 'GSM-7') {
		characters = text.length;
		units = text.length;
		for (let index = 0; index < text.length; index++) if (extensionSet.has(text[index])) units += 1;
	} else {
		units = text.length;
		// Code points, as the user sees them: a surrogate pair (an emoji) is one character.
		for (let index = 0; index < text.length; index++) {
			const code = text.charCodeAt(index);
			if (code >= 0xd800 && code <= 0xdbff) {
				const next = text.charCodeAt(index + 1);
				if (next >= 0xdc00 && next <= 0xdfff) index += 1;
			}
			characters += 1;
		}
	}

	if (units <= SINGLE_PART_LIMIT[encoding]) {
		return { encoding, segments: 1, characters, units };
	}

	// Fill parts greedily, moving a character that does not fit whole into the next part,
	// which is what handsets and gateways do with escape sequences and surrogate pairs.
	const perPart = MULTI_PART_LIMIT[encoding];
	let segments = 1;
	let used = 0;
	for (const char of text) {
		const cost = unitCost(char, encoding);
		if (used + cost > perPart) {
			segments += 1;
			used = 0;
		}
		used += cost;
	}
	return { encoding, segments, characters, units };
}

/** The longest text (in units) that fits a number of parts, for error messages that state the limit. */
export function maxUnitsFor(parts: number, encoding: TextEncoding): number {
	return parts <= 1 ? SINGLE_PART_LIMIT[encoding] : parts * MULTI_PART_LIMIT[encoding];
}
