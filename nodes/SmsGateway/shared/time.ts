import { InvalidInputError, preview } from './errors';
import { readTextField } from './message';

/**
 * Schedule times. n8n hands the node a date as an ISO text (often without an offset, as the date
 * picker writes it), a Luxon DateTime, a JS Date or a number, and providers want wall-clock text in
 * a particular time zone or a Unix time. A text without an offset is read as wall-clock time in the
 * chosen zone, which is what a person picking "10:00" means.
 */

const PAST_TOLERANCE_MS = 60_000;

interface WallClock {
	year: number;
	month: number;
	day: number;
	hour: number;
	minute: number;
	second: number;
}

// Building an Intl.DateTimeFormat costs about a millisecond; lists convert thousands of times.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
	let formatter = formatters.get(timeZone);
	if (!formatter) {
		formatter = new Intl.DateTimeFormat('en-US', {
			timeZone,
			hourCycle: 'h23',
			year: 'numeric',
			month: '2-digit',
			day: '2-digit',
			hour: '2-digit',
			minute: '2-digit',
			second: '2-digit',
		});
		if (formatters.size > 100) formatters.clear();
		formatters.set(timeZone, formatter);
	}
	return formatter;
}

function wallClockIn(instant: number, timeZone: string): WallClock {
	const formatter = formatterFor(timeZone);
	const parts: Record<string, number> = {};
	for (const part of formatter.formatToParts(new Date(instant))) {
		if (part.type !== 'literal') parts[part.type] = Number(part.value);
	}
	return {
		year: parts.year,
		month: parts.month,
		day: parts.day,
		hour: parts.hour,
		minute: parts.minute,
		second: parts.second,
	};
}

function offsetAt(instant: number, timeZone: string): number {
	const wall = wallClockIn(instant, timeZone);
	const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
	return asUtc - Math.floor(instant / 1000) * 1000;
}

export function isValidTimeZone(timeZone: string): boolean {
	try {
		new Intl.DateTimeFormat('en-US', { timeZone });
		return true;
	} catch {
		return false;
	}
}

/**
 * A time-zone field (Schedule Time Zone, Time Zone, Time Zone of Webhook Times): an IANA name, or
 * empty for the workflow's zone (n8n's instance zone when the workflow sets none; UTC where there
 * is neither). Read the same way everywhere, so an expression's object or a name with spaces around
 * it is handled alike, and an unknown name is refused naming the field before anything is sent.
 */
export function readTimeZone(value: unknown, field: string, workflowZone: string): string {
	const zone = readTextField(value, field).trim() || workflowZone || 'UTC';
	if (!isValidTimeZone(zone)) {
		throw new InvalidInputError(field, `unknown time zone "${zone}"`, 'Use an IANA zone name such as Europe/Berlin, or leave the field empty for the workflow’s time zone.');
	}
	return zone;
}

const NO_OFFSET = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?$/;

/** The earliest and latest instants a JavaScript date can hold (±100,000,000 days around 1970). */
const MAX_INSTANT = 8.64e15;

/** A wall-clock time (its fields read as if in UTC) as the instant it is in a zone. */
function wallClockToInstant(guess: number, timeZone: string): number {
	// The zone's offset can differ on either side of a DST change: settle it in two steps.
	const instant = guess - offsetAt(guess, timeZone);
	return guess - offsetAt(instant, timeZone);
}

/**
 * Whether a text that is not ISO names its zone or offset, in the forms V8's Date.parse reads:
 * GMT, UTC, UT, Z (also right after the time), EST…PDT, or an offset after the time or a space,
 * as in "Tue, 26 May 2030 10:00:00 +0200" or Date's own "… GMT+0200 (CEST)".
 */
const NAMES_ZONE = /(?:\b(?:GMT|UTC|UT|[ECMP][SD]T)\b|(?:\b|\d)Z\b|\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*[+-]\d|\s[+-]\d)/i;

