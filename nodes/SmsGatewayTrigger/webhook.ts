import { NodeOperationError, type IDataObject, type IWebhookFunctions, type IWebhookResponseData } from 'n8n-workflow';
import { firstSightings } from '../SmsGateway/shared/dedup';
import { InvalidInputError } from '../SmsGateway/shared/errors';
import { isObject, matchesEvents, type TriggerEvent } from '../SmsGateway/shared/events';
import { checkBasicAuth, checkHeaderSecret, type HeaderValue } from '../SmsGateway/shared/webhookAuth';
import { WEBHOOK_BASIC_CREDENTIAL, WEBHOOK_HEADER_CREDENTIAL } from './descriptions';
import { triggerProvider } from './registry';

/**
 * One webhook request, from the provider's POST to the execution it starts (or not):
 * authentication, body, provider payload, event filter, de-duplication. A request that is refused
 * or starts nothing gets its answer written here and `noWebhookResponse`, so n8n starts no
 * execution; n8n answers accepted events itself ("Workflow was started").
 */

const REALM = 'SMS Gateway Trigger';

/**
 * Provider webhooks are a few hundred bytes. Anything far larger is not one of them, and refusing
 * it before parsing keeps a flood of big bodies from costing memory and executions.
 */
export const MAX_BODY_BYTES = 64 * 1024;

function bodySize(headers: Record<string, HeaderValue>, rawBody: unknown): number {
	if (rawBody instanceof Uint8Array) return rawBody.byteLength;
	if (typeof rawBody === 'string') return rawBody.length;
	const declared = Number(Array.isArray(headers['content-length']) ? headers['content-length'][0] : headers['content-length']);
	return Number.isFinite(declared) ? declared : 0;
}

function answer(ctx: IWebhookFunctions, status: number, body: IDataObject, headers: Record<string, string> = {}): IWebhookResponseData {
	const response = ctx.getResponseObject();
	for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
	response.status(status).json(body);
	return { noWebhookResponse: true };
}

/** The body as JSON: n8n has parsed JSON and form bodies; anything else is read from the raw bytes. */
export function readBody(body: unknown, rawBody: unknown): unknown {
	if (Array.isArray(body) && body.length > 0) return body;
	if (isObject(body) && Object.keys(body).length > 0) return body;
	let source: string | undefined;
	if (typeof body === 'string') source = body;
	else if (rawBody instanceof Uint8Array) source = new TextDecoder().decode(rawBody);
	else if (typeof rawBody === 'string') source = rawBody;
	if (source === undefined || source.trim() === '') return undefined;
	try {
		const parsed = JSON.parse(source.trim()) as unknown;
		return parsed !== null && typeof parsed === 'object' ? parsed : undefined;
	} catch {
		return undefined;
	}
}

async function isAuthorised(ctx: IWebhookFunctions, method: string): Promise<boolean> {
	const headers = ctx.getHeaderData() as Record<string, HeaderValue>;
	if (method === 'headerAuth') {
		const credential = await ctx.getCredentials(WEBHOOK_HEADER_CREDENTIAL);
		return checkHeaderSecret(headers, String(credential.name ?? ''), String(credential.secret ?? ''));
	}
	if (method === 'basicAuth') {
		const credential = await ctx.getCredentials(WEBHOOK_BASIC_CREDENTIAL);
		return checkBasicAuth(headers, String(credential.user ?? ''), String(credential.password ?? ''));
	}
	return true;
}

export async function handleWebhook(ctx: IWebhookFunctions): Promise<IWebhookResponseData> {
	const receivedAt = Date.now();
	const node = ctx.getNode();
	const method = ctx.getNodeParameter('authentication', 'none') as string;

	let authorised: boolean;
	try {
		authorised = await isAuthorised(ctx, method);
	} catch (error) {
		// A missing or unreadable credential is the workflow's fault, not the caller's: refuse, and
		// say so in n8n's log (without any value of it).
		ctx.logger.error(`SMS Gateway Trigger "${node.name}": cannot read its webhook authentication credential (${(error as Error).message})`);
		return answer(ctx, 500, { error: 'The trigger is not set up correctly; see the n8n log.' });
	}
	if (!authorised) {
		ctx.logger.debug(`SMS Gateway Trigger "${node.name}": request refused, authentication failed`);
		return answer(ctx, 401, { error: 'Authorization failed' }, method === 'basicAuth' ? { 'WWW-Authenticate': `Basic realm="${REALM}"` } : {});
	}

	const request = ctx.getRequestObject() as unknown as { rawBody?: unknown };
	if (bodySize(ctx.getHeaderData() as Record<string, HeaderValue>, request.rawBody) > MAX_BODY_BYTES) {
		ctx.logger.debug(`SMS Gateway Trigger "${node.name}": request refused, the body is larger than ${MAX_BODY_BYTES} bytes`);
		return answer(ctx, 413, { error: `The body is larger than ${MAX_BODY_BYTES / 1024} KiB; provider webhooks are far smaller.` });
	}
	const body = readBody(ctx.getBodyData(), request.rawBody);
	if (body === undefined) {
		ctx.logger.debug(`SMS Gateway Trigger "${node.name}": request refused, the body is not JSON`);
		return answer(ctx, 400, { error: 'The body must be a JSON object (a provider webhook payload).' });
	}

	const provider = triggerProvider(ctx.getNodeParameter('provider') as string);
	const options = ctx.getNodeParameter('options', {}) as IDataObject;
	let parsed;
	try {
		parsed = provider.webhook!.parse(body, { receivedAt, options, workflowTimeZone: ctx.getTimezone() });
	} catch (error) {
		if (!(error instanceof InvalidInputError)) throw new NodeOperationError(node, error as Error);
		ctx.logger.error(`SMS Gateway Trigger "${node.name}": ${error.field}: ${error.message}`);
		return answer(ctx, 500, { error: 'The trigger is not set up correctly; see the n8n log.' });
	}
	if ('reason' in parsed) {
		ctx.logger.debug(`SMS Gateway Trigger "${node.name}": request refused, ${parsed.reason}`);
		return answer(ctx, 400, { error: `Not a ${provider.displayName} event: ${parsed.reason}` });
	}

	const selected = ctx.getNodeParameter('events', []) as string[];
	let events: TriggerEvent[] = parsed.events.filter((event) => matchesEvents(event, selected));
	if (events.length === 0) {
		return answer(ctx, 200, { status: 'ignored', message: 'The event is not among the Events this trigger listens for.' });
	}
	// "Listen for test event" answers one request and shows it: repeats must show too.
	if (ctx.getMode() !== 'manual') {
		events = firstSightings(events, { staticData: ctx.getWorkflowStaticData('node'), scope: `${ctx.getWorkflow().id ?? ''}:${node.id}`, now: receivedAt });
		if (events.length === 0) {
			ctx.logger.debug(`SMS Gateway Trigger "${node.name}": duplicate delivery ignored`);
			return answer(ctx, 200, { status: 'duplicate', message: 'This event was received before; the workflow was not started again.' });
		}
	}
	return { workflowData: [ctx.helpers.returnJsonArray(events)] };
}
