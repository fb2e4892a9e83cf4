import { MessageFlowApi } from '../../credentials/MessageFlowApi.credentials';
import { SmsBridgeApi } from '../../credentials/SmsBridgeApi.credentials';
import { SmsGateway24Api } from '../../credentials/SmsGateway24Api.credentials';
import { startSimulator, type Simulator } from '../../simulator/server';
import { testCredential } from '../harness/credentialTest';
import { runMessageFlow } from '../harness/messageFlow';
import { API_KEY, bridgeRequests, runSmsBridge } from '../harness/smsBridge';
import { passwordCredentials, received, runSmsGateway24 } from '../harness/smsGateway24';

/**
 * A Base URL copied from a page or an e-mail often comes with a space or a line break around it.
 * Invisible in the field, it must not send the requests elsewhere (a space became %20 in the path)
 * nor fail the credential's Test with advice about the keys.
 */
describe('Credentials: a Base URL pasted with spaces around it', () => {
	let sim: Simulator;
	beforeAll(async () => {
		sim = await startSimulator();
	});
	afterAll(async () => await sim.close());
	beforeEach(() => sim.reset());

	const pasted = (url: string) => ` ${url} \n`;

	it('SMSGateway24: the Test passes and the node logs in and sends to /getdata/…', async () => {
		const credentials = passwordCredentials(sim);
		credentials.smsGateway24Api.baseUrl = pasted(`${sim.url}/smsgateway24`);
		expect(await testCredential(new SmsGateway24Api(), { ...credentials.smsGateway24Api })).toEqual({ status: 'OK', message: 'Connection successful!' });
		sim.reset();
		const run = await runSmsGateway24(sim, {
			credentials,
			parameters: { resource: 'message', operation: 'send', recipients: '+4915752982212', message: 'Hello', device: { __rl: true, mode: 'id', value: '260' }, channel: 0 },
		});
		expect(run.error).toBeUndefined();
		expect(received(sim, 'gettoken')).toHaveLength(1);
		expect(received(sim, 'addsms').map((request) => request.path)).toEqual(['/smsgateway24/getdata/addsms']);
	});

	it('SMS Bridge: the Test passes and the node calls the endpoint under the API version', async () => {
		const data = { apiKey: API_KEY, baseUrl: pasted(`${sim.url}/smsbridge/api/v2`) };
		expect(await testCredential(new SmsBridgeApi(), data)).toEqual({ status: 'OK', message: 'Connection successful!' });
		const run = await runSmsBridge(sim, { credentials: { smsBridgeApi: data }, parameters: { resource: 'account', operation: 'getBalance' } });
		expect(run.error).toBeUndefined();
		expect(bridgeRequests(sim, 'account/balance.php').map((request) => request.path)).toEqual(['/smsbridge/api/v2/account/balance.php']);
	});

	it('MessageFlow: the Test passes and the node calls /v2.1/…', async () => {
		const data = { authKey: 'mf-auth-key-0123456789', applicationApiKey: 'mf-app-key-abcdef', baseUrl: pasted(`${sim.url}/messageflow/v2.1/`) };
		expect(await testCredential(new MessageFlowApi(), data)).toEqual({ status: 'OK', message: 'Connection successful!' });
		sim.reset();
		const run = await runMessageFlow(sim, { credentials: { messageFlowApi: data }, parameters: { resource: 'message', operation: 'send', recipients: '+48123456789', message: 'Hi', sender: 'ACME' } });
		expect(run.error).toBeUndefined();
		expect(sim.requests({ provider: 'messageflow' }).map((request) => `${request.method} ${request.path}`)).toEqual(['POST /messageflow/v2.1/sms']);
	});
});
