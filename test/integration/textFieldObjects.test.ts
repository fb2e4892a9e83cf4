import { startSimulator, type Simulator } from '../../simulator/server';
import { runMessageFlow, sends } from '../harness/messageFlow';
import { bridgeRequests, runSmsBridge } from '../harness/smsBridge';
import { received, runSmsGateway24, tokenCredentials } from '../harness/smsGateway24';

/**
 * An expression that hands a text field a whole object ({{ $json.order }} instead of
 * {{ $json.order.id }}) is refused for its item, naming the field: String() made it
 * "[object Object]", which went to the provider as the value.
 */
describe('objects mapped into text fields', () => {
	let sim: Simulator;
	beforeAll(async () => {
		sim = await startSimulator();
	});
	afterAll(async () => await sim.close());
	beforeEach(() => sim.reset());

	it('SMS Bridge: an object as External ID is refused, so a second order’s text is not skipped as "already sent"', async () => {
		const base = { resource: 'message', operation: 'send', recipients: '+48500100200' };
		const first = await runSmsBridge(sim, { parameters: { ...base, message: 'Order 1 has shipped', smsBridgeOptions: { externalId: { order: 1 } } }, continueOnFail: true });
		const second = await runSmsBridge(sim, { parameters: { ...base, message: 'Order 2 has shipped', smsBridgeOptions: { externalId: { order: 2 } } }, continueOnFail: true });
		for (const run of [first, second]) {
			expect(run.items).toHaveLength(1);
			expect(run.items[0].json.error).toBe('External ID: expected text but got {"order":' + (run === first ? '1' : '2') + '}');
			expect(run.items[0].json.alreadySent).toBeUndefined();
		}
		expect(bridgeRequests(sim, 'messages/send.php')).toHaveLength(0);
	});

	it('MessageFlow: an object as External ID is refused before sending, not stored as "[object Object]"', async () => {
		const run = await runMessageFlow(sim, {
			parameters: { resource: 'message', operation: 'send', sender: 'ACME', message: 'Hello', recipients: '+48500100200', messageFlowOptions: { externalId: { id: 17 } } },
		});
		expect(run.error?.message).toBe('External ID: expected text but got {"id":17}');
		expect(sends(sim)).toHaveLength(0);
	});

	it('SMSGateway24: an object as a tag title is refused, a number is taken as text', async () => {
		const run = await runSmsGateway24(sim, {
			credentials: tokenCredentials(sim),
			items: [{}, {}],
			continueOnFail: true,
			parameters: (index) => ({ resource: 'tag', operation: 'create', title: index === 0 ? { name: 'VIP' } : 2026 }),
		});
		expect(run.items[0].json.error).toBe('Title: expected text but got {"name":"VIP"}');
		expect(received(sim, 'savetag').map((request) => request.body.title)).toEqual(['2026']);
	});

	it('MessageFlow Get Many: an object as the Senders filter is refused, not sent as the sender "[object Object]" (an empty list)', async () => {
		await runMessageFlow(sim, { parameters: { resource: 'message', operation: 'send', sender: 'ACME', message: 'Hello', recipients: '+48500100200' } });
		sim.advance(2);
		const run = await runMessageFlow(sim, { parameters: { resource: 'message', operation: 'getMany', returnAll: true, messageFlowFilters: { senders: { sender: 'ACME' } } } });
		expect(run.error?.message).toBe('Senders: expected text but got {"sender":"ACME"}');
		expect(sim.requests({ provider: 'messageflow', method: 'GET' })).toHaveLength(0);
		// A list of senders ({{ $json.senders }} holding ["ACME", "SHOP"]) is what the field means.
		const listed = await runMessageFlow(sim, { parameters: { resource: 'message', operation: 'getMany', returnAll: true, messageFlowFilters: { senders: ['ACME', 'SHOP'] } } });
		expect(listed.error).toBeUndefined();
		expect(listed.items).toHaveLength(1);
		expect(sim.requests({ provider: 'messageflow', method: 'GET' }).map((request) => request.query.sender)).toEqual(['ACME,SHOP']);
	});
});
