import type { ICredentialDataDecryptedObject, ICredentialTestRequest, ICredentialType, IHttpRequestOptions, INodeProperties, Icon } from 'n8n-workflow';

export class SmsBridgeApi implements ICredentialType {
	name = 'smsBridgeApi';

	displayName = 'SMS Bridge API';

	icon: Icon = { light: 'file:../nodes/SmsGateway/smsGateway.svg', dark: 'file:../nodes/SmsGateway/smsGateway.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-sms-gateway/n8n-nodes-sms-gateway#sms-bridge-api';

	properties: INodeProperties[] = [
		{
			// Shown as a box above the fields: where to find the values (descriptions only show on hover).
			displayName: 'Base URL is your SMS Bridge server’s API address (ending in /api/v2 or /v2); the API key is in the SMS Bridge panel under API keys. Saving tests them.',
			name: 'setupNotice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://sms.example.com/api/v2',
			description:
				'The address of your SMS Bridge server up to and including the API version, before /messages (e.g. https://host/api/v2 or https://host/v2). Deployments differ, so there is no default.',
		},
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'In the SMS Bridge panel: API keys. Sent as a Bearer token.',
		},
	];

	// A function rather than n8n's declarative { headers: '={{$credentials…}}' } form: n8n evaluates
	// those expressions in its sandbox for every request, a few milliseconds each, and a bulk send
	// makes one request per message (bench/). Same headers, the values as stored.
	async authenticate(credentials: ICredentialDataDecryptedObject, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
		return { ...requestOptions, headers: { ...requestOptions.headers, Authorization: `Bearer ${String(credentials.apiKey ?? '')}` } };
	}

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{String($credentials.baseUrl || "").trim().replace(/\\/+$/, "")}}',
			url: '/auth.php',
			method: 'GET',
			ignoreHttpStatusErrors: true,
		},
		// Every status is read here: n8n would show a bare "Unauthorized" for the 401 that a wrong key
		// gets, and an HTML page at a wrong Base URL would otherwise not be recognised as a failure.
		// The status itself is not seen by these rules (n8n 1.x applies no responseCode rule), and SMS
		// Bridge's error codes are not published: a server may answer a path without the API version
		// in its own envelope too ({"success": false} with a 404), so a refusal that is not the known
		// "unauthorized" names both things to check.
		rules: [
			{ type: 'responseSuccessBody', properties: { key: 'error.code', value: 'unauthorized', message: 'SMS Bridge refused the API key. Copy it again from the SMS Bridge panel → API keys.' } },
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'success',
					value: false,
					message: 'SMS Bridge refused the request. Check the API key (SMS Bridge panel → API keys) and the Base URL: the server’s API address, ending in /api/v2 or /v2.',
				},
			},
			{ type: 'responseSuccessBody', properties: { key: 'success', value: undefined, message: 'The answer did not come from an SMS Bridge API. Check the Base URL: the server’s API address, ending in /api/v2 or /v2.' } },
		],
	};
}
