import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IN8nHttpFullResponse,
	IPollFunctions,
} from 'n8n-workflow';
import type { z, ZodTypeAny } from 'zod';
import {
	apiError,
	asAnswer,
	describeBody,
	httpStatusAdvice,
	parseJsonBody,
	retryAfterSeconds,
	type ProviderAnswer,
} from '../../shared/http';
import { redact, secretValues } from '../../shared/redact';
import { MAX_ATTEMPTS, waitBeforeRetry, wasNeverSent } from '../../shared/retry';
import { envelope } from './schemas';

export const CREDENTIAL_TYPE = 'smsGateway24Api';
const PROVIDER = 'SMSGateway24';

export type SmsGateway24Context = IExecuteFunctions | ILoadOptionsFunctions | IPollFunctions | IHookFunctions;

export interface CallOptions {
	itemIndex?: number;
	/** A multipart body (image attachments); the token is added to it by the credential. */
	formData?: FormData;
}

/** The API answers HTTP 200 with error 1 for failures; this tells an expired or revoked token apart. */
export function isAuthFailure(message: string): boolean {
	return /token|unauthori[sz]ed|not logged|auth/i.test(message);
}

function isFailure(body: z.infer<typeof envelope>): boolean {
	return body.error !== undefined && String(body.error) !== '0' && body.error !== false;
}

/** Advice for an error message the API returned, so the user knows which field to fix. */
export function adviceFor(message: string): string {
	if (/login|password|e-?mail/i.test(message)) return "Check the credential's email and password.";
	if (isAuthFailure(message)) return 'The token was refused. With email and password the node logs in again by itself; a pasted token must be replaced with a fresh one from the SMSGateway24 panel.';
	if (/device/i.test(message)) return 'Check the Device: pick it from the list, or use Device → Get Many to see the IDs of this account.';
	// The API cannot list tags, so there is no list to pick from: the ID comes from Tag → Create.
	if (/tag/i.test(message)) return 'Check the Tag ID: SMSGateway24 cannot list tags, so use an ID that Tag → Create returned (create the tag first if needed).';
	if (/sim/i.test(message)) return 'Check the SIM Slot / Channel: the device must have that slot or app.';
	return 'Check the values sent in this item against the SMSGateway24 documentation.';
}

/** Methods that put messages out: losing their answer means a message may be out already. */
const SENDING_METHODS: Record<string, string> = {
	addsms: 'the message',
	smstosend: 'the message',
	addalotofsms: 'the messages of this batch',
};

function uncertainOutcomeAdvice(method: string): string {
	const what = SENDING_METHODS[method];
	if (what) {
		return `The connection broke after the request was sent, so SMSGateway24 may have accepted it: ${what} may already have gone out. Check Message → Get Many before sending again, or the recipients may be texted twice.`;
	}
	return 'The connection broke after the request was sent, so SMSGateway24 may or may not have carried it out. Check the account before trying again.';
}

