/**
 * The SMS gateway simulator: one loopback HTTP server emulating every provider in `providers/index.ts`,
 * plus a control API under `/__sim/` and an HTML overview at `/`. Dev/test tool only; never shipped.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BodyTooLargeError, parseBody, parseQueryString, readBody } from './core/body';
import { ControlError, handleControl, type ControlApi } from './core/control';
import { FaultInjector, buildFaultResponse } from './core/faults';
import { renderPage } from './core/html';
import { RequestRecorder, type RequestFilter } from './core/recorder';
import { writeHtml, writeJson, writeProviderResponse } from './core/respond';
import { WebhookSender } from './core/webhooks';
import type {
	FaultRule,
	FaultRuleInput,
	IncomingInput,
	ProviderContext,
	ProviderFactory,
	ProviderInstance,
	ProviderRequest,
	ProviderResponse,
	RecordedRequest,
} from './core/types';
import { providerFactories } from './providers';
import type { SmsGateway24Seed } from './providers/smsgateway24';

export type { FaultRule, FaultRuleInput, RecordedRequest, WebhookDelivery } from './core/types';
export type { RequestFilter } from './core/recorder';

export interface SimulatorOptions {
	/** 0 (default) picks a free port. */
	port?: number;
	host?: string;
	/** Time for a message to move one status step by itself; 0 (default) = only on `advance`. */
	statusStepMs?: number;
	/** Fixed delay before every provider answer (benchmarks). */
	latencyMs?: number;
	/** Cap for list endpoints; default Infinity (return everything). */
	maxListSize?: number;
	/** Per-provider seed overrides, keyed by provider name. */
	seed?: { smsgateway24?: Partial<SmsGateway24Seed>; [provider: string]: unknown };
	/** Give-up time for outgoing webhook POSTs. */
	webhookTimeoutMs?: number;
	/** Meta-refresh interval of the HTML page; 0 disables. */
	htmlRefreshSeconds?: number;
	/** How many provider requests the log keeps. */
	requestLogLimit?: number;
	/** Replaces the registered providers (mainly for testing the machinery itself). */
	providers?: ProviderFactory[];
}

export interface Simulator extends ControlApi {
	readonly url: string;
	readonly port: number;
	readonly host: string;
	readonly providers: string[];
	/** Live provider state objects keyed by provider name (re-read after `reset()`: reset replaces them). */
	readonly state: Record<string, unknown>;
	close(): Promise<void>;
	provider<T extends ProviderInstance = ProviderInstance>(name: string): T;
	flushWebhooks(): Promise<void>;
}

function delay(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

function headerRecord(req: IncomingMessage): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [k, v] of Object.entries(req.headers)) {
		if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
	}
	return out;
}

const RAW_BODY_LOG_LIMIT = 64 * 1024;

