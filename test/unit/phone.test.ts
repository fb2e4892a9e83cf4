import { InvalidInputError } from '../../nodes/SmsGateway/shared/errors';
import { loadPhoneNumbers, splitRecipients, toE164 } from '../../nodes/SmsGateway/shared/phone';

describe('phone numbers', () => {
	it('turns national numbers into E.164 with the default country', async () => {
		expect(await toE164('015752982212', 'DE')).toBe('+4915752982212');
		expect(await toE164('0701 234 567', 'UG')).toBe('+256701234567');
		expect(await toE164('601-234-567', 'PL')).toBe('+48601234567');
	});

	it('accepts international numbers without a default country, with + or 00', async () => {
		expect(await toE164('+49 (157) 5298-2212', '')).toBe('+4915752982212');
		expect(await toE164('004915752982212', '')).toBe('+4915752982212');
	});

	it.each([
		['015752982212', '', /has no country code/],
		['+49 157 ABC', 'DE', /not a phone number: it contains characters/],
		['123', 'DE', /not a valid phone number for country DE/],
		['015752982212', 'PL', /not a valid phone number for country PL/],
	])('refuses %p (default country %p)', async (raw, country, message) => {
		await expect(toE164(raw, country)).rejects.toThrow(message);
		await expect(toE164(raw, country)).rejects.toBeInstanceOf(InvalidInputError);
	});

	describe('digits that begin with the default country\'s calling code', () => {
		it('refuses them when they could be two different numbers, naming the field and both readings', async () => {
			const phones = await loadPhoneNumbers();
			let error: unknown;
			try {
				phones.normaliseRecipients('4915752982212', 'DE');
			} catch (caught) {
				error = caught;
			}
			expect(error).toBeInstanceOf(InvalidInputError);
			expect(error).toMatchObject({
				field: 'Recipients',
				message: '"4915752982212" could be +49 15752982212 or the national number 4915752982212 in Germany',
				fix: 'Write it with + (+4915752982212) or, for the national number, with its leading 0 (04915752982212).',
			});
			// As a JSON number, the only form it can take there.
			expect(() => phones.normaliseRecipients(4915752982212, 'DE')).toThrow(/could be \+49 15752982212/);
			expect(() => phones.normaliseRecipients('+4915752982212, 4915752982212', 'de')).toThrow(/"4915752982212" could be/);
		});

		it.each(['+4915752982212', '004915752982212', '015752982212', '0157 5298 2212'])('still reads %p with DE', async (typed) => {
			expect(await toE164(typed, 'DE')).toBe('+4915752982212');
		});

		it('accepts them when both readings are the same number', async () => {
			expect(await toE164('12125551234', 'US')).toBe('+12125551234');
			expect(await toE164('256701234567', 'UG')).toBe('+256701234567');
			expect(await toE164('256 701 234567', 'UG')).toBe('+256701234567');
		});

		it('keeps the national reading when the international one is not a valid number', async () => {
			// +49 0268754 cannot exist; 04900 268754 can.
			expect(await toE164('4900268754', 'DE')).toBe('+494900268754');
		});

		// Countries that write national numbers without a prefix, or an international reading that
		// is no real number (no format of the country fits it), keep the national reading.
		it.each([
			['55991234567', 'BR', '+5555991234567'], // a mobile in area code 55, written (55) 99123-4567
			['5532215367', 'BR', '+555532215367'], // a landline in area code 55
			['9117393098', 'IN', '+919117393098'], // an Indian mobile, ten digits as written in India
			['483621234', 'PL', '+48483621234'], // a Radom landline, (48) 362 12 34
		])('reads %p with %s as the national number %s', async (typed, country, expected) => {
			expect(await toE164(typed, country)).toBe(expected);
		});
	});

	it('splits on commas, semicolons and new lines, and takes lists and numbers', () => {
		expect(splitRecipients('+491, +492;+493\n+494')).toEqual(['+491', '+492', '+493', '+494']);
		expect(splitRecipients(['+491', 4915752982212])).toEqual(['+491', '4915752982212']);
		expect(() => splitRecipients([{ phone: '+491' }])).toThrow(/expected phone numbers but got/);
	});

	it('refuses the same person twice, however it is written', async () => {
		const phones = await loadPhoneNumbers();
		expect(() => phones.normaliseRecipients('+4915752982212, 015752982212', 'DE')).toThrow(/\+4915752982212 appears twice/);
		expect(() => phones.normaliseRecipients('', 'DE')).toThrow(/no recipient given/);
		expect(() => phones.normaliseRecipients('  ', 'DE')).toThrow(/no recipient given/);
	});

	it('normalises a single number, a list, and numbers with spaces around them', async () => {
		const phones = await loadPhoneNumbers();
		expect(phones.normaliseRecipients(' 015752982212 ', 'DE')).toEqual(['+4915752982212']);
		expect(phones.normaliseRecipients('+4915752982212;\n0701 234 567,', 'UG')).toEqual(['+4915752982212', '+256701234567']);
		expect(phones.normaliseRecipients(['+4915752982212', '+256 701 234567'], '')).toEqual(['+4915752982212', '+256701234567']);
		// A number from an expression has no +: it is read as national, so it needs the country.
		expect(phones.normaliseRecipients(701234567, 'UG')).toEqual(['+256701234567']);
		expect(() => phones.normaliseRecipients(256701234567, '')).toThrow(/"256701234567" has no country code/);
		expect(() => phones.normaliseRecipients('+4915752982212, 12', 'DE')).toThrow(/"12" is not a valid phone number for country DE/);
	});

	it('knows the supported countries and the country of a number', async () => {
		const phones = await loadPhoneNumbers();
		expect(phones.isSupportedCountry('ug')).toBe(true);
		expect(phones.isSupportedCountry('XX')).toBe(false);
		expect(phones.countryOf('+254712345678')).toBe('KE');
	});

	it('writes numbers nationally the same whether or not toE164 has just read them', async () => {
		// format reuses what toE164 parsed (phone.ts): the result must equal a fresh parse's.
		const cases: Array<[string, string, string]> = [
			['0701 234 567', 'UG', '0701234567'],
			['+256 772 123456', '', '0772123456'],
			['601-234-567', 'PL', '601234567'],
			['015752982212', 'DE', '015752982212'],
			['(684) 733-1234', 'US', '6847331234'],
		];
		const phones = await loadPhoneNumbers();
		for (const [typed, country, national] of cases) {
			const e164 = await toE164(typed, country);
			expect(phones.format(e164, 'national')).toBe(national);
		}
		// Never read by toE164 in this process: parsed on the spot.
		expect(phones.format('+256700000123', 'national')).toBe('0700000123');
		expect(phones.format('+256700000123', 'digits')).toBe('256700000123');
		expect(phones.format('+256700000123', 'e164')).toBe('+256700000123');
	});
});