/** Reads whatever n8n passed for a date into an instant (ms since epoch), or explains why it cannot. */
export function toInstant(value: unknown, timeZone: string, field: string): number {
	const instant = readInstant(value, timeZone, field);
	// NaN and Infinity come from expressions over a missing field ({{ $json.sendAt * 1000 }}) or an
	// invalid Luxon DateTime (toMillis() is NaN): a provider's JSON wrote them as null, and
	// MessageFlow sent such a "scheduled" message at once; formatting one threw a bare RangeError.
	if (!Number.isFinite(instant) || Math.abs(instant) > MAX_INSTANT) throw unreadableDate(value, field);
	return instant;
}

function unreadableDate(value: unknown, field: string): InvalidInputError {
	return new InvalidInputError(
		field,
		`cannot read "${preview(value)}" as a date and time`,
		'Pick a date in the date picker or map an ISO date such as 2026-05-26T12:10:00 (an expression like {{ $now.plus(1, "hour") }} works too).',
	);
}

function notOnCalendar(value: unknown, field: string): InvalidInputError {
	return new InvalidInputError(
		field,
		`"${preview(value)}" is not a date and time on the calendar`,
		'Write it as year-month-day hours:minutes, e.g. 2026-05-26 12:10, with a day the month has and a time up to 23:59:59 (or 24:00).',
	);
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
/** 12/30/2026 (month first, as JavaScript reads it) or 2026/12/30. */
const SLASHED = /^(\d{1,4})\/(\d{1,2})\/(\d{1,4})\b/;
/** Feb 30, 2030 · 30 Feb 2030 · Tue, 26 May 2030 (a lookahead, so that pairs may overlap: Tue 30 Feb). */
const NAMED_MONTH = /(?=\b([a-z]{3,})\.?\s+(\d{1,2})\b|\b(\d{1,2})\s+([a-z]{3,})\b)/gi;

/**
 * Whether Date.parse moved a day the month does not have into the next month (2/30/2030 and
 * Feb 30, 2030 became 2 March), as Date.UTC does for ISO text: the month and day written must be
 * those read (`asWritten`, the text read in UTC). 24:00 is read as the end of the day, as in
 * ISO text, so its day is one on. Forms without a month and day in these shapes are left as read.
 */
function rolledOver(text: string, asWritten: number): boolean {
	let month: number | undefined;
	let day: number | undefined;
	const slashed = SLASHED.exec(text);
	if (slashed) {
		const yearFirst = slashed[1].length === 4;
		month = +(yearFirst ? slashed[2] : slashed[1]);
		day = +(yearFirst ? slashed[3] : slashed[2]);
	} else {
		// The first word-and-number pair whose word is a month ("Tue 26 May": not "Tue 26").
		for (const named of text.matchAll(NAMED_MONTH)) {
			const name = (named[1] ?? named[4]).slice(0, 3).toLowerCase();
			if (!MONTHS.includes(name)) continue;
			month = MONTHS.indexOf(name) + 1;
			day = +(named[2] ?? named[3]);
			break;
		}
	}
	if (month === undefined || day === undefined) return false;
	const endOfDay = /\b24:00(?::00(?:\.0+)?)?\b/.test(text);
	const read = new Date(endOfDay ? asWritten - 86_400_000 : asWritten);
	return read.getUTCMonth() + 1 !== month || read.getUTCDate() !== day;
}

function readInstant(value: unknown, timeZone: string, field: string): number {
	const unreadable = () => unreadableDate(value, field);
	if (value instanceof Date) {
		if (Number.isNaN(value.getTime())) throw unreadable();
		return value.getTime();
	}
	if (typeof value === 'number') {
		// Unix seconds and milliseconds are both common in workflows; seconds stay below 1e11 until year 5138.
		return value < 1e11 ? value * 1000 : value;
	}
	if (value && typeof value === 'object' && typeof (value as { toMillis?: unknown }).toMillis === 'function') {
		return (value as { toMillis: () => number }).toMillis();
	}
	if (typeof value !== 'string' || value.trim() === '') throw unreadable();
	const text = value.trim();
	const local = NO_OFFSET.exec(text);
	if (local) {
		const [, y, mo, d, h = '0', mi = '0', s = '0'] = local;
		const guess = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s);
		// Date.UTC rolls fields over instead of refusing them: 2027-02-29 became 1 March, and a
		// day and month written the wrong way round (2030-26-05) a date two years on. Each field
		// must come back as it was written. 24:00 is the one exception: ISO 8601 and Date.parse
		// read it as the end of the day (midnight of the next), and it was accepted as that before;
		// it is checked as 00:00 of its own day, so 24:01 or 24:00 of 31 February stay refused.
		const endOfDay = h === '24' && +mi === 0 && +s === 0 && !/\.\d*[1-9]/.test(text);
		const check = new Date(endOfDay ? guess - 86_400_000 : guess);
		const written = [+y, +mo - 1, +d, endOfDay ? 0 : +h, +mi, +s];
		const read = [check.getUTCFullYear(), check.getUTCMonth(), check.getUTCDate(), check.getUTCHours(), check.getUTCMinutes(), check.getUTCSeconds()];
		if (written.some((part, index) => part !== read[index])) throw notOnCalendar(value, field);
		return wallClockToInstant(guess, timeZone);
	}
	const parsed = Date.parse(text);
	if (Number.isNaN(parsed)) throw unreadable();
	if (!NAMES_ZONE.test(text)) {
		// Date.parse reads a text without a zone ("12/30/2026 10:00", "May 26, 2030 10:00") in the
		// n8n server's zone, often UTC, not in the zone chosen for this time. Read with " UTC"
		// added, its fields are those written, taken as wall-clock time in the chosen zone, like
		// ISO text. (Taking the fields back out of the server's reading moved a time in the
		// server zone's DST gap by the gap, and a bare year, which Date.parse reads as UTC, by the
		// server's offset.) Only ISO-like forms NO_OFFSET does not take (2030-12-30t10:00) refuse
		// the added zone; their fields come back out in the server's zone.
		const asWritten = Date.parse(`${text} UTC`);
		if (!Number.isNaN(asWritten)) {
			if (rolledOver(text, asWritten)) throw notOnCalendar(value, field);
			return wallClockToInstant(asWritten, timeZone);
		}
		const fields = new Date(parsed);
		const guess = Date.UTC(fields.getFullYear(), fields.getMonth(), fields.getDate(), fields.getHours(), fields.getMinutes(), fields.getSeconds(), fields.getMilliseconds());
		return wallClockToInstant(guess, timeZone);
	}
	return parsed;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

export type ProviderTimeFormat = 'YYYY-MM-DD HH:mm:ss' | 'DD.MM.YYYY HH:mm:ss' | 'unix';

export function formatInstant(instant: number, timeZone: string, format: ProviderTimeFormat): string {
	if (format === 'unix') return String(Math.floor(instant / 1000));
	const w = wallClockIn(instant, timeZone);
	if (format === 'DD.MM.YYYY HH:mm:ss') {
		return `${pad(w.day)}.${pad(w.month)}.${w.year} ${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}`;
	}
	return `${w.year}-${pad(w.month)}-${pad(w.day)} ${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}`;
}

/**
 * A schedule time for a provider: read, checked to lie in the future (a past time would either be
 * refused by the provider or, worse, sent at once), then written in the provider's format.
 */
export function scheduleTime(
	value: unknown,
	timeZone: string,
	format: ProviderTimeFormat,
	field: string,
	{ now = Date.now() }: { now?: number } = {},
): string {
	const instant = toInstant(value, timeZone, field);
	if (instant < now - PAST_TOLERANCE_MS) {
		throw new InvalidInputError(
			field,
			`${formatInstant(instant, timeZone, 'YYYY-MM-DD HH:mm:ss')} (${timeZone}) is in the past`,
			'Pick a time in the future, or leave the field empty to send at once.',
		);
	}
	return formatInstant(instant, timeZone, format);
}
