import { countSegments, isGsm7, maxUnitsFor } from '../../nodes/SmsGateway/shared/segments';

describe('segment counting (GSM 03.38)', () => {
	it.each([
		['', 'GSM-7', 1, 0],
		['a'.repeat(160), 'GSM-7', 1, 160],
		['a'.repeat(161), 'GSM-7', 2, 161],
		['a'.repeat(306), 'GSM-7', 2, 306],
		['a'.repeat(307), 'GSM-7', 3, 307],
		['€'.repeat(80), 'GSM-7', 1, 160], // extension characters cost two septets
		['€'.repeat(81), 'GSM-7', 2, 162],
		['ż'.repeat(70), 'UCS-2', 1, 70],
		['ż'.repeat(71), 'UCS-2', 2, 71],
		['ż'.repeat(134), 'UCS-2', 2, 134],
		['ż'.repeat(135), 'UCS-2', 3, 135],
	])('%#: %p is %s in %i part(s)', (text, encoding, segments, units) => {
		expect(countSegments(text)).toMatchObject({ encoding, segments, units });
	});

	it('never splits an escape sequence across parts', () => {
		// 152 plain characters then "€" (2 septets) overflows part one's 153 by one: it moves whole.
		const text = `${'a'.repeat(152)}€${'a'.repeat(152)}`;
		expect(countSegments(text)).toMatchObject({ encoding: 'GSM-7', units: 306, segments: 3 });
	});

	it('counts an emoji as two UTF-16 units and never splits it', () => {
		expect(countSegments('👋')).toMatchObject({ encoding: 'UCS-2', units: 2, characters: 1, segments: 1 });
		const text = `${'a'.repeat(66)}👋`;
		expect(countSegments(text)).toMatchObject({ units: 68, segments: 1 });
		expect(countSegments(`${'a'.repeat(66)}👋${'a'.repeat(3)}`)).toMatchObject({ units: 71, segments: 2 });
	});

	it('knows the GSM-7 alphabet, including its accents', () => {
		expect(isGsm7('Grüße aus Köln, Ñandù! @£$¥èéùìò')).toBe(true);
		expect(isGsm7('Zażółć gęślą jaźń')).toBe(false);
		expect(maxUnitsFor(9, 'GSM-7')).toBe(1377);
		expect(maxUnitsFor(9, 'UCS-2')).toBe(603);
	});
	it('answers a text asked again (a bulk send of one text) with the same figures, in an object of its own', () => {
		const first = countSegments('Spring sale: 20% off until Sunday €');
		const again = countSegments('Spring sale: 20% off until Sunday €');
		expect(again).toEqual(first);
		expect(again).not.toBe(first);
		again.segments = 99;
		expect(countSegments('Spring sale: 20% off until Sunday €').segments).toBe(1);
		// A different text in between is counted anew, not answered from the last one.
		expect(countSegments('Zażółć')).toMatchObject({ encoding: 'UCS-2', units: 6 });
		expect(countSegments('Spring sale: 20% off until Sunday €')).toEqual(first);
	});
});
