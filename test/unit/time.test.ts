import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { formatInstant, readTimeZone, scheduleTime, toInstant } from '../../nodes/SmsGateway/shared/time';

const NOW = Date.UTC(2030, 0, 1, 0, 0, 0);

describe('schedule times', () => {
	it('reads a time without an offset as wall-clock time in the chosen zone', () => {
		expect(scheduleTime('2030-07-01T10:00:00', 'Europe/Berlin', 'YYYY-MM-DD HH:mm:ss', 'Schedule Time', { now: NOW })).toBe('2030-07-01 10:00:00');
		expect(toInstant('2030-07-01T10:00:00', 'Europe/Berlin', 'x')).toBe(Date.UTC(2030, 6, 1, 8, 0, 0));
		expect(toInstant('2030-01-15 10:00', 'Europe/Berlin', 'x')).toBe(Date.UTC(2030, 0, 15, 9, 0, 0));
	});

	it('converts an instant with an offset into the zone and format the provider wants', () => {
		expect(scheduleTime('2030-07-01T08:00:00Z', 'Europe/Warsaw', 'DD.MM.YYYY HH:mm:ss', 'Start Time', { now: NOW })).toBe('01.07.2030 10:00:00');
		expect(scheduleTime('2030-07-01T08:00:00+02:00', 'UTC', 'unix', 'x', { now: NOW })).toBe(String(Date.UTC(2030, 6, 1, 6) / 1000));
	});

	it('takes Luxon-like objects, dates and Unix times', () => {
		expect(toInstant({ toMillis: () => 42_000 }, 'UTC', 'x')).toBe(42_000);
		expect(toInstant(new Date(5000), 'UTC', 'x')).toBe(5000);
		expect(toInstant(1_900_000_000, 'UTC', 'x')).toBe(1_900_000_000_000);
	});

	it('handles the DST change', () => {
		// 2030-03-31 02:30 does not exist in Berlin; 03:30 CEST is +02:00.
		expect(formatInstant(toInstant('2030-03-31T03:30:00', 'Europe/Berlin', 'x'), 'UTC', 'YYYY-MM-DD HH:mm:ss')).toBe('2030-03-31 01:30:00');
	});

	it.each([
		['2029-12-31T12:00:00Z', 'UTC', /is in the past/],
		['tomorrow-ish', 'UTC', /cannot read "tomorrow-ish"/],
		[{ when: 'soon' }, 'UTC', /cannot read/],
	])('refuses %p in %p', (value, zone, message) => {
		expect(() => scheduleTime(value, zone, 'YYYY-MM-DD HH:mm:ss', 'Schedule Time', { now: NOW })).toThrow(message);
	});

	it('refuses NaN, Infinity and an invalid Luxon DateTime, naming the field (not a bare RangeError, not "null")', () => {
		// What {{ $json.sendAt * 1000 }} gives when sendAt is missing, or DateTime.fromFormat on a bad text.
		for (const value of [NaN, Infinity, -Infinity, { toMillis: () => NaN }, 9e15]) {
			expect(() => scheduleTime(value, 'UTC', 'unix', 'Schedule Time', { now: NOW })).toThrow(/cannot read .* as a date and time/);
			expect(() => scheduleTime(value, 'UTC', 'YYYY-MM-DD HH:mm:ss', 'Schedule Time', { now: NOW })).toThrow(expect.objectContaining({ field: 'Schedule Time' }));
		}
	});

	it.each(['2031-02-29 10:00', '2030-04-31T10:00:00', '2030-26-05 10:00', '2030-05-26 25:00', '2030-05-26T10:60'])(
		'refuses %p, a date or time not on the calendar, instead of rolling it over',
		(value) => {
			expect(() => toInstant(value, 'Europe/Berlin', 'Schedule Time')).toThrow(/is not a date and time on the calendar/);
		},
	);

	it('reads a non-ISO text without a zone as wall-clock time in the chosen zone, not the server’s', () => {
		// Kiritimati (+14:00) is nobody's server zone: the old reading took the server's.
		expect(toInstant('12/30/2030 10:00', 'Pacific/Kiritimati', 'x')).toBe(Date.UTC(2030, 11, 29, 20, 0, 0));
		expect(toInstant('May 26, 2030 10:00', 'Europe/Berlin', 'x')).toBe(Date.UTC(2030, 4, 26, 8, 0, 0));
		// A text that names its offset or zone keeps it.
		expect(toInstant('Tue, 26 May 2030 10:00:00 +0200', 'Pacific/Kiritimati', 'x')).toBe(Date.UTC(2030, 4, 26, 8, 0, 0));
		expect(toInstant('Sun May 26 2030 10:00:00 GMT+0200 (Central European Summer Time)', 'Pacific/Kiritimati', 'x')).toBe(Date.UTC(2030, 4, 26, 8, 0, 0));
		expect(toInstant('May 26, 2030 10:00 UTC', 'Pacific/Kiritimati', 'x')).toBe(Date.UTC(2030, 4, 26, 10, 0, 0));
		expect(toInstant('2030-05-26T10:00:00.000Z', 'Pacific/Kiritimati', 'x')).toBe(Date.UTC(2030, 4, 26, 10, 0, 0));
	});
});

