import type { IDataObject } from 'n8n-workflow';
import { startSimulator, type Simulator } from '../../../simulator/server';
import { messageFlowCredentials, runMessageFlow } from '../../harness/messageFlow';
import { poll } from '../../harness/trigger';

/**
 * A MessageFlow server that answers pages of at most 100 entries whatever `limit` asks (100 is
 * MessageFlow's documented default page; whether the service ever caps below the limit asked is not
 * published). Taking the first, shorter page as the last one lost the rest of the list without a
 * word: Get Many listed 100 of 230 messages and the Poll Trigger reported 100 of 230 deliveries.
 */
describe('MessageFlow lists from a server that caps its pages', () => {
	let sim: Simulator;
	beforeAll(async () => {
		sim = await startSimulator({ maxListSize: 100 });
	});
	afterAll(async () => await sim.close());
	beforeEach(() => sim.reset());

	async function sendDirect(count: number) {
		const phoneNumbers = Array.from({ length: count }, (_, index) => `+48505${String(100000 + index)}`);
		const answer = await fetch(`${sim.url}/messageflow/v2.1/sms`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', authorization: 'mf-auth-key-0123456789', 'application-key': 'mf-app-key-abcdef' },
			body: JSON.stringify({ sender: 'SHOP', message: 'Sale today', phoneNumbers }),
		});
		expect(answer.status).toBe(201);
	}
	const listRequests = () => sim.requests({ provider: 'messageflow', method: 'GET' }).map((request) => request.query.offset);

	it('Get Many with Return All reads on past a page of 100 and lists every message once', async () => {
		await sendDirect(230);
		sim.advance(2);
		const run = await runMessageFlow(sim, { parameters: { resource: 'message', operation: 'getMany', returnAll: true } });
		expect(run.error).toBeUndefined();
		expect(run.items).toHaveLength(230);
		expect(new Set(run.items.map((item) => item.json.messageId)).size).toBe(230);
		expect(listRequests()).toEqual(['0', '100', '200']);
	});

	it('Get Many with a Limit of 150 gets 150', async () => {
		await sendDirect(230);
		sim.advance(2);
		const run = await runMessageFlow(sim, { parameters: { resource: 'message', operation: 'getMany', returnAll: false, limit: 150 } });
		expect(run.items).toHaveLength(150);
	});

	it('the Poll Trigger reports every delivery, not the first page’s', async () => {
		const staticData: IDataObject = {};
		const parameters = { provider: 'messageFlow', options: { statusCodes: '1=queued, 2=queued, 3=sent, 4=delivered, 5=undelivered, 6=expired, 7=failed' } };
		await poll({ parameters, credentials: messageFlowCredentials(sim), staticData });
		await sendDirect(230);
		sim.advance(3);
		const reported = await poll({ parameters, credentials: messageFlowCredentials(sim), staticData });
		expect(reported.error).toBeUndefined();
		expect(new Set(reported.items.map((item) => item.messageId)).size).toBe(230);
	});

	it('a list whose last page holds exactly 100 costs one more request (an empty page), nothing else', async () => {
		await sendDirect(200);
		sim.advance(2);
		const run = await runMessageFlow(sim, { parameters: { resource: 'message', operation: 'getMany', returnAll: true } });
		expect(run.items).toHaveLength(200);
		expect(listRequests()).toEqual(['0', '100', '200']);
	});
});
