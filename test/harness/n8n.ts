/**
 * A small stand-in for the part of n8n that runs one node: parameters resolved with n8n-workflow's
 * own default/display logic, credentials with preAuthentication and authenticate applied as n8n
 * does, and real HTTP through axios (which n8n's request helper uses underneath).
 *
 * It exists so that integration tests can drive the node against the simulator in milliseconds.
 * It is not the proof that the package works in n8n: the e2e suite (test/e2e) runs the packed
 * package inside real n8n releases for that.
 */
import axios, { type AxiosRequestConfig } from 'axios';
import {
	NodeApiError,
	NodeHelpers,
	type ICredentialDataDecryptedObject,
	type ICredentialType,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestOptions,
	type INode,
	type INodeExecutionData,
	type INodeParameters,
	type INodeType,
	type JsonObject,
} from 'n8n-workflow';

export interface CredentialStore {
	[type: string]: ICredentialDataDecryptedObject;
}

export interface RunOptions {
	nodeType: INodeType;
	credentialTypes: ICredentialType[];
	/** The node's parameters; a function gives per-item values (what expressions do in n8n). */
	parameters: INodeParameters | ((itemIndex: number) => INodeParameters);
	items?: IDataObject[];
	binaries?: Array<Record<string, { data: Buffer; mimeType: string; fileName: string }> | undefined>;
	credentials: CredentialStore;
	/** The id n8n gives each credential (by type); `cred-<type>` when not given. Another id is another saved credential. */
	credentialIds?: Record<string, string>;
	continueOnFail?: boolean;
	timezone?: string;
	staticData?: IDataObject;
	executionId?: string;
	/** How long a request may take when the node sets no timeout (n8n's default is minutes). */
	httpTimeoutMs?: number;
	/**
	 * Runs the node as a tool of this AI agent: n8n hands each tool call the agent's execute data
	 * (n8n-core's makeHandleToolInvocation), the same for every call of one agent run.
	 */
	calledByAgent?: string;
	/**
	 * Runs the node as the Tool form n8n makes of it (type `…smsGatewayTool`), called the way AI Agent 3
	 * calls tools on n8n 2.40 and 1.123: each call is a run of the tool node of its own (run index
	 * `call`), with its own execute data whose source is the agent's run.
	 */
	toolCall?: { agent: string; call: number; agentRun?: number };
	/** The node's Settings → On Error. */
	onError?: INode['onError'];
	/**
	 * The node's Settings → Retry On Fail, run as n8n-core's WorkflowExecute runs it (2.40 and
	 * 1.123): the node again, in the same execution with the same input, up to `maxTries` runs in
	 * all (2–5, default 3), while it throws **or returns with an error item first** (its first
	 * output item has `json.error`, as Continue On Fail and the error output make). The result is
	 * the last try's. No wait between tries here (n8n waits Wait Between Tries, 0–5 s).
	 */
	retryOnFail?: { maxTries?: number };
}

export interface RunResult {
	items: INodeExecutionData[];
	error?: Error;
	/** How many times the node ran (more than 1 only with retryOnFail). */
	tries: number;
	/** Every line the node logged, to check that no secret leaks into logs. */
	logs: string[];
}

function evaluate(expression: string, credentials: ICredentialDataDecryptedObject): unknown {
	const direct = /^\$credentials\.(\w+)$/.exec(expression.trim());
	if (direct) return credentials[direct[1]];
	// Good enough for the expressions credentials use (string methods, ternaries over $credentials).
	return new Function('$credentials', `return (${expression});`)(credentials) as unknown;
}

/** Resolves a credential expression as n8n does: "={{ … }}" alone, or "=text {{ … }} text". */
function resolveCredentialExpression(value: unknown, credentials: ICredentialDataDecryptedObject): unknown {
	if (typeof value !== 'string' || !value.startsWith('=')) return value;
	const template = value.slice(1);
	const whole = /^\{\{([\s\S]*)\}\}$/.exec(template);
	if (whole && !whole[1].includes('}}')) return evaluate(whole[1], credentials);
	return template.replace(/\{\{([\s\S]*?)\}\}/g, (_match, expression: string) => String(evaluate(expression, credentials) ?? ''));
}

function hasExpirableField(type: ICredentialType): string | undefined {
	return type.properties.find((property) => property.type === 'hidden' && property.typeOptions?.expirable)?.name;
}

