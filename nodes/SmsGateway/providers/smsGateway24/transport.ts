import type { ICredentialDataDecryptedObject, IDataObject, IHttpRequestOptions } from 'n8n-workflow';
import type { z, ZodTypeAny } from 'zod';
import { describeBody, httpStatusAdvice, parseJsonBody } from '../../shared/http';
import { redact, secretValues } from '../../shared/redact';
import { callProvider, failure, unreadableAnswer, type ProviderCall, type ProviderContext } from '../../shared/transport';
import { DEVICE_FIX } from './fields';
import { envelope } from './schemas';
import { BASE_URL_FIX, loginIdentity, serverAddress } from '../../../../credentials/SmsGateway24Api.credentials';

export const CREDENTIAL_TYPE = 'smsGateway24Api';
const PROVIDER = 'SMSGateway24';

export type SmsGateway24Context = ProviderContext;

/** What a lost answer may mean, for the methods that send. */
const LOST: Record<string, string> = {
	addsms: 'the message may already have gone out',
	addalotofsms: 'the messages of this batch may already have gone out',
	savepaket: 'the newsletter may already have been created',
	savecontact: 'the contact may already have been created',
	savetag: 'the tag may already have been created',
};

/** Where to look for what a lost answer may have created (these are not in the message list). */
const CHECK_FIRST: Record<string, string> = {
	savepaket: 'Check the newsletters in the SMSGateway24 panel before creating it again.',
	savecontact: 'Check the contacts in the SMSGateway24 panel before creating it again.',
	savetag: 'Check the tags in the SMSGateway24 panel before creating it again.',
};

export interface CallOptions {
	itemIndex?: number;
	/** A multipart body (image attachments); the token is added to it by the credential. */
	formData?: FormData;
	/** Give up after this long (n8n's default otherwise). */
	timeoutMs?: number;
	/** Tries when the connection is refused or the answer is 429 (see callProvider); default: the shared retries. */
	maxAttempts?: number;
}

/** The API answers HTTP 200 with error 1 for failures; this tells an expired or revoked token apart. */
export function isAuthFailure(message: string): boolean {
	return /token|unauthori[sz]ed|not logged|auth/i.test(message);
}

/** Words of an answer about the email and password (the login), not the request's values. */
const LOGIN_WORDS = /login|password|e-?mail/i;

function isCredentialRefusal(message: string): boolean {
	return LOGIN_WORDS.test(message) || isAuthFailure(message);
}

function isFailure(body: z.infer<typeof envelope>): boolean {
	return body.error !== undefined && String(body.error) !== '0' && body.error !== false;
}

/** Advice for an error message the API returned, so the user knows which field to fix. */
export function adviceFor(message: string): string {
	if (LOGIN_WORDS.test(message)) return "Check the credential's email and password.";
	if (isAuthFailure(message)) {
		return 'The token was refused. With email and password the node logs in again by itself; a pasted token must be replaced with a fresh one from the SMSGateway24 panel.';
	}
	if (/device/i.test(message)) return `Check the Device. ${DEVICE_FIX}`;
	if (/tag/i.test(message)) return 'Check the Tag: use the ID that Tag → Create returned.';
	if (/sim/i.test(message)) return 'Check the SIM Slot / Channel: the device must have that slot or app.';
	return 'Check the values sent in this item against the SMSGateway24 documentation.';
}

/** Logins under way, by the credentials object n8n writes their token into. */
const loggingIn = new WeakMap<ICredentialDataDecryptedObject, Promise<void>>();

/**
 * Calls one SMSGateway24 method and returns its answer checked against `schema`.
 * Every failure becomes an error that names the method, says what the API said and what to do,
 * and contains no credential value.
 */
