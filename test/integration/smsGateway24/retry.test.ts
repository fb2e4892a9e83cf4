import axios from 'axios';
import { createServer } from 'node:net';
import * as retry from '../../../nodes/SmsGateway/shared/retry';
import { startSimulator, type Simulator } from '../../../simulator/server';
import { passwordCredentials, received, runSmsGateway24, tokenCredentials } from '../../harness/smsGateway24';

/**
 * When a single Send may be repeated on the wire. An SMS must not go out twice, so only failures
 * where the provider cannot have acted are retried: a refused connection and HTTP 429. A connection
 * that breaks after the request went out is reported, never retried.
 */

const sendParameters = {
	resource: 'message',
	operation: 'send',
	recipients: '+4915752982212',
	message: 'Your code is 1234',
	device: { __rl: true, mode: 'id', value: '260' },
	channel: 0,
};

type WithDescription = Error & { description?: string; context?: { itemIndex?: number } };

/** A loopback port nothing listens on: bound once to get a free number, then closed again. */
async function closedPort(): Promise<number> {
	const server = createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as { port: number };
	await new Promise<void>((resolve) => server.close(() => resolve()));
	return port;
}

describe('SMSGateway24 · retries on a single Send', () => {
	let sim: Simulator;
	beforeAll(async () => {
		sim = await startSimulator();
	});
	afterAll(async () => await sim.close());
	beforeEach(() => sim.reset());
	afterEach(() => jest.restoreAllMocks());

	const storedMessages = () => (sim.snapshot('smsgateway24') as { messages: Array<{ sendto: string }> }).messages;

	it('a connection dropped after the provider processed the request is an error, not a retry', async () => {
		sim.addFault({ provider: 'smsgateway24', pathIncludes: 'addsms', kind: 'drop', afterProcessing: true });
		const run = await runSmsGateway24(sim, { parameters: sendParameters, credentials: tokenCredentials(sim) });

		const error = run.error as WithDescription;
		expect(error).toBeDefined();
		expect(error.message).toMatch(/^SMSGateway24 gave no answer to "addsms"/);
		// The request did reach the provider: the error must not claim otherwise, nor suggest
		// trying again at once (n8n's stock text for a reset connection does).
		expect(error.message).not.toMatch(/could not be reached/);
		expect(error.message).not.toMatch(/retry/i);
		expect(error.message).toMatch(/the connection was reset before the answer arrived/);
		expect(error.description).toMatch(/message may already have gone out/);
		expect(error.description).toMatch(/Message → Get Many/);
		expect(error.context?.itemIndex).toBe(0);

		const sends = received(sim, 'addsms');
		expect(sends).toHaveLength(1);
		expect(sends[0].fault).toMatchObject({ kind: 'drop', afterProcessing: true });
		// The simulator holds the message: sending again would have texted the person twice.
		expect(storedMessages()).toEqual([expect.objectContaining({ sendto: '+4915752982212' })]);
	});

	it('Retry On Fail after a lost answer does not send again, and says why', async () => {
		sim.addFault({ provider: 'smsgateway24', pathIncludes: 'addsms', kind: 'drop', afterProcessing: true });
		const options = { parameters: sendParameters, credentials: tokenCredentials(sim), executionId: 'lost-answer' };
		const first = await runSmsGateway24(sim, options);
		expect(first.error?.message).toMatch(/gave no answer/);
		// n8n runs the node again in the same execution with the same input.
		const retry = await runSmsGateway24(sim, options);
		expect(retry.error?.message).toMatch(/^Not sent again: an earlier attempt in this run may already have gone out/);
		expect(received(sim, 'addsms')).toHaveLength(1);
		expect(storedMessages()).toHaveLength(1);
	});

	it('with Continue On Fail the dropped send becomes an error item naming the recipient, and the next item still goes', async () => {
		sim.addFault({ provider: 'smsgateway24', pathIncludes: 'addsms', kind: 'drop', afterProcessing: true });
		const recipients = ['+4915752982212', '+4917612345678'];
		const run = await runSmsGateway24(sim, {
			items: recipients.map(() => ({})),
			continueOnFail: true,
			credentials: tokenCredentials(sim),
			parameters: (index) => ({ ...sendParameters, recipients: recipients[index] }),
		});
		expect(run.error).toBeUndefined();
		expect(run.items).toHaveLength(2);
		expect(run.items[0].json).toMatchObject({ recipient: '+4915752982212' });
		expect(run.items[0].json.description).toMatch(/may already have gone out/);
		expect(run.items[1].json).toMatchObject({ recipient: '+4917612345678', status: 'queued' });
		expect(received(sim, 'addsms')).toHaveLength(2);
		expect(storedMessages()).toHaveLength(2);
	});

	it('a dropped bulk request is not retried either, and says the batch may be out', async () => {
		sim.addFault({ provider: 'smsgateway24', pathIncludes: 'addalotofsms', kind: 'drop', afterProcessing: true });
		const recipients = ['+4915752980001', '+4915752980002'];
		const run = await runSmsGateway24(sim, {
			items: recipients.map(() => ({})),
			credentials: tokenCredentials(sim),
			parameters: (index) => ({ ...sendParameters, operation: 'sendBulk', recipients: recipients[index] }),
		});
		const error = run.error as WithDescription;
		expect(error.message).toMatch(/^SMSGateway24 gave no answer to "addalotofsms"/);
		expect(error.description).toMatch(/the messages of this batch may already have gone out/);
		expect(received(sim, 'addalotofsms')).toHaveLength(1);
		expect(storedMessages().map((message) => message.sendto)).toEqual(recipients);
	});

	it('Retry On Fail sends nothing twice when an expression gives the Schedule Time another value on the retry', async () => {
		const recipients = ['+4915752982212', '+4917612345678'];
		// Item 0 goes out; item 1's request is answered 500 once.
		sim.addFault({ provider: 'smsgateway24', pathIncludes: 'addsms', kind: 'status', status: 500, skip: 1, times: 1 });
		let tries = 0;
		const run = async () => {
			tries += 1;
			// What {{ $now.plus(1, 'hour') }} gives: n8n evaluates it again on every try.
			const scheduleTime = `2030-01-01T10:00:0${tries}`;
			return await runSmsGateway24(sim, {
				items: recipients.map(() => ({})),
				credentials: tokenCredentials(sim),
				executionId: 'retry-with-now',
				parameters: (index: number) => ({ ...sendParameters, recipients: recipients[index], smsGateway24Options: { scheduleTime, timeZone: 'UTC' } }),
			});
		};
		expect((await run()).error).toBeDefined();
		const retry = await run();
		expect(retry.error).toBeUndefined();
		expect(retry.items.map((item) => item.json.recipient)).toEqual(recipients);
		const stored = (sim.snapshot('smsgateway24') as { messages: Array<{ sendto: string }> }).messages;
		expect(stored.map((message) => message.sendto).sort()).toEqual([...recipients].sort());
		expect(received(sim, 'addsms')).toHaveLength(3);
	});

	it('an agent’s tool call that failed half-way and is made again does not text anyone twice, also when another call of the tool succeeded in between', async () => {
		// An agent run hands every call of the tool the agent's execute data, so all its calls share
		// one record. Call A texts two people and fails at the second; call B (made beside A, the
		// model asked for both at once) succeeds; then A is made again (n8n 2.x's Retry On Fail for
		// tools, or the model trying again after reading A's error).
		const agentRun = { credentials: tokenCredentials(sim), executionId: 'agent-run', calledByAgent: 'AI Agent' };
		const callA = { ...agentRun, parameters: { ...sendParameters, recipients: '+4915752982212, +4917612345678' } };
		const callB = { ...agentRun, parameters: { ...sendParameters, recipients: '+4915112345678', message: 'Your table is ready' } };
		sim.addFault({ provider: 'smsgateway24', pathIncludes: 'addsms', kind: 'status', status: 500, skip: 1, times: 1 });
		expect((await runSmsGateway24(sim, callA)).error).toBeDefined();
		expect((await runSmsGateway24(sim, callB)).error).toBeUndefined();
		const again = await runSmsGateway24(sim, callA);
		expect(again.error).toBeUndefined();
		expect(again.items.map((item) => item.json.recipient)).toEqual(['+4915752982212', '+4917612345678']);
		expect(storedMessages().map((message) => message.sendto).sort()).toEqual(['+4915112345678', '+4915752982212', '+4917612345678']);
		// A call that succeeded is forgotten: made again deliberately, it sends again.
		expect((await runSmsGateway24(sim, callB)).error).toBeUndefined();
		expect(storedMessages().filter((message) => message.sendto === '+4915112345678')).toHaveLength(2);
	});

	it('with Continue On Fail, a send whose answer was lost is still not repeated by a retry (n8n 2.x retries a run whose first item is an error)', async () => {
		sim.addFault({ provider: 'smsgateway24', pathIncludes: 'addsms', kind: 'drop', afterProcessing: true });
		const options = { credentials: tokenCredentials(sim), executionId: 'continue-in-doubt', continueOnFail: true, parameters: sendParameters };
		const first = await runSmsGateway24(sim, options);
		expect(first.items[0].json.error).toMatch(/^SMSGateway24 gave no answer to "addsms"/);
		const retried = await runSmsGateway24(sim, options);
		expect(retried.items[0].json.error).toMatch(/^Not sent again/);
		expect((sim.snapshot('smsgateway24') as { messages: unknown[] }).messages).toHaveLength(1);
	});

	it('a retry still finds its run after many other runs of the node failed in between', async () => {
		const recipients = ['+4915752982212', '+4917612345678'];
		sim.addFault({ provider: 'smsgateway24', pathIncludes: 'addsms', kind: 'status', status: 500, skip: 1, times: 1 });
		const options = { items: recipients.map(() => ({})), credentials: tokenCredentials(sim), executionId: 'retried-later', parameters: (index: number) => ({ ...sendParameters, recipients: recipients[index] }) };
		expect((await runSmsGateway24(sim, options)).error).toBeDefined();
		// Meanwhile 60 other executions of an SMS node end with an error (kept by count, the record
		// held the 50 most recently started runs).
		for (let other = 0; other < 60; other++) {
			const failed = await runSmsGateway24(sim, { credentials: tokenCredentials(sim), executionId: `other-${other}`, parameters: { ...sendParameters, recipients: 'not a number' } });
			expect(failed.error).toBeDefined();
		}
		expect((await runSmsGateway24(sim, options)).error).toBeUndefined();
		const stored = (sim.snapshot('smsgateway24') as { messages: Array<{ sendto: string }> }).messages;
		expect(stored.map((message) => message.sendto).sort()).toEqual([...recipients].sort());
	});

	it('retries a refused connection a few times, then advises to check the Base URL', async () => {
		const port = await closedPort();
		const credentials = tokenCredentials(sim);
		credentials.smsGateway24Api.baseUrl = `http://127.0.0.1:${port}/smsgateway24`;
		// Count the attempts on the wire (the real request function still runs).
		const request = jest.spyOn(axios, 'request');

		const started = Date.now();
		const run = await runSmsGateway24(sim, { parameters: sendParameters, credentials });
		const elapsed = Date.now() - started;

		const error = run.error as WithDescription;
		expect(error).toBeDefined();
		expect(error.message).toMatch(/^SMSGateway24 could not be reached for "addsms"/);
		expect(error.description).toMatch(/Base URL/);
		expect(error.context?.itemIndex).toBe(0);
		const attempts = request.mock.calls.filter(([config]) => String(config.url).endsWith('/getdata/addsms'));
		expect(attempts).toHaveLength(retry.MAX_ATTEMPTS);
		expect(retry.MAX_ATTEMPTS).toBeLessThanOrEqual(5);
		// The attempts are spaced out (0.5 s, 1 s, 2 s), not fired back to back.
		expect(elapsed).toBeGreaterThanOrEqual(3000);
		expect(sim.requests({ provider: 'smsgateway24' })).toHaveLength(0);
	});

	it('a refused login (email and password) is retried the same way and ends with the same advice', async () => {
		const port = await closedPort();
		const credentials = passwordCredentials(sim);
		credentials.smsGateway24Api.baseUrl = `http://127.0.0.1:${port}/smsgateway24`;
		const request = jest.spyOn(axios, 'request');
		// The spacing of the attempts is checked in the test above; here only their number matters,
		// so the waits are skipped to keep the suite fast.
		const waits = jest.spyOn(retry, 'waitBeforeRetry').mockResolvedValue(undefined);

		const run = await runSmsGateway24(sim, { parameters: sendParameters, credentials });

		const error = run.error as WithDescription;
		expect(error.message).toMatch(/could not be reached for "addsms"/);
		expect(error.description).toMatch(/Base URL/);
		expect(waits).toHaveBeenCalledTimes(retry.MAX_ATTEMPTS - 1);
		expect(`${error.message} ${error.description}`).not.toMatch(/email and password/);
		// One login for the device check before the send (tried once: it only guards the send, and
		// its failure does not stop it), then the send's own attempts.
		const logins = request.mock.calls.filter(([config]) => String(config.url).endsWith('/getdata/gettoken'));
		expect(logins).toHaveLength(1 + retry.MAX_ATTEMPTS);
		expect(JSON.stringify(error)).not.toContain(credentials.smsGateway24Api.password);
	});

	it('retries HTTP 429 without Retry-After after a short wait, and sends once', async () => {
		sim.addFault({ provider: 'smsgateway24', pathIncludes: 'addsms', kind: 'status', status: 429 });
		const run = await runSmsGateway24(sim, { parameters: sendParameters, credentials: tokenCredentials(sim) });
		expect(run.error).toBeUndefined();
		expect(run.items).toHaveLength(1);
		expect(run.items[0].json).toMatchObject({ recipient: '+4915752982212', status: 'queued' });

		const sends = received(sim, 'addsms');
		expect(sends.map((request) => request.response?.status)).toEqual([429, 200]);
		expect(sends[0].response?.headers).not.toHaveProperty('retry-after');
		expect(storedMessages()).toHaveLength(1);
		expect(String((sends[1].response?.body as { sms_id: number }).sms_id)).toBe(run.items[0].json.messageId);
	});
});

