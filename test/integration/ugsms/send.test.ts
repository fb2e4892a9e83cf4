import { resetRateLimiters } from '../../../nodes/SmsGateway/shared/rateLimit';
import { startSimulator, type Simulator } from '../../../simulator/server';
import { UG, ugMessages, ugRequests, ugsmsCredentials, runUgsms } from '../../harness/ugsms';

const send = { resource: 'message', operation: 'send', defaultCountry: 'UG', message: 'Your parcel is ready for pickup.' };

describe('UGSMS: Message → Send', () => {
	let sim: Simulator;
	beforeAll(async () => {
		sim = await startSimulator();
	});
	afterAll(async () => await sim.close());
	beforeEach(() => {
		sim.reset();
		resetRateLimiters();
	});

	it('sends to several numbers in one v2 request with the key in X-API-Key; one item per recipient, sharing the message ID', async () => {
		const run = await runUgsms(sim, { parameters: { ...send, recipients: '0701234567, +256 712 345 678, 256772123456', ugsmsSenderId: 'MYSHOP' } });
		expect(run.error).toBeUndefined();
		expect(run.items).toHaveLength(3);
		const [request] = ugRequests(sim, 'sms/send');
		expect(request.path).toBe('/ugsms/api/v2/sms/send');
		expect(request.headers['x-api-key']).toBe(UG.apiKey);
		expect(request.body).toEqual({ numbers: '0701234567,0712345678,0772123456', message_body: 'Your parcel is ready for pickup.', sender_id: 'MYSHOP' });
		const [stored] = ugMessages(sim);
		expect(run.items.map((item) => item.json.recipient)).toEqual(['+256701234567', '+256712345678', '+256772123456']);
		for (const item of run.items) {
			expect(item.json).toMatchObject({
				provider: 'ugsms',
				messageId: stored.id,
				status: 'sent',
				providerStatus: 'Message sent successfully',
				segments: 1,
				encoding: 'GSM-7',
				senderId: 'MYSHOP',
				recipientsInRequest: 3,
				note: 'UGSMS returns one message ID per request: the 3 recipients of this request share it.',
			});
			expect(item.pairedItem).toEqual({ item: 0 });
		}
		expect(run.items[1].json.numberSent).toBe('0712345678');
		expect((run.items[0].json.raw as { data: { recipients: number } }).data.recipients).toBe(3);
	});

	it('with Username and Password it uses v1, the login in the body, and never shows the password', async () => {
		const run = await runUgsms(sim, { parameters: { ...send, authentication: 'usernamePassword', recipients: '0701234567' } });
		expect(run.error).toBeUndefined();
		const [request] = ugRequests(sim, 'sms/send');
		expect(request.path).toBe('/ugsms/v1/sms/send');
		expect(request.headers['x-api-key']).toBeUndefined();
		expect(request.body).toMatchObject({ username: UG.username, password: UG.password, numbers: '0701234567' });
		expect(ugMessages(sim)[0].api).toBe('v1');
		expect(run.items[0].json).toMatchObject({ status: 'sent', recipientsInRequest: 1 });
		expect(run.items[0].json.note).toBeUndefined();
		expect(JSON.stringify(run.items)).not.toContain(UG.password);
	});

	it.each([
		['national', '0701234567'],
		['digits', '256701234567'],
		['e164', '+256701234567'],
	])('number format %s writes %s', async (numberFormat, written) => {
		const run = await runUgsms(sim, { parameters: { ...send, recipients: '+256701234567', ugsmsOptions: { numberFormat } } });
		expect(run.error).toBeUndefined();
		expect(ugRequests(sim, 'sms/send')[0].body.numbers).toBe(written);
		expect(run.items[0].json.numberSent).toBe(written);
	});

	it('refuses a sender ID over 11 characters before sending', async () => {
		const run = await runUgsms(sim, { parameters: { ...send, recipients: '0701234567', ugsmsSenderId: 'MYSHOPUGANDA' } });
		expect(run.error?.message).toBe('Sender ID: "MYSHOPUGANDA" is 12 characters; UGSMS allows at most 11');
		expect((run.error as { description?: string }).description).toMatch(/Shorten it to 11 characters/);
		expect(ugRequests(sim)).toHaveLength(0);
	});

	it('refuses a foreign number with the national format before sending; an international format sends it as it is', async () => {
		const national = await runUgsms(sim, { parameters: { ...send, recipients: '0701234567, +4915752982212' } });
		expect(national.error?.message).toMatch(/^Recipients: \+4915752982212 is a number from DE, and Number Format "National" writes numbers without their country code/);
		expect(ugRequests(sim)).toHaveLength(0);
		// Written internationally it goes out; the simulator, like UGSMS's documents, knows Ugandan numbers only.
		const international = await runUgsms(sim, { continueOnFail: true, parameters: { ...send, recipients: '+4915752982212', ugsmsOptions: { numberFormat: 'e164' } } });
		expect(ugRequests(sim, 'sms/send')[0].body.numbers).toBe('+4915752982212');
		expect(international.items[0].json.error).toBe('Recipients: UGSMS refused +4915752982212 (sent as +4915752982212): Invalid phone number format.');
	});

	it('an invalid number is found and named; the valid numbers of the same request still go, none twice', async () => {
		// 0414… is a Ugandan landline: a valid number that UGSMS refuses for the whole request.
		const run = await runUgsms(sim, { continueOnFail: true, parameters: { ...send, recipients: '0701234567, 0712345678, 0414123456, 0772123456' } });
		expect(run.error).toBeUndefined();
		expect(run.items.map((item) => item.json.error ?? item.json.recipient)).toEqual([
			'+256701234567',
			'+256712345678',
			'Recipients: UGSMS refused +256414123456 (sent as 0414123456): Invalid phone number format.',
			'+256772123456',
		]);
		expect(run.items[2].json.recipient).toBe('+256414123456');
		expect(ugMessages(sim).flatMap((message) => message.numbers).sort()).toEqual(['0701234567', '0712345678', '0772123456']);
	});

	it('without Continue On Fail, a refused number stops the node with an error naming it', async () => {
		const run = await runUgsms(sim, { parameters: { ...send, recipients: '0414123456' } });
		expect(run.error?.message).toBe('Recipients: UGSMS refused +256414123456 (sent as 0414123456): Invalid phone number format.');
		expect((run.error as { description?: string }).description).toMatch(/Nothing was sent to this number/);
	});

	it('splits many recipients of one item into requests of Numbers per Request', async () => {
		const numbers = Array.from({ length: 7 }, (_, index) => `07720000${String(index).padStart(2, '0')}`);
		const run = await runUgsms(sim, { parameters: { ...send, recipients: numbers.join(','), ugsmsOptions: { batchSize: 3 } } });
		expect(run.error).toBeUndefined();
		expect(run.items).toHaveLength(7);
		// The first request goes alone, the other two in parallel (either may arrive first).
		const sizes = ugRequests(sim, 'sms/send').map((request) => String(request.body.numbers).split(',').length);
		expect(sizes[0]).toBe(3);
		expect(sizes.sort((a, b) => a - b)).toEqual([1, 3, 3]);
		expect(new Set(run.items.map((item) => item.json.messageId)).size).toBe(3);
	});

	it('a wrong API key gives credential advice and UGSMS’s help, without the key', async () => {
		const run = await runUgsms(sim, { parameters: { ...send, recipients: '0701234567' }, credentials: ugsmsCredentials(sim, { apiKey: 'ug-key-wrong-987654321' }) });
		expect(run.error?.message).toBe('UGSMS refused the API key (HTTP 401): Invalid API key');
		const description = (run.error as { description?: string }).description ?? '';
		expect(description).toMatch(/^UGSMS says: Check the key or generate a new one with \/api\/generate-key\. Check the API key in the UGSMS API credential/);
		expect(JSON.stringify(run.error)).not.toContain('ug-key-wrong-987654321');
	});

	it('a wrong password gives credential advice, without the password', async () => {
		const run = await runUgsms(sim, {
			parameters: { ...send, authentication: 'usernamePassword', recipients: '0701234567' },
			credentials: ugsmsCredentials(sim, { password: 'not-my-password' }),
		});
		expect(run.error?.message).toBe('UGSMS refused the username and password (HTTP 401): Unauthorized.');
		expect((run.error as { description?: string }).description).toMatch(/Check the username and password in the UGSMS Account API credential/);
		expect(JSON.stringify(run.error)).not.toContain('not-my-password');
	});

	it('no credential value anywhere, even when UGSMS echoes it: outputs, errors, the answer kept with the error, logs', async () => {
		const everything = (run: Awaited<ReturnType<typeof runUgsms>>) =>
			[JSON.stringify(run.items), JSON.stringify(run.error ?? {}), String((run.error as { description?: string } | undefined)?.description ?? ''), JSON.stringify((run.error as { errorResponse?: unknown } | undefined)?.errorResponse ?? {}), run.logs.join('\n')].join(' ');
		const ok = await runUgsms(sim, { parameters: { ...send, recipients: '0701234567, 0712345678' } });
		const v1 = await runUgsms(sim, { parameters: { ...send, authentication: 'usernamePassword', recipients: '0701234567' } });
		sim.addFault({ provider: 'ugsms', pathIncludes: 'v1/sms/send', kind: 'status', status: 401, body: { error: `Unauthorized: ${UG.username}/${UG.password}` } });
		const echoed = await runUgsms(sim, { parameters: { ...send, authentication: 'usernamePassword', recipients: '0701234567' } });
		sim.addFault({ provider: 'ugsms', pathIncludes: 'api/v2/sms/send', kind: 'status', status: 400, body: { error: `Bad key ${UG.apiKey}` } });
		const echoedKey = await runUgsms(sim, { parameters: { ...send, recipients: '0701234567' } });
		expect(echoed.error?.message).toBe('UGSMS refused the username and password (HTTP 401): Unauthorized: demo-ug/[redacted]');
		expect(echoedKey.error?.message).toBe('UGSMS refused "POST api/v2/sms/send" (HTTP 400): Bad key [redacted]');
		for (const run of [ok, v1, echoed, echoedKey]) {
			expect(everything(run)).not.toContain(UG.password);
			expect(everything(run)).not.toContain(UG.apiKey);
		}
	});

	it('an expired key says so', async () => {
		sim.expireTokens('ugsms', { includePanelToken: true });
		const run = await runUgsms(sim, { parameters: { ...send, recipients: '0701234567' } });
		expect(run.error?.message).toBe('UGSMS refused the API key (HTTP 401): API key has expired');
		expect((run.error as { description?: string }).description).toMatch(/UGSMS says: Generate a new key with \/api\/regenerate-key\./);
	});

	it('other refusals: insufficient balance (402) and a Laravel-style 422, as clear errors', async () => {
		sim.addFault({ provider: 'ugsms', pathIncludes: 'sms/send', kind: 'status', status: 402, body: { error: 'Insufficient balance.' } });
		const poor = await runUgsms(sim, { parameters: { ...send, recipients: '0701234567' } });
		expect(poor.error?.message).toBe('UGSMS refused "POST api/v2/sms/send" (HTTP 402): Insufficient balance.');
		expect((poor.error as { description?: string }).description).toMatch(/Top up the UGSMS account/);

		sim.addFault({
			provider: 'ugsms',
			pathIncludes: 'sms/send',
			kind: 'status',
			status: 422,
			body: { message: 'The message body may not be greater than 918 characters.', errors: { message_body: ['The message body may not be greater than 918 characters.'] } },
		});
		const long = await runUgsms(sim, { parameters: { ...send, recipients: '0701234567' } });
		expect(long.error?.message).toBe('UGSMS refused "POST api/v2/sms/send" (HTTP 422): The message body may not be greater than 918 characters.');

		// A 422 about the numbers is a refused number, like UGSMS's 400.
		sim.addFault({ provider: 'ugsms', pathIncludes: 'sms/send', kind: 'status', status: 422, body: { message: 'The given data was invalid.', errors: { numbers: ['The numbers format is invalid.'] } } });
		const number = await runUgsms(sim, { parameters: { ...send, recipients: '0701234567' } });
		expect(number.error?.message).toBe('Recipients: UGSMS refused +256701234567 (sent as 0701234567): The given data was invalid. The numbers format is invalid.');
	});

	it('a Base URL that is not UGSMS gives a clear error', async () => {
		const run = await runUgsms(sim, {
			parameters: { ...send, recipients: '0701234567' },
			credentials: { ugsmsApi: { apiKey: UG.apiKey, baseUrl: `${sim.url}/nowhere` }, ugsmsAccountApi: {} },
		});
		expect(run.error?.message).toMatch(/^UGSMS refused "POST api\/v2\/sms\/send" \(HTTP 404\)/);
		expect((run.error as { description?: string }).description).toMatch(/Base URL/);
	});

	it('accepts the documented v2 base (…/api/v2) in the credential', async () => {
		const run = await runUgsms(sim, {
			parameters: { ...send, recipients: '0701234567' },
			credentials: { ugsmsApi: { apiKey: UG.apiKey, baseUrl: `${sim.url}/ugsms/api/v2/` }, ugsmsAccountApi: {} },
		});
		expect(run.error).toBeUndefined();
		expect(ugRequests(sim, 'sms/send')[0].path).toBe('/ugsms/api/v2/sms/send');
	});
	it('a refused number splits the request; a later failure keeps the numbers already sent as sent', async () => {
		// The whole request is refused (a landline), the first half goes, the second half meets a server error.
		sim.addFault({ provider: 'ugsms', pathIncludes: 'sms/send', kind: 'status', status: 500, skip: 2 } as never);
		const run = await runUgsms(sim, { parameters: { ...send, recipients: '0701234567, 0712345678, 0414123456, 0772123456' }, continueOnFail: true });
		expect(run.items).toHaveLength(4);
		expect(run.items.slice(0, 2).map((item) => [item.json.recipient, item.json.status])).toEqual([
			['+256701234567', 'sent'],
			['+256712345678', 'sent'],
		]);
		expect(run.items[2].json.error).toMatch(/HTTP 500/);
		expect(run.items[3].json.error).toMatch(/HTTP 500/);
		// What UGSMS holds is what the node reports as sent.
		expect(ugMessages(sim).flatMap((message) => message.numbers)).toEqual(['0701234567', '0712345678']);
	});
	it('when UGSMS counts fewer recipients than were sent, none of them is reported as sent', async () => {
		sim.addFault({ provider: 'ugsms', pathIncludes: 'sms/send', kind: 'status', status: 200, afterProcessing: true, body: { success: true, message: 'Message sent successfully', data: { message_id: 'ug-1', recipients: 1 } } } as never);
		const run = await runUgsms(sim, { parameters: { ...send, recipients: '0701234567, 0712345678' } });
		expect(run.error).toBeUndefined();
		for (const item of run.items) {
			expect(item.json).toMatchObject({ status: 'unknown', messageId: 'ug-1' });
			expect(item.json.note).toBe('UGSMS counted 1 recipients for the 2 numbers of this request and does not say which it left out: check them in the UGSMS dashboard before sending again.');
		}
	});
});
