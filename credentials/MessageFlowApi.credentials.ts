import type { ICredentialDataDecryptedObject, ICredentialTestRequest, ICredentialType, IHttpRequestOptions, INodeProperties, Icon } from 'n8n-workflow';

/** A header with a credential value; none when the value is missing (as n8n's declarative form does). */
function header(name: string, value: unknown): Record<string, string> {
	return value === undefined || value === null ? {} : { [name]: String(value) };
}

export class MessageFlowApi implements ICredentialType {
	name = 'messageFlowApi';

	displayName = 'MessageFlow API';

	icon: Icon = { light: 'file:../nodes/SmsGateway/smsGateway.svg', dark: 'file:../nodes/SmsGateway/smsGateway.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-sms-gateway/n8n-nodes-sms-gateway#messageflow-api';

	properties: INodeProperties[] = [
		{
			// Shown as a box above the fields: where to find the values (descriptions only show on hover).
			displayName: 'Both keys are in the MessageFlow panel under Account → API. Saving tests them against MessageFlow.',
			name: 'setupNotice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'Authorization Key',
			name: 'authKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'In the MessageFlow panel: Account → API. Sent as it is in the Authorization header (no "Bearer").',
		},
		{
			displayName: 'Application Key',
			name: 'applicationApiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'In the MessageFlow panel: Account → API, next to the authorization key',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.messageflow.com',
			description: 'Leave as it is for MessageFlow. Change it only for a test simulator; it ends before /v2.1 (a /v2.1 at the end is ignored).',
		},
	];

	// A function rather than n8n's declarative { headers: '={{$credentials…}}' } form: n8n evaluates
	// those expressions in its sandbox for every request, a few milliseconds each, and a personalised
	// bulk send makes one request per message (bench/). Same headers, the values as stored.
	async authenticate(credentials: ICredentialDataDecryptedObject, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
		return { ...requestOptions, headers: { ...requestOptions.headers, ...header('Authorization', credentials.authKey), ...header('Application-Key', credentials.applicationApiKey) } };
	}

	// The status list answers 404 when there is nothing to list, which is not a failed test: the
	// request accepts every status, and a refusal of the keys is recognised in MessageFlow's error
	// list (its answers carry errors[].code, written as a number or a string).
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{(String($credentials.baseUrl || "").trim() || "https://api.messageflow.com").replace(/\\/+$/, "").replace(/\\/v2\\.1$/i, "")}}',
			url: '/v2.1/sms',
			method: 'GET',
			qs: { limit: 1 },
			ignoreHttpStatusErrors: true,
		},
		rules: [
			...[401, '401', 403, '403'].map((code) => ({
				type: 'responseSuccessBody' as const,
				properties: {
					key: 'errors[0].code',
					value: code,
					message: 'MessageFlow refused the keys. Check the Authorization Key and the Application Key.',
				},
			})),
			// Every MessageFlow answer, "no results" included, carries an errors list: an HTML page or
			// another service's JSON at a wrong Base URL does not, and must not pass as a success.
			{
				type: 'responseSuccessBody' as const,
				properties: {
					key: 'errors',
					value: undefined,
					message: 'The answer did not come from the MessageFlow API. Check the Base URL: https://api.messageflow.com (without /v2.1).',
				},
			},
		],
	};
}
