import { InvalidInputError } from '../../nodes/SmsGateway/shared/errors';
import { normaliseRecipients, splitRecipients, toE164 } from '../../nodes/SmsGateway/shared/phone';

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
});