export async function callSmsGateway24<S extends ZodTypeAny>(
	ctx: SmsGateway24Context,
	method: string,
	fields: IDataObject,
	schema: S,
	options: CallOptions = {},
): Promise<z.infer<S>> {
	const { itemIndex } = options;
	const credentials = await ctx.getCredentials(CREDENTIAL_TYPE, itemIndex);
	// The same address the credential logs in at and tests: its default when the field is empty, and
	// without a /getdata at the end (the API's documents write https://smsgateway24.com/getdata/<method>).
	const baseUrl = serverAddress(credentials);
	const request: IHttpRequestOptions = options.formData
		? { method: 'POST', url: `${baseUrl}/getdata/${method}`, headers: { Accept: 'application/json' }, body: options.formData }
		: {
				method: 'POST',
				url: `${baseUrl}/getdata/${method}`,
				headers: { Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded' },
				body: fields,
			};
	if (options.timeoutMs !== undefined) request.timeout = options.timeoutMs;
	const call: ProviderCall = {
		provider: PROVIDER,
		action: method,
		credentialType: CREDENTIAL_TYPE,
		request,
		itemIndex,
		secrets: secretValues([credentials.password, credentials.apiToken, credentials.sessionToken]),
		whenLost: LOST[method] ?? 'SMSGateway24 may already have acted on it',
		checkFirst: CHECK_FIRST[method],
		maxAttempts: options.maxAttempts,
	};
	const reference = ctx.getNode().credentials?.[CREDENTIAL_TYPE];
	const handTo = (data: ICredentialDataDecryptedObject): void => {
		call.credentials = { id: reference?.id ?? '', name: reference?.name ?? '', type: CREDENTIAL_TYPE, data };
	};
	// With email and password, n8n logs in (preAuthentication) when no token is stored, and writes
	// the new token into the credentials it was handed. Handed ours, the token is known here: it is
	// hidden like the others in anything this call quotes (an error page echoing the request showed
	// it), and a bulk send's later requests (one shared credentials object, shared/parameters.ts)
	// go out with it instead of logging in again.
	let loggedIn: (() => void) | undefined;
	if (credentials.authMethod !== 'token') {
		// A token stored for another email or server (the credential was edited: n8n keeps hidden
		// fields) is not this credential's: it is emptied so that the login below runs first.
		if (credentials.sessionToken && credentials.signedInAs !== loginIdentity(credentials)) credentials.sessionToken = '';
		handTo(credentials);
		// Requests that start together (a bulk send's batches) without a token would each log in,
		// each token overwriting the last in the shared object: one logs in, the others wait for
		// its token.
		for (let pending = loggingIn.get(credentials); !credentials.sessionToken && pending; pending = loggingIn.get(credentials)) await pending;
		if (!credentials.sessionToken) loggingIn.set(credentials, new Promise<void>((resolve) => (loggedIn = resolve)));
	}

	let refreshed: ICredentialDataDecryptedObject | undefined;
	for (;;) {
		const answer = await callProvider(ctx, call)
			.catch((error: Error) => {
				throw /login or password|login failed/i.test(error.message)
					? failure(
							ctx,
							call,
							`${PROVIDER} login failed: ${error.message.replace(/^.*login failed:\s*/i, '')}`,
							// The login's answer was not SMSGateway24's (the credential says so): the address is wrong.
							/Base URL/.test(error.message) ? BASE_URL_FIX : "Check the credential's email and password.",
							{ cause: /Base URL/.test(error.message) ? 'configuration-invalid' : 'credential-invalid' },
						)
					: error;
			})
			.finally(() => {
				if (!loggedIn) return;
				loggingIn.delete(credentials);
				loggedIn();
				loggedIn = undefined;
			});
		// After a re-login, the new token is in the copy handed for it.
		if (refreshed?.sessionToken) Object.assign(credentials, { sessionToken: refreshed.sessionToken, signedInAs: refreshed.signedInAs });
		const token = credentials.sessionToken;
		if (typeof token === 'string' && token.length >= 4 && !call.secrets.includes(token)) call.secrets.push(token);

		if (answer.status < 200 || answer.status >= 300) {
			throw failure(ctx, call, `${PROVIDER} answered "${method}" with HTTP ${answer.status} (${describeBody(answer.body, call.secrets)})`, httpStatusAdvice(answer.status), {
				response: answer,
			});
		}
		const body = parseJsonBody(answer.body);
		if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) {
			throw unreadableAnswer(
				ctx,
				call,
				answer.status,
				`${describeBody(answer.body, call.secrets)} instead of JSON`,
				"Check the credential's Base URL (it should end before /getdata). If it is right, the provider may be having problems: try again later.",
			);
		}
		const head = envelope.safeParse(body);
		if (head.success && isFailure(head.data)) {
			const providerMessage = head.data.message ?? 'no message';
			// An expired token comes back inside an HTTP 200, so n8n's own re-login (on 401) never
			// fires. Handing n8n the credentials with the stored token emptied makes it run the login
			// (preAuthentication) again and save the new token — once.
			if (isAuthFailure(providerMessage) && credentials.authMethod !== 'token' && refreshed === undefined) {
				// A copy, so that requests running alongside do not see the emptied token.
				refreshed = { ...credentials, sessionToken: '' };
				handTo(refreshed);
				continue;
			}
			throw failure(ctx, call, `${PROVIDER} refused "${method}": ${providerMessage}`, adviceFor(providerMessage), {
				answer: body as IDataObject,
				// A refused login or token comes inside an HTTP 200: only the words say it is the credential.
				cause: isCredentialRefusal(providerMessage) ? 'credential-invalid' : undefined,
			});
		}
		const parsed = schema.safeParse(body);
		if (!parsed.success) {
			const issue = parsed.error.issues[0];
			throw unreadableAnswer(
				ctx,
				call,
				answer.status,
				`an answer of an unexpected shape (${issue.path.join('.') || 'answer'}: ${issue.message})`,
				'The API may have changed. The raw answer is attached; please report it to the package maintainers.',
				body as IDataObject,
			);
		}
		return redact(parsed.data, call.secrets);
	}
}
