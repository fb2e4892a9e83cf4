import type { IDataObject } from 'n8n-workflow';
import { startSimulator, type Simulator } from '../../simulator/server';
import { messageFlowCredentials, runMessageFlow } from '../harness/messageFlow';
import { runSmsBridge, smsBridgeCredentials } from '../harness/smsBridge';
import { received, runSmsGateway24, tokenCredentials } from '../harness/smsGateway24';
import { poll } from '../harness/trigger';
import { runUgsms, ugsmsCredentials } from '../harness/ugsms';

/**
 * Why a request failed, as n8n 2.x reads it from the error's `failure` (n8n-workflow's Failure):
 * its poll scheduler waits out a rate limit for the provider's Retry-After, backs off while the
 * provider is down, and waits longest for a credential that someone has to fix. Without it n8n
 * looks for a Retry-After in the error's response headers, which these errors do not carry. Real
 * HTTP to the simulator; what is asserted is the error n8n receives.
 */

const failureOf = (error: Error | undefined) => (error as { failure?: unknown } | undefined)?.failure;
const httpCodeOf = (error: Error | undefined) => (error as { httpCode?: unknown } | undefined)?.httpCode;
/** A copy as n8n stores it (JSON in the database). */
const persisted = (staticData: IDataObject) => JSON.parse(JSON.stringify(staticData)) as IDataObject;