/**
 * n8n's Retry On Fail runs the node again not only when it throws but also when it returns with an
 * error item first (Continue On Fail, or the error output): the harness's retryOnFail does the same.
 */
describe('SMSGateway24 · Retry On Fail with an error item first', () => {
	let sim: Simulator;
	beforeAll(async () => {
		sim = await startSimulator();
	});
	afterAll(async () => await sim.close());
	beforeEach(() => sim.reset());

	const storedRecipients = () => (sim.snapshot('smsgateway24') as { messages: Array<{ sendto: string }> }).messages.map((message) => message.sendto).sort();

	it('Continue On Fail: a bad number as the first item makes n8n run the node again, and the others are not texted again', async () => {
		const recipients = ['+49 157 ABC', '+4915752982212', '+4917612345678'];
		const run = await runSmsGateway24(sim, {
			items: recipients.map(() => ({})),
			credentials: tokenCredentials(sim),
			continueOnFail: true,
			retryOnFail: { maxTries: 3 },
			parameters: (index: number) => ({ ...sendParameters, recipients: recipients[index] }),
		});
		// The error item stays first, so n8n tries all three times.
		expect(run.tries).toBe(3);
		expect(run.items[0].json.error).toMatch(/^Recipients: "\+49 157 ABC" is not a phone number/);
		expect(run.items.slice(1).map((item) => [item.json.recipient, item.json.status])).toEqual([
			['+4915752982212', 'queued'],
			['+4917612345678', 'queued'],
		]);
		expect(received(sim, 'addsms')).toHaveLength(2);
		expect(storedRecipients()).toEqual(['+4915752982212', '+4917612345678']);
	});

	it('error output, Send Bulk: batch 1 answered 500, the retry sends batch 1 and not the accepted batches', async () => {
		const recipients = ['+4915710200010', '+4915710200011', '+4915710200012', '+4915710200013', '+4915710200014', '+4915710200015'];
		sim.addFault({ provider: 'smsgateway24', pathIncludes: 'addalotofsms', kind: 'status', status: 500 });
		const run = await runSmsGateway24(sim, {
			items: recipients.map(() => ({})),
			credentials: tokenCredentials(sim),
			onError: 'continueErrorOutput',
			continueOnFail: true,
			retryOnFail: { maxTries: 3 },
			parameters: (index: number) => ({ ...sendParameters, operation: 'sendBulk', recipients: recipients[index], smsGateway24Options: { batchSize: 2, concurrency: 1 } }),
		});
		expect(run.tries).toBe(2);
		expect(run.items.map((item) => item.json.status)).toEqual(recipients.map(() => 'queued'));
		const batches = received(sim, 'addalotofsms').map((request) => (JSON.parse(String(request.body.datajson)) as { smsdata: Array<{ sendto: string }> }).smsdata.map((entry) => entry.sendto));
		expect(batches).toEqual([recipients.slice(0, 2), recipients.slice(2, 4), recipients.slice(4, 6), recipients.slice(0, 2)]);
		expect(storedRecipients()).toEqual([...recipients].sort());
	});

	it('without Retry On Fail an error item first ends the run: nothing is kept for a retry that cannot come', async () => {
		const recipients = ['+49 157 ABC', '+4915752982212'];
		const options = {
			items: recipients.map(() => ({})),
			credentials: tokenCredentials(sim),
			continueOnFail: true,
			executionId: 'no-retry-on-fail',
			parameters: (index: number) => ({ ...sendParameters, recipients: recipients[index] }),
		};
		expect((await runSmsGateway24(sim, options)).tries).toBe(1);
		// The same execution running the node again is no retry of n8n's here: it sends again.
		await runSmsGateway24(sim, options);
		expect(received(sim, 'addsms')).toHaveLength(2);
	});
});
