import { advanceCursor, CURSOR_LIMITS, LATE_ARRIVAL_MS, listScope, loadCursor, loadCursorFor, newestEvent, querySince, saveCursor, type ListCursor, type PolledRecord } from '../../nodes/SmsGateway/shared/cursor';
import type { TriggerEvent } from '../../nodes/SmsGateway/shared/events';
import type { NormalisedStatus } from '../../nodes/SmsGateway/shared/types';

/** The polling cursor on its own: synthetic lists, every edge the README promises. */

const T0 = Date.UTC(2026, 10, 23, 12, 0, 0);
const HOUR = 60 * 60 * 1000;
const FINAL: NormalisedStatus[] = ['delivered', 'undelivered', 'failed', 'expired', 'received'];

function record(id: string, createdMs: number, status: NormalisedStatus, code = status): PolledRecord {
	const event = { provider: 'test', event: 'status', messageId: id, direction: 'outbound', status, providerStatus: code, eventTime: new Date(createdMs).toISOString(), raw: {} } as TriggerEvent;
	return { id, createdMs, providerStatus: code, final: FINAL.includes(status), event };
}

const options = (overrides: Partial<Parameters<typeof advanceCursor>[2]> = {}) => ({
	now: T0,
	since: T0 - 48 * HOUR,
	lookbackMs: 48 * HOUR,
	monotonicIds: false,
	replayOnFirstPoll: false,
	complete: true,
	scope: 'test',
	...overrides,
});

const ids = (events: TriggerEvent[]) => events.map((event) => `${String(event.messageId)}:${event.status}`);

