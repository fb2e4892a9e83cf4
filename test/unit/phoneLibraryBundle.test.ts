import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * The shipped copy of libphonenumber (dist/vendor/libphonenumber.js) is bundled from the library's
 * untranspiled source with one helper of our own in place of the library's (vendor/bundle.js), for
 * speed. Every number the node checks goes through it, so it must answer exactly as the library
 * as published does. This builds the bundle the way the build does and compares the two on every
 * country's numbers: national and international forms, written with separators, valid and not.
 */

type Library = typeof import('libphonenumber-js/min');

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { bundlePhoneLibrary } = require('../../vendor/bundle') as { bundlePhoneLibrary: (outfile: string, options?: object) => Promise<void> };

let directory: string;
let bundled: Library;
let bundleText: string;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const published = require('libphonenumber-js/min') as Library;

beforeAll(async () => {
	directory = mkdtempSync(path.join(os.tmpdir(), 'phone-bundle-'));
	const outfile = path.join(directory, 'libphonenumber.js');
	await bundlePhoneLibrary(outfile, { minify: true, drop: ['console'] });
	bundleText = readFileSync(outfile, 'utf8');
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	bundled = require(outfile) as Library;
}, 60_000);

afterAll(() => rmSync(directory, { recursive: true, force: true }));

/** A small seeded generator, so a failure can be run again with the same numbers. */
function digitsGenerator(seed: number): (length: number) => string {
	let state = seed >>> 0;
	const next = () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
	return (length) => Array.from({ length }, () => String(Math.floor(next() * 10))).join('');
}

/** What the node reads from a parsed number, and more, as one comparable record. */
function reading(lib: Library, input: string, country?: string) {
	const parsed = lib.parsePhoneNumberFromString(input, country as Parameters<Library['parsePhoneNumberFromString']>[1]);
	if (!parsed) return null;
	return {
		number: parsed.number,
		country: parsed.country,
		nationalNumber: parsed.nationalNumber,
		valid: parsed.isValid(),
		possible: parsed.isPossible(),
		national: parsed.formatNational(),
		international: parsed.formatInternational(),
	};
}

describe('the bundled phone library', () => {
	it('is built from the library source, not its transpiled build', () => {
		// Babel's object-spread helper copies properties through their descriptors; the source has
		// none of it (this is what vendor/bundle.js is for).
		expect(bundleText).not.toMatch(/getOwnPropertyDescriptors/);
		expect(bundleText.length).toBeGreaterThan(50_000);
	});

	it('knows the same countries and calling codes', () => {
		expect(bundled.getCountries()).toEqual(published.getCountries());
		for (const country of published.getCountries()) {
			expect(bundled.getCountryCallingCode(country)).toBe(published.getCountryCallingCode(country));
		}
	});

	it('reads every country\'s numbers as the published library does', () => {
		const random = digitsGenerator(20261124);
		let compared = 0;
		let valid = 0;
		const differences: string[] = [];
		for (const country of published.getCountries()) {
			const callingCode = published.getCountryCallingCode(country);
			const inputs: string[] = [];
			for (let length = 4; length <= 13; length++) {
				for (let i = 0; i < 3; i++) {
					const digits = random(length);
					inputs.push(digits, `0${digits}`, `+${callingCode}${digits}`, `00${callingCode}${digits}`, `${callingCode}${digits}`);
					inputs.push(`+${callingCode} (${digits.slice(0, 3)}) ${digits.slice(3, 6)}-${digits.slice(6)}`);
				}
			}
			for (const input of inputs) {
				for (const defaultCountry of [country, undefined]) {
					const expected = reading(published, input, defaultCountry);
					const actual = reading(bundled, input, defaultCountry);
					compared++;
					if (expected?.valid) valid++;
					if (JSON.stringify(actual) !== JSON.stringify(expected)) {
						differences.push(`${input} (${defaultCountry ?? 'no default'}): ${JSON.stringify(actual)} ≠ ${JSON.stringify(expected)}`);
					}
				}
			}
		}
		expect(differences.slice(0, 10)).toEqual([]);
		// The corpus holds valid numbers of many countries, not only refusals.
		expect(compared).toBeGreaterThan(80_000);
		expect(valid).toBeGreaterThan(5_000);
	});

	it.each([
		['+4915752982212', undefined],
		['015752982212', 'DE'],
		['0701 234 567', 'UG'],
		['+5491123456789', undefined], // Argentina: the national form adds 15 and drops the 9
		['8 (800) 555-35-35', 'RU'],
		['(213) 373-4253', 'US'],
		['+44 20 7946 0958', undefined],
		['4915752982212', 'DE'],
	])('reads %p (default country %p) as the published library does', (input, country) => {
		expect(reading(bundled, input, country)).toEqual(reading(published, input, country));
		expect(reading(bundled, input, country)).not.toBeNull();
	});
});
