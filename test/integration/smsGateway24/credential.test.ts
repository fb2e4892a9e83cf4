import { SmsGateway24Api } from '../../../credentials/SmsGateway24Api.credentials';
import { startSimulator, type Simulator } from '../../../simulator/server';
import { testCredential } from '../../harness/credentialTest';
import { passwordCredentials, received, runSmsGateway24, SEED, tokenCredentials } from '../../harness/smsGateway24';

const sendParameters = { resource: 'message', operation: 'send', recipients: '+4915752982212', message: 'Hello', device: { __rl: true, mode: 'id', value: '260' }, channel: 0 };

/** What the credential's Base URL field may hold, and what the user is told when it is wrong. */
describe('SMSGateway24 · the credential’s Base URL', () => {
	let sim: Simulator;
	beforeAll(async () => {
		sim = await startSimulator();
	});
	afterAll(async () => await sim.close());
	beforeEach(() => sim.reset());

	it('accepts the address with /getdata, as the API documents write it: the Test passes and the node sends to /getdata/<method>', async () => {
		for (const credentials of [passwordCredentials(sim), tokenCredentials(sim)]) {
			sim.reset();
			credentials.smsGateway24Api.baseUrl = `${sim.url}/smsgateway24/getdata/`;
			expect(await testCredential(new SmsGateway24Api(), { ...credentials.smsGateway24Api })).toEqual({ status: 'OK', message: 'Connection successful!' });
			const run = await runSmsGateway24(sim, { credentials, parameters: sendParameters });
			expect(run.error).toBeUndefined();
			expect(received(sim, 'addsms').map((request) => request.path)).toEqual(['/smsgateway24/getdata/addsms']);
		}
	});

	it('a login answer that is not SMSGateway24’s (an HTML page) points at the Base URL, not at the email and password', async () => {
		sim.addFault({ provider: 'smsgateway24', pathIncludes: 'gettoken', kind: 'html', status: 200, times: 0 });
		const run = await runSmsGateway24(sim, { parameters: sendParameters });
		const said = `${run.error?.message} ${(run.error as { description?: string } | undefined)?.description}`;
		expect(said).toMatch(/Base URL/);
		expect(said).not.toMatch(/email and password/);
		expect(said).not.toContain(SEED.password);
		expect(received(sim, 'addsms')).toHaveLength(0);
		const test = await testCredential(new SmsGateway24Api(), { ...passwordCredentials(sim).smsGateway24Api });
		expect(test.status).toBe('Error');
		expect(test.message).toMatch(/Base URL/);
		expect(test.message).not.toMatch(/email and password/);
	});

	it('a login at an address with no SMSGateway24 API (HTTP 404) stops the node with the Base URL to check, nothing sent', async () => {
		const credentials = passwordCredentials(sim);
		credentials.smsGateway24Api.baseUrl = `${sim.url}/smsgateway24/api`;
		const run = await runSmsGateway24(sim, { credentials, parameters: sendParameters });
		const said = `${run.error?.message} ${(run.error as { description?: string } | undefined)?.description}`;
		expect(said).toMatch(/login failed: no login method at this address \(HTTP 404\).*Base URL/);
		expect(said).not.toMatch(/may already have gone out|email and password/);
		// Only logins went out (the device check before the send tries one too), none of them sent anything.
		expect(new Set(sim.requests({ provider: 'smsgateway24' }).map((request) => request.path))).toEqual(new Set(['/smsgateway24/api/getdata/gettoken']));
	});

	it('the Test at an address with no SMSGateway24 API (HTTP 404) says to check the Base URL', async () => {
		const credentials = tokenCredentials(sim);
		credentials.smsGateway24Api.baseUrl = `${sim.url}/smsgateway24/api`;
		const test = await testCredential(new SmsGateway24Api(), { ...credentials.smsGateway24Api });
		expect(test.status).toBe('Error');
		expect(test.message).toMatch(/Base URL/);
	});

	it('the Test signs in even when a token is stored, as n8n does when testing: a wrong password fails', async () => {
		const credentials = passwordCredentials(sim);
		expect((await runSmsGateway24(sim, { credentials, parameters: sendParameters })).error).toBeUndefined();
		expect(credentials.smsGateway24Api.sessionToken).not.toBe('');
		credentials.smsGateway24Api.password = 'wrong-password-123';
		const test = await testCredential(new SmsGateway24Api(), { ...credentials.smsGateway24Api });
		expect(test).toEqual({ status: 'Error', message: "SMSGateway24 login failed: Login or password incorrect. Check the credential's email and password." });
	});

	it('a wrong password still says to check the email and password', async () => {
		const credentials = passwordCredentials(sim);
		credentials.smsGateway24Api.password = 'wrong-password-123';
		const test = await testCredential(new SmsGateway24Api(), { ...credentials.smsGateway24Api });
		expect(test).toEqual({ status: 'Error', message: "SMSGateway24 login failed: Login or password incorrect. Check the credential's email and password." });
	});
});
