import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseBody, readBody } from './body';
import { SAMPLE_FILES, serveSampleFile } from './files';
import { FaultRuleError, faultRuleToJson, validateFaultRule } from './faults';
import type { RequestFilter } from './recorder';
import { writeJson } from './respond';
import type { FaultRule, FaultRuleInput, FieldValue, IncomingInput, RecordedRequest, WebhookDelivery } from './types';

/** What the control endpoints need from the simulator; `Simulator` implements it. */
export interface ControlApi {
	readonly url: string;
	readonly providers: string[];
	requests(filter?: RequestFilter): RecordedRequest[];
	clearRequests(): void;
	reset(provider?: string): void;
	snapshot(provider?: string): unknown;
	advance(steps?: number, provider?: string): void;
	injectIncoming(provider: string, input: IncomingInput): unknown;
	expireTokens(provider?: string, options?: { includePanelToken?: boolean }): void;
	setMessageStatus(provider: string, messageId: string, status: number | string): unknown;
	addFault(rule: FaultRuleInput): FaultRule;
	faults(): FaultRule[];
	clearFaults(): void;
	removeFault(id: number): boolean;
	configureWebhooks(provider: string, config: Record<string, unknown>): unknown;
	webhookConfig(): Record<string, unknown>;
	webhookDeliveries(): WebhookDelivery[];
	clearWebhookDeliveries(): void;
	describeSeed(): Record<string, unknown>;
}

/** Control-endpoint misuse: answered 400 (or the given status) with `{"error": message}`. */
export class ControlError extends Error {
	constructor(
		message: string,
		readonly status = 400,
	) {
		super(message);
	}
}

function optionalString(value: FieldValue | undefined, name: string): string | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	if (typeof value === 'string' || typeof value === 'number') return String(value);
	throw new ControlError(`${name} must be a string`);
}

function optionalInt(value: FieldValue | undefined, name: string): number | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const n = Number(value);
	if (!Number.isInteger(n)) throw new ControlError(`${name} must be an integer`);
	return n;
}

function requireProvider(api: ControlApi, value: FieldValue | undefined): string {
	const name = optionalString(value, 'provider');
	if (!name) throw new ControlError(`provider is required (one of ${api.providers.join(', ')})`);
	if (!api.providers.includes(name)) throw new ControlError(`unknown provider ${name}`, 404);
	return name;
}

function optionalProvider(api: ControlApi, value: FieldValue | undefined): string | undefined {
	return value === undefined || value === null || value === '' ? undefined : requireProvider(api, value);
}