describe('polling cursor', () => {
	it('first poll: remembers, emits nothing (or everything when asked)', () => {
		const list = [record('1', T0 - HOUR, 'delivered'), record('2', T0 - 10_000, 'queued')];
		const quiet = advanceCursor(undefined, list, options());
		expect(quiet.events).toEqual([]);
		expect(quiet.cursor).toMatchObject({ time: T0 - 10_000, ids: { '2': T0 - 10_000 }, pending: { '2': ['queued', T0 - 10_000] } });
		const replay = advanceCursor(undefined, list, options({ replayOnFirstPoll: true }));
		expect(ids(replay.events)).toEqual(['1:delivered', '2:queued']);
	});

	it('first poll of an empty list starts at the window (n8n clock), later polls at the provider’s times', () => {
		const empty = advanceCursor(undefined, [], options());
		expect(empty.cursor.time).toBe(T0 - 48 * HOUR);
		expect(querySince(empty.cursor, T0, 48 * HOUR)).toBe(T0 - 48 * HOUR - LATE_ARRIVAL_MS);
		const next = advanceCursor(empty.cursor, [record('1', T0 - 5, 'received')], options());
		expect(ids(next.events)).toEqual(['1:received']);
		expect(next.cursor.time).toBe(T0 - 5);
	});

	it('emits a status change once per change, drops finished messages from the followed set', () => {
		let cursor = advanceCursor(undefined, [], options()).cursor;
		let step = advanceCursor(cursor, [record('7', T0, 'queued')], options());
		expect(ids(step.events)).toEqual(['7:queued']);
		cursor = step.cursor;
		step = advanceCursor(cursor, [record('7', T0, 'queued')], options());
		expect(step.events).toEqual([]);
		step = advanceCursor(step.cursor, [record('7', T0, 'sent')], options());
		expect(ids(step.events)).toEqual(['7:sent']);
		step = advanceCursor(step.cursor, [record('7', T0, 'delivered')], options());
		expect(ids(step.events)).toEqual(['7:delivered']);
		expect(step.cursor.pending).toEqual({});
		step = advanceCursor(step.cursor, [record('7', T0, 'delivered')], options());
		expect(step.events).toEqual([]);
	});

	it('same second: ids at the cursor’s time are remembered, new ones at that time are emitted', () => {
		const first = advanceCursor(advanceCursor(undefined, [], options()).cursor, [record('1', T0, 'received')], options());
		const second = advanceCursor(first.cursor, [record('1', T0, 'received'), record('2', T0, 'received')], options());
		expect(ids(second.events)).toEqual(['2:received']);
	});

	it('late arrivals: found within LATE_ARRIVAL_MS; beyond it only by a growing id', () => {
		const start = advanceCursor(advanceCursor(undefined, [], options()).cursor, [record('100', T0, 'received')], options({ monotonicIds: true }));
		const late = record('101', T0 - LATE_ARRIVAL_MS + 1000, 'received');
		const veryLate = record('102', T0 - 3 * HOUR, 'received');
		const byTime = advanceCursor(start.cursor, [record('100', T0, 'received'), late, veryLate], options());
		expect(ids(byTime.events)).toEqual(['101:received']);
		const byId = advanceCursor(start.cursor, [record('100', T0, 'received'), late, veryLate], options({ monotonicIds: true }));
		expect(ids(byId.events)).toEqual(['102:received', '101:received']);
		expect(byId.cursor.maxId).toBe(102);
	});

	it('a cut-short list keeps the cursor’s time, and the next complete poll repeats nothing', () => {
		const start = advanceCursor(undefined, [], options()).cursor;
		const cut = advanceCursor(start, [record('1', T0 - 100, 'received')], options({ complete: false }));
		expect(cut.cursor.time).toBe(start.time);
		const rest = advanceCursor(cut.cursor, [record('1', T0 - 100, 'received'), record('2', T0 - 50, 'received')], options());
		expect(ids(rest.events)).toEqual(['2:received']);
		expect(rest.cursor.time).toBe(T0 - 50);
	});

	it('forgets unfinished messages older than the window; memory stays within its limits', () => {
		const limits = { maxIds: 3, maxPending: 2 };
		const start = advanceCursor(undefined, [], options()).cursor;
		const list = [1, 2, 3, 4, 5].map((n) => record(String(n), T0 - n * 1000, 'queued'));
		const step = advanceCursor(start, list, options({ limits }));
		expect(Object.keys(step.cursor.ids)).toHaveLength(3);
		expect(Object.keys(step.cursor.pending).sort()).toEqual(['1', '2']);
		const later = advanceCursor(step.cursor, [], options({ now: T0 + 49 * HOUR, limits }));
		expect(later.cursor.pending).toEqual({});
		expect(CURSOR_LIMITS.maxIds).toBeGreaterThan(1000);
	});

	it('more finished messages near the cursor than it keeps ids for: none is reported twice, a newer one is', () => {
		const limits = { maxIds: 3, maxPending: 10 };
		const start = advanceCursor(undefined, [], options({ limits })).cursor;
		const list = [1, 2, 3, 4, 5].map((n) => record(String(n), T0 - n * 1000, 'delivered'));
		const first = advanceCursor(start, list, options({ limits }));
		expect(ids(first.events)).toEqual(['5:delivered', '4:delivered', '3:delivered', '2:delivered', '1:delivered']);
		expect(Object.keys(first.cursor.ids)).toHaveLength(3);
		const second = advanceCursor(first.cursor, list, options({ limits }));
		expect(second.events).toEqual([]);
		const third = advanceCursor(second.cursor, [...list, record('6', T0 - 500, 'delivered')], options({ limits }));
		expect(ids(third.events)).toEqual(['6:delivered']);
		// It survives n8n's storage.
		const staticData = {};
		saveCursor(staticData, third.cursor);
		const stored = loadCursor(JSON.parse(JSON.stringify(staticData)), 'test')!;
		expect(advanceCursor(stored, [...list, record('6', T0 - 500, 'delivered')], options({ limits })).events).toEqual([]);
	});

	it('messages created in the same instant as the oldest kept id are all kept: none repeats, a late one of that instant is found', () => {
		const limits = { maxIds: 3, maxPending: 10 };
		const start = advanceCursor(undefined, [], options({ limits })).cursor;
		const list = ['a', 'b', 'c', 'd'].map((id) => record(id, T0 - 2000, 'delivered')).concat(record('e', T0 - 1000, 'delivered'), record('f', T0 - 3000, 'delivered'));
		const first = advanceCursor(start, list, options({ limits }));
		expect(first.events).toHaveLength(6);
		expect(Object.keys(first.cursor.ids).sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
		expect(advanceCursor(first.cursor, list, options({ limits })).events).toEqual([]);
		const late = record('g', T0 - 2000, 'delivered');
		expect(ids(advanceCursor(first.cursor, [...list, late], options({ limits })).events)).toEqual(['g:delivered']);
	});

	it('a list cut short draws no such line (unseen messages may lie below it)', () => {
		const limits = { maxIds: 3, maxPending: 10 };
		const start = advanceCursor(undefined, [], options({ limits })).cursor;
		const list = [1, 2, 3, 4, 5].map((n) => record(String(n), T0 - n * 1000, 'delivered'));
		const cut = advanceCursor(start, list, options({ limits, complete: false }));
		expect(cut.cursor.idsFrom).toBeUndefined();
		const late = record('9', T0 - 4500, 'delivered');
		expect(ids(advanceCursor(cut.cursor, [...list, late], options({ limits })).events)).toContain('9:delivered');
	});

	it('says how many unfinished messages it stopped following for lack of room', () => {
		const limits = { maxIds: 10, maxPending: 2 };
		const start = advanceCursor(undefined, [], options({ limits })).cursor;
		const list = [1, 2, 3, 4, 5].map((n) => record(String(n), T0 - n * 1000, 'queued'));
		expect(advanceCursor(start, list, options({ limits })).unfollowed).toBe(3);
		expect(advanceCursor(start, list.slice(0, 2), options({ limits })).unfollowed).toBe(0);
	});

	it('is stored per scope, as plain JSON', () => {
		const staticData = {};
		const { cursor } = advanceCursor(undefined, [record('1', T0, 'queued')], options());
		saveCursor(staticData, cursor);
		const back = JSON.parse(JSON.stringify(staticData));
		expect(loadCursor(back, 'test')).toEqual(cursor as ListCursor);
		expect(loadCursor(back, 'other')).toBeUndefined();
		expect(loadCursor({ cursor: { v: 2 } }, 'test')).toBeUndefined();
	});

	it('carries over to the same list or a narrower one of the same provider, without the other list’s place', () => {
		const { cursor } = advanceCursor(undefined, [record('1', T0, 'queued')], options({ scope: listScope('smsGateway24', ['received']) }));
		const staticData = {};
		saveCursor(staticData, { ...cursor, resume: { since: T0, offset: 1000 } });
		expect(listScope('smsGateway24', ['received', 'device=260', 'received'])).toBe('smsGateway24:device=260:received');
		expect(loadCursorFor(staticData, 'smsGateway24:received')).toMatchObject({ scope: 'smsGateway24:received', resume: { offset: 1000 } });
		const narrower = loadCursorFor(staticData, 'smsGateway24:device=260:received')!;
		expect(narrower).toMatchObject({ scope: 'smsGateway24:device=260:received', ids: cursor.ids });
		expect(narrower.resume).toBeUndefined();
		expect(loadCursorFor(staticData, 'smsGateway24')).toBeUndefined();
		expect(loadCursorFor(staticData, 'smsGateway24:device=260')).toBeUndefined();
		expect(loadCursorFor(staticData, 'messageFlow:received')).toBeUndefined();
		expect(loadCursorFor({}, 'smsGateway24')).toBeUndefined();
	});

	it('newestEvent picks the newest record the filter accepts', () => {
		const list = [record('1', T0 - 2, 'delivered'), record('3', T0, 'queued'), record('2', T0 - 1, 'failed')];
		expect(newestEvent(list, () => true)?.messageId).toBe('3');
		expect(newestEvent(list, (event) => event.status !== 'queued')?.messageId).toBe('2');
		expect(newestEvent(list, () => false)).toBeUndefined();
	});
});
