import type {
	IAuthenticateRuleResponseCode,
	IAuthenticateRuleResponseSuccessBody,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

const DEFAULT_BASE_URL = 'https://smsgateway24.com';

/** The server's address as requests need it; the node's transport uses it too (one reading of the field). */
export function serverAddress(credentials: ICredentialDataDecryptedObject): string {
	// Spaces around a pasted address are taken off, as for the other providers (shared/http.ts), and
	// a /getdata at its end: the API's documents write the methods as https://smsgateway24.com/getdata/<method>.
	return (String(credentials.baseUrl ?? '').trim() || DEFAULT_BASE_URL).replace(/\/+$/, '').replace(/\/getdata$/i, '');
}

/** What to fix when the answer is not SMSGateway24's (the node's transport names the Base URL too). */
export const BASE_URL_FIX = "Check the credential's Base URL: https://smsgateway24.com, or your server's address, ending before /getdata.";

/**
 * Whom a login token was issued to: the email and the server. n8n keeps a hidden field's value
 * when the credential is edited, so after the email (another account) or the Base URL was changed
 * the stored token still belonged to the old one, and the node went on sending with it (from the
 * old account) for as long as that token lived. The token is stored with this; the node logs in
 * again when the credential no longer matches it (see the node's transport).
 */
export function loginIdentity(credentials: ICredentialDataDecryptedObject): string {
	return `${String(credentials.email ?? '').trim().toLowerCase()} at ${serverAddress(credentials)}`;
}

function statusOf(error: unknown): number | undefined {
	const status = (error as { response?: { status?: unknown } } | null)?.response?.status;
	return typeof status === 'number' ? status : undefined;
}

function tokenOf(credentials: ICredentialDataDecryptedObject): string {
	return String((credentials.authMethod === 'token' ? credentials.apiToken : credentials.sessionToken) ?? '');
}

function isFormData(body: unknown): body is FormData {
	return typeof FormData !== 'undefined' && body instanceof FormData;
}

export class SmsGateway24Api implements ICredentialType {
	name = 'smsGateway24Api';

	displayName = 'SMSGateway24 API';

	icon: Icon = { light: 'file:../nodes/SmsGateway/smsGateway.svg', dark: 'file:../nodes/SmsGateway/smsGateway.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-sms-gateway/n8n-nodes-sms-gateway#smsgateway24-api';

	properties: INodeProperties[] = [
		{
			// Shown as a box above the fields: where to find the values (descriptions only show on hover).
			displayName: 'Sign in with the email and password of your smsgateway24.com account: the node fetches the API token and renews it when it expires. Or choose Token From the Panel and paste the token from the SMSGateway24 panel (your profile → API).',
			name: 'setupNotice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'Sign In With',
			name: 'authMethod',
			type: 'options',
			options: [
				{
					name: 'Email and Password',
					value: 'emailPassword',
					description: 'The node logs in and renews the token by itself',
				},
				{
					name: 'Token From the Panel',
					value: 'token',
					description: 'A token copied from the SMSGateway24 web panel',
				},
			],
			default: 'emailPassword',
		},
		{
			displayName: 'Email',
			name: 'email',
			type: 'string',
			placeholder: 'name@email.com',
			default: '',
			required: true,
			description: 'The email address you sign in to smsgateway24.com with',
			displayOptions: { show: { authMethod: ['emailPassword'] } },
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'Your smsgateway24.com password. It is only sent to the login method; later calls use the token it returns.',
			displayOptions: { show: { authMethod: ['emailPassword'] } },
		},
		{
			displayName: 'Token',
			name: 'apiToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'In the SMSGateway24 panel: your profile → API → token. If it is revoked, paste the new one here.',
			displayOptions: { show: { authMethod: ['token'] } },
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: DEFAULT_BASE_URL,
			description: 'Leave as it is for smsgateway24.com. Change it only for a self-hosted server or a test simulator; it ends before /getdata (a /getdata at the end is ignored).',
		},
		// Filled by preAuthentication with the token from the login; n8n stores it encrypted. When
		// the API refuses it, the node hands n8n a copy with it emptied, and n8n logs in again and
		// stores the new one (see the node's transport).
		{
			displayName: 'Session Token',
			name: 'sessionToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
		// Filled with the token: whom it was issued to (loginIdentity).
		{
			displayName: 'Signed In As',
			name: 'signedInAs',
			type: 'hidden',
			default: '',
		},
	];

	async preAuthentication(
		this: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
	): Promise<{ sessionToken: string; signedInAs?: string }> {
		if (credentials.authMethod === 'token') {
			// Nothing to log in to; keep the field filled so n8n does not call this before every request.
			// signedInAs is emptied with it: n8n keeps the other hidden fields, and the identity of an
			// earlier login left beside a panel token (another account's, perhaps) would make the node
			// take that token for the email's after a switch back to Email and Password.
			return { sessionToken: String(credentials.apiToken ?? ''), signedInAs: '' };
		}
		let answer: unknown;
		try {
			answer = (await this.helpers.httpRequest({
				method: 'POST',
				url: `${serverAddress(credentials)}/getdata/gettoken`,
				headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
				body: { email: credentials.email, pass: credentials.password },
			})) as unknown;
		} catch (error) {
			// No login method at this address: the Base URL is wrong, whatever the email and password.
			if (statusOf(error) === 404) throw new Error(`SMSGateway24 login failed: no login method at this address (HTTP 404). ${BASE_URL_FIX}`);
			throw error;
		}
		const parsed = typeof answer === 'string' ? safeJson(answer) : answer;
		const result = (parsed ?? {}) as { error?: unknown; message?: unknown; token?: unknown };
		if (String(result.error) !== '0' || typeof result.token !== 'string' || result.token === '') {
			// Only SMSGateway24's own refusal (its error flag with a message) is about the login; an
			// HTML page or another service's answer means the request went to the wrong address.
			const refused = result.error !== undefined && String(result.error) !== '0' && typeof result.message === 'string' && result.message !== '';
			if (!refused) throw new Error(`SMSGateway24 login failed: the answer did not come from SMSGateway24. ${BASE_URL_FIX}`);
			throw new Error(`SMSGateway24 login failed: ${String(result.message)}. Check the credential's email and password.`);
		}
		return { sessionToken: result.token, signedInAs: loginIdentity(credentials) };
	}

	// SMSGateway24 takes the token as a field of every request, so it goes where the request's
	// fields are: the form body, a multipart body (image sends) or the query string.
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const token = tokenOf(credentials);
		if (isFormData(requestOptions.body)) {
			requestOptions.body.set('token', token);
			return requestOptions;
		}
		if ((requestOptions.method ?? 'GET') === 'GET') {
			return { ...requestOptions, qs: { ...requestOptions.qs, token } };
		}
		const body: Record<string, unknown> = { ...((requestOptions.body ?? {}) as Record<string, unknown>), token };
		// Bulk sending (addalotofsms) takes its token inside the JSON text of its one field.
		if (typeof body.datajson === 'string') {
			const data = safeJson(body.datajson);
			if (data && typeof data === 'object') body.datajson = JSON.stringify({ ...data, token });
			return { ...requestOptions, headers: withFormTextType(requestOptions.headers), body: formText(body) };
		}
		return { ...requestOptions, body };
	}

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{(String($credentials.baseUrl || "").trim() || "https://smsgateway24.com").replace(/\\/+$/, "").replace(/\\/getdata$/i, "")}}',
			url: '/getdata/getalldevices',
			method: 'POST',
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
		},
		// n8n's tester reads both kinds of rule from one list (responseCode when the request failed with a
		// status, responseSuccessBody on an answer); n8n-workflow's type only lists one kind per list.
		rules: [
			// No such method at this address (n8n reads this rule when the request fails with the status).
			{ type: 'responseCode', properties: { value: 404, message: `No SMSGateway24 API at this address (HTTP 404). ${BASE_URL_FIX}` } },
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'error',
					value: 1,
					message: 'SMSGateway24 refused the credential. Check the email and password, or paste a fresh token.',
				},
			},
			// The rule compares strictly, and the API writes the flag as a number or a string.
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'error',
					value: '1',
					message: 'SMSGateway24 refused the credential. Check the email and password, or paste a fresh token.',
				},
			},
		] as Array<IAuthenticateRuleResponseCode | IAuthenticateRuleResponseSuccessBody> as IAuthenticateRuleResponseSuccessBody[],
	};
}

/**
 * A bulk request's datajson is about 100 KB. Left as an object, it is encoded by axios through
 * Node's URLSearchParams (JavaScript: ~17 ms the first time in a process, 2–3 ms after); V8's
 * built-in encodeURIComponent does it in ~0.4 ms. The charset in the type matters: n8n turns a
 * body whose type is exactly "application/x-www-form-urlencoded" back into URLSearchParams.
 */
const FORM_TEXT_TYPE = 'application/x-www-form-urlencoded; charset=utf-8';

function formText(fields: Record<string, unknown>): string {
	return Object.entries(fields)
		.filter(([, value]) => value !== undefined && value !== null)
		.map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`)
		.join('&');
}

function withFormTextType(headers: IHttpRequestOptions['headers']): IHttpRequestOptions['headers'] {
	const others = Object.fromEntries(Object.entries(headers ?? {}).filter(([name]) => name.toLowerCase() !== 'content-type'));
	return { ...others, 'Content-Type': FORM_TEXT_TYPE };
}

function safeJson(text: string): unknown {
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return undefined;
	}
}
