import { sleep, type ICredentialDataDecryptedObject, type IDataObject, type IExecuteFunctions, type IHookFunctions, type IHttpRequestOptions, type ILoadOptionsFunctions, type IN8nHttpFullResponse, type IPollFunctions, type IWebhookFunctions, type NodeApiError, type Failure } from 'n8n-workflow';
import { apiError, asAnswer, headerValue, retryAfterSeconds, type ProviderAnswer } from './http';
import type { Throttle } from './rateLimit';
import { redact } from './redact';
import { MAX_ATTEMPTS, retryDelayMs, transportReason, waitBeforeRetry, wasNeverSent, worthRetrying } from './retry';

/**
 * The HTTP side every provider shares: n8n's authenticated request helper (so n8n applies the
 * credential, proxies and its own re-login on 401), retries only where nothing can be sent twice,
 * waiting out "accepted, ask again later" answers, and errors that carry no credential value.
 * What an answer means (envelopes, error flags, codes) is each provider's business.
 */

export type ProviderContext = IExecuteFunctions | ILoadOptionsFunctions | IPollFunctions | IHookFunctions | IWebhookFunctions;

export interface ProviderCall {
	/** The provider's name as users know it, for messages ("SMSGateway24"). */
	provider: string;
	/** What was asked, for messages ("addsms", "send"). */
	action: string;
	credentialType: string;
	request: IHttpRequestOptions;
	itemIndex?: number;
	/** Credential values to keep out of every message and answer. */
	secrets: string[];
	/** Credentials to use instead of the stored ones (n8n then logs in again when a token is emptied). */
	credentials?: { id: string; name: string; type: string; data: ICredentialDataDecryptedObject };
	/** What may already have happened when an answer is lost mid-request ("the message may already have gone out"). */
	whenLost?: string;
	/** Where to look before trying again after a lost answer; the provider's message list by default. */
	checkFirst?: string;
	/**
	 * How long to keep asking again while the provider answers 202 with Retry-After ("still
	 * working"); 0 (default) returns the 202 to the caller.
	 */
	acceptedWaitMs?: number;
	/**
	 * Paces the requests to a provider's rate limit (see rateLimit.ts). Every attempt, retries
	 * after a 429 included, waits for its turn and reports its answer back.
	 */
	throttle?: Throttle;
	/**
	 * How many times a request that cannot have been acted on (refused connection, 429) is tried;
	 * MAX_ATTEMPTS by default. 1 for a request that is only worth one try (a check before sending).
	 */
	maxAttempts?: number;
}

/**
 * When a poll has to be done (epoch ms), by its context. n8n 2.x gives a poll a time budget and
 * abandons a poll that outlasts it, calling that "temporarily unavailable" (5 seconds' back-off)
 * however long the provider asked to be left alone; n8n 1.x has no budget. A retry whose wait
 * would end past the deadline is not made: the poll fails at once with the provider's answer, and
 * the error says how long it asked to wait (http.ts, failureOf), which n8n 2.x's poll scheduler
 * waits out. The next poll comes anyway; a poll asleep for minutes only held that up.
 */
const pollDeadlines = new WeakMap<object, number>();

export function setPollDeadline(ctx: IPollFunctions, deadline: number | undefined): void {
	if (deadline === undefined) pollDeadlines.delete(ctx);
	else pollDeadlines.set(ctx, deadline);
}

/** Errors in doubt, with the call's own advice on what to check first (ProviderCall.checkFirst). */
const inDoubt = new WeakMap<object, { checkFirst?: string }>();

/** Marks an error after which the provider may or may not have acted (the answer was lost). */
function markInDoubt<E extends object>(error: E, call: ProviderCall): E {
	inDoubt.set(error, { checkFirst: call.checkFirst });
	return error;
}

/** Whether the request behind this error may have been carried out although it failed. */
export function isInDoubt(error: unknown): boolean {
	return typeof error === 'object' && error !== null && inDoubt.has(error);
}

/** What to check before doing it again, where the call said (a newsletter: the panel's list). */
export function inDoubtCheckFirst(error: unknown): string | undefined {
	return typeof error === 'object' && error !== null ? inDoubt.get(error)?.checkFirst : undefined;
}

/**
 * An answer the node cannot read (empty, HTML, cut-off JSON, unexpected shape). When it came with a
 * success status the provider has most likely acted on the request, so the error says so and is
 * marked in doubt: a retry must not send again.
 */
export function unreadableAnswer(ctx: ProviderContext, call: ProviderCall, status: number, what: string, hint: string, answer?: IDataObject): NodeApiError {
	const processed = status >= 200 && status < 300;
	const error = failure(
		ctx,
		call,
		`${call.provider} answered "${call.action}" with ${what}`,
		processed
			? `The provider answered with success (HTTP ${status}) but the answer cannot be read, so ${call.whenLost ?? 'it may have acted on the request'}. ${call.checkFirst ?? 'Check the provider’s message list before sending again.'} ${hint}`
			: hint,
		{ httpCode: status, answer },
	);
	return processed ? markInDoubt(error, call) : error;
}

