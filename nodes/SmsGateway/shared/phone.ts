import { InvalidInputError, preview } from './errors';

/**
 * Phone numbers: every recipient leaves the node in E.164 (+4915752982212), whatever the user typed.
 * National numbers (015752982212) need a default country, which the node asks for once.
 *
 * libphonenumber-js and its metadata are bundled into dist/vendor and loaded on first use, so
 * n8n's start-up (which loads every node module) does not pay for them.
 */
type PhoneLibrary = typeof import('../../../vendor/libphonenumber');

// Vanity numbers (1-800-FLOWERS) are legal for libphonenumber but never what an SMS workflow means:
// a letter in a recipient is almost always a mapped wrong field, so it is refused.
const ALLOWED_CHARACTERS = /^\+?[\d\s().\-/]+$/;

export const RECIPIENT_FIELD = 'Recipients';

const SEPARATORS = /[,;\n]/;

/** A number as its digits only, to compare what a provider writes back with what was sent. */
export function digitsOf(value: unknown): string {
	return String(value ?? '').replace(/\D/g, '');
}

/** Splits a recipients field (text with commas, semicolons or new lines, or an array) into numbers. */
export function splitRecipients(value: unknown, field = RECIPIENT_FIELD): string[] {
	if (value === undefined || value === null || value === '') return [];
	const parts = Array.isArray(value) ? value : [value];
	const numbers: string[] = [];
	for (const part of parts) {
		if (typeof part === 'number') {
			numbers.push(String(part));
		} else if (typeof part === 'string') {
			if (!SEPARATORS.test(part)) {
				// The usual field: one number, nothing to split (in CPU profiles of a fresh process
				// reading 2,000 items, splitRecipients had 5.9 ms of self time before, 0.9 ms after).
				const number = part.trim();
				if (number !== '') numbers.push(number);
				continue;
			}
			// One by one, not push(...pieces): a spread passes every piece as an argument on the
			// stack, and a field of some 150,000 numbers threw "Maximum call stack size exceeded".
			for (const piece of part.split(SEPARATORS)) {
				const number = piece.trim();
				if (number !== '') numbers.push(number);
			}
		} else {
			throw new InvalidInputError(
				field,
				`expected phone numbers but got ${preview(part)}`,
				'Map a text field (or a list of texts) with the numbers, e.g. {{ $json.phone }}, not a whole object.',
			);
		}
	}
	return numbers;
}

type ParsedNumber = NonNullable<ReturnType<PhoneLibrary['parsePhoneNumberFromString']>>;
type CountryCode = import('../../../vendor/libphonenumber').CountryCode;

/** "Germany" for DE, for messages; the code itself where the runtime has no names. */
function countryName(code: string): string {
	try {
		return new Intl.DisplayNames(['en'], { type: 'region' }).of(code) ?? code;
	} catch {
		return code;
	}
}

/**
 * Numbers just checked by toE164, by their E.164 form, for format: a provider that wants
 * national numbers (UGSMS) would otherwise parse each one a second time, which was most of the
 * library's cost in a 2,000-item send (bench/). Bounded: it is emptied when full, and a number
 * not found is simply parsed again.
 */
const MAX_REMEMBERED = 5_000;
const recentlyParsed = new Map<string, ParsedNumber>();

function rememberParsed(parsed: ParsedNumber): void {
	if (recentlyParsed.size >= MAX_REMEMBERED) recentlyParsed.clear();
	recentlyParsed.set(parsed.number, parsed);
}

/**
 * The checks, once the library is loaded (loadPhoneNumbers). They do not wait on anything: a bulk
 * send checks thousands of numbers, and an asynchronous check per number made four promises and as
 * many suspensions per item for nothing (the library is loaded once). In fresh processes, where
 * that overhead is largest, reading 2,000 items went from 89 to 80 ms (median of 15, about the
 * spread between processes; bench/micro.mjs, "first 2,000 items in a fresh process"), with less
 * garbage to collect.
 */
