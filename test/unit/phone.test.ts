import { InvalidInputError } from '../../nodes/SmsGateway/shared/errors';
import { formatNumber, normaliseRecipients, splitRecipients, toE164 } from '../../nodes/SmsGateway/shared/phone';

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

	it('splits on commas, semicolons and new lines, and takes lists and numbers', () => {
		expect(splitRecipients('+491, +492;+493\n+494')).toEqual(['+491', '+492', '+493', '+494']);
		expect(splitRecipients(['+491', 4915752982212])).toEqual(['+491', '4915752982212']);
		expect(() => splitRecipients([{ phone: '+491' }])).toThrow(/expected phone numbers but got/);
	});

	it('refuses the same person twice, however it is written', async () => {
		await expect(normaliseRecipients('+4915752982212, 015752982212', 'DE')).rejects.toThrow(/\+4915752982212 appears twice/);
		await expect(normaliseRecipients('', 'DE')).rejects.toThrow(/no recipient given/);
	});

	it('writes numbers nationally the same whether or not toE164 has just read them', async () => {
		// formatNumber reuses what toE164 parsed (phone.ts): the result must equal a fresh parse's.
		const cases: Array<[string, string, string]> = [
			['0701 234 567', 'UG', '0701234567'],
			['+256 772 123456', '', '0772123456'],
			['601-234-567', 'PL', '601234567'],
			['015752982212', 'DE', '015752982212'],
			['(684) 733-1234', 'US', '6847331234'],
		];
		for (const [typed, country, national] of cases) {
			const e164 = await toE164(typed, country);
			expect(await formatNumber(e164, 'national')).toBe(national);
		}
		// Never read by toE164 in this process: parsed on the spot.
		expect(await formatNumber('+256700000123', 'national')).toBe('0700000123');
		expect(await formatNumber('+256700000123', 'digits')).toBe('256700000123');
	});
});
