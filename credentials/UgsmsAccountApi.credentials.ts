import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

/** UGSMS API v1 and key management: the account's username and password, sent as request fields. */
export class UgsmsAccountApi implements ICredentialType {
	name = 'ugsmsAccountApi';

	displayName = 'UGSMS Account API';

	icon: Icon = { light: 'file:../nodes/SmsGateway/smsGateway.svg', dark: 'file:../nodes/SmsGateway/smsGateway.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-sms-gateway/n8n-nodes-sms-gateway#ugsms-api-and-ugsms-account-api';

	properties: INodeProperties[] = [
		{
			// Shown as a box above the fields: where to find the values (descriptions only show on hover).
			displayName: 'The username and password you sign in to UGSMS with (UGSMS API v1). Enough for sending and for making API keys; the balance needs an API key.',
			name: 'setupNotice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'Username',
			name: 'username',
			type: 'string',
			default: '',
			required: true,
			description: 'The username of your UGSMS account',
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The password of your UGSMS account. UGSMS’s v1 API takes it with every request (in the request body, never in the address).',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://ugsms.com',
			description: 'Leave as it is for UGSMS. Change it only for a test simulator. It is the site’s address, without /v1.',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { body: { username: '={{$credentials.username}}', password: '={{$credentials.password}}' } },
	};

	// UGSMS's v1 API has no read-only method, and the Test must not send an SMS. So it calls the
	// send method with the login and nothing to send: UGSMS checks the login first and answers
	// 401 {"error":"Unauthorized."} for a wrong one, and otherwise refuses the empty message
	// (400, "The numbers field is required."), which sends nothing and proves the login works.
	// Any answer without UGSMS's `error` field did not come from its v1 API (wrong Base URL).
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{(String($credentials.baseUrl || "").trim() || "https://ugsms.com").replace(/\\/+$/, "").replace(/\\/(api\\/v2|api|v1)$/i, "")}}',
			url: '/v1/sms/send',
			method: 'POST',
			headers: { Accept: 'application/json' },
			body: {},
			json: true,
			ignoreHttpStatusErrors: true,
		},
		rules: [
			{ type: 'responseSuccessBody', properties: { key: 'error', value: 'Unauthorized.', message: 'UGSMS refused the username or password.' } },
			{
				type: 'responseSuccessBody',
				properties: { key: 'message', value: 'Too Many Attempts.', message: 'UGSMS is rate-limiting this account (60 requests per minute). Try the test again in a minute.' },
			},
			{
				type: 'responseSuccessBody',
				properties: { key: 'error', value: undefined, message: "The answer did not come from UGSMS's v1 API. Check the Base URL (https://ugsms.com, without /v1)." },
			},
		],
	};
}
