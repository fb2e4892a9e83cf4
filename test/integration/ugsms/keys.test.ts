import type { UgsmsProvider } from '../../../simulator/providers/ugsms';
import { resetRateLimiters } from '../../../nodes/SmsGateway/shared/rateLimit';
import { startSimulator, type Simulator } from '../../../simulator/server';
import { UG, ugRequests, ugsmsCredentials, runUgsms } from '../../harness/ugsms';

interface KeySnapshot {
	key: { value: string; expiresAt: string | null; state: string } | null;
}

describe('UGSMS: Account and API Key', () => {
	let sim: Simulator;
	beforeAll(async () => {
		sim = await startSimulator();
	});
	afterAll(async () => await sim.close());
	beforeEach(() => {
		sim.reset();
		resetRateLimiters();
	});

	const currentKey = () => (sim.snapshot('ugsms') as KeySnapshot).key;
	const account = { authentication: 'usernamePassword' };

	it('Account → Get Balance reads the v2 balance with the API key', async () => {
		const run = await runUgsms(sim, { parameters: { resource: 'account', operation: 'getBalance' } });
		expect(run.error).toBeUndefined();
		expect(run.items[0].json).toMatchObject({ provider: 'ugsms', balance: 1000, currency: 'UGX' });
		expect(ugRequests(sim)[0]).toMatchObject({ method: 'GET', path: '/ugsms/api/v2/account/balance' });
		expect(ugRequests(sim)[0].headers['x-api-key']).toBe(UG.apiKey);
	});

	it('Get Balance with Username and Password says it needs the API key, before sending', async () => {
		const run = await runUgsms(sim, { parameters: { resource: 'account', operation: 'getBalance', ...account } });
		expect(run.error?.message).toBe('Authentication: Get Balance needs an API key: UGSMS offers it only in its v2 API, which does not take a username and password');
		expect(ugRequests(sim)).toHaveLength(0);
	});

	it('Regenerate (with the login) returns the new key in the output only; the old key stops working', async () => {
		const run = await runUgsms(sim, { parameters: { resource: 'apiKey', operation: 'regenerate', ugsmsExpiryDays: 30, ...account } });
		expect(run.error).toBeUndefined();
		const key = currentKey();
		expect(key?.value).not.toBe(UG.apiKey);
		const output = run.items[0].json;
		expect(output).toMatchObject({ provider: 'ugsms', operation: 'regenerateKey', apiKey: key?.value, message: 'API key regenerated successfully' });
		expect(Date.parse(String(output.expiresAt)) - Date.now()).toBeGreaterThan(29 * 86_400_000);
		// Once in the output, not again in raw; never in the logs.
		expect(JSON.stringify(output).split(String(key?.value))).toHaveLength(2);
		expect(run.logs.join('\n')).not.toContain(String(key?.value));
		expect(JSON.stringify(output)).not.toContain(UG.password);
		const [request] = ugRequests(sim, 'regenerate-key');
		expect(request.body).toMatchObject({ username: UG.username, password: UG.password, expiry_days: 30 });

		const old = await runUgsms(sim, { parameters: { resource: 'account', operation: 'getBalance' } });
		expect(old.error?.message).toBe('UGSMS refused the API key (HTTP 401): Invalid API key');
		const fresh = await runUgsms(sim, { parameters: { resource: 'account', operation: 'getBalance' }, credentials: ugsmsCredentials(sim, { apiKey: String(key?.value) }) });
		expect(fresh.error).toBeUndefined();
	});

	it('a cut-off answer to Regenerate does not quote the new key in the error', async () => {
		const newKey = 'ug-key-0123456789abcdef0123456789abcd';
		sim.addFault({ provider: 'ugsms', pathIncludes: 'regenerate-key', kind: 'malformed', status: 200, body: `{"success":true,"data":{"api_key":"${newKey}","expires` } as never);
		const run = await runUgsms(sim, { parameters: { resource: 'apiKey', operation: 'regenerate', ugsmsExpiryDays: 30, ...account } });
		expect(run.error?.message).toMatch(/text that is not JSON \("\{"success":true,"data":\{"api_key":"\*\*\*","expires/);
		expect(JSON.stringify([run.error, run.logs, (run.error as { description?: string }).description])).not.toContain(newKey.slice(0, 16));
	});

	it('Regenerate with the API key works too (the key authenticates its own replacement); no expiry by default', async () => {
		const run = await runUgsms(sim, { parameters: { resource: 'apiKey', operation: 'regenerate' } });
		expect(run.error).toBeUndefined();
		expect(run.items[0].json.expiresAt).toBeNull();
		expect(ugRequests(sim, 'regenerate-key')[0].headers['x-api-key']).toBe(UG.apiKey);
		expect(ugRequests(sim, 'regenerate-key')[0].body).toEqual({});
	});

	it.each([0.5, 366, -3, 'soon'])('an expiry of %p days is refused before sending', async (days) => {
		const run = await runUgsms(sim, { parameters: { resource: 'apiKey', operation: 'regenerate', ugsmsExpiryDays: days as number, ...account } });
		expect(run.error?.message).toBe(`Expires After (Days): ${typeof days === 'string' ? `"${days}"` : String(days)} is not a whole number of days from 1 to 365`);
		expect(ugRequests(sim)).toHaveLength(0);
	});

	it('1 and 365 days are accepted', async () => {
		for (const days of [1, 365]) {
			const run = await runUgsms(sim, { parameters: { resource: 'apiKey', operation: 'regenerate', ugsmsExpiryDays: days, ...account } });
			expect(run.error).toBeUndefined();
		}
		expect(ugRequests(sim, 'regenerate-key').map((request) => request.body.expiry_days)).toEqual([1, 365]);
	});

	it('Generate while a key is active is refused by UGSMS with advice; after Revoke it makes a key', async () => {
		const refused = await runUgsms(sim, { parameters: { resource: 'apiKey', operation: 'generate', ...account } });
		expect(refused.error?.message).toBe('UGSMS refused "POST api/generate-key" (HTTP 409): An active API key already exists. Use regenerate-key to replace it.');
		expect((refused.error as { description?: string }).description).toMatch(/API Key → Regenerate/);

		const revoked = await runUgsms(sim, { parameters: { resource: 'apiKey', operation: 'revoke', ...account } });
		expect(revoked.error).toBeUndefined();
		expect(revoked.items[0].json).toMatchObject({ provider: 'ugsms', operation: 'revokeKey', revoked: true, message: 'API key revoked successfully' });
		expect(currentKey()).toBeNull();

		const again = await runUgsms(sim, { parameters: { resource: 'apiKey', operation: 'revoke', ...account } });
		expect(again.error?.message).toBe('UGSMS refused "POST api/revoke-key" (HTTP 404): No API key to revoke.');
		expect((again.error as { description?: string }).description).toMatch(/no API key to revoke/);

		const generated = await runUgsms(sim, { parameters: { resource: 'apiKey', operation: 'generate', ugsmsExpiryDays: 7, ...account } });
		expect(generated.error).toBeUndefined();
		expect(generated.items[0].json).toMatchObject({ operation: 'generateKey', apiKey: currentKey()?.value, message: 'API key generated successfully' });
	});

	it('Retry On Fail does not make a second key: a retried run returns the key it already got', async () => {
		// Item 0 regenerates, item 1 fails (bad expiry): n8n retries the node with the same input.
		const parameters = (index: number) => ({ resource: 'apiKey', operation: 'regenerate', ugsmsExpiryDays: index === 0 ? 10 : 999, ...account });
		const first = await runUgsms(sim, { items: [{}, {}], parameters, executionId: 'ug-retry' });
		expect(first.error?.message).toMatch(/Expires After \(Days\)/);
		const key = currentKey()?.value;
		const retry = await runUgsms(sim, { items: [{}, {}], parameters, executionId: 'ug-retry', continueOnFail: true });
		expect(retry.items[0].json.apiKey).toBe(key);
		expect(currentKey()?.value).toBe(key);
		expect(ugRequests(sim, 'regenerate-key')).toHaveLength(1);
	});

	it('an error answer that carries a key does not show the key', async () => {
		const lost = 'ug-key-made-but-the-answer-failed';
		sim.addFault({ provider: 'ugsms', pathIncludes: 'regenerate-key', kind: 'status', status: 500, body: { error: 'Server Error', data: { api_key: lost } } });
		const run = await runUgsms(sim, { parameters: { resource: 'apiKey', operation: 'regenerate', ...account } });
		expect(run.error?.message).toBe('UGSMS refused "POST api/regenerate-key" (HTTP 500): Server Error');
		expect(JSON.stringify(run.error)).not.toContain(lost);
		// n8n shows the provider's answer with the error (errorResponse): it is kept, without the key.
		expect((run.error as { errorResponse?: unknown }).errorResponse).toEqual({ error: 'Server Error', data: { api_key: '[redacted]' } });
		expect(run.logs.join('\n')).not.toContain(lost);
	});

	it('an expired key cannot manage keys; the login can', async () => {
		sim.provider<UgsmsProvider>('ugsms').expireTokens({ includeStatic: true });
		const withKey = await runUgsms(sim, { parameters: { resource: 'apiKey', operation: 'regenerate' } });
		expect(withKey.error?.message).toBe('UGSMS refused the API key (HTTP 401): API key has expired');
		const withLogin = await runUgsms(sim, { parameters: { resource: 'apiKey', operation: 'regenerate', ...account } });
		expect(withLogin.error).toBeUndefined();
	});
});