describe('schedule times: other written forms off the calendar', () => {
	// JavaScript's Date.parse moves a day the month lacks into the next month, as Date.UTC does.
	it.each(['2/30/2030 10:00', '2/29/2031 10:00', '4/31/2030', '2030/02/30 10:00', 'Feb 30, 2030', '30 Feb 2030 10:00', 'Tue 30 Feb 2030 10:00'])(
		'refuses %p instead of moving it into the next month',
		(value) => {
			expect(() => toInstant(value, 'Europe/Berlin', 'Schedule Time')).toThrow(/is not a date and time on the calendar/);
		},
	);

	it('keeps reading the forms that are on it, 24:00 as the end of the day', () => {
		expect(toInstant('2/28/2030 10:00', 'UTC', 'x')).toBe(Date.UTC(2030, 1, 28, 10, 0, 0));
		expect(toInstant('2032/02/29 10:00', 'UTC', 'x')).toBe(Date.UTC(2032, 1, 29, 10, 0, 0));
		expect(toInstant('Tue 26 May 2030 10:00', 'Europe/Berlin', 'x')).toBe(Date.UTC(2030, 4, 26, 8, 0, 0));
		expect(toInstant('March 31, 2030', 'UTC', 'x')).toBe(Date.UTC(2030, 2, 31, 0, 0, 0));
		expect(toInstant('12/31/2030 24:00', 'UTC', 'x')).toBe(Date.UTC(2031, 0, 1, 0, 0, 0));
	});
});

describe('schedule times: values accepted before the calendar check', () => {
	it('reads 24:00 as the end of the day (midnight of the next), as ISO 8601 and Date.parse do', () => {
		expect(toInstant('2030-05-26T24:00', 'Europe/Berlin', 'x')).toBe(Date.UTC(2030, 4, 26, 22, 0, 0));
		expect(toInstant('2030-12-31 24:00:00', 'UTC', 'x')).toBe(Date.UTC(2031, 0, 1, 0, 0, 0));
		// Only 24:00 itself: a time past it is not on the clock.
		expect(() => toInstant('2030-05-26 24:30', 'UTC', 'x')).toThrow(/is not a date and time on the calendar/);
		expect(() => toInstant('2030-05-26T24:00:01', 'UTC', 'x')).toThrow(/is not a date and time on the calendar/);
	});
});

describe('schedule times: non-ISO text without a zone, whatever the n8n server’s zone', () => {
	/**
	 * toInstant run in a Node process whose own zone (TZ) is `serverZone`, as on an n8n server set
	 * to that zone. A child process: the zone of this one is fixed for the test run.
	 */
	function toInstantOnServer(serverZone: string, calls: Array<[string, string]>): number[] {
		const script = `const { toInstant } = require(${JSON.stringify(path.join(__dirname, '../../nodes/SmsGateway/shared/time'))});
			process.stdout.write(JSON.stringify(${JSON.stringify(calls)}.map(([text, zone]) => toInstant(text, zone, 'x'))));`;
		const output = execFileSync(process.execPath, [require.resolve('tsx/cli'), '-e', script], { env: { ...process.env, TZ: serverZone }, encoding: 'utf8' });
		return JSON.parse(output) as number[];
	}

	it('is the wall-clock time written when it falls in the server zone’s DST gap', () => {
		// 2:30 on 31 March 2030 does not exist in Berlin; the text is meant in UTC or New York.
		expect(toInstantOnServer('Europe/Berlin', [
			['3/31/2030 02:30', 'UTC'],
			['Mar 31, 2030 2:30 AM', 'America/New_York'],
		])).toEqual([Date.UTC(2030, 2, 31, 2, 30, 0), Date.UTC(2030, 2, 31, 6, 30, 0)]);
	});

	it('is the wall-clock time written also for a bare year, which Date.parse reads as UTC, not in the server’s zone', () => {
		for (const serverZone of ['Europe/Berlin', 'America/New_York']) {
			expect(toInstantOnServer(serverZone, [
				['2031', 'Europe/Berlin'],
				['12/30/2030 10:00', 'Europe/Berlin'],
			])).toEqual([Date.UTC(2030, 11, 31, 23, 0, 0), Date.UTC(2030, 11, 30, 9, 0, 0)]);
		}
	});
});

describe('time-zone fields', () => {
	it('takes an IANA name, trimmed, and falls back to the workflow’s zone (UTC without one) when empty', () => {
		expect(readTimeZone(' Europe/Warsaw ', 'Time Zone', 'America/New_York')).toBe('Europe/Warsaw');
		expect(readTimeZone('', 'Time Zone', 'America/New_York')).toBe('America/New_York');
		expect(readTimeZone(undefined, 'Time Zone', 'America/New_York')).toBe('America/New_York');
		expect(readTimeZone('  ', 'Time Zone', '')).toBe('UTC');
	});

	it.each([
		['Mars/Olympus', /^unknown time zone "Mars\/Olympus"$/],
		[{ zone: 'Europe/Berlin' }, /expected text/],
	])('refuses %p, naming the field and what to do', (value, message) => {
		let error: unknown;
		try {
			readTimeZone(value, 'Schedule Time Zone', 'UTC');
		} catch (caught) {
			error = caught;
		}
		expect(error).toMatchObject({ field: 'Schedule Time Zone', message: expect.stringMatching(message) });
	});
});