function toAxios(options: IHttpRequestOptions, defaultTimeoutMs = 10000): AxiosRequestConfig {
	const headers = { ...(options.headers as Record<string, string>) };
	const contentType = Object.entries(headers).find(([key]) => key.toLowerCase() === 'content-type')?.[1];
	let data: unknown = options.body;
	if (contentType?.includes('application/x-www-form-urlencoded') && data && typeof data === 'object' && !(data instanceof URLSearchParams)) {
		data = new URLSearchParams(
			Object.entries(data as Record<string, unknown>)
				.filter(([, entry]) => entry !== undefined)
				.map(([key, entry]) => [key, String(entry)] as [string, string]),
		).toString();
	}
	return {
		url: options.url,
		baseURL: options.baseURL,
		method: options.method ?? 'GET',
		params: options.qs,
		headers,
		data,
		timeout: options.timeout ?? defaultTimeoutMs,
		// As n8n: without ignoreHttpStatusErrors an answer outside 2xx is an error (preAuthentication's login).
		validateStatus: options.ignoreHttpStatusErrors ? () => true : (status) => status >= 200 && status < 300,
		responseType: options.encoding === 'arraybuffer' ? 'arraybuffer' : 'json',
		transitional: { silentJSONParsing: true, forcedJSONParsing: true },
	};
}

async function performRequest(options: IHttpRequestOptions, defaultTimeoutMs?: number): Promise<unknown> {
	const response = await axios.request(toAxios(options, defaultTimeoutMs));
	if (options.returnFullResponse) {
		return { body: response.data, headers: response.headers, statusCode: response.status, statusMessage: response.statusText };
	}
	return response.data;
}

let executionCounter = 0;

