import { startSimulator, type Simulator } from '../../simulator/server';

let sim: Simulator;

beforeAll(async () => {
	sim = await startSimulator({ port: 0 });
});
afterAll(async () => {
	await sim.close();
});

describe('sample files (/__sim/files/)', () => {
	it('serves the customers CSV of the sheet example, unrecorded', async () => {
		const res = await fetch(`${sim.url}/__sim/files/customers.csv`);
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
		const lines = (await res.text()).trim().split('\r\n');
		expect(lines[0]).toBe('name,phone,offer');
		expect(lines).toHaveLength(7);
		expect(lines.filter((line) => line.includes('0157 1020 0004 4477'))).toHaveLength(1);
		expect(sim.requests()).toEqual([]);
	});

	it('answers HEAD without a body and an unknown file with 404 JSON', async () => {
		const head = await fetch(`${sim.url}/__sim/files/customers.csv`, { method: 'HEAD' });
		expect(head.status).toBe(200);
		expect(Number(head.headers.get('content-length'))).toBeGreaterThan(100);
		const missing = await fetch(`${sim.url}/__sim/files/nope.csv`);
		expect(missing.status).toBe(404);
		expect(((await missing.json()) as { error: string }).error).toContain('customers.csv');
	});
});
