import { answer } from '../../nodes/SmsGateway/providers/messageFlow/schemas';

// MessageFlow's message entries are checked by hand (schemas.ts says why); these pin the rules the
// zod object schema had, so a broken answer is still refused and a good one read the same way.
describe('MessageFlow answer: message entries', () => {
	it('reads a phone number written as a number as text, and keeps fields the samples do not show', () => {
		const parsed = answer.safeParse({ data: [{ phoneNumber: 48601234567, status: 1, smsId: 'abc', price: 0.07 }], meta: { uniqId: 'u' } });
		expect(parsed.success).toBe(true);
		expect(parsed.success && parsed.data.data).toEqual([{ phoneNumber: '48601234567', status: 1, smsId: 'abc', price: 0.07 }]);
	});

	it('accepts null and missing optional fields', () => {
		const entry = { phoneNumber: '+48601234567', sender: null, externalId: null, status: '2', statusTime: null, createTime: 1732350000, numberOfParts: '1' };
		const parsed = answer.safeParse({ data: [entry] });
		expect(parsed.success && parsed.data.data).toEqual([entry]);
	});

	it.each([
		['no phone number', { status: 1 }],
		['a phone number that is an object', { phoneNumber: { number: '1' } }],
		['a status that is an object', { phoneNumber: '1', status: { code: 1 } }],
		['an external id that is a number', { phoneNumber: '1', externalId: 5 }],
		['parts that are a boolean', { phoneNumber: '1', numberOfParts: true }],
		['an entry that is text', 'oops'],
		['an entry that is a list', ['1']],
		['an entry that is null', null],
	])('refuses %s', (_, entry) => {
		const parsed = answer.safeParse({ data: [{ phoneNumber: '48601234567' }, entry] });
		expect(parsed.success).toBe(false);
		expect(!parsed.success && parsed.error.issues[0].path).toEqual(['data', 1]);
	});
});
