import type { ICredentialDataDecryptedObject, ICredentialTestRequest, ICredentialType, IHttpRequestOptions, INodeProperties, Icon } from 'n8n-workflow';

/** UGSMS API v2: an API key in the X-API-Key header. */
export class UgsmsApi implements ICredentialType {
	name = 'ugsmsApi';

	displayName = 'UGSMS API';

	icon: Icon = { light: 'file:../nodes/SmsGateway/smsGateway.svg', dark: 'file:../nodes/SmsGateway/smsGateway.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-sms-gateway/n8n-nodes-sms-gateway#ugsms-api-and-ugsms-account-api';

	properties: INodeProperties[] = [
		{
			// Shown as a box above the fields: where to find the values (descriptions only show on hover).
			displayName: 'The API key of your UGSMS account, from the UGSMS dashboard. No key yet? The SMS Gateway node’s API Key → Generate makes one with your username and password. Saving tests it.',
			name: 'setupNotice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The key of your UGSMS account (the SMS Gateway node’s API Key → Generate or Regenerate makes one). Sent in the X-API-Key header.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://ugsms.com',
			description: 'Leave as it is for UGSMS. Change it only for a test simulator. It is the site’s address, without /api/v2.',
		},
	];

	// A function rather than n8n's declarative { headers: '={{$credentials…}}' } form: n8n evaluates
	// those expressions in its sandbox for every request, a few milliseconds each, and a personalised
	// bulk send makes one request per message (bench/). Same headers, the values as stored.
	async authenticate(credentials: ICredentialDataDecryptedObject, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
		if (credentials.apiKey === undefined || credentials.apiKey === null) return requestOptions;
		return { ...requestOptions, headers: { ...requestOptions.headers, 'X-API-Key': String(credentials.apiKey) } };
	}

	// The balance is the one read-only v2 method. Its success is UGSMS's envelope with
	// `success: true`; refusals carry `error` (the documented "API key is required", and the
	// wrong and expired key answers), so they are told apart by text and anything else fails too.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{(String($credentials.baseUrl || "").trim() || "https://ugsms.com").replace(/\\/+$/, "").replace(/\\/(api\\/v2|api|v1)$/i, "")}}',
			url: '/api/v2/account/balance',
			method: 'GET',
			headers: { Accept: 'application/json' },
			ignoreHttpStatusErrors: true,
		},
		rules: [
			{ type: 'responseSuccessBody', properties: { key: 'error', value: 'API key is required', message: 'UGSMS received no API key. Enter it in the credential.' } },
			{ type: 'responseSuccessBody', properties: { key: 'error', value: 'Invalid API key', message: 'UGSMS refused the API key: it is wrong, or was regenerated or revoked.' } },
			{ type: 'responseSuccessBody', properties: { key: 'error', value: 'API key has expired', message: 'The API key has expired. Make a new one (SMS Gateway node: API Key → Regenerate, with the Username and Password authentication, as an expired key cannot replace itself) and enter it here.' } },
			{
				type: 'responseSuccessBody',
				properties: { key: 'success', value: undefined, message: "UGSMS did not confirm the API key. Check the key, and the Base URL (https://ugsms.com, without /api/v2)." },
			},
		],
	};
}
