import type { ICredentialsDecrypted, ICredentialTestFunctions, INodeCredentialTestResult } from 'n8n-workflow';

/**
 * The Test button of the webhook credentials. There is no provider API to ask, so it checks what
 * can be checked here: a header name HTTP accepts, and a secret long enough not to be guessed.
 */
const MIN_SECRET_LENGTH = 12;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

export async function checkWebhookSecret(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
	const data = credential.data ?? {};
	if ('name' in data || 'secret' in data) {
		const name = String(data.name ?? '').trim();
		if (!HEADER_NAME.test(name)) return { status: 'Error', message: `"${name}" cannot be an HTTP header name: use letters, digits and dashes, e.g. X-Webhook-Secret.` };
		// Authorization is fine (a panel may only let one set that header, e.g. to "Bearer …"); these
		// three are written by the sender's HTTP client itself and cannot carry a secret.
		if (['content-type', 'content-length', 'host'].includes(name.toLowerCase())) {
			return { status: 'Error', message: `${name} is a standard header that the sender's HTTP client writes itself; choose your own name, e.g. X-Webhook-Secret.` };
		}
		// HTTP drops spaces around a header value, and so does the check (shared/webhookAuth.ts).
		if (String(data.secret ?? '').trim().length < MIN_SECRET_LENGTH) {
			return { status: 'Error', message: `The header value is shorter than ${MIN_SECRET_LENGTH} characters: use a long random string.` };
		}
		return { status: 'OK', message: 'The header and its secret are usable. Enter the same in the provider’s panel.' };
	}
	if (String(data.user ?? '').trim() === '') return { status: 'Error', message: 'The user is empty.' };
	// Basic auth sends "user:password" and the receiver splits at the first colon (RFC 7617 forbids
	// one in the user), so a user with a colon never matches what the panel sends.
	if (String(data.user).includes(':')) return { status: 'Error', message: 'The user contains a colon (:), which HTTP basic auth cannot carry in a user name. Choose a user without one.' };
	if (String(data.password ?? '').length < MIN_SECRET_LENGTH) {
		return { status: 'Error', message: `The password is shorter than ${MIN_SECRET_LENGTH} characters: use a long random string.` };
	}
	return { status: 'OK', message: 'The user and password are usable. Enter the same in the provider’s panel.' };
}
