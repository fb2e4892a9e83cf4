import type { IDataObject, IHttpRequestOptions } from 'n8n-workflow';
import type { z, ZodTypeAny } from 'zod';
import { baseUrlOf, describeBody, httpStatusAdvice, parseJsonBody } from '../../shared/http';
import { redact, secretValues } from '../../shared/redact';
import { callProvider, failure, unreadableAnswer, type ProviderCall, type ProviderContext } from '../../shared/transport';
import { envelope } from './schemas';

export const CREDENTIAL_TYPE = 'smsBridgeApi';
const PROVIDER = 'SMS Bridge';

export interface BridgeRequest {
	method: 'GET' | 'POST';
	/** After the Base URL, e.g. messages/send.php. */
	path: string;
	qs?: IDataObject;
	body?: IDataObject;
	itemIndex?: number;
	whenLost?: string;
	/** Refusals the caller handles itself (e.g. "not found" for a look-up), by code or by code and HTTP status; returned as `ok: false`. */
	passThrough?: string[] | ((code: string, status: number, message: string) => boolean);
}

export type BridgeAnswer<T> = { ok: true; data: T } | { ok: false; code: string; message: string; details: unknown };

function advice(code: string, status: number): string {
	if (code === 'unauthorized' || status === 401) return 'Check the API key in the credential, and that it was not revoked in the SMS Bridge panel.';
	if (code.startsWith('subscription')) return 'The SMS Bridge subscription does not allow this now: check its limits with Account → Get Subscription.';
	if (code === 'validation_error') return 'Check the values of this item; the details name the field.';
	if (status === 404) return "Check the credential's Base URL (it ends with the API version, e.g. /api/v2) and the ID.";
	return httpStatusAdvice(status);
}

/** Calls SMS Bridge and unwraps its envelope; every failure names the endpoint and what to do. */
export async function callSmsBridge<S extends ZodTypeAny>(ctx: ProviderContext, options: BridgeRequest, schema: S): Promise<BridgeAnswer<z.infer<S>>> {
	const credentials = await ctx.getCredentials(CREDENTIAL_TYPE, options.itemIndex);
	const baseUrl = baseUrlOf(credentials.baseUrl);
	const request: IHttpRequestOptions = {
		method: options.method,
		url: `${baseUrl}/${options.path}`,
		qs: options.qs,
		headers: { Accept: 'application/json' },
		...(options.body ? { body: options.body, json: true } : {}),
	};
	const call: ProviderCall = {
		provider: PROVIDER,
		action: options.path,
		credentialType: CREDENTIAL_TYPE,
		request,
		itemIndex: options.itemIndex,
		secrets: secretValues([credentials.apiKey]),
		whenLost: options.whenLost,
	};
	const answer = await callProvider(ctx, call);
	const body = parseJsonBody(answer.body);
	const parsed = envelope.safeParse(body);
	if (!parsed.success) {
		throw unreadableAnswer(
			ctx,
			call,
			answer.status,
			`HTTP ${answer.status} and ${body === undefined ? describeBody(answer.body, call.secrets) : 'no success flag'}`,
			body === undefined ? "Check the credential's Base URL: it should end with the API version, e.g. https://host/api/v2." : advice('', answer.status),
			typeof body === 'object' ? (body as IDataObject) : undefined,
		);
	}
	if (parsed.data.success) {
		const data = schema.safeParse(parsed.data.data ?? {});
		if (!data.success) {
			// SMS Bridge said it did what was asked: an answer the node cannot read does not undo
			// that, so the error is marked in doubt (a retry does not queue the message again).
			const issue = data.error.issues[0];
			throw unreadableAnswer(
				ctx,
				call,
				answer.status,
				`an unexpected shape (${issue.path.join('.') || 'data'}: ${issue.message})`,
				'The server may run a different version of SMS Bridge. The raw answer is attached; please report it.',
				body as IDataObject,
			);
		}
		return { ok: true, data: redact(data.data, call.secrets) };
	}
	const code = String(parsed.data.error?.code ?? `http_${answer.status}`);
	const message = parsed.data.error?.message ?? 'no message';
	const passed = typeof options.passThrough === 'function' ? options.passThrough(code, answer.status, message) : options.passThrough?.includes(code);
	if (passed) return { ok: false, code, message, details: redact(parsed.data.error?.details, call.secrets) };
	throw failure(ctx, call, `SMS Bridge refused "${options.path}": ${message} (${code})`, advice(code, answer.status), {
		response: answer,
		cause: code === 'unauthorized' ? 'credential-invalid' : undefined,
		answer: body as IDataObject,
	});
}