export interface PhoneNumbers {
	/** One number in E.164; throws InvalidInputError naming the field. */
	toE164(raw: string, defaultCountry: string, field?: string): string;
	/**
	 * A recipients field as E.164 numbers. The same number twice (even written differently) is
	 * refused rather than silently merged: it usually means a mapping mistake, and the user should see it.
	 */
	normaliseRecipients(raw: unknown, defaultCountry: string, field?: string): string[];
	isSupportedCountry(code: string): boolean;
	/** Writes an E.164 number (as normalised by toE164) in the chosen format. */
	format(e164: string, format: NumberFormat): string;
	/** The country of an E.164 number, e.g. "KE", when the library knows it. */
	countryOf(e164: string): string | undefined;
}

function checksWith(lib: PhoneLibrary): PhoneNumbers {
	const countries = new Set<string>(lib.getCountries());
	/**
	 * Digits typed without + or 00 that begin with the default country's calling code, e.g.
	 * 4915752982212 with DE (how spreadsheets and CRMs keep +49…, and the only form a JSON number
	 * can take), have two readings, and libphonenumber takes the national one (+494915752982212)
	 * whenever it is valid. When both readings are real numbers and differ, either guess may text
	 * a stranger, so the number is refused; when only the international one is valid, it is used.
	 *
	 * The shipped (min) metadata calls many digit strings valid that are no numbers at all, and a
	 * refusal by that test alone refused everyday national numbers (Brazil's area code 55: every
	 * mobile there; India's 911…; Radom's 48… in Poland). So both readings must also look real:
	 * the international one must be one libphonenumber can lay out by one of the country's number
	 * formats (a bare string of digits back means none fits), and the typed digits must not be the
	 * way the country writes its national numbers anyway, i.e. its national form begins with a
	 * prefix (Germany's 0) that the digits lack. Brazil, India and Poland write theirs without one.
	 * The second parse is only done for such digits, not for every number of a bulk send.
	 */
	const withCallingCode = (typed: string, country: CountryCode, national: ParsedNumber | undefined, field: string): ParsedNumber | undefined => {
		const digits = digitsOf(typed);
		const callingCode = lib.getCountryCallingCode(country);
		if (!digits.startsWith(callingCode)) return national;
		const international = lib.parsePhoneNumberFromString(`+${digits}`);
		if (!international?.isValid()) return national;
		if (!national || national.number === international.number) return national ?? international;
		const written = digitsOf(national.formatNational());
		const prefix = written.length > digits.length && written.endsWith(digits) ? written.slice(0, -digits.length) : '';
		const laidOut = /\D/.test(international.formatNational());
		if (!laidOut || prefix === '') return national;
		throw new InvalidInputError(
			field,
			`"${typed}" could be +${callingCode} ${international.nationalNumber} or the national number ${digits} in ${countryName(country)}`,
			`Write it with + (${international.number}) or, for the national number, with its leading ${prefix} (${written}).`,
		);
	};
	const toE164 = (raw: string, defaultCountry: string, field = RECIPIENT_FIELD): string => {
		const typed = raw.trim();
		if (!ALLOWED_CHARACTERS.test(typed)) {
			throw new InvalidInputError(
				field,
				`"${preview(typed)}" is not a phone number: it contains characters other than digits, spaces, + - ( ) . /`,
				'Use a number such as +4915752982212, or a national number with the Default Country option set.',
			);
		}
		const international = typed.startsWith('+') || typed.startsWith('00');
		const normalised = typed.startsWith('00') ? `+${typed.slice(2)}` : typed;
		if (!international && !defaultCountry) {
			throw new InvalidInputError(
				field,
				`"${typed}" has no country code`,
				'Write it in international form (+49…), or set the Default Country option so national numbers can be read.',
			);
		}
		const country = defaultCountry ? (defaultCountry.toUpperCase() as CountryCode) : undefined;
		const read = lib.parsePhoneNumberFromString(normalised, country);
		const valid = read?.isValid() ? read : undefined;
		const parsed = !international && country && countries.has(country) ? withCallingCode(typed, country, valid, field) : valid;
		if (!parsed) {
			const where = international ? '' : ` for country ${defaultCountry.toUpperCase()}`;
			throw new InvalidInputError(
				field,
				`"${typed}" is not a valid phone number${where}`,
				'Check the number for missing or extra digits, and that the Default Country matches national numbers.',
			);
		}
		rememberParsed(parsed);
		return parsed.number;
	};
	return {
		toE164,
		normaliseRecipients(raw, defaultCountry, field = RECIPIENT_FIELD) {
			const numbers = splitRecipients(raw, field);
			if (numbers.length === 0) {
				throw new InvalidInputError(field, 'no recipient given', 'Enter at least one phone number.');
			}
			const seen = new Map<string, string>();
			for (const number of numbers) {
				const e164 = toE164(number, defaultCountry, field);
				const earlier = seen.get(e164);
				if (earlier !== undefined) {
					throw new InvalidInputError(
						field,
						`${e164} appears twice ("${earlier}" and "${number}")`,
						'Remove the duplicate so the person is not texted twice.',
					);
				}
				seen.set(e164, number);
			}
			return [...seen.keys()];
		},
		isSupportedCountry: (code) => countries.has(code.toUpperCase()),
		format(e164, format) {
			if (format === 'digits') return e164.replace(/^\+/, '');
			if (format === 'national') {
				const parsed = recentlyParsed.get(e164) ?? lib.parsePhoneNumberFromString(e164);
				return parsed ? parsed.formatNational().replace(/[^\d]/g, '') : e164;
			}
			return e164;
		},
		countryOf: (e164) => lib.parsePhoneNumberFromString(e164)?.country,
	};
}

