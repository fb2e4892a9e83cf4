import { SmsBridgeApi } from '../../../credentials/SmsBridgeApi.credentials';
import { startSimulator, type Simulator } from '../../../simulator/server';
import { testCredential } from '../../harness/credentialTest';
import { API_KEY, bridgeRequests } from '../../harness/smsBridge';

/** The SMS Bridge API credential's Test: a pass only when the key works, otherwise what to fix. */
describe('SMS Bridge · the credential’s Test', () => {
	let sim: Simulator;
	beforeAll(async () => {
		sim = await startSimulator();
	});
	afterAll(async () => await sim.close());
	beforeEach(() => sim.reset());

	const test = async (baseUrl: string, apiKey = API_KEY) => await testCredential(new SmsBridgeApi(), { baseUrl, apiKey });

	it('passes with the key and the API address (also with a slash at its end), calling auth.php there', async () => {
		expect(await test(`${sim.url}/smsbridge/api/v2/`)).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(bridgeRequests(sim, 'auth.php').map((request) => request.path)).toEqual(['/smsbridge/api/v2/auth.php']);
	});

	it('a wrong or revoked key: the key is named', async () => {
		expect((await test(`${sim.url}/smsbridge/api/v2`, 'sb-revoked-key-000000')).message).toMatch(/SMS Bridge refused the API key/);
	});

	it('the server’s address without the API version (a reverse-proxy prefix only): the Base URL is named too, not only the key', async () => {
		for (const baseUrl of [`${sim.url}/smsbridge/`, `${sim.url}/smsbridge/api/v2/messages`]) {
			const result = await test(baseUrl);
			expect(result.status).toBe('Error');
			expect(result.message).toMatch(/Base URL: the server’s API address, ending in \/api\/v2/);
			expect(result.message).not.toMatch(/refused the API key/);
		}
	});
});