export async function runNode(options: RunOptions): Promise<RunResult> {
	const description = options.nodeType.description;
	const items: INodeExecutionData[] = (options.items ?? [{}]).map((json, index) => ({
		json,
		binary: options.binaries?.[index] as INodeExecutionData['binary'],
	}));
	const logs: string[] = [];
	const credentialTypes = new Map(options.credentialTypes.map((type) => [type.name, type]));
	const parametersFor = (itemIndex: number) =>
		typeof options.parameters === 'function' ? options.parameters(itemIndex) : options.parameters;
	const node: INode = {
		id: 'node-under-test',
		name: 'SMS Gateway',
		type: `n8n-nodes-sms-gateway.${description.name}${options.toolCall ? 'Tool' : ''}`,
		typeVersion: 1,
		position: [0, 0],
		parameters: parametersFor(0),
		...(options.onError ? { onError: options.onError } : {}),
		...(options.retryOnFail ? { retryOnFail: true, maxTries: options.retryOnFail.maxTries ?? 3 } : {}),
		credentials: Object.fromEntries(Object.keys(options.credentials).map((type) => [type, { id: options.credentialIds?.[type] ?? `cred-${type}`, name: `Test ${type}` }])),
	};
	const staticData = options.staticData ?? {};
	// Every run is its own execution unless a test repeats one (as n8n's Retry On Fail does).
	const executionId = options.executionId ?? `test-execution-${++executionCounter}`;

	const cache = new Map<number, INodeParameters>();
	const resolved = (itemIndex: number): INodeParameters => {
		let parameters = cache.get(itemIndex);
		if (!parameters) {
			parameters = NodeHelpers.getNodeParameters(description.properties, parametersFor(itemIndex), true, false, node, description) ?? {};
			cache.set(itemIndex, parameters);
		}
		return parameters;
	};

	const preAuthenticate = async (typeName: string, data: ICredentialDataDecryptedObject, expired: boolean) => {
		const type = credentialTypes.get(typeName);
		const field = type && hasExpirableField(type);
		if (!type?.preAuthentication || !field) return;
		if (!expired && data[field]) return;
		const update = await type.preAuthentication.call({ helpers: { httpRequest: performRequest } } as never, data);
		if (update) {
			Object.assign(data, update);
			// n8n saves the refreshed value with the credential.
			Object.assign(options.credentials[typeName], update);
		}
	};

	const authenticate = async (typeName: string, data: ICredentialDataDecryptedObject, request: IHttpRequestOptions) => {
		const type = credentialTypes.get(typeName);
		const auth = type?.authenticate;
		if (!auth) return request;
		if (typeof auth === 'function') return await auth(data, { ...request });
		const next: IDataObject = { ...request };
		for (const [where, values] of Object.entries(auth.properties)) {
			const target = { ...((next[where] as IDataObject) ?? {}) };
			for (const [key, value] of Object.entries(values as IDataObject)) target[key] = resolveCredentialExpression(value, data) as string;
			next[where] = target;
		}
		return next as unknown as IHttpRequestOptions;
	};

	const context = {
		getInputData: () => items,
		getNode: () => node,
		getNodeParameter(name: string, itemIndex: number, fallback?: unknown, extra?: { extractValue?: boolean; rawExpressions?: boolean }) {
			let value: unknown = resolved(itemIndex);
			for (const part of name.split('.')) value = (value as IDataObject | undefined)?.[part];
			if (value === undefined) {
				if (arguments.length >= 3) return fallback;
				throw new Error(`Could not get parameter "${name}"`);
			}
			// Per-item parameters (a function) stand for expressions, which n8n returns unresolved
			// when asked for the raw value; code that plans per parameter (shared/parameters.ts) then
			// reads them item by item. Fixed parameters are returned as they are.
			if (extra?.rawExpressions) return typeof options.parameters === 'function' ? `={{ test harness: ${name} of item ${itemIndex} }}` : value;
			if (extra?.extractValue && value && typeof value === 'object' && '__rl' in (value as IDataObject)) {
				return (value as IDataObject).value;
			}
			return value;
		},
		getCredentials: async (type: string) => {
			const stored = options.credentials[type];
			if (!stored) throw new Error(`No credentials of type ${type}`);
			return { ...stored };
		},
		continueOnFail: () => options.continueOnFail === true,
		getTimezone: () => options.timezone ?? 'UTC',
		getExecutionId: () => executionId,
		getWorkflowStaticData: () => staticData,
		getExecuteData: () => {
			const { toolCall, calledByAgent } = options;
			if (toolCall) {
				const source = { main: [{ previousNode: toolCall.agent, previousNodeOutput: 0, previousNodeRun: toolCall.agentRun ?? 0 }] };
				return { data: { main: [items] }, node, source, runIndex: toolCall.call };
			}
			if (calledByAgent === undefined) return { data: { main: [items] }, node, source: null };
			return { data: { main: [[{ json: {} }]] }, node: { ...node, name: calledByAgent }, source: { main: [{ previousNode: 'Chat Trigger' }] } };
		},
		getMode: () => 'manual',
		logger: {
			debug: (message: string) => logs.push(message),
			info: (message: string) => logs.push(message),
			warn: (message: string) => logs.push(message),
			error: (message: string) => logs.push(message),
		},
		helpers: {
			httpRequest: performRequest,
			async httpRequestWithAuthentication(
				this: IExecuteFunctions,
				typeName: string,
				request: IHttpRequestOptions,
				additional?: { credentialsDecrypted?: { data?: ICredentialDataDecryptedObject } },
			) {
				const data = additional?.credentialsDecrypted?.data ?? { ...options.credentials[typeName] };
				try {
					await preAuthenticate(typeName, data, false);
					return await performRequest(await authenticate(typeName, data, request), options.httpTimeoutMs);
				} catch (error) {
					if (error instanceof NodeApiError) throw error;
					const status = (error as { response?: { status?: number } }).response?.status;
					if (status === 401) {
						try {
							await preAuthenticate(typeName, data, true);
							return await performRequest(await authenticate(typeName, data, request), options.httpTimeoutMs);
						} catch (retryError) {
							throw new NodeApiError(node, retryError as JsonObject);
						}
					}
					throw new NodeApiError(node, error as JsonObject);
				}
			},
			async getBinaryDataBuffer(itemIndex: number, property: string) {
				const binary = items[itemIndex].binary?.[property] as unknown as { data: Buffer } | undefined;
				if (!binary) throw new Error(`No binary property ${property}`);
				return binary.data;
			},
			assertBinaryData(itemIndex: number, property: string) {
				const binary = items[itemIndex].binary?.[property] as unknown as { mimeType: string; fileName: string } | undefined;
				if (!binary) throw new Error(`This item has no binary field '${property}'`);
				return binary;
			},
		},
	} as unknown as IExecuteFunctions;

	const maxTries = options.retryOnFail ? Math.min(5, Math.max(2, options.retryOnFail.maxTries ?? 3)) : 1;
	for (let tries = 1; ; tries++) {
		let result: RunResult;
		try {
			const output = await options.nodeType.execute!.call(context);
			result = { items: (output as INodeExecutionData[][])[0] ?? [], logs, tries };
		} catch (error) {
			result = { items: [], error: error as Error, logs, tries };
		}
		// n8n 1.123 retries when the first item's `error` is anything but undefined (2.40: also not null or false).
		const failed = result.error !== undefined || result.items[0]?.json.error !== undefined;
		if (!failed || tries >= maxTries) return result;
		cache.clear();
	}
}

/** Runs a list-search method the way the editor does, with the same credentials. */
export async function listSearch(
	options: Omit<RunOptions, 'parameters'> & { parameters: INodeParameters },
	method: string,
	filter?: string,
) {
	let result: unknown;
	const probe: INodeType = {
		description: options.nodeType.description,
		async execute(this: IExecuteFunctions) {
			const search = options.nodeType.methods?.listSearch?.[method];
			result = await search!.call(this as never, filter);
			return [[]];
		},
	};
	const run = await runNode({ ...options, nodeType: probe });
	if (run.error) throw run.error;
	return result as { results: Array<{ name: string; value: string | number }> };
}
