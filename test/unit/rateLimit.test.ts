import type { ProviderAnswer } from '../../nodes/SmsGateway/shared/http';
import { rateLimiter, rateLimitKey, resetRateLimiters } from '../../nodes/SmsGateway/shared/rateLimit';

const answer = (status: number, headers: Record<string, string> = {}): ProviderAnswer => ({ status, headers, body: {} });

let counter = 0;
const freshKey = () => rateLimitKey(['unit', ++counter]);

beforeEach(() => resetRateLimiters());

describe('rate limiter', () => {
	it('without headers keeps to the local window: never more than `limit` requests in any window', async () => {
		const throttle = rateLimiter(freshKey(), { limit: 3, windowMs: 200 });
		const starts: number[] = [];
		for (let index = 0; index < 7; index++) {
			const release = await throttle.take();
			starts.push(Date.now());
			release(answer(200));
		}
		for (let index = 3; index < starts.length; index++) expect(starts[index] - starts[index - 3]).toBeGreaterThanOrEqual(200);
	});

	it('requests in parallel: the first goes alone (to learn the budget), then at most `limit` at once', async () => {
		const throttle = rateLimiter(freshKey(), { limit: 3, windowMs: 10_000 });
		let inFlight = 0;
		let most = 0;
		const order: string[] = [];
		await Promise.all(
			Array.from({ length: 3 }, async (_, index) => {
				const release = await throttle.take();
				inFlight += 1;
				most = Math.max(most, inFlight);
				order.push(`start ${index}`);
				await new Promise((resolve) => setTimeout(resolve, 30));
				inFlight -= 1;
				order.push(`end ${index}`);
				release(answer(200));
			}),
		);
		expect(order[0]).toBe('start 0');
		expect(order[1]).toBe('end 0');
		expect(most).toBe(2);
	});

	it('x-ratelimit-remaining 0 holds the next request until the reset', async () => {
		const throttle = rateLimiter(freshKey(), { limit: 60, windowMs: 400 });
		const release = await throttle.take();
		const answeredAt = Date.now();
		release(answer(200, { 'x-ratelimit-limit': '60', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1' }));
		await throttle.take();
		// The reset (1 s) is capped at one window from the answer: a window cannot end later.
		expect(Date.now() - answeredAt).toBeGreaterThanOrEqual(390);
		expect(Date.now() - answeredAt).toBeLessThan(900);
	});

	it('a lower x-ratelimit-limit from the provider wins over the configured one', async () => {
		const throttle = rateLimiter(freshKey(), { limit: 60, windowMs: 300 });
		const starts: number[] = [];
		for (let index = 0; index < 4; index++) {
			const release = await throttle.take();
			starts.push(Date.now());
			release(answer(200, { 'x-ratelimit-limit': '2', 'x-ratelimit-remaining': '50' }));
		}
		expect(starts[2] - starts[0]).toBeGreaterThanOrEqual(300);
	});

	it('a 429 blocks for Retry-After', async () => {
		const throttle = rateLimiter(freshKey(), { limit: 60, windowMs: 60_000 });
		const release = await throttle.take();
		const at = Date.now();
		release(answer(429, { 'retry-after': '1' }));
		await throttle.take();
		expect(Date.now() - at).toBeGreaterThanOrEqual(990);
	});

	it('an answer that arrives late with a higher remaining (same window) does not raise the budget', async () => {
		const throttle = rateLimiter(freshKey(), { limit: 60, windowMs: 500 });
		const reset = String(Math.ceil(Date.now() / 1000) + 1);
		const probe = await throttle.take();
		probe(answer(200, { 'x-ratelimit-remaining': '5', 'x-ratelimit-reset': reset }));
		const a = await throttle.take();
		const b = await throttle.take();
		b(answer(200, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset }));
		a(answer(200, { 'x-ratelimit-remaining': '1', 'x-ratelimit-reset': reset }));
		const at = Date.now();
		await throttle.take();
		expect(Date.now() - at).toBeGreaterThanOrEqual(100);
	});

	it('throttles with the same key share one budget; other keys are independent', async () => {
		const key = freshKey();
		const first = rateLimiter(key, { limit: 1, windowMs: 300 });
		(await first.take())(answer(200));
		const at = Date.now();
		(await rateLimiter(freshKey(), { limit: 1, windowMs: 300 }).take())(answer(200));
		expect(Date.now() - at).toBeLessThan(100);
		await rateLimiter(key, { limit: 1, windowMs: 300 }).take();
		expect(Date.now() - at).toBeGreaterThanOrEqual(250);
	});

	it('a cancelled execution stops waiting', async () => {
		const controller = new AbortController();
		const throttle = rateLimiter(freshKey(), { limit: 1, windowMs: 60_000 }, controller.signal);
		(await throttle.take())(answer(200));
		setTimeout(() => controller.abort(), 50);
		await expect(throttle.take()).rejects.toThrow(/cancelled/);
	});
});
