import http from 'node:http';
import { resetRateLimiters } from '../../../nodes/SmsGateway/shared/rateLimit';
import { startSimulator, type Simulator } from '../../../simulator/server';
import { UG, ugMessages, ugRequests, runUgsms, tooManyRequests } from '../../harness/ugsms';

/**
 * The rate limit, counted at the simulator: 10 requests per 2-second window per key (UGSMS: 60
 * per minute). The node is told the window with its Window (Seconds) option, as a user would if
 * UGSMS changed its limit; the limit itself it learns from x-ratelimit-limit.
 */
const LIMIT = 10;
const WINDOW_MS = 2000;
const pacing = { rateWindowSeconds: WINDOW_MS / 1000 };

const phone = (index: number) => `0772${String(index).padStart(6, '0')}`;

interface RateSnapshot {
	rateLimit: { rejected: number };
}

describe('UGSMS: the rate limit is kept, counted at the simulator', () => {
	let sim: Simulator;
	beforeAll(async () => {
		sim = await startSimulator({ seed: { ugsms: { rateLimit: LIMIT, rateWindowMs: WINDOW_MS, balance: 100_000_000 } } });
	});
	afterAll(async () => await sim.close());
	beforeEach(() => {
		sim.reset();
		resetRateLimiters();
	});
	// Reading 2000 items in the harness keeps the event loop busy for seconds, long enough for the
	// simulator to close keep-alive sockets left from the previous test without the client noticing;
	// reusing one fails with a reset. Each test starts with fresh connections.
	afterEach(() => http.globalAgent.destroy());

	const rejected = () => (sim.snapshot('ugsms') as RateSnapshot).rateLimit.rejected;
	const rawBalance = async () => await fetch(`${sim.url}/ugsms/api/v2/account/balance`, { headers: { 'X-API-Key': UG.apiKey, Accept: 'application/json' } });

	const personalised = (count: number, offset = 0) => ({
		items: Array.from({ length: count }, () => ({})),
		parameters: (index: number) => ({
			resource: 'message',
			operation: 'sendBulk',
			recipients: phone(offset + index),
			defaultCountry: 'UG',
			message: `Hello customer ${offset + index}, your bill is ready.`,
			ugsmsOptions: { ...pacing, concurrency: 5 },
		}),
	});

	it('without pacing, the same workload (25 requests at once) gets 429s', async () => {
		const answers = await Promise.all(Array.from({ length: 25 }, rawBalance));
		expect(answers.filter((answer) => answer.status === 429).length).toBe(25 - LIMIT);
		expect(rejected()).toBe(25 - LIMIT);
	});

	it('the node sends 25 personalised messages (25 requests, 5 at a time) with no 429: it waits instead', async () => {
		const started = Date.now();
		const run = await runUgsms(sim, personalised(25));
		expect(run.error).toBeUndefined();
		expect(run.items).toHaveLength(25);
		expect(run.items.every((item) => item.json.status === 'sent')).toBe(true);
		expect(ugRequests(sim, 'sms/send')).toHaveLength(25);
		expect(ugMessages(sim)).toHaveLength(25);
		expect(tooManyRequests(sim)).toHaveLength(0);
		expect(rejected()).toBe(0);
		// 25 requests at 10 per window need at least two full windows of waiting.
		expect(Date.now() - started).toBeGreaterThanOrEqual(2 * WINDOW_MS);
	}, 60_000);

	it('thousands of items in one execution: 2000 items, 20 texts, 40 requests, no 429', async () => {
		const texts = Array.from({ length: 20 }, (_, index) => `Branch ${index + 1} opens at 9:00 tomorrow.`);
		const run = await runUgsms(sim, {
			items: Array.from({ length: 2000 }, () => ({})),
			parameters: (index) => ({
				resource: 'message',
				operation: 'sendBulk',
				recipients: phone(index),
				defaultCountry: 'UG',
				message: texts[index % texts.length],
				ugsmsOptions: { ...pacing, batchSize: 50, concurrency: 5 },
			}),
		});
		expect(run.error).toBeUndefined();
		expect(run.items).toHaveLength(2000);
		expect(run.items.map((item) => item.pairedItem)).toEqual(run.items.map((_, item) => ({ item })));
		expect(ugRequests(sim, 'sms/send')).toHaveLength(40);
		expect(ugMessages(sim).reduce((sum, message) => sum + message.normalized.length, 0)).toBe(2000);
		expect(rejected()).toBe(0);
	}, 90_000);

	it('the budget carries over from one execution to the next (state shared by the key)', async () => {
		// The first run uses the whole window; the second starts at once and must wait for the next
		// one. Knowing nothing, even its first (probing) request would meet a 429.
		const first = await runUgsms(sim, personalised(LIMIT));
		const second = await runUgsms(sim, personalised(3, 100));
		expect(first.error ?? second.error).toBeUndefined();
		expect(ugMessages(sim)).toHaveLength(LIMIT + 3);
		expect(rejected()).toBe(0);
	}, 60_000);

	it('when another client used up the window, the one 429 is waited out (Retry-After) and nothing is lost', async () => {
		for (let index = 0; index < LIMIT; index++) expect((await rawBalance()).status).toBe(200);
		const run = await runUgsms(sim, personalised(3));
		expect(run.error).toBeUndefined();
		expect(run.items.map((item) => item.json.status)).toEqual(['sent', 'sent', 'sent']);
		// The node knew nothing of the other client: its first request (sent alone, to learn the
		// budget, although 5 may run in parallel) met the 429, which it honoured.
		const refused = tooManyRequests(sim);
		expect(refused).toHaveLength(1);
		expect(refused[0].response?.headers['retry-after']).toBeDefined();
		expect(ugMessages(sim)).toHaveLength(3);
	}, 60_000);

	it('a key used by another client mid-run: the headers show it, and the node still gets no 429', async () => {
		// Half the window goes to someone else before the node starts; the node learns the rest from x-ratelimit-remaining.
		for (let index = 0; index < 6; index++) await rawBalance();
		const run = await runUgsms(sim, { ...personalised(12), parameters: (index: number) => ({ ...personalised(12).parameters(index), ugsmsOptions: { ...pacing, concurrency: 1 } }) });
		expect(run.error).toBeUndefined();
		expect(ugMessages(sim)).toHaveLength(12);
		// Only the very first request could not know about the other client.
		expect(rejected()).toBe(0);
	}, 60_000);
});
