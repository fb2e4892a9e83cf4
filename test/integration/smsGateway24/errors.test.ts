import { SmsGateway24Api } from '../../../credentials/SmsGateway24Api.credentials';
import { startSimulator, type Simulator } from '../../../simulator/server';
import { passwordCredentials, received, runSmsGateway24, SEED, tokenCredentials } from '../../harness/smsGateway24';

const sendParameters = {
	resource: 'message',
	operation: 'send',
	recipients: '+4915752982212',
	message: 'Hello',
	device: { __rl: true, mode: 'id', value: '260' },
	channel: 0,
};

describe('SMSGateway24 · errors', () => {
	let sim: Simulator;
	beforeAll(async () => {
		sim = await startSimulator();
	});
	afterAll(async () => await sim.close());
	beforeEach(() => sim.reset());

	it('logs in again exactly once when the stored token has expired, and keeps the new token', async () => {
		const credentials = passwordCredentials(sim);
		await runSmsGateway24(sim, { parameters: sendParameters, credentials });
		const firstToken = credentials.smsGateway24Api.sessionToken;
		expect(firstToken).toMatch(/\w{8,}/);

		sim.expireTokens('smsgateway24');
		sim.clearRequests();
		const run = await runSmsGateway24(sim, { parameters: sendParameters, credentials });
		expect(run.error).toBeUndefined();
		expect(run.items).toHaveLength(1);
		expect(received(sim, 'gettoken')).toHaveLength(1);
		// The first request of the run is the device check (getalldevices): it meets the expired
		// token, and the node logs in again there; the send then goes out once, with the new token.
		const lookUps = received(sim, 'getalldevices');
		expect(lookUps).toHaveLength(2); // refused with the old token, then answered with the new one
		expect(lookUps[0].body.token).toBe(firstToken);
		expect(lookUps[1].body.token).not.toBe(firstToken);
		const sends = received(sim, 'addsms');
		expect(sends).toHaveLength(1);
		expect(sends[0].body.token).toBe(lookUps[1].body.token);
		expect(credentials.smsGateway24Api.sessionToken).toBe(sends[0].body.token);
	});

	it('does not send with a token stored for another account: after the email was changed it logs in as the new one', async () => {
		// n8n keeps a credential's hidden fields when it is edited: the token of the account the
		// credential named before stays stored (here a token the simulator takes, standing for the
		// old account's) until something empties it.
		const credentials = passwordCredentials(sim);
		Object.assign(credentials.smsGateway24Api, { sessionToken: SEED.panelToken, signedInAs: `old@smsgateway24.test at ${sim.url}/smsgateway24` });
		const run = await runSmsGateway24(sim, { parameters: sendParameters, credentials });
		expect(run.error).toBeUndefined();
		expect(received(sim, 'gettoken')).toHaveLength(1);
		const tokens = [...received(sim, 'getalldevices'), ...received(sim, 'addsms')].map((request) => request.body.token);
		expect(tokens).toHaveLength(2);
		expect(tokens).not.toContain(SEED.panelToken);
		expect(credentials.smsGateway24Api.sessionToken).toBe(tokens[1]);
		// The new token is stored with whom it was issued to, and used as it is by the next run.
		expect((credentials.smsGateway24Api as { signedInAs?: string }).signedInAs).toBe(`${SEED.email} at ${sim.url}/smsgateway24`);
		sim.clearRequests();
		expect((await runSmsGateway24(sim, { parameters: sendParameters, credentials })).error).toBeUndefined();
		expect(received(sim, 'gettoken')).toHaveLength(0);
		expect(received(sim, 'addsms')[0].body.token).toBe(tokens[1]);
	});

	it('does not take a panel token, stored while Token From the Panel was chosen, for the login of the email', async () => {
		// Signed in with email and password: the login token is stored with whom it was issued to.
		const credentials = passwordCredentials(sim);
		expect((await runSmsGateway24(sim, { parameters: sendParameters, credentials })).error).toBeUndefined();
		// Token From the Panel chosen with another account's token, and Test pressed: n8n runs
		// preAuthentication when testing and stores what it returns with the credential
		// (credentials-helper.js, 1.x and 2.x), keeping the other hidden fields.
		Object.assign(credentials.smsGateway24Api, { authMethod: 'token', apiToken: SEED.panelToken });
		Object.assign(credentials.smsGateway24Api, await new SmsGateway24Api().preAuthentication.call({} as never, { ...credentials.smsGateway24Api }));
		expect(credentials.smsGateway24Api.sessionToken).toBe(SEED.panelToken);
		// Back to Email and Password: the stored token is the panel's (another account's), not the email's.
		credentials.smsGateway24Api.authMethod = 'emailPassword';
		sim.clearRequests();
		const run = await runSmsGateway24(sim, { parameters: sendParameters, credentials });
		expect(run.error).toBeUndefined();
		expect(received(sim, 'gettoken')).toHaveLength(1);
		expect(received(sim, 'addsms').map((request) => request.body.token)).not.toContain(SEED.panelToken);
	});

	it('logs in again exactly once when the token expires between the device check and the send', async () => {
		const credentials = passwordCredentials(sim);
		await runSmsGateway24(sim, { parameters: sendParameters, credentials });
		const firstToken = credentials.smsGateway24Api.sessionToken;
		sim.clearRequests();
		// The send (not the look-up before it) is told that the token has expired.
		sim.addFault({ provider: 'smsgateway24', pathIncludes: 'addsms', kind: 'expiredToken' });
		const run = await runSmsGateway24(sim, { parameters: sendParameters, credentials });
		expect(run.error).toBeUndefined();
		expect(run.items).toHaveLength(1);
		expect(received(sim, 'gettoken')).toHaveLength(1);
		const sends = received(sim, 'addsms');
		expect(sends).toHaveLength(2); // refused with the old token, then accepted with the new one
		expect(sends[0].body.token).toBe(firstToken);
		expect(sends[1].body.token).not.toBe(firstToken);
		expect(credentials.smsGateway24Api.sessionToken).toBe(sends[1].body.token);
		expect(String((sends[1].response?.body as { sms_id: number }).sms_id)).toBe(run.items[0].json.messageId);
	});

	it('does not loop when a pasted token is revoked: one request, a clear error', async () => {
		sim.expireTokens('smsgateway24', { includePanelToken: true });
		const run = await runSmsGateway24(sim, { parameters: sendParameters, credentials: tokenCredentials(sim) });
		expect(run.error?.message).toMatch(/SMSGateway24 refused "addsms": Token is not valid/);
		expect((run.error as { description?: string }).description).toMatch(/pasted token must be replaced/);
		expect(received(sim, 'addsms')).toHaveLength(1);
	});

	it('reports wrong email or password with the fix, without the password', async () => {
		const credentials = passwordCredentials(sim);
		credentials.smsGateway24Api.password = 'wrong-password-123';
		const run = await runSmsGateway24(sim, { parameters: sendParameters, credentials });
		expect(run.error?.message).toMatch(/login failed/i);
		expect(JSON.stringify(run.error)).not.toContain('wrong-password-123');
		expect(`${run.error?.message} ${(run.error as { description?: string }).description}`).toMatch(/email and password/);
		expect(received(sim, 'addsms')).toHaveLength(0);
	});

	it('refuses an unknown device before sending, naming the Device field and listing the devices', async () => {
		const run = await runSmsGateway24(sim, { parameters: { ...sendParameters, device: { __rl: true, mode: 'id', value: '999999' } } });
		expect(run.error?.message).toBe('Device: there is no device with ID 999999 in this SMSGateway24 account');
		const description = (run.error as { description?: string }).description;
		expect(description).toMatch(/Choose a device from the list, or check the ID in SMSGateway24's panel → Devices/);
		expect(description).toMatch(/Office Pixel \(\+4915752982212, ID 260\)/);
		expect((run.error as { context?: { itemIndex?: number } }).context?.itemIndex).toBe(0);
		expect(received(sim, 'getalldevices')).toHaveLength(1);
		expect(received(sim, 'addsms')).toHaveLength(0);
	});

	it.each([
		['an HTML page', { kind: 'html' }, /HTML page/],
		['an empty body', { kind: 'empty' }, /empty answer/],
		['broken JSON', { kind: 'malformed' }, /not JSON/],
		['HTTP 500', { kind: 'status', status: 500 }, /HTTP 500/],
	])('explains %s instead of crashing', async (_name, fault, expected) => {
		sim.addFault({ provider: 'smsgateway24', pathIncludes: 'addsms', ...fault } as never);
		const run = await runSmsGateway24(sim, { parameters: sendParameters, credentials: tokenCredentials(sim) });
		expect(run.error?.message).toMatch(expected);
		expect(received(sim, 'addsms')).toHaveLength(1); // never sent again on its own
	});

	it('waits and retries on 429 with Retry-After, sending once', async () => {
		sim.addFault({ provider: 'smsgateway24', pathIncludes: 'addsms', kind: 'status', status: 429, retryAfter: 1 } as never);
		const started = Date.now();
		const run = await runSmsGateway24(sim, { parameters: sendParameters, credentials: tokenCredentials(sim) });
		expect(run.error).toBeUndefined();
		expect(Date.now() - started).toBeGreaterThanOrEqual(900);
		const sends = received(sim, 'addsms');
		expect(sends.map((request) => request.response?.status)).toEqual([429, 200]);
		expect(sim.snapshot('smsgateway24')).toBeTruthy();
	});

	it('with Continue On Fail, a bad item becomes an error item naming the field, and the others are sent', async () => {
		const recipients = ['+4915752982212', '+49 157 ABC', '', '+4917612345678'];
		const run = await runSmsGateway24(sim, {
			items: recipients.map((phone) => ({ phone })),
			parameters: (itemIndex) => ({ ...sendParameters, recipients: recipients[itemIndex] }),
			credentials: tokenCredentials(sim),
			continueOnFail: true,
		});
		expect(run.error).toBeUndefined();
		expect(run.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }]);
		expect(run.items[0].json.status).toBe('queued');
		expect(run.items[1].json.error).toMatch(/^Recipients: "\+49 157 ABC" is not a phone number/);
		expect(run.items[2].json.error).toMatch(/^Recipients: no recipient given/);
		expect(run.items[3].json.status).toBe('queued');
		expect(received(sim, 'addsms').map((request) => request.body.sendto)).toEqual(['+4915752982212', '+4917612345678']);
	});

	it('without Continue On Fail, stops at the bad item with its index', async () => {
		const run = await runSmsGateway24(sim, {
			parameters: { ...sendParameters, message: '   ' },
			credentials: tokenCredentials(sim),
		});
		expect(run.error?.message).toBe('Message: the message is empty');
		expect((run.error as { context?: { itemIndex?: number } }).context?.itemIndex).toBe(0);
		expect(received(sim, 'addsms')).toHaveLength(0);
	});

	it('logs in once for requests that start together without a token (a bulk send’s batches)', async () => {
		// The device check's login fails (the check is then skipped), so the three batches start
		// together with no token: one logs in, the others wait for its token.
		const credentials = passwordCredentials(sim);
		sim.addFault({ provider: 'smsgateway24', pathIncludes: 'gettoken', kind: 'status', status: 500 });
		const phones = ['+4915752982212', '+4915752982213', '+4915752982214'];
		const run = await runSmsGateway24(sim, {
			items: phones.map((phone) => ({ phone })),
			credentials,
			parameters: (index) => ({
				resource: 'message',
				operation: 'sendBulk',
				recipients: phones[index],
				message: 'Hello',
				device: { __rl: true, mode: 'id', value: '260' },
				smsGateway24Options: { batchSize: 1, concurrency: 3 },
			}),
		});
		expect(run.error).toBeUndefined();
		expect(run.items.map((item) => item.json.status)).toEqual(['queued', 'queued', 'queued']);
		expect(received(sim, 'gettoken')).toHaveLength(2); // the device check's failed login, then one
		const tokens = received(sim, 'addalotofsms').map((request) => request.body.token);
		expect(tokens).toHaveLength(3);
		expect(new Set(tokens)).toEqual(new Set([credentials.smsGateway24Api.sessionToken]));
	});

	it('hides a token fetched at login in this very run when an error page echoes the request', async () => {
		// No token stored yet: n8n logs in for the run's first request, the device check, and that
		// request meets an error page quoting it as sent (form text, token included). The check's
		// failure is logged (the send goes on without it); the send then fails on the same page.
		const credentials = passwordCredentials(sim);
		sim.addFault({ provider: 'smsgateway24', pathIncludes: 'getalldevices', kind: 'status', status: 500, echoRequest: true });
		sim.addFault({ provider: 'smsgateway24', pathIncludes: 'addsms', kind: 'status', status: 500, echoRequest: true });
		const run = await runSmsGateway24(sim, { parameters: sendParameters, credentials, continueOnFail: true });
		const token = credentials.smsGateway24Api.sessionToken;
		expect(received(sim, 'gettoken')).toHaveLength(1);
		expect(received(sim, 'getalldevices')[0].body.token).toBe(token);
		expect(received(sim, 'addsms')[0].body.token).toBe(token);
		expect(String(run.items[0].json.error)).toMatch(/HTTP 500/);
		const everything = JSON.stringify(run.items) + JSON.stringify(run.error ?? {}) + run.logs.join('\n');
		expect(run.logs.join('\n')).toMatch(/could not list the account's devices.*token=/); // the echo is quoted …
		expect(everything).not.toContain(token); // … without the token
	});

	it('never shows the password or token in output or errors', async () => {
		const credentials = passwordCredentials(sim);
		sim.addFault({ provider: 'smsgateway24', pathIncludes: 'addsms', kind: 'status', status: 500 } as never);
		const run = await runSmsGateway24(sim, { parameters: sendParameters, credentials, continueOnFail: true });
		const everything = JSON.stringify(run.items) + JSON.stringify(run.error ?? {}) + run.logs.join('\n');
		expect(everything).not.toContain(SEED.password);
		expect(everything).not.toContain(credentials.smsGateway24Api.sessionToken);
	});
});
