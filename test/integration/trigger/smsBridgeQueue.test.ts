import type { IDataObject } from 'n8n-workflow';
import { SmsBridgeApi } from '../../../credentials/SmsBridgeApi.credentials';
import type { SmsBridgeProvider } from '../../../simulator/providers/smsbridge';
import { startSimulator, type Simulator } from '../../../simulator/server';
import { smsBridgeCredentials } from '../../harness/smsBridge';
import { poll } from '../../harness/trigger';

describe('SMS Gateway Poll Trigger · SMS Bridge gateway queue', () => {
	let sim: Simulator;
	beforeAll(async () => {
		sim = await startSimulator();
	});
	afterAll(async () => await sim.close());
	beforeEach(() => sim.reset());

	const enqueue = async (to: string) => {
		const answer = await fetch(`${sim.url}/smsbridge/api/v2/messages/send.php`, {
			method: 'POST',
			headers: { authorization: 'Bearer sb-client-key-0123456789', 'content-type': 'application/json' },
			body: JSON.stringify({ to, text: `Text for ${to}`, sender: 'client' }),
		});
		expect(answer.status).toBe(201);
	};
	const request = (staticData: IDataObject, extra: Record<string, unknown> = {}) => ({
		parameters: { provider: 'smsBridge', claimLimit: 10, ...extra },
		credentials: smsBridgeCredentials(sim),
		credentialTypes: [new SmsBridgeApi()],
		staticData,
	});

	it('claims the waiting messages in one execution, each once; an unreported one comes back after its lease', async () => {
		for (const to of ['+48500000021', '+48500000022', '+48500000023']) await enqueue(to);
		const staticData: IDataObject = {};
		const first = await poll(request(staticData));
		expect(first.error).toBeUndefined();
		expect(first.output).toHaveLength(1);
		expect(first.items.map((item) => [item.recipient, item.text, item.status, item.providerStatus, item.attempts])).toEqual([
			['+48500000021', 'Text for +48500000021', 'queued', 'claimed', 1],
			['+48500000022', 'Text for +48500000022', 'queued', 'claimed', 1],
			['+48500000023', 'Text for +48500000023', 'queued', 'claimed', 1],
		]);
		// Nothing new: no execution.
		const second = await poll(request(staticData));
		expect(second.output).toBeNull();
		// The lease of the unreported messages runs out: they are offered again.
		sim.provider<SmsBridgeProvider>('smsbridge').expireLeases();
		const third = await poll(request(staticData));
		expect(third.items.map((item) => item.attempts)).toEqual([2, 2, 2]);
	});

	it('"Fetch test event" claims nothing: it shows a marked sample, and the active workflow still gets every message', async () => {
		for (const to of ['+48500000031', '+48500000032']) await enqueue(to);
		sim.clearRequests();
		const manual = await poll({ ...request({}), mode: 'manual' });
		expect(manual.items).toHaveLength(1);
		expect(manual.items[0]).toMatchObject({ provider: 'smsBridge', sample: true, status: 'queued', providerStatus: 'claimed' });
		expect(sim.requests({ provider: 'smsbridge', pathIncludes: 'pending.php' })).toHaveLength(0);
		// It checks the key, reading nothing else.
		expect(sim.requests({ provider: 'smsbridge' }).map((sent) => sent.path)).toEqual(['/smsbridge/api/v2/auth.php']);
		const active = await poll(request({}));
		expect(active.items.map((item) => [item.recipient, item.attempts])).toEqual([
			['+48500000031', 1],
			['+48500000032', 1],
		]);
	});

	it('"Fetch test event" with a wrong key or Base URL says so (it showed the sample, and the mistake only came out at activation)', async () => {
		const wrongKey = await poll({ ...request({}), credentials: { smsBridgeApi: { ...smsBridgeCredentials(sim).smsBridgeApi, apiKey: 'sb-wrong-key-000000' } }, mode: 'manual' });
		expect(wrongKey.error?.message).toMatch(/SMS Bridge refused "auth.php": Invalid API key \(unauthorized\)/);
		expect((wrongKey.error as { description?: string }).description).toMatch(/Check the API key in the credential/);
		expect(wrongKey.items).toEqual([]);
		const wrongUrl = await poll({ ...request({}), credentials: { smsBridgeApi: { ...smsBridgeCredentials(sim).smsBridgeApi, baseUrl: `${sim.url}/smsbridge` } }, mode: 'manual' });
		expect(wrongUrl.error?.message).toMatch(/SMS Bridge refused "auth.php": Endpoint not found/);
		expect((wrongUrl.error as { description?: string }).description).toMatch(/Check the credential's Base URL/);
		expect(JSON.stringify([wrongKey.error, wrongKey.logs])).not.toContain('sb-wrong-key-000000');
		expect(sim.requests({ provider: 'smsbridge', pathIncludes: 'pending.php' })).toHaveLength(0);
	});

	it('with no event chosen, refuses before claiming anything', async () => {
		await enqueue('+48500000041');
		const run = await poll(request({}, { events: [] }));
		expect(run.error?.message).toBe('Events: no event is chosen');
		expect(sim.requests({ provider: 'smsbridge', pathIncludes: 'pending.php' })).toHaveLength(0);
	});

	it('refuses a claim limit outside 1–100 before asking', async () => {
		const run = await poll(request({}, { claimLimit: 500 }));
		expect(run.error?.message).toMatch(/Claim Limit: 500 is not a whole number from 1 to 100/);
		expect(sim.requests({ provider: 'smsbridge' })).toHaveLength(0);
	});
});
