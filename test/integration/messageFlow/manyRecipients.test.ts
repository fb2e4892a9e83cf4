import { startSimulator, type Simulator } from '../../../simulator/server';
import { runMessageFlow, sends } from '../../harness/messageFlow';

/**
 * One item can carry a whole recipient list (a text of numbers or a list mapped from a sheet).
 * Spread into push(...), each number became an argument on the stack: some 150,000 of them threw
 * "Maximum call stack size exceeded" before anything was sent.
 */
describe('MessageFlow · Send Bulk with one item of very many recipients', () => {
	let sim: Simulator;
	beforeAll(async () => {
		sim = await startSimulator({ seed: { messageflow: { accountBalance: 1_000_000_000 } } });
	});
	afterAll(async () => await sim.close());
	beforeEach(() => sim.reset());

	// +48500100000 … +48500249999: none ends in 9999, which the simulator's operator refuses.
	const COUNT = 150_000;
	const numbers = Array.from({ length: COUNT }, (_, index) => `+48500${String(100_000 + index + Math.floor(index / 9999))}`);

	for (const [shape, recipients] of [
		['a text of numbers', () => numbers.join(', ')],
		['a list of numbers', () => numbers],
	] as const) {
		it(`sends to all 150,000 recipients of ${shape}, one output item each`, async () => {
			const run = await runMessageFlow(sim, {
				items: [{}],
				parameters: { resource: 'message', operation: 'sendBulk', sender: 'ACME', message: 'Hello', recipients: recipients(), messageFlowOptions: { batchSize: 1000, concurrency: 10 } },
			});
			expect(run.error).toBeUndefined();
			expect(run.items).toHaveLength(COUNT);
			expect(run.items.every((item) => item.json.status !== undefined && item.json.error === undefined)).toBe(true);
			const sent = sends(sim).flatMap((request) => (request.body as { phoneNumbers: string[] }).phoneNumbers);
			expect(sent).toHaveLength(COUNT);
			expect(new Set(sent).size).toBe(COUNT);
		}, 120_000);
	}
});
