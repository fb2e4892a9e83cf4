import { NodeHelpers, type INode, type INodeParameters } from 'n8n-workflow';
import { UgsmsAccountApi } from '../../../credentials/UgsmsAccountApi.credentials';
import { UgsmsApi } from '../../../credentials/UgsmsApi.credentials';
import { SmsGateway } from '../../../nodes/SmsGateway/SmsGateway.node';

/** What the editor shows: the Authentication choice for UGSMS, and only the matching credential. */
describe('UGSMS: Authentication chooses the credential', () => {
	const description = new SmsGateway().description;
	const node = (parameters: INodeParameters): INode => ({ id: 'n', name: 'SMS Gateway', type: 'n8n-nodes-sms-gateway.smsGateway', typeVersion: 1, position: [0, 0], parameters });

	function shown(parameters: INodeParameters): string[] {
		const resolved = NodeHelpers.getNodeParameters(description.properties, parameters, true, false, node(parameters), description) ?? {};
		return (description.credentials ?? []).filter((credential) => NodeHelpers.displayParameter(resolved, credential, node(resolved), description)).map((credential) => credential.name);
	}

	it('defaults to the API key and shows only the UGSMS API credential', () => {
		const resolved = NodeHelpers.getNodeParameters(description.properties, { provider: 'ugsms' }, true, false, node({ provider: 'ugsms' }), description);
		expect(resolved?.authentication).toBe('apiKey');
		expect(shown({ provider: 'ugsms' })).toEqual(['ugsmsApi']);
	});

	it('Username and Password shows only the UGSMS Account API credential', () => {
		expect(shown({ provider: 'ugsms', authentication: 'usernamePassword' })).toEqual(['ugsmsAccountApi']);
	});

	it('other providers are unchanged and have no Authentication parameter', () => {
		expect(shown({ provider: 'messageFlow' })).toEqual(['messageFlowApi']);
		const resolved = NodeHelpers.getNodeParameters(description.properties, { provider: 'messageFlow' }, true, false, node({ provider: 'messageFlow' }), description);
		expect(resolved?.authentication).toBeUndefined();
	});

	it('the credentials hold what their Tests need, and mark the secrets as passwords', () => {
		const key = new UgsmsApi();
		const account = new UgsmsAccountApi();
		expect(key.displayName).toBe('UGSMS API');
		expect(account.displayName).toBe('UGSMS Account API');
		expect(key.properties.find((property) => property.name === 'apiKey')?.typeOptions?.password).toBe(true);
		expect(account.properties.find((property) => property.name === 'password')?.typeOptions?.password).toBe(true);
		expect(key.test.request).toMatchObject({ method: 'GET', url: '/api/v2/account/balance' });
		// The v1 Test must never send: no numbers, no message.
		expect(account.test.request).toMatchObject({ method: 'POST', url: '/v1/sms/send', body: {} });
	});
});