export async function handleControl(api: ControlApi, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
	const method = (req.method ?? 'GET').toUpperCase();
	const route = url.pathname.replace(/^\/__sim\/?/, '').replace(/\/$/, '');
	// Sample files for the examples (e.g. the CSV of examples/bulk-campaign-from-sheet.json).
	const file = /^files\/([^/]+)$/.exec(route);
	if (file && (method === 'GET' || method === 'HEAD')) {
		if (serveSampleFile(res, decodeURIComponent(file[1]), method)) return;
		throw new ControlError(`no sample file ${file[1]} (there is ${Object.keys(SAMPLE_FILES).join(', ')})`, 404);
	}
	const raw = await readBody(req);
	const contentType = req.headers['content-type'] ?? '';
	// Control bodies are JSON (form bodies are accepted too).
	let body: Record<string, FieldValue> = {};
	let list: unknown[] | undefined;
	if (raw.length > 0) {
		// `curl -d '{...}'` labels JSON as a form; a body starting like JSON is read as JSON whatever the label.
		const looksJson = /^\s*[[{]/.test(raw.toString('utf8', 0, Math.min(raw.length, 64)));
		if (contentType === '' || /json|text\/plain/i.test(contentType) || looksJson) {
			let value: unknown;
			try {
				value = JSON.parse(raw.toString('utf8'));
			} catch (err) {
				throw new ControlError(`control body is not valid JSON: ${(err as Error).message}`);
			}
			if (Array.isArray(value)) list = value;
			else if (value && typeof value === 'object') body = value as Record<string, FieldValue>;
			else throw new ControlError('control body must be a JSON object');
		} else {
			const parsed = parseBody(contentType, raw);
			if (parsed.error) throw new ControlError(`control body: ${parsed.error}`);
			body = parsed.body;
		}
	}
	const query: Record<string, FieldValue> = Object.fromEntries(url.searchParams);
	const input: Record<string, FieldValue> = { ...query, ...body };

	const send = (value: unknown, status = 200): void => writeJson(res, status, value);

	switch (`${method} ${route}`) {
		case 'GET ':
		case 'GET health':
			return send({ ok: true, url: api.url, providers: api.providers });
		case 'GET seed':
			return send(api.describeSeed());
		case 'GET requests': {
			const since = optionalInt(input.since, 'since');
			return send(
				api.requests({
					provider: optionalString(input.provider, 'provider'),
					method: optionalString(input.method, 'method'),
					pathIncludes: optionalString(input.pathIncludes, 'pathIncludes'),
					sinceSeq: since,
				}),
			);
		}
		case 'DELETE requests':
			api.clearRequests();
			return send({ ok: true });
		case 'POST reset':
			api.reset(optionalProvider(api, input.provider));
			return send({ ok: true });
		case 'GET state':
			return send(api.snapshot(optionalProvider(api, input.provider)));
		case 'POST advance': {
			const steps = optionalInt(input.steps, 'steps') ?? 1;
			if (steps < 0) throw new ControlError('steps must be >= 0');
			api.advance(steps, optionalProvider(api, input.provider));
			return send({ ok: true, steps });
		}
		case 'POST incoming': {
			const provider = requireProvider(api, input.provider);
			const from = optionalString(input.from, 'from');
			if (!from) throw new ControlError('from is required');
			const deviceId = optionalString(input.deviceId, 'deviceId');
			const message = api.injectIncoming(provider, {
				from,
				body: optionalString(input.body, 'body') ?? '',
				deviceId,
				imageUrl: optionalString(input.imageUrl, 'imageUrl'),
				sim: optionalInt(input.sim, 'sim'),
			});
			return send(message, 201);
		}
		case 'POST expire-tokens':
			api.expireTokens(optionalProvider(api, input.provider), {
				includePanelToken: input.includePanelToken === true || input.includePanelToken === 'true',
			});
			return send({ ok: true });
		case 'POST message-status': {
			const provider = requireProvider(api, input.provider);
			const id = optionalString(input.id, 'id');
			if (!id) throw new ControlError('id is required');
			if (input.status === undefined || input.status === null || input.status === '') throw new ControlError('status is required');
			const status = input.status;
			if (typeof status !== 'string' && typeof status !== 'number') throw new ControlError('status must be a string or number');
			return send(api.setMessageStatus(provider, id, status));
		}
		case 'GET faults':
			return send(api.faults().map(faultRuleToJson));
		case 'POST faults': {
			// One rule or an array of rules (queued in order).
			try {
				if (list) {
					// Validate the whole list first so a bad rule does not leave half of them installed.
					const rules = list.map((r) => validateFaultRule(r));
					return send(rules.map((r) => faultRuleToJson(api.addFault(r))), 201);
				}
				return send(faultRuleToJson(api.addFault(body as unknown as FaultRuleInput)), 201);
			} catch (err) {
				if (err instanceof FaultRuleError) throw new ControlError(err.message);
				throw err;
			}
		}
		case 'DELETE faults':
			api.clearFaults();
			return send({ ok: true });
		case 'GET webhooks':
			return send({ config: api.webhookConfig(), deliveries: api.webhookDeliveries() });
		case 'POST webhooks': {
			const provider = requireProvider(api, input.provider);
			const config: Record<string, unknown> = { ...body };
			delete config.provider;
			return send(api.configureWebhooks(provider, config));
		}
		case 'DELETE webhooks':
			api.clearWebhookDeliveries();
			return send({ ok: true });
		default: {
			const faultId = /^faults\/(\d+)$/.exec(route);
			if (faultId && method === 'DELETE') {
				if (!api.removeFault(Number(faultId[1]))) throw new ControlError(`no fault rule ${faultId[1]}`, 404);
				return send({ ok: true });
			}
			throw new ControlError(`no control endpoint ${method} /__sim/${route}`, 404);
		}
	}
}
