/** Date helpers shared by provider modules; wall-clock formatting in a named zone without a date library. */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
	let f = formatters.get(timeZone);
	if (!f) {
		f = new Intl.DateTimeFormat('en-GB', {
			timeZone,
			year: 'numeric',
			month: '2-digit',
			day: '2-digit',
			hour: '2-digit',
			minute: '2-digit',
			second: '2-digit',
			hourCycle: 'h23',
		});
		formatters.set(timeZone, f);
	}
	return f;
}

export function isValidTimeZone(timeZone: string): boolean {
	try {
		formatter(timeZone);
		return true;
	} catch {
		return false;
	}
}

export interface WallClock {
	year: string;
	month: string;
	day: string;
	hour: string;
	minute: string;
	second: string;
}

/**
 * The last wall clock worked out per zone. A bulk request stamps hundreds of messages with the same
 * second, and Intl's formatToParts costs tens of microseconds a call: without this the simulator's
 * own work on a 500-number send outweighed its fixed latency (bench/), and the benchmark measured it.
 */
const lastWallClock = new Map<string, { second: number; clock: WallClock }>();

export function wallClock(ms: number, timeZone: string): WallClock {
	const second = Math.floor(ms / 1000);
	const last = lastWallClock.get(timeZone);
	if (last && last.second === second) return { ...last.clock };
	const parts: Record<string, string> = {};
	for (const p of formatter(timeZone).formatToParts(new Date(ms))) parts[p.type] = p.value;
	const clock = {
		year: parts.year,
		month: parts.month,
		day: parts.day,
		hour: parts.hour,
		minute: parts.minute,
		second: parts.second,
	};
	lastWallClock.set(timeZone, { second, clock });
	return { ...clock };
}

/** `YYYY-MM-DD HH:MM:SS` in the zone; sorts lexicographically, which the date filters rely on. */
export function sqlDateTime(ms: number, timeZone: string): string {
	const w = wallClock(ms, timeZone);
	return `${w.year}-${w.month}-${w.day} ${w.hour}:${w.minute}:${w.second}`;
}

/** `DD.MM.YYYY HH:MM:SS`, the "human format" SMSGateway24 prints next to dates. */
export function humanDateTime(ms: number, timeZone: string): string {
	const w = wallClock(ms, timeZone);
	return `${w.day}.${w.month}.${w.year} ${w.hour}:${w.minute}:${w.second}`;
}

/** The shape PHP's json_encode gives a DateTime object. */
export function phpDateObject(ms: number, timeZone: string): { date: string; timezone_type: number; timezone: string } {
	return { date: `${sqlDateTime(ms, timeZone)}.000000`, timezone_type: 3, timezone: timeZone };
}

/** Parses `YYYY-MM-DD HH:MM:SS` as UTC; used for seed dates. */
export function parseUtc(value: string): number {
	const ms = Date.parse(`${value.replace(' ', 'T')}Z`);
	if (Number.isNaN(ms)) throw new Error(`bad seed date ${value}`);
	return ms;
}

/** Checks a calendar date really exists (rejects 2024-02-30). */
export function isRealDate(year: number, month: number, day: number): boolean {
	const d = new Date(Date.UTC(year, month - 1, day));
	return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}
