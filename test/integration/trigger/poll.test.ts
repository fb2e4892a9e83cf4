import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { startSimulator, type Simulator } from '../../../simulator/server';
import type { MfState } from '../../../simulator/providers/messageflow';
import type { Sg24State } from '../../../simulator/providers/smsgateway24';
import { messageFlowCredentials, runMessageFlow } from '../../harness/messageFlow';
import { runSmsGateway24, tokenCredentials } from '../../harness/smsGateway24';
import { poll } from '../../harness/trigger';
import { CURSOR_LIMITS } from '../../../nodes/SmsGateway/shared/cursor';

/**
 * The SMS Gateway Poll Trigger against the simulator over real HTTP: what each poll emits, what
 * it remembers in the static data, and the cursor's edge cases (same second, late arrivals,
 * restarts, clock skew, time budget, manual "Fetch test event").
 */

const device = { __rl: true, mode: 'id', value: '260' };
const ALL = ['received', 'delivered', 'undelivered', 'failed', 'sent', 'sending', 'queued', 'unknown'];

/** A copy as n8n stores it (JSON in the database): what a restarted n8n reads back. */
const persisted = (staticData: IDataObject) => JSON.parse(JSON.stringify(staticData)) as IDataObject;

describe('SMS Gateway Poll Trigger · SMSGateway24', () => {
	let sim: Simulator;
	beforeAll(async () => {
		sim = await startSimulator();
	});
	afterAll(async () => await sim.close());
	beforeEach(() => sim.reset());
	afterEach(() => jest.restoreAllMocks());

	const state = () => sim.state.smsgateway24 as Sg24State;
	/** Polls of one trigger (this test's), each with its own copy of the static data (n8n 2.x's poll scheduler). */
	const one = () => ({ workflowId: `scheduled: ${expect.getState().currentTestName}` });
	const credentials = () => tokenCredentials(sim);
	const pollSg24 = (staticData: IDataObject, parameters: INodeParameters = {}, extra: { mode?: 'trigger' | 'manual'; budgetMs?: number; workflowId?: string } = {}) =>
		poll({ parameters: { provider: 'smsGateway24', ...parameters }, credentials: credentials(), staticData, ...extra });

	async function send(recipients: string) {
		const run = await runSmsGateway24(sim, { credentials: credentials(), parameters: { resource: 'message', operation: 'send', recipients, message: 'Hello', device, channel: 0 } });
		expect(run.error).toBeUndefined();
		return run.items.map((item) => String(item.json.messageId));
	}

	function incoming(from: string, body: string, deviceId = 260) {
		return (sim.injectIncoming('smsgateway24', { from, body, deviceId }) as { id: number }).id;
	}

	it('remembers what exists on the first poll, then reports each new incoming message once', async () => {
		incoming('+4917600000001', 'old message');
		const staticData: IDataObject = {};
		const first = await pollSg24(staticData);
		expect(first.error).toBeUndefined();
		expect(first.output).toBeNull();
		expect(staticData.cursor).toMatchObject({ v: 1, scope: 'smsGateway24' });

		incoming('+4917600000002', 'Is my order ready?');
		const second = await pollSg24(staticData);
		expect(second.items).toHaveLength(1);
		expect(second.items[0]).toMatchObject({
			provider: 'smsGateway24',
			event: 'received',
			direction: 'inbound',
			sender: '+4917600000002',
			text: 'Is my order ready?',
			status: 'received',
			providerStatus: 5,
			deviceId: '260',
		});
		expect(Math.abs(Date.parse(String(second.items[0].eventTime)) - Date.now())).toBeLessThan(60_000);

		const third = await pollSg24(staticData);
		expect(third.output).toBeNull();
		// The list is asked from just before the cursor, in UTC.
		const asked = sim.requests({ provider: 'smsgateway24', pathIncludes: 'getallsms' }).map((request) => request.body);
		expect(asked[2]).toMatchObject({ timezone: 'UTC', begindate: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/) });
	});

	it('switched to another saved credential (another account), starts afresh instead of reporting that account’s recent messages as new', async () => {
		const staticData: IDataObject = {};
		const as = (id: string) => poll({ parameters: { provider: 'smsGateway24' }, credentials: credentials(), credentialIds: { smsGateway24Api: id }, staticData });
		expect((await as('account-a')).output).toBeNull();
		expect(staticData.cursor).toMatchObject({ account: 'account-a' });
		// Stands in for a message the other account received after the cursor's time.
		incoming('+4917600000011', 'Written to account B before the switch');
		const switched = await as('account-b');
		expect(switched.error).toBeUndefined();
		expect(switched.output).toBeNull();
		expect(staticData.cursor).toMatchObject({ account: 'account-b' });
		incoming('+4917600000012', 'After the switch');
		expect((await as('account-b')).items.map((item) => item.text)).toEqual(['After the switch']);
	});

	it('Tracking Window (Hours) from an expression: a number as text or empty (the default) is taken; true or a word is refused, nothing asked', async () => {
		for (const trackingHours of ['24', '']) {
			const run = await pollSg24({}, { options: { trackingHours } });
			expect(run.error).toBeUndefined();
		}
		const asked = sim.requests({ provider: 'smsgateway24', pathIncludes: 'getallsms' }).length;
		for (const [trackingHours, message] of [
			[true, 'Tracking Window (Hours): true is not a number of hours from 1 to 720'],
			['two days', 'Tracking Window (Hours): "two days" is not a number of hours from 1 to 720'],
		] as const) {
			const run = await pollSg24({}, { options: { trackingHours } });
			expect(run.error?.message).toBe(message);
		}
		expect(sim.requests({ provider: 'smsgateway24', pathIncludes: 'getallsms' })).toHaveLength(asked);
	});

	it('Tracking Window (Hours) typed with a decimal in the editor (1.5) still polls, 90 minutes back (it worked before it was read as a whole number)', async () => {
		const run = await pollSg24({}, { options: { trackingHours: 1.5, firstPoll: 'recent' } });
		expect(run.error).toBeUndefined();
		const [asked] = sim.requests({ provider: 'smsgateway24', pathIncludes: 'getallsms' }).map((request) => request.body);
		const back = Date.now() - Date.parse(`${String(asked.begindate).replace(' ', 'T')}Z`);
		expect(back).toBeGreaterThan(89 * 60_000);
		expect(back).toBeLessThan(91 * 60_000);
		const refused = await pollSg24({}, { options: { trackingHours: 0.5 } });
		expect(refused.error?.message).toBe('Tracking Window (Hours): 0.5 is not a number of hours from 1 to 720');
	});

	it('a cursor stored before the credential was kept with it is carried on (nothing reported twice, nothing skipped)', async () => {
		const staticData: IDataObject = {};
		await pollSg24(staticData);
		incoming('+4917600000013', 'Seen by the older version');
		expect((await pollSg24(staticData)).items).toHaveLength(1);
		delete (staticData.cursor as IDataObject).account;
		const older = persisted(staticData);
		incoming('+4917600000014', 'Arrived during the upgrade');
		const upgraded = await pollSg24(older);
		expect(upgraded.items.map((item) => item.text)).toEqual(['Arrived during the upgrade']);
		expect(older.cursor).toMatchObject({ account: 'cred-smsGateway24Api' });
	});

	it('reports a sent message’s outcome once, and the steps only when chosen', async () => {
		const outcomes: IDataObject = {};
		const steps: IDataObject = {};
		await pollSg24(outcomes);
		await pollSg24(steps, { events: ALL });
		const [id] = await send('+4915112345678');

		expect((await pollSg24(outcomes)).output).toBeNull(); // queued: not chosen by default
		expect((await pollSg24(steps, { events: ALL })).items).toMatchObject([{ messageId: id, status: 'queued', providerStatus: 1, recipient: '+4915112345678' }]);

		sim.advance(1); // 3, still queued (another code)
		expect((await pollSg24(steps, { events: ALL })).items).toMatchObject([{ status: 'queued', providerStatus: 3 }]);
		sim.advance(2); // 2, then 6 between two polls: only the latest is seen
		expect((await pollSg24(steps, { events: ALL })).items).toMatchObject([{ status: 'sent', providerStatus: 6 }]);
		sim.advance(1); // 7
		const delivered = await pollSg24(outcomes);
		expect(delivered.items).toMatchObject([{ event: 'status', direction: 'outbound', messageId: id, status: 'delivered', providerStatus: 7, recipient: '+4915112345678' }]);
		expect((await pollSg24(steps, { events: ALL })).items).toMatchObject([{ status: 'delivered' }]);
		// Final: never again.
		expect((await pollSg24(outcomes)).output).toBeNull();
		expect((await pollSg24(steps, { events: ALL })).output).toBeNull();
		expect((outcomes.cursor as IDataObject).pending).toEqual({});
	});

	it('asks only for received messages when only Received is chosen, and keeps that list’s cursor apart', async () => {
		const received: IDataObject = {};
		expect((await pollSg24(received, { events: ['received'] })).output).toBeNull();
		expect(received.cursor).toMatchObject({ scope: 'smsGateway24:received' });
		const [sentId] = await send('+4915112345678');
		sim.advance(4); // delivered
		incoming('+4917600000002', 'Is my order ready?');

		const run = await pollSg24(received, { events: ['received'] });
		expect(run.items).toMatchObject([{ event: 'received', sender: '+4917600000002', text: 'Is my order ready?' }]);
		const asked = sim.requests({ provider: 'smsgateway24', pathIncludes: 'getallsms' });
		expect(asked.map((request) => request.body.status)).toEqual(['5', '5']);
		// The provider's answer held the incoming message alone, not the sent one.
		const listed = (asked[1].response?.body as { smss: Record<string, { status: number }> }).smss;
		expect(Object.values(listed).map((message) => message.status)).toEqual([5]);
		expect(Object.keys(listed)).not.toContain(sentId);

		// Other choices list everything, as before.
		await pollSg24({}, { events: ['received', 'delivered'] });
		expect(sim.requests({ provider: 'smsgateway24', pathIncludes: 'getallsms' }).at(-1)!.body.status).toBeUndefined();

		// Widened to every event, the node must not take the sent message (never listed by the
		// narrow list) for a new one: it starts afresh, as on a first activation.
		const widened = await pollSg24(received, { events: ALL });
		expect(widened.output).toBeNull();
		expect(received.cursor).toMatchObject({ scope: 'smsGateway24' });
		incoming('+4917600000003', 'one more');
		expect((await pollSg24(received, { events: ALL })).items).toMatchObject([{ event: 'received', text: 'one more' }]);
	});

	it('carries on when the events narrow to Message Received: a message that came in between is reported', async () => {
		const staticData: IDataObject = {};
		await pollSg24(staticData, { events: ALL });
		await send('+4915112345678');
		expect((await pollSg24(staticData, { events: ALL })).items).toMatchObject([{ status: 'queued' }]);
		incoming('+4917600000002', 'arrived while the workflow was changed');
		const narrowed = await pollSg24(staticData, { events: ['received'] });
		expect(narrowed.items).toMatchObject([{ event: 'received', text: 'arrived while the workflow was changed' }]);
		expect(staticData.cursor).toMatchObject({ scope: 'smsGateway24:received' });
		expect((await pollSg24(staticData, { events: ['received'] })).output).toBeNull();
	});

	it('reports failures and undelivered messages', async () => {
		const staticData: IDataObject = {};
		await pollSg24(staticData);
		await send('+4915100000000, +4915100001111');
		sim.advance(5);
		const run = await pollSg24(staticData);
		expect(run.items.map((item) => [item.recipient, item.status]).sort()).toEqual([
			['+4915100000000', 'failed'],
			['+4915100001111', 'undelivered'],
		]);
	});

	it('tells apart messages created in the same second (ids at the cursor’s time are remembered)', async () => {
		const staticData: IDataObject = {};
		await pollSg24(staticData);
		const a = incoming('+4917600000001', 'first');
		const second = Math.floor(Date.now() / 1000) * 1000;
		state().messages.get(a)!.createdAt = second;
		expect((await pollSg24(staticData)).items.map((item) => item.text)).toEqual(['first']);
		const b = incoming('+4917600000002', 'second, same second');
		const c = incoming('+4917600000003', 'third, same second');
		state().messages.get(b)!.createdAt = second;
		state().messages.get(c)!.createdAt = second + 999;
		expect((await pollSg24(staticData)).items.map((item) => item.text)).toEqual(['second, same second', 'third, same second']);
		expect((await pollSg24(staticData)).output).toBeNull();
	});

	it('finds a message that appears late with an older creation time (growing ids), without repeating others', async () => {
		const staticData: IDataObject = {};
		await pollSg24(staticData);
		incoming('+4917600000001', 'now');
		expect((await pollSg24(staticData)).items).toHaveLength(1);
		// A phone that was offline uploads a message received two hours ago.
		const late = incoming('+4917600000002', 'two hours old');
		state().messages.get(late)!.createdAt = Date.now() - 2 * 60 * 60 * 1000;
		expect((await pollSg24(staticData)).items.map((item) => item.text)).toEqual(['two hours old']);
		expect((await pollSg24(staticData)).output).toBeNull();
	});

	it('neither loses nor repeats events across a restart (static data read back from JSON)', async () => {
		let staticData: IDataObject = {};
		await pollSg24(staticData);
		incoming('+4917600000001', 'before the restart');
		expect((await pollSg24(staticData)).items).toHaveLength(1);
		const [id] = await send('+4915112345678');
		await pollSg24(staticData); // queued, remembered as pending
		// n8n stops; meanwhile a reply arrives and the message is delivered.
		staticData = persisted(staticData);
		incoming('+4917600000001', 'while n8n was down');
		sim.advance(4);
		const afterRestart = await pollSg24(staticData);
		expect(afterRestart.items.map((item) => item.text ?? `${String(item.messageId)}:${String(item.status)}`).sort()).toEqual([`${id}:delivered`, 'while n8n was down']);
		expect((await pollSg24(persisted(staticData))).output).toBeNull();
	});

	it('two polls of one trigger that overlap (two Poll Times at one minute, a poll slower than its interval) report each event once', async () => {
		// n8n (1.x, and 2.x without durable cursors) runs every poll of an active trigger with one
		// static data object and does not wait for a running poll before starting the next.
		const staticData: IDataObject = {};
		await pollSg24(staticData);
		incoming('+4917600000002', 'Is my order ready?');
		const [a, b] = await Promise.all([pollSg24(staticData), pollSg24(staticData)]);
		expect(a.error).toBeUndefined();
		expect(b.error).toBeUndefined();
		expect([...a.items, ...b.items].map((item) => item.text)).toEqual(['Is my order ready?']);
		// The poll that gave way lost nothing: later polls still report what is new, once.
		incoming('+4917600000003', 'And mine?');
		expect((await pollSg24(staticData)).items.map((item) => item.text)).toEqual(['And mine?']);
		expect((await pollSg24(staticData)).output).toBeNull();
	});

	it('two polls that overlap under n8n 2.x’s poll scheduler, each with its own copy of the static data, report each event once', async () => {
		// The scheduler (N8N_SCHEDULER_POLL_TRIGGERS_ENABLED) starts the polls of two Poll Times due
		// at the same moment together, and gives each its own static data: read afresh from the
		// database, or with durable cursors a copy of the cursor n8n keeps.
		const saved: IDataObject = {};
		await pollSg24(saved, {}, one());
		incoming('+4917600000002', 'Is my order ready?');
		const [a, b] = await Promise.all([pollSg24(persisted(saved), {}, one()), pollSg24(persisted(saved), {}, one())]);
		expect(a.error).toBeUndefined();
		expect(b.error).toBeUndefined();
		expect([...a.items, ...b.items].map((item) => item.text)).toEqual(['Is my order ready?']);
	});

	it('under n8n 2.x’s poll scheduler, a poll that starts just after one that reported events, with a copy read before that one’s cursor was saved, gives way', async () => {
		// The scheduler reads each poll's static data (or durable cursor) before the poll starts,
		// and saves the cursor after the poll returns: the second of two Poll Times due at the same
		// moment started a few milliseconds after the first ended, with the older copy.
		const saved: IDataObject = {};
		await pollSg24(saved, {}, one());
		incoming('+4917600000002', 'Is my order ready?');
		const outdated = persisted(saved);
		expect((await pollSg24(saved, {}, one())).items.map((item) => item.text)).toEqual(['Is my order ready?']);
		expect((await pollSg24(outdated, {}, one())).output).toBeNull();
		// A copy of what was saved carries on at once.
		incoming('+4917600000003', 'And mine?');
		expect((await pollSg24(persisted(saved), {}, one())).items.map((item) => item.text)).toEqual(['And mine?']);
	});

	it('a first reading does not give way to a poll that runs (the scheduler’s poll at activation and a scheduled one in the same instant): its cursor is kept', async () => {
		// Without durable cursors n8n saves the activation poll's static data, and drops that of a
		// scheduled poll that reports nothing: had the activation poll given way, no cursor was
		// ever kept and every later poll only remembered what exists.
		incoming('+4917600000001', 'old message');
		const scheduled: IDataObject = {};
		const atActivation: IDataObject = {};
		const [a, b] = await Promise.all([pollSg24(scheduled, {}, one()), pollSg24(atActivation, {}, one())]);
		expect(a.output).toBeNull();
		expect(b.output).toBeNull();
		expect(atActivation.cursor).toMatchObject({ v: 1, scope: 'smsGateway24' });
		incoming('+4917600000002', 'Is my order ready?');
		expect((await pollSg24(persisted(atActivation), {}, one())).items.map((item) => item.text)).toEqual(['Is my order ready?']);
	});

	it('… but two first readings that report the recent messages (On First Poll: Also Report Recent Messages) at once report each message once', async () => {
		incoming('+4917600000001', 'recent message');
		const recent = { options: { firstPoll: 'recent' } };
		const [a, b] = await Promise.all([pollSg24({}, recent, one()), pollSg24({}, recent, one())]);
		expect([...a.items, ...b.items].map((item) => item.text)).toEqual(['recent message']);
	});

	it('is not fooled by a skewed n8n clock: the cursor runs on the provider’s times', async () => {
		const staticData: IDataObject = {};
		const realNow = Date.now();
		const nowSpy = jest.spyOn(Date, 'now');
		// n8n's clock three hours behind the provider's.
		nowSpy.mockReturnValue(realNow - 3 * 60 * 60 * 1000);
		await pollSg24(staticData);
		nowSpy.mockRestore();
		incoming('+4917600000001', 'one');
		jest.spyOn(Date, 'now').mockReturnValue(realNow - 3 * 60 * 60 * 1000 + 60_000);
		expect((await pollSg24(staticData)).items.map((item) => item.text)).toEqual(['one']);
		jest.restoreAllMocks();
		incoming('+4917600000001', 'two');
		// Now three days ahead: far beyond the tracking window, still nothing lost or repeated.
		jest.spyOn(Date, 'now').mockReturnValue(realNow + 3 * 24 * 60 * 60 * 1000);
		expect((await pollSg24(staticData)).items.map((item) => item.text)).toEqual(['two']);
		expect((await pollSg24(staticData)).output).toBeNull();
	});

	it('reports the messages of the tracking window on the first poll only when asked', async () => {
		incoming('+4917600000001', 'yesterday');
		incoming('+4917600000002', 'today');
		const staticData: IDataObject = {};
		const first = await pollSg24(staticData, { options: { firstPoll: 'recent' } });
		expect(first.items.map((item) => item.text)).toEqual(['yesterday', 'today']);
		expect((await pollSg24(staticData, { options: { firstPoll: 'recent' } })).output).toBeNull();
	});

	it('On First Poll from an expression: the choice’s name is taken; a word it does not know is refused, nothing asked (it was read as Only New Events)', async () => {
		incoming('+4917600000001', 'yesterday');
		const staticData: IDataObject = {};
		const refused = await pollSg24(staticData, { options: { firstPoll: 'all' } });
		expect(refused.error?.message).toBe('On First Poll: "all" is not one of the choices');
		expect(sim.requests({ provider: 'smsgateway24', pathIncludes: 'getallsms' })).toHaveLength(0);
		const first = await pollSg24(staticData, { options: { firstPoll: 'also report recent messages' } });
		expect(first.items.map((item) => item.text)).toEqual(['yesterday']);
	});

	it('"Fetch test event" returns the newest matching event and leaves the cursor alone', async () => {
		const staticData: IDataObject = {};
		await pollSg24(staticData);
		const before = persisted(staticData);
		incoming('+4917600000001', 'older');
		incoming('+4917600000002', 'newest');
		const test = await pollSg24(staticData, {}, { mode: 'manual' });
		expect(test.items).toHaveLength(1);
		expect(test.items[0]).toMatchObject({ text: 'newest', sender: '+4917600000002' });
		expect(persisted(staticData)).toEqual(before);
		// The active workflow still gets both.
		expect((await pollSg24(staticData)).items.map((item) => item.text)).toEqual(['older', 'newest']);
		// Nothing that matches: null (n8n shows no data).
		expect((await pollSg24({}, { events: ['expired'] }, { mode: 'manual' })).output).toBeNull();
	});

	it('polls one device when one is chosen', async () => {
		const staticData: IDataObject = {};
		await pollSg24(staticData, { device });
		incoming('+4917600000001', 'to the office phone', 260);
		incoming('+4917600000002', 'to the warehouse phone', 1576);
		const run = await pollSg24(staticData, { device });
		expect(run.items.map((item) => item.text)).toEqual(['to the office phone']);
		expect(sim.requests({ provider: 'smsgateway24', pathIncludes: 'getallsms' }).at(-1)?.body.device_id).toBe('260');
	});

	it('a Device changed to more phones starts afresh; narrowed to one phone, it carries on', async () => {
		// Phone 260 got messages hours ago, before the workflow was activated for phone 1576.
		for (const from of ['+4917600000001', '+4917600000002']) incoming(from, 'from before the workflow', 260);
		for (const [index, message] of [...state().messages.values()].entries()) message.createdAt = Date.now() - (2 + index) * 3600_000;
		const staticData: IDataObject = {};
		const warehouse = { device: { ...device, value: '1576' } };
		expect((await pollSg24(staticData, warehouse)).output).toBeNull();
		expect(staticData.cursor).toMatchObject({ scope: 'smsGateway24:device=1576' });
		// All phones: the 1576 list never saw phone 260's messages; they are history, not new.
		expect((await pollSg24(staticData, { device: { ...device, value: '' } })).output).toBeNull();
		expect(staticData.cursor).toMatchObject({ scope: 'smsGateway24' });
		// Narrowed again, the list of all phones saw everything phone 260 shows: a message that
		// came in while the workflow was changed is still reported.
		incoming('+4917600000003', 'while the Device was changed', 260);
		const narrowed = await pollSg24(staticData, { device });
		expect(narrowed.items.map((item) => item.text)).toEqual(['while the Device was changed']);
		expect(staticData.cursor).toMatchObject({ scope: 'smsGateway24:device=260' });
		// Received only, on phone 260: narrower still, it carries on too.
		incoming('+4917600000004', 'one more', 260);
		expect((await pollSg24(staticData, { device, events: ['received'] })).items.map((item) => item.text)).toEqual(['one more']);
		expect(staticData.cursor).toMatchObject({ scope: 'smsGateway24:device=260:received' });
	});

	it('stops following a message that never finishes once it leaves the tracking window', async () => {
		const staticData: IDataObject = {};
		await pollSg24(staticData, { options: { trackingHours: 1 } });
		const [stuck] = await send('+4915100002222'); // never moves
		await pollSg24(staticData, { options: { trackingHours: 1 } });
		expect(Object.keys((staticData.cursor as IDataObject).pending as IDataObject)).toEqual([stuck]);
		// Two hours later (n8n's clock; the provider's list is the same).
		jest.spyOn(Date, 'now').mockReturnValue(Date.now() + 2 * 60 * 60 * 1000);
		await pollSg24(staticData, { options: { trackingHours: 1 } });
		expect((staticData.cursor as IDataObject).pending).toEqual({});
	});

	it('fails the poll with the provider’s error and leaves the cursor, so the next poll catches up', async () => {
		const staticData: IDataObject = {};
		await pollSg24(staticData);
		const before = persisted(staticData);
		incoming('+4917600000001', 'during the outage');
		sim.addFault({ kind: 'html', pathIncludes: 'getallsms', status: 502 });
		const failed = await pollSg24(staticData);
		expect(failed.error?.message).toMatch(/SMSGateway24 answered "getallsms" with HTTP 502/);
		expect(persisted(staticData)).toEqual(before);
		expect((await pollSg24(staticData)).items.map((item) => item.text)).toEqual(['during the outage']);
	});

	it('says in the log when SMSGateway24 counts more messages than its list holds', async () => {
		const staticData: IDataObject = {};
		await pollSg24(staticData);
		const stored = (id: number) => ({ id, sendto: '+4917600000001', body: `message ${id}`, status: 5, deviceid: 260, created: { date: '2026-11-24 10:00:00.000000', timezone_type: 3, timezone: 'UTC' } });
		sim.addFault({ provider: 'smsgateway24', pathIncludes: 'getallsms', kind: 'status', status: 200, body: { error: 0, count: 5, smss: { 1: stored(1), 2: stored(2), 3: stored(3) } } } as never);
		const run = await pollSg24(staticData);
		expect(run.error).toBeUndefined();
		expect(run.logs.join('\n')).toContain('SMSGateway24 counted 5 messages since');
		expect(run.logs.join('\n')).toContain('but listed 3');
		// A list that holds what it counts says nothing.
		expect((await pollSg24(staticData)).logs.join('\n')).not.toContain('counted');
	});

	it('names a wrong device ID', async () => {
		const run = await pollSg24({}, { device: { __rl: true, mode: 'id', value: 'office' } });
		expect(run.error?.message).toBe('Device: "office" is not a device ID');
	});

	it('keeps no credential value in items or static data', async () => {
		const staticData: IDataObject = {};
		await pollSg24(staticData, { options: { firstPoll: 'recent' } });
		incoming('+4917600000001', 'hello');
		const run = await pollSg24(staticData);
		const text = JSON.stringify([run.items, staticData, run.logs]);
		expect(text).not.toContain('panel-token-0123456789abcdef');
	});
});

