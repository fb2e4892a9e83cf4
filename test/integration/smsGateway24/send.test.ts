import { startSimulator, type Simulator } from '../../../simulator/server';
import { received, runSmsGateway24, SEED, tokenCredentials } from '../../harness/smsGateway24';

const sendParameters = {
	resource: 'message',
	operation: 'send',
	recipients: '+4915752982212',
	message: 'Your code is 1234',
	device: { __rl: true, mode: 'list', value: '260' },
	channel: 0,
};

describe('SMSGateway24 · Message → Send', () => {
	let sim: Simulator;
	beforeAll(async () => {
		sim = await startSimulator();
	});
	afterAll(async () => await sim.close());
	beforeEach(() => sim.reset());

	it('logs in with email and password, sends, and reports the message in normalised form', async () => {
		const run = await runSmsGateway24(sim, { parameters: sendParameters });
		expect(run.error).toBeUndefined();
		expect(run.items).toHaveLength(1);
		const [item] = run.items;
		expect(item.pairedItem).toEqual({ item: 0 });
		expect(item.json).toMatchObject({
			provider: 'smsGateway24',
			direction: 'outbound',
			recipient: '+4915752982212',
			status: 'queued',
			segments: 1,
			encoding: 'GSM-7',
			deviceId: '260',
			channel: 0,
		});
		expect(item.json.messageId).toMatch(/^\d+$/);

		const logins = received(sim, 'gettoken');
		expect(logins).toHaveLength(1);
		expect(logins[0].body).toMatchObject({ email: SEED.email, pass: SEED.password });
		const sends = received(sim, 'addsms');
		expect(sends).toHaveLength(1);
		expect(sends[0].body).toMatchObject({ sendto: '+4915752982212', body: 'Your code is 1234', device_id: '260', sim: '0', urgent: '0' });
		expect(sends[0].body.token).toEqual(logins[0].response?.body && (logins[0].response.body as { token: string }).token);
		// The simulator stored exactly that message, with the id the node reported.
		expect(String((sends[0].response?.body as { sms_id: number }).sms_id)).toBe(item.json.messageId);
	});

	it('normalises national numbers with the default country and gives each recipient its own message', async () => {
		const run = await runSmsGateway24(sim, {
			parameters: { ...sendParameters, recipients: '015752982212, +48 601 234 567', defaultCountry: 'de' },
		});
		expect(run.error).toBeUndefined();
		expect(run.items.map((item) => item.json.recipient)).toEqual(['+4915752982212', '+48601234567']);
		expect(new Set(run.items.map((item) => item.json.messageId)).size).toBe(2);
		expect(received(sim, 'addsms').map((request) => request.body.sendto)).toEqual(['+4915752982212', '+48601234567']);
	});

	it('several recipients, one failing: without Continue On Fail the rest are not sent; with it they are', async () => {
		const recipients = '+4915752982212, +4917612345678, +4917612345679';
		const parameters = { resource: 'message', operation: 'send', recipients, message: 'Hi', device: { __rl: true, mode: 'id', value: '260' }, channel: 0 };
		sim.addFault({ provider: 'smsgateway24', pathIncludes: 'addsms', kind: 'status', status: 500, times: 1 });
		const stopped = await runSmsGateway24(sim, { credentials: tokenCredentials(sim), parameters });
		expect(stopped.error?.message).toMatch(/HTTP 500/);
		// The node fails and its output is lost: messages sent after the error would go unreported.
		expect(received(sim, 'addsms')).toHaveLength(1);
		expect((sim.snapshot('smsgateway24') as { messages: unknown[] }).messages).toHaveLength(0);

		sim.reset();
		sim.addFault({ provider: 'smsgateway24', pathIncludes: 'addsms', kind: 'status', status: 500, times: 1 });
		const carriedOn = await runSmsGateway24(sim, { credentials: tokenCredentials(sim), parameters, continueOnFail: true });
		expect(carriedOn.items.map((item) => [item.json.recipient, item.json.error === undefined])).toEqual([
			['+4915752982212', false],
			['+4917612345678', true],
			['+4917612345679', true],
		]);
	});

	it('sends with a pasted token without logging in', async () => {
		const run = await runSmsGateway24(sim, { parameters: sendParameters, credentials: tokenCredentials(sim) });
		expect(run.error).toBeUndefined();
		expect(received(sim, 'gettoken')).toHaveLength(0);
		expect(received(sim, 'addsms')[0].body.token).toBe(SEED.panelToken);
	});

	it('passes channel, urgency, customer reference and a schedule time in the chosen zone', async () => {
		const run = await runSmsGateway24(sim, {
			parameters: {
				...sendParameters,
				channel: 3,
				smsGateway24Options: { urgent: true, customerReference: 4711, scheduleTime: '2030-01-15T10:30:00', timeZone: 'Europe/Berlin' },
			},
		});
		expect(run.error).toBeUndefined();
		expect(received(sim, 'addsms')[0].body).toMatchObject({ sim: '3', urgent: '1', customerid: '4711', timetosend: '2030-01-15 10:30:00' });
		expect(run.items[0].json).toMatchObject({ customerReference: 4711, scheduledFor: '2030-01-15 10:30:00', channel: 3 });
	});

	it('counts SMS parts only on a SIM slot: a WhatsApp or RCS message reports no segments or encoding', async () => {
		const longText = 'Your order has shipped. '.repeat(10);
		const byChannel: Record<number, unknown> = {};
		for (const channel of [0, 1, 2, 3, 4, 5]) {
			const run = await runSmsGateway24(sim, { parameters: { ...sendParameters, message: longText, channel } });
			expect(run.error).toBeUndefined();
			byChannel[channel] = [run.items[0].json.segments, run.items[0].json.encoding];
		}
		expect(byChannel).toEqual({ 0: [2, 'GSM-7'], 1: [2, 'GSM-7'], 2: [null, null], 3: [null, null], 4: [null, null], 5: [null, null] });
	});

	it('converts a schedule time with an offset into the chosen zone', async () => {
		await runSmsGateway24(sim, {
			parameters: { ...sendParameters, smsGateway24Options: { scheduleTime: '2030-07-01T08:00:00Z', timeZone: 'Europe/Warsaw' } },
		});
		expect(received(sim, 'addsms')[0].body.timetosend).toBe('2030-07-01 10:00:00');
	});

	it('counts parts and switches to UCS-2 for emoji', async () => {
		const run = await runSmsGateway24(sim, { parameters: { ...sendParameters, message: `Hello 👋 ${'x'.repeat(70)}` } });
		expect(run.items[0].json).toMatchObject({ encoding: 'UCS-2', segments: 2 });
	});
});
