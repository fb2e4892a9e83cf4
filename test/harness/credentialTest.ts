/**
 * A credential's Test button, as n8n runs it for a credential with a `test` request (n8n's
 * credentials-tester: a routing request with the credential, then the `responseSuccessBody` rules
 * on the answer's body; a non-2xx answer without ignoreHttpStatusErrors fails with its status).
 * As n8n 2.x does, a failed request is read by the responseCode rules first (n8n 1.x applies none
 * and shows its stock text). Real HTTP against the simulator, like the node's integration tests. The e2e suite
 * (test/e2e/credentials.e2e.mjs) presses the real button in real n8n releases.
 */
import axios from 'axios';
import type { ICredentialDataDecryptedObject, ICredentialTestRequest, ICredentialType, IHttpRequestOptions } from 'n8n-workflow';

export interface CredentialTestResult {
	status: 'OK' | 'Error';
	message: string;
}

/** Resolves "={{ … }}" against $credentials (the expressions the credentials' tests use). */
function resolve(value: unknown, credentials: ICredentialDataDecryptedObject): unknown {
	if (typeof value !== 'string' || !value.startsWith('=')) return value;
	const whole = /^=\{\{([\s\S]*)\}\}$/.exec(value);
	if (!whole) return value.slice(1);
	return new Function('$credentials', `return (${whole[1]});`)(credentials) as unknown;
}

/** lodash's get for the keys the rules use ("success", "error.code", "errors[0].code"). */
function valueAt(data: unknown, path: string): unknown {
	let value = data;
	for (const part of path.replace(/\[(\d+)\]/g, '.$1').split('.')) {
		if (value === null || typeof value !== 'object') return undefined;
		value = (value as Record<string, unknown>)[part];
	}
	return value;
}

async function send(options: IHttpRequestOptions) {
	const headers = { ...(options.headers as Record<string, string>) };
	const contentType = Object.entries(headers).find(([key]) => key.toLowerCase() === 'content-type')?.[1];
	let data: unknown = options.body;
	if (contentType?.includes('application/x-www-form-urlencoded') && data && typeof data === 'object') {
		data = new URLSearchParams(Object.entries(data as Record<string, unknown>).map(([key, entry]) => [key, String(entry)] as [string, string])).toString();
	}
	return await axios.request({
		baseURL: options.baseURL,
		url: options.url,
		method: options.method ?? 'GET',
		params: options.qs,
		headers,
		data,
		timeout: 10000,
		// As n8n: any status is an answer only with ignoreHttpStatusErrors; otherwise non-2xx throws.
		validateStatus: options.ignoreHttpStatusErrors ? () => true : (status) => status >= 200 && status < 300,
		transitional: { silentJSONParsing: true, forcedJSONParsing: true },
	});
}

export async function testCredential(type: ICredentialType, data: ICredentialDataDecryptedObject): Promise<CredentialTestResult> {
	const credentials = { ...data };
	const test = type.test as ICredentialTestRequest;
	const request: IHttpRequestOptions = { url: '' };
	for (const [key, value] of Object.entries(test.request)) (request as unknown as Record<string, unknown>)[key] = resolve(value, credentials);
	try {
		// n8n runs preAuthentication on every Test, a token stored or not (credentials-helper.js:
		// isTestingCredentials, the tester's temporary noOp node), so a Test checks the email and password.
		const expirable = type.properties.find((property) => property.type === 'hidden' && property.typeOptions?.expirable)?.name;
		if (type.preAuthentication && expirable) {
			Object.assign(credentials, await type.preAuthentication.call({ helpers: { httpRequest: async (options: IHttpRequestOptions) => (await send(options)).data as unknown } } as never, credentials));
		}
		const auth = type.authenticate;
		const authenticated = typeof auth === 'function' ? await auth(credentials, { ...request }) : request;
		if (auth && typeof auth !== 'function') {
			for (const [where, values] of Object.entries(auth.properties)) {
				const target = { ...((authenticated as unknown as Record<string, Record<string, unknown>>)[where] ?? {}) };
				for (const [key, value] of Object.entries(values as Record<string, unknown>)) target[key] = resolve(value, credentials);
				(authenticated as unknown as Record<string, unknown>)[where] = target;
			}
		}
		const response = await send(authenticated);
		for (const rule of test.rules ?? []) {
			if (rule.type === 'responseSuccessBody' && valueAt(response.data, rule.properties.key) === rule.properties.value) {
				return { status: 'Error', message: rule.properties.message };
			}
		}
		return { status: 'OK', message: 'Connection successful!' };
	} catch (error) {
		const response = (error as { response?: { status: number; statusText?: string } }).response;
		if (response) {
			for (const rule of test.rules ?? []) {
				if (rule.type === 'responseCode' && rule.properties.value === response.status) return { status: 'Error', message: rule.properties.message };
			}
			return { status: 'Error', message: response.statusText || `Received HTTP status code: ${response.status}` };
		}
		return { status: 'Error', message: (error as Error).message };
	}
}