async function send(
	ctx: SmsGateway24Context,
	request: IHttpRequestOptions,
	credentials: ICredentialDataDecryptedObject,
	fresh: boolean,
): Promise<ProviderAnswer> {
	const node = ctx.getNode();
	const reference = node.credentials?.[CREDENTIAL_TYPE];
	// An expired token comes back inside an HTTP 200, so n8n's own re-login (on 401) never fires.
	// Emptying the stored token in the credentials handed to n8n makes it run the login again
	// (preAuthentication) and save the new token, exactly once.
	const additional = fresh
		? {
				credentialsDecrypted: {
					id: reference?.id ?? '',
					name: reference?.name ?? '',
					type: CREDENTIAL_TYPE,
					data: credentials,
				},
			}
		: undefined;
	const response = (await ctx.helpers.httpRequestWithAuthentication.call(
		ctx,
		CREDENTIAL_TYPE,
		request,
		additional,
	)) as IN8nHttpFullResponse;
	return asAnswer(response);
}

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
	const node = ctx.getNode();
	const { itemIndex } = options;
	const credentials = await ctx.getCredentials(CREDENTIAL_TYPE, itemIndex);
	const secrets = secretValues([credentials.password, credentials.apiToken, credentials.sessionToken]);
	const baseUrl = String(credentials.baseUrl ?? '').replace(/\/+$/, '');
	const request: IHttpRequestOptions = {
		method: 'POST',
		url: `${baseUrl}/getdata/${method}`,
		headers: { Accept: 'application/json' },
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
	};
	if (options.formData) {
		request.body = options.formData;
	} else {
		request.body = fields;
		request.headers = { ...request.headers, 'Content-Type': 'application/x-www-form-urlencoded' };
	}

	const fail = (message: string, description: string, extra: { httpCode?: number; answer?: IDataObject } = {}) =>
		apiError(node, {
			message: redact(message, secrets),
			description: redact(description, secrets),
			httpCode: extra.httpCode,
			itemIndex,
			providerAnswer: extra.answer ? redact(extra.answer, secrets) : undefined,
		});

	let refreshed: ICredentialDataDecryptedObject | undefined;
	for (let attempt = 1; ; attempt++) {
		let answer: ProviderAnswer;
		try {
			answer = await send(ctx, request, refreshed ?? credentials, refreshed !== undefined);
		} catch (error) {
			if (refreshed?.sessionToken) secrets.push(String(refreshed.sessionToken));
			if (wasNeverSent(error) && attempt < MAX_ATTEMPTS) {
				await waitBeforeRetry(attempt);
				continue;
			}
			const reason = error instanceof Error ? error.message : String(error);
			if (/login or password|login failed/i.test(reason)) {
				throw fail(`${PROVIDER} login failed: ${reason}`, "Check the credential's email and password.");
			}
			if (wasNeverSent(error)) {
				throw fail(
					`${PROVIDER} could not be reached for "${method}": ${reason}`,
					"Check the credential's Base URL and that the server is reachable from n8n.",
				);
			}
			// The request went out and no answer came back (dropped connection, timeout): the provider
			// may have acted on it, so the error must not say it was never reached.
			throw fail(`${PROVIDER} gave no answer to "${method}": ${reason}`, uncertainOutcomeAdvice(method));
		}
		if (refreshed?.sessionToken) secrets.push(String(refreshed.sessionToken));

		if (answer.status === 429 && attempt < MAX_ATTEMPTS) {
			await waitBeforeRetry(attempt, retryAfterSeconds(answer));
			continue;
		}
		if (answer.status < 200 || answer.status >= 300) {
			throw fail(
				`${PROVIDER} answered "${method}" with HTTP ${answer.status} (${describeBody(answer.body)})`,
				httpStatusAdvice(answer.status),
				{ httpCode: answer.status },
			);
		}

		const body = parseJsonBody(answer.body);
		if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) {
			throw fail(
				`${PROVIDER} answered "${method}" with ${describeBody(answer.body)} instead of JSON`,
				"Check the credential's Base URL (it should end before /getdata). If it is right, the provider may be having problems: try again later.",
				{ httpCode: answer.status },
			);
		}
		const head = envelope.safeParse(body);
		if (head.success && isFailure(head.data)) {
			const providerMessage = head.data.message ?? 'no message';
			const canLogInAgain = credentials.authMethod !== 'token' && refreshed === undefined;
			if (isAuthFailure(providerMessage) && canLogInAgain) {
				refreshed = { ...credentials, sessionToken: '' };
				continue;
			}
			throw fail(`${PROVIDER} refused "${method}": ${providerMessage}`, adviceFor(providerMessage), {
				answer: body as IDataObject,
			});
		}
		const parsed = schema.safeParse(body);
		if (!parsed.success) {
			const issue = parsed.error.issues[0];
			throw fail(
				`${PROVIDER} answered "${method}" in an unexpected shape (${issue.path.join('.') || 'answer'}: ${issue.message})`,
				'The API may have changed. The raw answer is attached; please report it to the package maintainers.',
				{ answer: body as IDataObject },
			);
		}
		return redact(parsed.data, secrets);
	}
}