describe('SMS Gateway Poll Trigger · MessageFlow', () => {
	let sim: Simulator;
	beforeAll(async () => {
		sim = await startSimulator();
	});
	afterAll(async () => await sim.close());
	beforeEach(() => sim.reset());

	const state = () => sim.state.messageflow as MfState;
	const pollMf = (staticData: IDataObject, parameters: INodeParameters = {}, extra: { mode?: 'trigger' | 'manual'; budgetMs?: number } = {}) =>
		poll({ parameters: { provider: 'messageFlow', ...parameters }, credentials: messageFlowCredentials(sim), staticData, ...extra });

	async function send(numbers: string, sender = 'SHOP') {
		const run = await runMessageFlow(sim, { parameters: { resource: 'message', operation: 'send', recipients: numbers, message: 'Your order has shipped', sender } });
		expect(run.error).toBeUndefined();
		return run.items.map((item) => String(item.json.messageId));
	}

	const CODES = { options: { statusCodes: '1=queued, 2=queued, 3=sent, 4=delivered, 5=undelivered, 6=expired, 7=failed' } };

	it('reports status changes from the status list once, with named codes', async () => {
		const staticData: IDataObject = {};
		expect((await pollMf(staticData, CODES)).output).toBeNull(); // empty list: 404, not an error
		const ids = await send('+48500100200, +48500100000, +48500103333');
		sim.advance(1);
		const first = await pollMf(staticData, CODES);
		expect(first.items.map((item) => [item.messageId, item.status])).toEqual([[ids[2], 'failed']]);
		sim.advance(2);
		const second = await pollMf(staticData, CODES);
		expect(second.items.map((item) => [item.messageId, item.status, item.providerStatus]).sort()).toEqual([
			[ids[0], 'delivered', 4],
			[ids[1], 'expired', 6],
		]);
		expect(second.items[0]).toMatchObject({ provider: 'messageFlow', event: 'status', senderId: 'SHOP' });
		expect((await pollMf(staticData, CODES)).output).toBeNull();
	});

	it('without named codes every status is "Other Status", reported on each change', async () => {
		const staticData: IDataObject = {};
		await pollMf(staticData);
		const [id] = await send('+48500100200');
		expect((await pollMf(staticData)).items).toMatchObject([{ messageId: id, status: 'unknown', providerStatus: 2 }]);
		sim.advance(2);
		expect((await pollMf(staticData)).items).toMatchObject([{ messageId: id, status: 'unknown', providerStatus: 4 }]);
		expect((await pollMf(staticData)).output).toBeNull();
	});

	it('finds a message listed a little late (within 15 minutes of the cursor), but not an old one', async () => {
		const staticData: IDataObject = {};
		await pollMf(staticData, CODES);
		await send('+48500100200');
		sim.advance(3);
		expect((await pollMf(staticData, CODES)).items).toHaveLength(1);
		const [late, old] = await send('+48500100201, +48500100202');
		const messages = state().messages;
		messages.get(late)!.createdAt = Date.now() - 5 * 60 * 1000;
		messages.get(old)!.createdAt = Date.now() - 60 * 60 * 1000;
		sim.advance(3);
		// MessageFlow's ids are not known to grow, so only the creation time can tell: the limit is documented.
		expect((await pollMf(staticData, CODES)).items.map((item) => item.messageId)).toEqual([late]);
	});

	it('pages through long lists and, when the time budget runs out, continues in the next poll without repeats', async () => {
		const staticData: IDataObject = {};
		await pollMf(staticData, CODES);
		// 1210 messages in one request straight to the simulator (the node is not under test here).
		// Not a round number: a last page of a multiple of 50 is read on (see the capped-pages test).
		const phoneNumbers = Array.from({ length: 1210 }, (_, index) => `+4850${String(1000000 + index)}`);
		const sent = await fetch(`${sim.url}/messageflow/v2.1/sms`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', authorization: 'mf-auth-key-0123456789', 'application-key': 'mf-app-key-abcdef' },
			body: JSON.stringify({ sender: 'SHOP', message: 'Sale today', phoneNumbers }),
		});
		expect(sent.status).toBe(201);
		sim.advance(3);
		// A budget that is spent after the first page.
		const cut = await pollMf(staticData, CODES, { budgetMs: 1 });
		expect(cut.items).toHaveLength(1000);
		expect(cut.logs.join('\n')).toMatch(/could not be read completely/);
		const rest = await pollMf(staticData, { ...CODES }, { budgetMs: 60_000 });
		expect(rest.items).toHaveLength(210);
		const all = new Set([...cut.items, ...rest.items].map((item) => item.messageId));
		expect(all.size).toBe(1210);
		expect((await pollMf(staticData, CODES)).output).toBeNull();
		// The cut-short poll stopped after the first page; the next went on from the second.
		const pages = sim.requests({ provider: 'messageflow', method: 'GET' }).map((request) => request.query.offset);
		expect(pages).toEqual(['0', '0', '1000', '0', '1000']);
	});

	const sendDirect = async (count: number, prefix: string) => {
		const phoneNumbers = Array.from({ length: count }, (_, index) => `+48${prefix}${String(100000 + index)}`);
		const answer = await fetch(`${sim.url}/messageflow/v2.1/sms`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', authorization: 'mf-auth-key-0123456789', 'application-key': 'mf-app-key-abcdef' },
			body: JSON.stringify({ sender: 'SHOP', message: 'Sale today', phoneNumbers }),
		});
		expect(answer.status).toBe(201);
	};

	it('a later page that fails: the pages before it are reported, and the polls go on from that page (it held the trigger at the list’s start)', async () => {
		const staticData: IDataObject = {};
		await pollMf(staticData, CODES);
		await sendDirect(1210, '505');
		sim.advance(3);
		sim.addFault({ provider: 'messageflow', pathIncludes: 'offset=1000', kind: 'status', status: 500, times: 0 });
		sim.clearRequests();
		const first = await pollMf(staticData, CODES);
		expect(first.error).toBeUndefined();
		expect(first.items).toHaveLength(1000);
		expect(first.logs.join('\n')).toMatch(/a page of the provider's list failed \(MessageFlow answered "GET \/v2\.1\/sms" with HTTP 500/);
		expect(staticData.cursor).toMatchObject({ resume: { offset: 1000 } });
		// While the page keeps failing, each poll fails on it, visibly, and loses nothing.
		const before = persisted(staticData);
		const failing = await pollMf(staticData, CODES);
		expect(failing.error?.message).toMatch(/HTTP 500/);
		expect(persisted(staticData)).toEqual(before);
		sim.clearFaults();
		const rest = await pollMf(staticData, CODES);
		expect(rest.items).toHaveLength(210);
		expect(new Set([...first.items, ...rest.items].map((item) => item.messageId)).size).toBe(1210);
		expect((staticData.cursor as IDataObject).resume).toBeUndefined();
		expect((await pollMf(staticData, CODES)).output).toBeNull();
		const pages = sim.requests({ provider: 'messageflow', method: 'GET' }).map((request) => [request.query.offset, request.response?.status]);
		expect(pages).toEqual([['0', 200], ['1000', 500], ['1000', 500], ['1000', 200], ['0', 200], ['1000', 200]]);
	});

	it('a list longer than each poll can read is read on from where the last poll stopped, to its end', async () => {
		const staticData: IDataObject = {};
		await pollMf(staticData, { ...CODES, events: [...ALL, 'expired'] });
		await sendDirect(2510, '503');
		sim.advance(3);
		const polls = [];
		for (let poll = 0; poll < 3; poll++) polls.push(await pollMf(staticData, { ...CODES, events: [...ALL, 'expired'] }, { budgetMs: 1 }));
		// Every message the simulator holds (its account balance may refuse a few of the 2,500).
		const stored = state().messages.size;
		expect(stored).toBeGreaterThan(2000);
		expect(polls.map((run) => run.items.length)).toEqual([1000, 1000, stored - 2000]);
		expect(new Set(polls.flatMap((run) => run.items.map((item) => item.messageId))).size).toBe(stored);
		expect((staticData.cursor as IDataObject).resume).toBeUndefined();
		expect((await pollMf(staticData, { ...CODES, events: [...ALL, 'expired'] })).output).toBeNull();
	});

	it('a first poll cut short reads the rest as history too, then reports what is new', async () => {
		await sendDirect(1510, '504');
		sim.advance(3);
		const staticData: IDataObject = {};
		expect((await pollMf(staticData, CODES, { budgetMs: 1 })).output).toBeNull();
		expect(staticData.cursor).toMatchObject({ initial: true, resume: { offset: 1000 } });
		expect((await pollMf(persisted(staticData), CODES, { budgetMs: 1 })).output).toBeNull();
		staticData.cursor = persisted(staticData).cursor;
		expect((await pollMf(staticData, CODES, { budgetMs: 1 })).output).toBeNull();
		expect(staticData.cursor).not.toHaveProperty('initial');
		const [id] = await send('+48500100200');
		sim.advance(3);
		expect((await pollMf(staticData, CODES)).items.map((item) => [item.messageId, item.status])).toEqual([[id, 'delivered']]);
	});

	it('under n8n 2.x’s scheduler without durable cursors, a first reading the poll at activation does not finish never ends, even when its rest fits into one poll (README, Polled)', async () => {
		// n8n keeps the static data of the poll at activation, but drops that of a scheduled poll
		// that reports nothing; a first reading reports nothing, also the poll that finishes it.
		const scheduled = { workflowId: `scheduled: ${expect.getState().currentTestName}` };
		await sendDirect(1510, '506');
		sim.advance(3);
		const activation: IDataObject = {};
		expect((await pollMf(activation, CODES, { ...scheduled, budgetMs: 1 })).output).toBeNull();
		const saved = persisted(activation);
		expect(saved.cursor).toMatchObject({ initial: true, resume: { offset: 1000 } });
		await send('+48500100200');
		for (let poll = 0; poll < 3; poll++) {
			sim.advance(1);
			// The rest (510 messages) fits into each poll; the poll finishes the reading, reports
			// nothing (the new message's statuses are history to it too), and n8n drops its cursor.
			const copy = persisted(saved);
			expect((await pollMf(copy, CODES, { ...scheduled, budgetMs: 60_000 })).output).toBeNull();
			expect(copy.cursor).not.toHaveProperty('initial');
		}
		// What n8n saved is still the activation poll's: the next poll starts over from page two, and
		// the message sent after activation (delivered meanwhile) was never reported.
		expect(saved.cursor).toMatchObject({ initial: true, resume: { offset: 1000 } });
		// The same polls with one static data object kept between them (n8n 1.x, or durable cursors): it ends.
		const kept = persisted(saved);
		expect((await pollMf(kept, CODES, { budgetMs: 60_000 })).output).toBeNull();
		const [later] = await send('+48500100201');
		sim.advance(3);
		expect((await pollMf(kept, CODES, { budgetMs: 60_000 })).items.map((item) => item.messageId)).toEqual([later]);
	});

	it('a send to more numbers than the cursor keeps ids for is reported once, and unfollowed messages are logged', async () => {
		const defaults = { ...CURSOR_LIMITS };
		// The real limits (thousands) shrunk, so a few hundred messages go past them.
		Object.assign(CURSOR_LIMITS, { maxIds: 100, maxPending: 50 });
		try {
			const staticData: IDataObject = {};
			await pollMf(staticData, CODES);
			await sendDirect(300, '501');
			sim.advance(3);
			const first = await pollMf(staticData, CODES);
			expect(new Set(first.items.map((item) => item.messageId)).size).toBe(300);
			expect((await pollMf(persisted(staticData), CODES)).output).toBeNull();
			expect((await pollMf(staticData, CODES)).output).toBeNull();

			// 120 messages still queued: the trigger follows 50 of them and says so in n8n's log.
			const waiting: IDataObject = {};
			await pollMf(waiting, CODES);
			await sendDirect(120, '502');
			const queued = await pollMf(waiting, { ...CODES, events: [...ALL, 'expired'] });
			expect(queued.items).toHaveLength(120);
			expect(queued.logs.join('\n')).toMatch(/more messages are unfinished than the trigger follows \(50\); the status changes of the 70 oldest will not be reported/);
		} finally {
			Object.assign(CURSOR_LIMITS, defaults);
		}
	});

	it('without ids in the list, two messages to one number in one second stay two messages', async () => {
		// MessageFlow's published list has no message id (the simulator adds smsId): this list has none.
		const entry = (status: number) => ({ sender: 'SHOP', phoneNumber: '+48500100200', status, createTime: '2026-11-24 10:00:00', statusTime: '2026-11-24 10:00:05' });
		const list = (entries: unknown[]) => ({ provider: 'messageflow', pathIncludes: '/v2.1/sms', method: 'GET', kind: 'status', status: 200, body: { data: entries, errors: [], meta: {} } });
		const staticData: IDataObject = {};
		sim.addFault(list([]) as never);
		await pollMf(staticData, { ...CODES, events: ALL });
		// Both unfinished, in different states: each is followed on its own.
		const events = { ...CODES, events: ALL };
		sim.addFault(list([entry(1), entry(3)]) as never);
		const first = await pollMf(staticData, events);
		expect(first.items.map((item) => item.status)).toEqual(['queued', 'sent']);
		sim.addFault(list([entry(1), entry(3)]) as never);
		expect((await pollMf(staticData, events)).output).toBeNull();
		sim.addFault(list([entry(4), entry(3)]) as never);
		expect((await pollMf(staticData, events)).items.map((item) => item.status)).toEqual(['delivered']);
	});

	it('filters by sender and checks the Senders and Status Codes fields', async () => {
		const staticData: IDataObject = {};
		await pollMf(staticData, { senders: 'ACME', ...CODES });
		await send('+48500100200', 'SHOP');
		await send('+48500100201', 'ACME');
		sim.advance(3);
		const run = await pollMf(staticData, { senders: 'ACME', ...CODES });
		expect(run.items.map((item) => item.recipient)).toEqual(['+48500100201']);
		expect(sim.requests({ provider: 'messageflow', method: 'GET' }).at(-1)?.query.sender).toBe('ACME');

		const tooMany = await pollMf({}, { senders: 'A,B,C,D,E,F,G,H,I,J,K' });
		expect(tooMany.error?.message).toBe('Senders: 11 senders given; MessageFlow filters by at most 10');
		const badCodes = await pollMf({}, { options: { statusCodes: '4=arrived' } });
		expect(badCodes.error?.message).toBe('Status Codes: cannot read "4=arrived"');
		// Mapped as an object, the codes were dropped without a word (every status "Other Status").
		const objectCodes = await pollMf({}, { options: { statusCodes: { 4: 'delivered' } as never } });
		expect(objectCodes.error?.message).toBe('Status Codes: expected text but got {"4":"delivered"}');
	});

	it('Senders changed to include more start afresh; narrowed, they carry on', async () => {
		await send('+48500100200', 'SHOP');
		sim.advance(3);
		for (const message of state().messages.values()) message.createdAt = Date.now() - 5 * 3600_000;
		const staticData: IDataObject = {};
		expect((await pollMf(staticData, { senders: 'ACME', ...CODES })).output).toBeNull();
		expect((await pollMf(staticData, { senders: 'ACME', ...CODES })).output).toBeNull();
		// All senders: SHOP's message from five hours ago was never in the ACME list; not new.
		expect((await pollMf(staticData, { senders: '', ...CODES })).output).toBeNull();
		expect(staticData.cursor).toMatchObject({ scope: 'messageFlow' });
		// Narrowed (in another order and spacing: the same list), a send in between is reported.
		await send('+48500100201', 'ACME');
		sim.advance(3);
		const narrowed = await pollMf(staticData, { senders: 'SHOP ,ACME', ...CODES });
		expect(narrowed.items.map((item) => item.recipient)).toEqual(['+48500100201']);
		expect(staticData.cursor).toMatchObject({ scope: 'messageFlow:senders=ACME%2CSHOP' });
		expect((await pollMf(staticData, { senders: 'ACME, SHOP', ...CODES })).output).toBeNull();
	});

	it('"Fetch test event" shows the newest status without moving the cursor', async () => {
		const staticData: IDataObject = {};
		await pollMf(staticData, CODES);
		const before = persisted(staticData);
		const ids = await send('+48500100200, +48500100201');
		sim.advance(3);
		const test = await pollMf(staticData, CODES, { mode: 'manual' });
		expect(test.items).toHaveLength(1);
		expect(ids).toContain(test.items[0].messageId);
		expect(persisted(staticData)).toEqual(before);
		expect((await pollMf(staticData, CODES)).items).toHaveLength(2);
	});
});
