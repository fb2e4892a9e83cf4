import { readTextField } from '../../nodes/SmsGateway/shared/message';

// What n8n's expressions build $now and $today with (a dependency of n8n-workflow; no types here).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { DateTime } = require('luxon') as { DateTime: { fromISO: (text: string, options?: object) => object } };

/**
 * readTextField reads a text field other than the message. n8n hands a field whose whole value is
 * an expression the expression's result as it is: {{ $now }} or {{ $today }} is a Luxon DateTime
 * object, which String() wrote as its ISO text before objects were refused.
 */
describe('readTextField', () => {
	it('takes text and numbers as text, nothing as empty', () => {
		expect(readTextField('ACME', 'Sender')).toBe('ACME');
		expect(readTextField(2026, 'Title')).toBe('2026');
		expect(readTextField(undefined, 'Title')).toBe('');
		expect(readTextField(null, 'Title')).toBe('');
	});

	it('takes a date ({{ $now }}, {{ $today }}, a JS Date) as its text, as before', () => {
		const now = DateTime.fromISO('2030-05-26T10:00:00.000+02:00', { setZone: true });
		expect(readTextField(now, 'Title')).toBe('2030-05-26T10:00:00.000+02:00');
		const date = new Date(Date.UTC(2030, 4, 26, 8));
		expect(readTextField(date, 'External ID')).toBe(String(date));
	});

	it('refuses an object, a list and a date that is not one, naming the field', () => {
		expect(() => readTextField({ id: 17 }, 'External ID')).toThrow(expect.objectContaining({ field: 'External ID', message: 'expected text but got {"id":17}' }));
		expect(() => readTextField(['a', 'b'], 'Sender')).toThrow(expect.objectContaining({ field: 'Sender' }));
		expect(() => readTextField(DateTime.fromISO('not a date'), 'Title')).toThrow(expect.objectContaining({ field: 'Title' }));
		expect(() => readTextField(new Date(NaN), 'Title')).toThrow(expect.objectContaining({ field: 'Title' }));
	});
});