/**
 * A "202 Accepted" the node stops waiting on (no Retry-After to wait by, or the wait ran out): the
 * provider took the request and may still carry it out, so the error is marked in doubt and a
 * retry does not send again.
 */
export function acceptedWithoutResult(ctx: ProviderContext, call: ProviderCall, answer: ProviderAnswer, hint: string): NodeApiError {
	const waited = headerValue(answer, 'retry-after') !== undefined && (call.acceptedWaitMs ?? 0) > 0;
	return markInDoubt(failure(
		ctx,
		call,
		waited
			? `${call.provider} was still working on "${call.action}" after ${Math.round((call.acceptedWaitMs ?? 0) / 1000)} s`
			: `${call.provider} accepted "${call.action}" (HTTP 202) without a result`,
		`The request was accepted, so ${call.whenLost ?? 'the provider may still carry it out'}. ${hint}`,
		{ httpCode: 202 },
	), call);
}

export interface FailureDetails {
	/** The provider's HTTP answer the error is about: its status and Retry-After go with the error. */
	response?: ProviderAnswer;
	httpCode?: number;
	/** What the provider said (its parsed body), shown to the user without credential values. */
	answer?: IDataObject;
	/** Why it failed, where the status does not say (see failureOf in http.ts). */
	cause?: Failure['cause'];
}

export function failure(ctx: ProviderContext, call: ProviderCall, message: string, description: string, extra: FailureDetails = {}): NodeApiError {
	const seconds = extra.response ? retryAfterSeconds(extra.response) : undefined;
	return apiError(ctx.getNode(), {
		message: redact(message, call.secrets),
		description: redact(description, call.secrets),
		httpCode: extra.httpCode ?? extra.response?.status,
		itemIndex: call.itemIndex,
		providerAnswer: extra.answer ? redact(extra.answer, call.secrets) : undefined,
		retryAfterMs: seconds === undefined ? undefined : seconds * 1000,
		cause: extra.cause,
	});
}

export async function callProvider(ctx: ProviderContext, call: ProviderCall): Promise<ProviderAnswer> {
	const request: IHttpRequestOptions = { ...call.request, returnFullResponse: true, ignoreHttpStatusErrors: true };
	const additional = call.credentials ? { credentialsDecrypted: call.credentials } : undefined;
	const waitUntil = Date.now() + (call.acceptedWaitMs ?? 0);
	const maxAttempts = call.maxAttempts ?? MAX_ATTEMPTS;
	const deadline = pollDeadlines.get(ctx);
	const mayWait = (ms: number) => deadline === undefined || Date.now() + ms < deadline;
	for (let attempt = 1; ; attempt++) {
		let answer: ProviderAnswer;
		const release = await call.throttle?.take();
		try {
			const response = (await ctx.helpers.httpRequestWithAuthentication.call(ctx, call.credentialType, request, additional)) as IN8nHttpFullResponse;
			answer = asAnswer(response);
			release?.(answer);
		} catch (error) {
			release?.();
			if (worthRetrying(error) && attempt < maxAttempts && mayWait(retryDelayMs(attempt))) {
				await waitBeforeRetry(attempt);
				continue;
			}
			const reason = transportReason(error);
			if (wasNeverSent(error)) {
				throw failure(
					ctx,
					call,
					`${call.provider} could not be reached for "${call.action}": ${reason}`,
					"Nothing was sent. Check the credential's Base URL and that the server is reachable from n8n.",
					{ cause: 'temporarily-unavailable' },
				);
			}
			// A timeout or a connection dropped mid-request: the provider may have acted on it.
			throw markInDoubt(failure(
				ctx,
				call,
				`${call.provider} gave no answer to "${call.action}": ${reason}`,
				`The connection broke while the request was under way, so ${call.whenLost ?? 'the provider may already have acted on it'}. ${call.checkFirst ?? 'Check the provider’s message list (Message → Get Many where offered) before sending again.'}`,
				{ cause: 'temporarily-unavailable' },
			), call);
		}
		if (answer.status === 429 && attempt < maxAttempts && mayWait(retryDelayMs(attempt, retryAfterSeconds(answer)))) {
			// The provider refused without processing: waiting and asking again cannot duplicate.
			await waitBeforeRetry(attempt, retryAfterSeconds(answer));
			continue;
		}
		if (answer.status === 202 && headerValue(answer, 'retry-after') !== undefined && Date.now() < waitUntil) {
			const seconds = retryAfterSeconds(answer) ?? 1;
			await sleep(Math.min(seconds * 1000, Math.max(0, waitUntil - Date.now())));
			attempt = 0; // waiting on a long-running answer is not a failed attempt
			continue;
		}
		return answer;
	}
}
