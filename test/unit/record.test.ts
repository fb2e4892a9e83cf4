import type { IDataObject } from 'n8n-workflow';
import { clearDedupMemory, firstSightings, WEBHOOK_DEDUP_LIMITS } from '../../nodes/SmsGateway/shared/dedup';
import type { TriggerEvent } from '../../nodes/SmsGateway/shared/events';
import { toRecord } from '../../nodes/SmsGateway/shared/record';

describe('toRecord (static data written key by key)', () => {
	it('gives what Object.fromEntries gives: keys, order and values', () => {
		const entries: Array<[string, number]> = [
			['smsGateway24:501:7', 1],
			['12', 2],
			['messageFlow:#ab:delivered', 3],
			['3', 4],
			['constructor', 5],
			['', 6],
		];
		const record = toRecord(entries);
		expect(record).toEqual(Object.fromEntries(entries));
		expect(Object.keys(record)).toEqual(Object.keys(Object.fromEntries(entries)));
		expect(JSON.stringify(record)).toBe(JSON.stringify(Object.fromEntries(entries)));
	});

	it('keeps a key "__proto__" as an entry and leaves the prototype alone', () => {
		const record = toRecord<unknown>([['__proto__', { polluted: true }], ['a', 1]]);
		expect(Object.getPrototypeOf(record)).toBe(Object.prototype);
		expect((record as IDataObject).polluted).toBeUndefined();
		expect(Object.keys(record)).toEqual(['__proto__', 'a']);
		expect(JSON.parse(JSON.stringify(record))).toEqual(JSON.parse('{"__proto__":{"polluted":true},"a":1}'));
	});
});

describe('the webhook de-duplication record at its limit', () => {
	const event = (id: number): TriggerEvent => ({
		provider: 'messageFlow',
		event: 'status',
		messageId: `m-${id}`,
		direction: 'outbound',
		status: 'delivered',
		providerStatus: 'Delivered',
		eventTime: '2026-11-25T00:00:00.000Z',
		raw: {},
	});
	beforeEach(() => clearDedupMemory());

	it('stores the most recently seen keys, least recently seen first, with their times', () => {
		const staticData: IDataObject = {};
		const { maxKeys } = WEBHOOK_DEDUP_LIMITS;
		for (let id = 1; id <= maxKeys + 20; id++) firstSightings([event(id)], { staticData, scope: 'workflow:node', now: 1_000_000 + id });
		const stored = staticData.seenEvents as Record<string, number>;
		const keys = Object.keys(stored);
		expect(keys).toHaveLength(maxKeys);
		expect(keys[0]).toBe('messageFlow:m-21:Delivered');
		expect(keys[maxKeys - 1]).toBe(`messageFlow:m-${maxKeys + 20}:Delivered`);
		expect(Object.values(stored)).toEqual(Array.from({ length: maxKeys }, (_, index) => 1_000_000 + 21 + index));
		// Seen again: it moves to the end, and no event is reported for it.
		expect(firstSightings([event(21)], { staticData, scope: 'workflow:node', now: 2_000_000 })).toHaveLength(0);
		const again = Object.keys(staticData.seenEvents as IDataObject);
		expect(again[0]).toBe('messageFlow:m-22:Delivered');
		expect(again[maxKeys - 1]).toBe('messageFlow:m-21:Delivered');
	});
});
