import type { SmsBridgeProvider } from '../../../simulator/providers/smsbridge';
import { startSimulator, type Simulator } from '../../../simulator/server';
import { bridgeRequests, runSmsBridge, smsBridgeCredentials } from '../../harness/smsBridge';

const send = { resource: 'message', operation: 'send', recipients: '+48123456789', message: 'Visit confirmed for 14:30', smsBridgeSender: 'client' };

describe('SMS Bridge', () => {
	let sim: Simulator;
	beforeAll(async () => {
		sim = await startSimulator();
	});
	afterAll(async () => await sim.close());
	beforeEach(() => sim.reset());

	const stored = () => (sim.snapshot('smsbridge') as { messages: Array<{ id: number; to: string; external_id: string | null; status: string }> }).messages;

	it('sends with the key as a Bearer token and reports the queued message', async () => {
		const run = await runSmsBridge(sim, { parameters: { ...send, smsBridgeOptions: { externalId: 'EXT-1', messagePrefix: '[Clinic] ', senderPhone: '+48500000001' } } });
		expect(run.error).toBeUndefined();
		expect(run.items[0].json).toMatchObject({ provider: 'smsBridge', recipient: '+48123456789', status: 'queued', providerStatus: 'queued', externalId: 'EXT-1', segments: 1, encoding: 'GSM-7' });
		const [request] = bridgeRequests(sim, 'messages/send.php');
		expect(request.headers.authorization).toBe('Bearer sb-client-key-0123456789');
		expect(request.body).toMatchObject({ to: '+48123456789', text: 'Visit confirmed for 14:30', sender: 'client', external_id: 'EXT-1', message_prefix: '[Clinic] ', sender_phone: '+48500000001' });
		expect(String(stored()[0].id)).toBe(run.items[0].json.messageId);
	});

	it('several recipients, one failing: without Continue On Fail the rest are not sent, and say why', async () => {
		sim.addFault({ provider: 'smsbridge', pathIncludes: 'messages/send.php', kind: 'status', status: 500, times: 1 });
		const run = await runSmsBridge(sim, { parameters: { ...send, recipients: '+48123456789, +48123456790, +48123456791' } });
		expect(run.error?.message).toMatch(/HTTP 500/);
		expect(bridgeRequests(sim, 'messages/send.php')).toHaveLength(1);
		expect(stored()).toHaveLength(0);
	});

	it('idempotent by external id: a re-run returns the existing message and sends nothing', async () => {
		const parameters = { ...send, smsBridgeOptions: { externalId: 'EXT-2026-001' } };
		const first = await runSmsBridge(sim, { parameters });
		const again = await runSmsBridge(sim, { parameters });
		expect(again.error).toBeUndefined();
		expect(again.items[0].json).toMatchObject({ messageId: first.items[0].json.messageId, alreadySent: true });
		expect(bridgeRequests(sim, 'messages/send.php')).toHaveLength(1);
		expect(stored()).toHaveLength(1);
	});

	it('with Idempotent off, a reused external id is a clear error, not a second text', async () => {
		await runSmsBridge(sim, { parameters: { ...send, smsBridgeOptions: { externalId: 'EXT-9' } } });
		const run = await runSmsBridge(sim, { parameters: { ...send, smsBridgeOptions: { externalId: 'EXT-9', idempotent: false } } });
		expect(run.error?.message).toMatch(/External ID: SMS Bridge already has a message with External ID "EXT-9"/);
		expect(stored()).toHaveLength(1);
	});

	it('a send whose answer was lost is found by its external id on retry instead of sent again', async () => {
		sim.addFault({ provider: 'smsbridge', pathIncludes: 'send.php', kind: 'drop', afterProcessing: true });
		const parameters = { ...send, smsBridgeOptions: { externalId: 'EXT-LOST' } };
		const first = await runSmsBridge(sim, { parameters });
		expect(first.error?.message).toMatch(/gave no answer/);
		// A new execution (a re-run of the workflow) asks SMS Bridge first.
		const rerun = await runSmsBridge(sim, { parameters });
		expect(rerun.error).toBeUndefined();
		expect(rerun.items[0].json.alreadySent).toBe(true);
		expect(stored()).toHaveLength(1);
	});

	it('a send answered with success and an empty data object is a queued message (the documents show no more)', async () => {
		sim.addFault({ provider: 'smsbridge', pathIncludes: 'send.php', kind: 'status', status: 200, afterProcessing: true, body: { success: true, data: {} } } as never);
		const run = await runSmsBridge(sim, { parameters: send });
		expect(run.error).toBeUndefined();
		expect(run.items[0].json).toMatchObject({ provider: 'smsBridge', messageId: null, recipient: '+48123456789', status: 'queued', providerStatus: null, raw: {} });
		expect(stored()).toHaveLength(1);
	});

	it('a send answered with success in a shape the node cannot read is in doubt: a retry does not queue it again', async () => {
		sim.addFault({ provider: 'smsbridge', pathIncludes: 'send.php', kind: 'status', status: 201, afterProcessing: true, body: { success: true, data: { id: { unexpected: 1 } } } } as never);
		const first = await runSmsBridge(sim, { parameters: send, executionId: 'sb-shape' });
		expect(first.error?.message).toMatch(/^SMS Bridge answered "messages\/send.php" with an unexpected shape \(id: /);
		expect((first.error as { description?: string }).description).toMatch(/the message may already be queued/);
		const retry = await runSmsBridge(sim, { parameters: send, executionId: 'sb-shape' });
		expect(retry.error?.message).toMatch(/^Not sent again/);
		expect(bridgeRequests(sim, 'messages/send.php')).toHaveLength(1);
		expect(stored()).toHaveLength(1);
	});

	it('an External ID look-up answered 404 with a code of its own counts as "not sent yet"', async () => {
		sim.addFault({ provider: 'smsbridge', pathIncludes: 'get.php', kind: 'status', status: 404, body: { success: false, error: { code: 'NO_SUCH_MESSAGE', message: 'No message' } } } as never);
		const run = await runSmsBridge(sim, { parameters: { ...send, smsBridgeOptions: { externalId: 'EXT-404' } } });
		expect(run.error).toBeUndefined();
		expect(run.items[0].json).toMatchObject({ status: 'queued', externalId: 'EXT-404' });
		expect(stored()).toHaveLength(1);
	});

	it('https:// to a plain HTTP server fails as "nothing was sent", so a retry with the right address sends', async () => {
		const credentials = smsBridgeCredentials(sim);
		credentials.smsBridgeApi.baseUrl = credentials.smsBridgeApi.baseUrl.replace(/^http:/, 'https:');
		const first = await runSmsBridge(sim, { parameters: send, credentials, executionId: 'sb-tls' });
		expect(first.error?.message).toMatch(/^SMS Bridge could not be reached for "messages\/send.php": the secure connection \(TLS\) could not be set up/);
		expect((first.error as { description?: string }).description).toMatch(/^Nothing was sent\./);
		const retry = await runSmsBridge(sim, { parameters: send, executionId: 'sb-tls' });
		expect(retry.error).toBeUndefined();
		expect(stored()).toHaveLength(1);
	});

	it('an External ID look-up answered with success and no message counts as "not sent yet"', async () => {
		sim.addFault({ provider: 'smsbridge', pathIncludes: 'get.php', kind: 'status', status: 200, body: { success: true, data: null } } as never);
		const run = await runSmsBridge(sim, { parameters: { ...send, smsBridgeOptions: { externalId: 'EXT-NULL' } } });
		expect(run.error).toBeUndefined();
		expect(run.items[0].json).toMatchObject({ status: 'queued', externalId: 'EXT-NULL' });
		expect(stored()).toHaveLength(1);
	});

	it('an External ID already used for someone else is an error naming both, not another person’s message', async () => {
		await runSmsBridge(sim, { parameters: { ...send, smsBridgeOptions: { externalId: 'EXT-SHARED' } } });
		const run = await runSmsBridge(sim, { parameters: { ...send, recipients: '+48500000077', smsBridgeOptions: { externalId: 'EXT-SHARED' } } });
		expect(run.error?.message).toBe('External ID: SMS Bridge already has a message with External ID "EXT-SHARED", to +48123456789: nothing was sent to +48500000077');
		expect(stored()).toHaveLength(1);
	});

	it('reads the number of a looked-up message under pending.php’s name too (target_phone), so a reused External ID is caught', async () => {
		sim.addFault({ provider: 'smsbridge', pathIncludes: 'get.php', kind: 'status', status: 200, body: { success: true, data: { id: 7, target_phone: '+48123456789', status: 'sms_sent', external_id: 'EXT-TP' } } } as never);
		const run = await runSmsBridge(sim, { parameters: { ...send, recipients: '+48500000077', smsBridgeOptions: { externalId: 'EXT-TP' } }, continueOnFail: true });
		expect(run.items[0].json.error).toBe('External ID: SMS Bridge already has a message with External ID "EXT-TP", to +48123456789: nothing was sent to +48500000077');
		sim.addFault({ provider: 'smsbridge', pathIncludes: 'get.php', kind: 'status', status: 200, body: { success: true, data: { id: 7, target_phone: '+48123456789', status: 'sms_sent' } } } as never);
		const status = await runSmsBridge(sim, { parameters: { resource: 'message', operation: 'getStatus', messageId: '7' } });
		expect(status.items[0].json).toMatchObject({ messageId: '7', recipient: '+48123456789', status: 'sent' });
		expect(stored()).toHaveLength(0);
	});

	it('an External ID look-up whose answer names no number is not sent again, and says what it could not confirm', async () => {
		sim.addFault({ provider: 'smsbridge', pathIncludes: 'get.php', kind: 'status', status: 200, body: { success: true, data: { id: 8, status: 'sms_sent', external_id: 'EXT-NONUM' } } } as never);
		const run = await runSmsBridge(sim, { parameters: { ...send, smsBridgeOptions: { externalId: 'EXT-NONUM' } } });
		expect(run.items[0].json).toMatchObject({ messageId: '8', recipient: '+48123456789', alreadySent: true });
		expect(String(run.items[0].json.note)).toMatch(/does not say to which number.*check the message in SMS Bridge/);
		expect(stored()).toHaveLength(0);
	});

	it('Send Bulk refuses an External ID shared by several items before sending anything', async () => {
		const phones = ['+48500000081', '+48500000082', '+48500000083'];
		const parameters = (index: number) => ({ resource: 'message', operation: 'sendBulk', recipients: phones[index], message: 'Hi', smsBridgeSender: 'client', smsBridgeOptions: { externalId: 'CAMPAIGN-1' } });
		const stopped = await runSmsBridge(sim, { items: phones.map((phone) => ({ phone })), parameters });
		expect(stopped.error?.message).toBe('Not sent: the bulk send stopped at an error (External ID: "CAMPAIGN-1" is also the External ID of item 1)');
		expect(bridgeRequests(sim, 'messages/send.php')).toHaveLength(0);
		const going = await runSmsBridge(sim, { items: phones.map((phone) => ({ phone })), parameters, continueOnFail: true });
		expect(going.items.map((item) => item.json.status ?? item.json.error)).toEqual([
			'queued',
			'External ID: "CAMPAIGN-1" is also the External ID of item 1',
			'External ID: "CAMPAIGN-1" is also the External ID of item 1',
		]);
		expect(stored().map((message) => message.to)).toEqual(['+48500000081']);
	});

	it('gets a message by id and by external id, with its normalised status', async () => {
		const sent = await runSmsBridge(sim, { parameters: { ...send, smsBridgeOptions: { externalId: 'EXT-7' } } });
		sim.advance(3, 'smsbridge');
		const byId = await runSmsBridge(sim, { parameters: { resource: 'message', operation: 'getStatus', messageId: String(sent.items[0].json.messageId) } });
		expect(byId.items[0].json).toMatchObject({ status: 'sent', providerStatus: 'sms_sent' });
		const byExternal = await runSmsBridge(sim, { parameters: { resource: 'message', operation: 'getStatus', lookUpBy: 'externalId', messageId: 'EXT-7' } });
		expect(byExternal.items[0].json.messageId).toBe(sent.items[0].json.messageId);
		const missing = await runSmsBridge(sim, { parameters: { resource: 'message', operation: 'getStatus', messageId: '999999' } });
		expect(missing.error?.message).toMatch(/SMS Bridge refused "messages\/get.php".*\(.*not_found\)/);
	});

	it('Send Bulk goes one request per message with bounded concurrency, output paired', async () => {
		const phones = Array.from({ length: 9 }, (_, index) => `+4850010${String(1000 + index)}`);
		const run = await runSmsBridge(sim, {
			items: phones.map((phone) => ({ phone })),
			parameters: (index) => ({ resource: 'message', operation: 'sendBulk', recipients: phones[index], message: `Code ${index}`, smsBridgeSender: 'client', smsBridgeOptions: { concurrency: 3 } }),
		});
		expect(run.error).toBeUndefined();
		expect(run.items.map((item) => item.json.recipient)).toEqual(phones);
		expect(run.items.map((item) => item.pairedItem)).toEqual(phones.map((_, item) => ({ item })));
		expect(stored()).toHaveLength(9);
	});

	it('account, sender ID and API key operations', async () => {
		const run = async (resource: string, operation: string, extra: Record<string, unknown> = {}) =>
			(await runSmsBridge(sim, { parameters: { resource, operation, ...extra } })).items[0]?.json;
		expect(await run('account', 'checkKey')).toMatchObject({ provider: 'smsBridge', authenticated: true });
		expect(await run('account', 'getBalance')).toMatchObject({ balance: 49.5, currency: 'PLN' });
		expect(await run('account', 'getSubscription')).toMatchObject({ plan: 'Pro', status: 'active' });
		expect(await run('senderId', 'get')).toMatchObject({ sender_id: 'Sendit-ABCDEF12' });
		expect(await run('senderId', 'update', { newSenderId: 'Clinic-Main' })).toMatchObject({ sender_id: 'Clinic-Main', previous_sender_id: 'Sendit-ABCDEF12' });
		expect(await run('apiKey', 'checkScanned')).toMatchObject({ scanned: false });
		expect(await run('apiKey', 'markScanned', { scannedDevice: 'Pixel 7' })).toMatchObject({ scanned: true });
		expect(await run('apiKey', 'checkScanned')).toMatchObject({ scanned: true });
	});

	it('a wrong key gives an error that points at the credential, without the key', async () => {
		const run = await runSmsBridge(sim, { parameters: send, credentials: smsBridgeCredentials(sim, 'wrong-key-123') });
		expect(run.error?.message).toMatch(/SMS Bridge refused "messages\/send.php": Invalid API key \(unauthorized\)/);
		expect((run.error as { description?: string }).description).toMatch(/API key/);
		expect(JSON.stringify(run.error)).not.toContain('wrong-key-123');
	});

	it('gateway queue: claim, report sent or failed, and a lease that runs out is offered again', async () => {
		const provider = () => sim.provider<SmsBridgeProvider>('smsbridge');
		provider(); // the simulator's own phone is off for this test: n8n is the gateway
		for (const phone of ['+48500000011', '+48500000012']) await runSmsBridge(sim, { parameters: { ...send, recipients: phone } });
		const claimed = await runSmsBridge(sim, { parameters: { resource: 'gatewayQueue', operation: 'claimPending', claimLimit: 10 } });
		expect(claimed.items.map((item) => item.json.recipient)).toEqual(['+48500000011', '+48500000012']);
		expect(claimed.items[0].json).toMatchObject({ text: 'Visit confirmed for 14:30', attempts: 1, status: 'sending' });

		const report = (id: unknown, queueStatus: string, extra: Record<string, unknown> = {}) =>
			runSmsBridge(sim, { parameters: { resource: 'gatewayQueue', operation: 'reportStatus', queueMessageId: String(id), queueStatus, ...extra } });
		// Device and Sender ID mapped as objects are refused, not reported as "[object Object]" or an object.
		const objects = await report(claimed.items[0].json.messageId, 'sms_sent', { queueOptions: { device: { name: 'n8n' } } });
		expect(objects.error?.message).toBe('Device: expected text but got {"name":"n8n"}');
		expect(bridgeRequests(sim, 'messages/status.php')).toHaveLength(0);
		const sent = await report(claimed.items[0].json.messageId, 'sms_sent', { queueOptions: { device: ' n8n ', senderId: 'Clinic' } });
		expect(sent.items[0].json).toMatchObject({ status: 'sent', providerStatus: 'sms_sent' });
		expect(bridgeRequests(sim, 'messages/status.php')[0].body).toMatchObject({ status: 'sms_sent', details: { device: 'n8n' }, sender_id: 'Clinic' });

		// The second message is not reported: once its lease runs out it is offered again.
		provider().expireLeases();
		const again = await runSmsBridge(sim, { parameters: { resource: 'gatewayQueue', operation: 'claimPending', claimLimit: 10 } });
		expect(again.items.map((item) => [item.json.recipient, item.json.attempts])).toEqual([['+48500000012', 2]]);
		const failed = await report(again.items[0].json.messageId, 'failed', { queueError: 'No signal' });
		expect(failed.items[0].json).toMatchObject({ status: 'failed' });
		expect(bridgeRequests(sim, 'messages/status.php')[1].body).toMatchObject({ status: 'failed', details: { error: 'No signal' } });
	});

	it('Claim Pending names its Claim Limit field when the limit is out of range', async () => {
		const run = await runSmsBridge(sim, { parameters: { resource: 'gatewayQueue', operation: 'claimPending', claimLimit: 500 } });
		expect(run.error?.message).toBe('Claim Limit: 500 is not a whole number from 1 to 100');
		expect(bridgeRequests(sim, 'messages/pending.php')).toHaveLength(0);
	});

	it('Report Status refuses a status SMS Bridge does not take (from an expression), naming the field, before reporting', async () => {
		const run = await runSmsBridge(sim, {
			continueOnFail: true,
			parameters: { resource: 'gatewayQueue', operation: 'reportStatus', queueMessageId: '5', queueStatus: 'delivered' },
		});
		expect(String(run.items[0].json.error)).toBe('Status: "delivered" is not one of the choices');
		expect(String(run.items[0].json.description)).toMatch(/Sent \("sms_sent"\), Failed \("failed"\), Claimed/);
		expect(bridgeRequests(sim, 'messages/status.php')).toHaveLength(0);
	});
});
