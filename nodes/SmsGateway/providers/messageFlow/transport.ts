import type { IDataObject, IHttpRequestOptions } from 'n8n-workflow';
import { baseUrlOf, describeBody, hasBody, httpStatusAdvice, parseJsonBody } from '../../shared/http';
import { redact, secretValues } from '../../shared/redact';
import { acceptedWithoutResult, callProvider, failure, unreadableAnswer, type ProviderCall, type ProviderContext } from '../../shared/transport';
import { answer as answerSchema, type Answer, type Problem } from './schemas';

export const CREDENTIAL_TYPE = 'messageFlowApi';
const PROVIDER = 'MessageFlow';
/** How long the node waits on "202 Accepted, ask again" answers before giving up. */
const LONG_RUNNING_WAIT_MS = 60_000;

export interface MessageFlowRequest {
	method: 'GET' | 'POST';
	/** After the Base URL, e.g. /v2.1/sms. */
	path: string;
	qs?: IDataObject;
	body?: IDataObject;
	itemIndex?: number;
	/** For messages: what a lost answer may mean. */
	whenLost?: string;
	/** HTTP statuses the caller reads itself (400 with per-number errors, 404 "no results"). */
	passThrough?: number[];
}

export interface MessageFlowAnswer {
	status: number;
	body: Answer;
}

export function problemText(problem: Problem): string {
	const parts = [problem.title, problem.message].filter((part) => typeof part === 'string' && part.trim() !== '');
	const value = problem.meta?.value;
	return `${parts.join(': ') || 'error'}${value !== undefined && value !== null ? ` (${String(value)})` : ''}`;
}

/** Calls MessageFlow and returns the parsed answer; refusals of the keys and broken answers throw. */
export async function callMessageFlow(ctx: ProviderContext, options: MessageFlowRequest): Promise<MessageFlowAnswer> {
	const credentials = await ctx.getCredentials(CREDENTIAL_TYPE, options.itemIndex);
	// The documents write the endpoint with its version (…/v2.1/sms): a Base URL pasted with it works too.
	const baseUrl = baseUrlOf(credentials.baseUrl, 'https://api.messageflow.com').replace(/\/v2\.1$/i, '');
	const request: IHttpRequestOptions = {
		method: options.method,
		url: `${baseUrl}${options.path}`,
		qs: options.qs,
		headers: { Accept: 'application/json' },
		...(options.body ? { body: options.body, json: true } : {}),
	};
	const call: ProviderCall = {
		provider: PROVIDER,
		action: `${options.method} ${options.path}`,
		credentialType: CREDENTIAL_TYPE,
		request,
		itemIndex: options.itemIndex,
		secrets: secretValues([credentials.authKey, credentials.applicationApiKey]),
		whenLost: options.whenLost,
		acceptedWaitMs: LONG_RUNNING_WAIT_MS,
	};
	const answer = await callProvider(ctx, call);
	const parsedBody = parseJsonBody(answer.body);
	const parsed = answerSchema.safeParse(parsedBody ?? {});
	const body: Answer = parsed.success ? parsed.data : {};
	const problems = (body.errors ?? []).map(problemText).join('; ');

	if (answer.status === 401 || answer.status === 403) {
		throw failure(ctx, call, `MessageFlow refused the keys (HTTP ${answer.status})${problems ? `: ${problems}` : ''}`, 'Check the Authorization Key and the Application Key in the credential (Account → API in the MessageFlow panel).', {
			response: answer,
			cause: 'credential-invalid',
		});
	}
	if (answer.status === 202) {
		throw acceptedWithoutResult(ctx, call, answer, 'Look for the messages in Message → Get Many before sending again.');
	}
	// A page of text or HTML (a wrong Base URL's 404) is not MessageFlow's answer, so it does not
	// pass through as "no results" (Get Many returned an empty list for it, without a word). Any
	// JSON, or no body at all, may be MessageFlow's: its 404 body is not published.
	const notMessageFlow = parsedBody === undefined && hasBody(answer.body);
	if (options.passThrough?.includes(answer.status) && !notMessageFlow) return { status: answer.status, body: redact(body, call.secrets) };
	if (answer.status < 200 || answer.status >= 300) {
		throw failure(
			ctx,
			call,
			`MessageFlow answered "${call.action}" with HTTP ${answer.status}${problems ? `: ${problems}` : ` (${describeBody(answer.body, call.secrets)})`}`,
			problems ? 'Check the values of this item against what MessageFlow says above.' : httpStatusAdvice(answer.status),
			{ response: answer, answer: parsedBody as IDataObject },
		);
	}
	if (parsedBody === undefined || !parsed.success) {
		throw unreadableAnswer(
			ctx,
			call,
			answer.status,
			parsedBody === undefined ? describeBody(answer.body, call.secrets) : 'an answer of an unexpected shape',
			"Check the credential's Base URL (it should end before /v2.1). If it is right, MessageFlow may be having problems: try again later.",
			typeof parsedBody === 'object' ? (parsedBody as IDataObject) : undefined,
		);
	}
	return { status: answer.status, body: redact(body, call.secrets) };
}