let checks: PhoneNumbers | undefined;
let loading: Promise<PhoneNumbers> | undefined;

/** The phone checks, loading libphonenumber (and its metadata) the first time. */
export async function loadPhoneNumbers(): Promise<PhoneNumbers> {
	if (checks) return checks;
	loading ??= import('../../../vendor/libphonenumber').then((lib) => (checks = checksWith(lib)));
	return await loading;
}

/** For a single check where waiting once does not matter (see PhoneNumbers for the rest). */
export async function toE164(raw: string, defaultCountry: string, field = RECIPIENT_FIELD): Promise<string> {
	return (await loadPhoneNumbers()).toE164(raw, defaultCountry, field);
}

/** How a provider wants numbers written. Where its documents are unclear, the user can choose. */
export type NumberFormat = 'e164' | 'digits' | 'national';

/** The one country a provider's national numbers belong to (written without a country code). */
export interface HomeCountry {
	provider: string;
	/** E.164 prefix, e.g. +256. */
	callingCode: string;
	/** How the provider would read a national number, e.g. "Ugandan". */
	adjective: string;
}

/**
 * Written nationally, a foreign number loses its country code and the provider would read it as
 * one of its own country: a wrong recipient, or a refusal. So Number Format "National" takes only
 * numbers of the provider's country; the error says which number and what to change.
 */
export function requireHomeNumber(phones: PhoneNumbers, e164: string, format: NumberFormat, home: HomeCountry): void {
	if (format !== 'national' || e164.startsWith(home.callingCode)) return;
	const country = phones.countryOf(e164) ?? 'another country';
	throw new InvalidInputError(
		RECIPIENT_FIELD,
		`${e164} is a number from ${country}, and Number Format "National" writes numbers without their country code, so ${home.provider} would read it as ${home.adjective}`,
		`Send only to ${home.adjective} numbers, or choose an international Number Format in the options if your ${home.provider} account sends abroad.`,
	);
}

export const NUMBER_FORMAT_OPTIONS: Array<{ name: string; value: NumberFormat }> = [
	{ name: 'International With + (+48601234567)', value: 'e164' },
	{ name: 'International Digits Only (48601234567)', value: 'digits' },
	{ name: 'National (601234567, 0701234567)', value: 'national' },
];