export async function startSimulator(opts: SimulatorOptions = {}): Promise<Simulator> {
	const host = opts.host ?? '127.0.0.1';
	const statusStepMs = opts.statusStepMs ?? 0;
	const latencyMs = opts.latencyMs ?? 0;
	const recorder = new RequestRecorder(opts.requestLogLimit ?? 10_000);
	const faults = new FaultInjector();
	const webhooks = new WebhookSender(opts.webhookTimeoutMs ?? 5000);
	let baseUrl = '';

	const factories = opts.providers ?? providerFactories;
	const instances = new Map<string, ProviderInstance>();
	for (const factory of factories) {
		if (!/^[a-z0-9][a-z0-9-]*$/.test(factory.name) || factory.name.startsWith('__')) {
			throw new Error(`provider name ${factory.name} is not a valid path segment`);
		}
		if (instances.has(factory.name)) throw new Error(`provider ${factory.name} registered twice`);
		const ctx: ProviderContext = {
			baseUrl: () => baseUrl,
			providerUrl: () => `${baseUrl}/${factory.name}`,
			maxListSize: opts.maxListSize ?? Infinity,
			seed: opts.seed?.[factory.name],
			sendWebhook: (request) => webhooks.send(request),
			now: () => Date.now(),
		};
		instances.set(factory.name, factory.create(ctx));
	}

	const pick = (name: string): ProviderInstance => {
		const p = instances.get(name);
		if (!p) throw new ControlError(`unknown provider ${name}`, 404);
		return p;
	};
	const selected = (name?: string): ProviderInstance[] => (name ? [pick(name)] : [...instances.values()]);

	let port = 0;
	let ticker: NodeJS.Timeout | undefined;
	let closed = false;
	const sim: Simulator = {
		get url(): string {
			return baseUrl;
		},
		get port(): number {
			return port;
		},
		host,
		providers: [...instances.keys()],
		get state(): Record<string, unknown> {
			const out: Record<string, unknown> = {};
			for (const [name, p] of instances) out[name] = (p as unknown as { state?: unknown }).state;
			return out;
		},
		provider<T extends ProviderInstance = ProviderInstance>(name: string): T {
			return pick(name) as T;
		},
		requests: (filter?: RequestFilter) => recorder.list(filter),
		clearRequests: () => recorder.clear(),
		reset(provider?: string): void {
			for (const p of selected(provider)) p.reset();
			if (provider) return;
			faults.clear();
			recorder.clear();
			webhooks.clear();
		},
		snapshot(provider?: string): unknown {
			if (provider) return pick(provider).snapshot();
			const out: Record<string, unknown> = {};
			for (const [name, p] of instances) out[name] = p.snapshot();
			return out;
		},
		advance(steps = 1, provider?: string): void {
			for (const p of selected(provider)) p.advance(steps);
		},
		injectIncoming(provider: string, input: IncomingInput): unknown {
			const p = pick(provider);
			if (!p.injectIncoming) throw new ControlError(`${provider} has no inbound messages`);
			try {
				return p.injectIncoming(input);
			} catch (err) {
				throw new ControlError((err as Error).message);
			}
		},
		expireTokens(provider?: string, options: { includePanelToken?: boolean } = {}): void {
			for (const p of selected(provider)) p.expireTokens({ includeStatic: options.includePanelToken === true });
		},
		setMessageStatus(provider: string, messageId: string, status: number | string): unknown {
			const p = pick(provider);
			if (!p.setMessageStatus) throw new ControlError(`${provider} cannot force message statuses`);
			try {
				return p.setMessageStatus(messageId, status);
			} catch (err) {
				throw new ControlError((err as Error).message);
			}
		},
		addFault: (rule: FaultRuleInput): FaultRule => faults.add(rule),
		faults: () => faults.list(),
		clearFaults: () => faults.clear(),
		removeFault: (id: number) => faults.remove(id),
		configureWebhooks(provider: string, config: Record<string, unknown>): unknown {
			const p = pick(provider);
			if (!p.configureWebhooks) throw new ControlError(`${provider} has no webhooks`);
			try {
				return p.configureWebhooks(config);
			} catch (err) {
				throw new ControlError((err as Error).message);
			}
		},
		webhookConfig(): Record<string, unknown> {
			const out: Record<string, unknown> = {};
			for (const [name, p] of instances) if (p.webhookConfig) out[name] = p.webhookConfig();
			return out;
		},
		webhookDeliveries: () => webhooks.list(),
		clearWebhookDeliveries: () => webhooks.clear(),
		flushWebhooks: () => webhooks.flush(),
		describeSeed(): Record<string, unknown> {
			const out: Record<string, unknown> = {};
			for (const [name, p] of instances) out[name] = p.describeSeed();
			return out;
		},
		async close(): Promise<void> {
			if (closed) return;
			closed = true;
			if (ticker) clearInterval(ticker);
			webhooks.abortAll();
			const done = new Promise<void>((resolve) => server.close(() => resolve()));
			// Held (`timeout` fault) and keep-alive sockets would otherwise keep close() waiting forever.
			server.closeAllConnections();
			await done;
		},
	};

	async function handleProvider(
		provider: ProviderInstance,
		req: IncomingMessage,
		res: ServerResponse,
		url: URL,
		subPath: string,
	): Promise<void> {
		const method = (req.method ?? 'GET').toUpperCase();
		const started = Date.now();
		let raw: Buffer;
		try {
			raw = await readBody(req);
		} catch (err) {
			if (err instanceof BodyTooLargeError) {
				writeJson(res, 413, { error: err.message });
				return;
			}
			throw err;
		}
		const contentType = req.headers['content-type'] ?? '';
		const parsed = parseBody(contentType, raw);
		const query = parseQueryString(url.search);
		const headers = headerRecord(req);
		const isMultipart = /^multipart\//i.test(contentType);
		const record: RecordedRequest = {
			seq: recorder.nextSeq(),
			time: new Date(started).toISOString(),
			provider: provider.name,
			method,
			path: url.pathname,
			query,
			headers,
			contentType,
			body: parsed.body,
			rawBody: isMultipart || raw.length === 0 ? undefined : raw.subarray(0, RAW_BODY_LOG_LIMIT).toString('utf8'),
			bodyError: parsed.error,
			files: parsed.files.map((f) => ({ field: f.field, name: f.filename, size: f.data.length, mime: f.mime })),
			response: null,
		};
		recorder.add(record);

		const providerRequest: ProviderRequest = {
			seq: record.seq,
			method,
			path: subPath,
			query,
			body: parsed.body,
			fields: { ...query, ...parsed.body },
			files: parsed.files,
			headers,
			contentType,
			rawBody: raw,
			bodyError: parsed.error,
		};

		const fault = faults.take(provider.name, method, `${url.pathname}${url.search}`);
		if (fault) record.fault = { id: fault.id, kind: fault.kind, afterProcessing: fault.afterProcessing === true };

		const process = async (): Promise<ProviderResponse> => {
			try {
				return await provider.handle(providerRequest);
			} catch (err) {
				// A simulator bug must be loud, not look like a provider answer.
				return { status: 500, json: { simulatorError: (err as Error).message } };
			}
		};
		const answer = (response: ProviderResponse): void => {
			if (res.destroyed || res.writableEnded) return;
			record.response = writeProviderResponse(res, response, () => {
				record.durationMs = Date.now() - started;
			});
		};

		if (!fault) {
			// The latency is the provider's whole time to answer, its own work included: the answer
			// leaves `latencyMs` after the request arrived (later only if the work takes longer). A
			// delay in front of the work added the simulator's own processing to every request (storing
			// three batches of 500 messages at once took it 20–50 ms more), time a benchmark's floor of
			// requests × latency does not count and a real provider's latency already holds.
			const response = await process();
			const remaining = latencyMs - (Date.now() - started);
			if (remaining > 0) await delay(remaining);
			answer(response);
			return;
		}
		if (latencyMs > 0) await delay(latencyMs);
		const processed = fault.afterProcessing ? await process() : undefined;
		switch (fault.kind) {
			case 'latency':
				await delay(fault.latencyMs ?? 1000);
				answer(processed ?? (await process()));
				return;
			case 'timeout':
				// Hold the socket: the client's own timeout fires, or close() tears it down.
				return;
			case 'drop':
				req.socket.destroy();
				return;
			default:
				answer(buildFaultResponse(fault, () => provider.authErrorResponse(), processed, raw.toString('utf8')));
		}
	}

	async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const url = new URL(req.url ?? '/', 'http://simulator.invalid');
		const path = url.pathname;
		if (path === '/__sim' || path.startsWith('/__sim/')) {
			await handleControl(sim, req, res, url);
			return;
		}
		if (path === '/' || path === '/index.html') {
			const refresh = url.searchParams.get('refresh');
			writeHtml(
				res,
				200,
				renderPage({
					providers: [...instances.values()],
					requests: recorder.list(),
					faults: faults.list(),
					webhooks: webhooks.list(),
					refreshSeconds: refresh !== null ? Number(refresh) || 0 : (opts.htmlRefreshSeconds ?? 3),
				}),
			);
			return;
		}
		if (path === '/favicon.ico') {
			res.writeHead(204).end();
			return;
		}
		const segment = path.split('/')[1] ?? '';
		const provider = instances.get(segment);
		if (!provider) {
			writeJson(res, 404, { error: `no provider or endpoint at ${path}`, providers: [...instances.keys()] });
			return;
		}
		const subPath = path.slice(segment.length + 1) || '/';
		const method = (req.method ?? 'GET').toUpperCase();
		if ((method === 'GET' || method === 'HEAD') && provider.serveStatic) {
			const file = provider.serveStatic(subPath);
			if (file) {
				writeProviderResponse(res, file);
				return;
			}
		}
		await handleProvider(provider, req, res, url, subPath);
	}

	const server: Server = createServer((req, res) => {
		onRequest(req, res).catch((err: Error) => {
			if (res.headersSent) {
				res.destroy();
				return;
			}
			if (err instanceof ControlError) writeJson(res, err.status, { error: err.message });
			else if (err instanceof BodyTooLargeError) writeJson(res, 413, { error: err.message });
			else writeJson(res, 500, { error: `simulator error: ${err.message}` });
		});
	});

	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(opts.port ?? 0, host, () => {
			server.off('error', reject);
			resolve();
		});
	});
	port = (server.address() as AddressInfo).port;
	// A wildcard address is not something a client can dial; advertise loopback instead.
	const publicHost = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
	baseUrl = `http://${publicHost.includes(':') ? `[${publicHost}]` : publicHost}:${port}`;

	if (statusStepMs > 0) {
		// Tick faster than one step so each message moves close to its own schedule, not a global beat.
		const tickMs = Math.max(10, Math.min(500, Math.floor(statusStepMs / 4)));
		ticker = setInterval(() => {
			const now = Date.now();
			for (const p of instances.values()) p.advanceDue(now, statusStepMs);
		}, tickMs);
		ticker.unref();
	}

	return sim;
}