describe('the cause of a failure, for n8n', () => {
	let sim: Simulator;
	beforeAll(async () => {
		sim = await startSimulator();
	});
	afterAll(async () => await sim.close());
	beforeEach(() => sim.reset());

	const pollSg24 = (staticData: IDataObject, credentials = tokenCredentials(sim)) =>
		poll({ parameters: { provider: 'smsGateway24' }, credentials, staticData });

	it('a poll still rate-limited after the last retry: rate-limited, with the wait the provider asked for; the cursor stays', async () => {
		const staticData: IDataObject = {};
		await pollSg24(staticData);
		const before = persisted(staticData);
		// Three refusals the node waits out (Retry-After 0), then one that asks for 30 seconds.
		sim.addFault({ provider: 'smsgateway24', pathIncludes: 'getallsms', kind: 'status', status: 429, retryAfter: 0, times: 3 });
		sim.addFault({ provider: 'smsgateway24', pathIncludes: 'getallsms', kind: 'status', status: 429, retryAfter: 30 });
		sim.clearRequests();
		const failed = await pollSg24(staticData);
		expect(failed.error?.message).toMatch(/HTTP 429/);
		expect(httpCodeOf(failed.error)).toBe('429');
		expect(failureOf(failed.error)).toEqual({ cause: 'rate-limited', retryAfterMs: 30_000 });
		expect(received(sim, 'getallsms')).toHaveLength(4);
		expect(persisted(staticData)).toEqual(before);
	});

	it('on n8n 2.x a poll does not wait past its time budget: a Retry-After longer than the budget fails the poll at once, saying how long', async () => {
		const staticData: IDataObject = {};
		await pollSg24(staticData);
		const before = persisted(staticData);
		sim.addFault({ provider: 'smsgateway24', pathIncludes: 'getallsms', kind: 'status', status: 429, retryAfter: 30, times: 0 });
		sim.clearRequests();
		// n8n 2.x's budget for a poll (36 s with its poll scheduler); 1.x gives none.
		const failed = await poll({ parameters: { provider: 'smsGateway24' }, credentials: tokenCredentials(sim), staticData, budgetMs: 10_000 });
		// One request, no retry: the node used to sleep 30 s three times, and n8n 2.x abandoned the
		// poll after its budget as if the provider were down (5 seconds' back-off, seen in real n8n).
		expect(received(sim, 'getallsms')).toHaveLength(1);
		expect(failureOf(failed.error)).toEqual({ cause: 'rate-limited', retryAfterMs: 30_000 });
		expect(persisted(staticData)).toEqual(before);
	});

	it('… while a wait that fits into the budget is still waited out, and the poll goes on', async () => {
		const staticData: IDataObject = {};
		await pollSg24(staticData);
		sim.injectIncoming('smsgateway24', { from: '+4917600000001', body: 'after the wait', deviceId: 260 });
		sim.addFault({ provider: 'smsgateway24', pathIncludes: 'getallsms', kind: 'status', status: 429, retryAfter: 1 });
		sim.clearRequests();
		const run = await poll({ parameters: { provider: 'smsGateway24' }, credentials: tokenCredentials(sim), staticData, budgetMs: 10_000 });
		expect(run.error).toBeUndefined();
		expect(run.items.map((item) => item.text)).toEqual(['after the wait']);
		expect(received(sim, 'getallsms')).toHaveLength(2);
	});

	it('a Retry-After given as a date is turned into a wait too', async () => {
		const at = new Date(Date.now() + 120_000).toUTCString();
		sim.addFault({ provider: 'smsgateway24', pathIncludes: 'getallsms', kind: 'status', status: 429, retryAfter: 0, times: 3 });
		sim.addFault({ provider: 'smsgateway24', pathIncludes: 'getallsms', kind: 'status', status: 503, retryAfter: at });
		const failed = await pollSg24({});
		const failure = failureOf(failed.error) as { cause: string; retryAfterMs: number };
		expect(failure.cause).toBe('temporarily-unavailable');
		// An HTTP date has whole seconds: between 118 and 120 s from when it was read.
		expect(failure.retryAfterMs).toBeGreaterThanOrEqual(118_000);
		expect(failure.retryAfterMs).toBeLessThanOrEqual(120_000);
	});

	it('a provider answering an error page: temporarily unavailable, without a wait it did not ask for', async () => {
		sim.addFault({ provider: 'smsgateway24', pathIncludes: 'getallsms', kind: 'html', status: 502 });
		const failed = await pollSg24({});
		expect(failed.error?.message).toMatch(/HTTP 502/);
		expect(failureOf(failed.error)).toEqual({ cause: 'temporarily-unavailable' });
	});

	it('a server that cannot be reached: temporarily unavailable', async () => {
		const closed = await startSimulator();
		const url = closed.url;
		await closed.close();
		const credentials = tokenCredentials(sim);
		credentials.smsGateway24Api.baseUrl = url;
		const failed = await pollSg24({}, credentials);
		expect(failed.error?.message).toMatch(/could not be reached/);
		expect(failureOf(failed.error)).toEqual({ cause: 'temporarily-unavailable' });
	});

	it('a pasted SMSGateway24 token the provider refuses (inside an HTTP 200): the credential', async () => {
		sim.expireTokens('smsgateway24', { includePanelToken: true });
		const failed = await pollSg24({});
		expect(failed.error?.message).toMatch(/refused "getallsms": Token is not valid/);
		expect(failureOf(failed.error)).toEqual({ cause: 'credential-invalid' });
	});

	it('MessageFlow refusing the keys (HTTP 401 or 403): the credential', async () => {
		for (const status of [401, 403]) {
			sim.reset();
			const credentials = messageFlowCredentials(sim, status === 401 ? { authKey: 'wrong-key-1234' } : {});
			if (status === 403) sim.addFault({ provider: 'messageflow', kind: 'status', status: 403 });
			const failed = await poll({ parameters: { provider: 'messageFlow' }, credentials, staticData: {} });
			expect(failed.error?.message).toMatch(new RegExp(`MessageFlow refused the keys \\(HTTP ${status}\\)`));
			expect(failureOf(failed.error)).toEqual({ cause: 'credential-invalid' });
		}
	});

	it('the action node’s errors carry it too: SMS Bridge and UGSMS refusing the key, UGSMS rate-limited', async () => {
		const bridge = await runSmsBridge(sim, {
			parameters: { resource: 'message', operation: 'send', recipients: '+48500100200', message: 'Hi' },
			credentials: { smsBridgeApi: { ...smsBridgeCredentials(sim).smsBridgeApi, apiKey: 'sb-wrong-key-000000' } },
		});
		expect(bridge.error?.message).toMatch(/Invalid API key \(unauthorized\)/);
		expect(failureOf(bridge.error)).toEqual({ cause: 'credential-invalid' });

		const ugsms = await runUgsms(sim, {
			parameters: { resource: 'message', operation: 'send', recipients: '+256701234567', message: 'Hi' },
			credentials: ugsmsCredentials(sim, { apiKey: 'ug-wrong-key-00000000' }),
		});
		expect(ugsms.error?.message).toMatch(/UGSMS refused the API key \(HTTP 401\)/);
		expect(failureOf(ugsms.error)).toEqual({ cause: 'credential-invalid' });

		sim.addFault({ provider: 'ugsms', kind: 'status', status: 429, retryAfter: 0, times: 3 });
		sim.addFault({ provider: 'ugsms', kind: 'status', status: 429, retryAfter: 45 });
		const limited = await runUgsms(sim, { parameters: { resource: 'message', operation: 'send', recipients: '+256701234567', message: 'Hi' } });
		expect(limited.error?.message).toMatch(/HTTP 429/);
		expect(failureOf(limited.error)).toEqual({ cause: 'rate-limited', retryAfterMs: 45_000 });
	});

	it('a refusal of what was asked (an unknown device, an unregistered sender) declares nothing: n8n judges it by its status', async () => {
		const device = await runSmsGateway24(sim, {
			credentials: tokenCredentials(sim),
			parameters: { resource: 'message', operation: 'send', recipients: '+4915752982212', message: 'Hi', device: { __rl: true, mode: 'id', value: '999999' }, channel: 0 },
		});
		expect(device.error).toBeDefined();
		expect(failureOf(device.error)).toBeUndefined();
		const sender = await runMessageFlow(sim, { parameters: { resource: 'message', operation: 'send', recipients: '+48500100200', message: 'Hi', sender: 'NOPE' } });
		expect(sender.error?.message).toMatch(/Sender NOPE is not registered/);
		expect(failureOf(sender.error)).toBeUndefined();
	});
});
