/**
 * A scripted, OpenAI-compatible chat model, mounted at `/openai` (credential Base URL
 * `<simulator>/openai/v1`). It is a test aid, not an SMS provider: it lets n8n's AI Agent with the
 * "OpenAI Chat Model" node call the SMS Gateway tool without a real language model or network.
 *
 * The model "thinks" by rule, deterministically:
 * - last message from the user and tools offered → one call of the first tool whose name or description
 *   mentions SMS, message or send, its arguments filled from the tool's JSON schema and the user's text
 *   (a `+digits` phone number, the text in double quotes);
 * - last message a tool result → a final answer quoting it ("Sent. Provider answered: …", or "Not sent.
 *   Tool answered: …" when the last result is an error);
 * - otherwise → a short text saying what it can do.
 * A test can script the calls instead: a user text with `SIM-TOOL-CALLS [{…}, {…}]` makes the model call
 * the tool with exactly those arguments, one call per tool result (a model correcting itself or trying
 * again), then answer as above.
 *
 * Endpoints (below `/openai`): `GET /v1/models`, `GET /v1/models/<id>`, `POST /v1/chat/completions`
 * (with `stream: true` as server-sent events) and `POST /v1/responses` (OpenAI's Responses API, what
 * n8n's OpenAI Chat Model 1.3 uses when "Use Responses API" is on; also with `stream: true`).
 * Documented in simulator/README.md ("Scripted chat model"); change both together.
 */
import type {
	FieldValue,
	HtmlHelpers,
	ProviderContext,
	ProviderFactory,
	ProviderInstance,
	ProviderRequest,
	ProviderResponse,
} from '../core/types';

export const OPENAI = 'openai';

export interface OpenAiSeed {
	/** The API key clients must send as `Authorization: Bearer <key>`; null accepts any key. */
	apiKey: string | null;
	/** Model ids listed by `GET /v1/models`; any id is accepted for completions. */
	models: string[];
}

export const OPENAI_DEFAULT_SEED: OpenAiSeed = {
	apiKey: 'sim-openai-key-0123456789',
	models: ['sms-simulator-scripted', 'gpt-5-mini', 'gpt-4o-mini'],
};

/** One JSON-schema property of an offered tool, as far as the script reads it. */
interface SchemaProperty {
	type?: string | string[];
	description?: string;
	enum?: unknown[];
	default?: unknown;
	properties?: Record<string, SchemaProperty>;
	items?: SchemaProperty;
	anyOf?: SchemaProperty[];
	oneOf?: SchemaProperty[];
}

/** An offered tool, whatever API it came through. */
export interface OfferedTool {
	name: string;
	description: string;
	parameters: { properties?: Record<string, SchemaProperty>; required?: string[] };
}

/** What the script decided for one request. */
export type ScriptedDecision =
	| { kind: 'toolCall'; callId: string; tool: string; arguments: Record<string, unknown> }
	| { kind: 'text'; text: string };

/** One answered completion, kept for `GET /__sim/state` and the HTML page. */
export interface CompletionRecord {
	id: string;
	requestSeq: number;
	api: 'chat.completions' | 'responses';
	model: string;
	stream: boolean;
	time: string;
	lastRole: string;
	userText: string;
	toolsOffered: string[];
	decision: ScriptedDecision;
}

export interface OpenAiState {
	completions: CompletionRecord[];
	/** Counter behind the deterministic ids (`chatcmpl-sim-1`, `call_sim_1`, …); back to 0 on reset. */
	counter: number;
}

/** A message reduced to what the script needs, from either API's shape. */
interface PlainMessage {
	role: string;
	text: string;
}

const PHONE_WORDS = new Set(['phone', 'phones', 'recipient', 'recipients', 'to', 'number', 'numbers', 'mobile', 'msisdn', 'sendto', 'tel', 'telephone']);
const TEXT_WORDS = new Set(['message', 'text', 'body', 'content', 'sms', 'msg']);
const TOOL_PATTERN = /sms|message|send/i;
const PHONE_PATTERN = /\+\d[\d\s\-()]{4,}\d/;
const MAX_QUOTE = 1500;
/** Marks scripted arguments in the user's text: `SIM-TOOL-CALLS` followed by a JSON array of objects. */
const SCRIPT_MARKER = 'SIM-TOOL-CALLS';

class OpenAiError extends Error {
	constructor(
		readonly status: number,
		message: string,
		readonly type = 'invalid_request_error',
		readonly code: string | null = null,
		readonly param: string | null = null,
	) {
		super(message);
	}
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Words of an identifier: `phoneNumber`, `phone_number`, `phone-number` → phone, number. */
function words(identifier: string): string[] {
	return identifier
		.replace(/([a-z0-9])([A-Z])/g, '$1 $2')
		.toLowerCase()
		.split(/[^a-z0-9]+/)
		.filter(Boolean);
}

/** Text of a message content: a string, or an array of parts (`text`, `input_text`, `output_text`). */
function contentText(content: unknown): string {
	if (typeof content === 'string') return content;
	if (Array.isArray(content)) {
		return content
			.map((part) => {
				if (typeof part === 'string') return part;
				if (isRecord(part) && typeof part.text === 'string') return part.text;
				return '';
			})
			.filter(Boolean)
			.join('\n');
	}
	if (content === null || content === undefined) return '';
	return JSON.stringify(content);
}

function quote(text: string): string {
	const flat = text.replace(/\s+/g, ' ').trim();
	return flat.length > MAX_QUOTE ? `${flat.slice(0, MAX_QUOTE)}…` : flat;
}

/** Rough token count (4 characters a token), only so `usage` has plausible numbers. */
function tokens(text: string): number {
	return Math.max(1, Math.ceil(text.length / 4));
}

function schemaType(schema: SchemaProperty): string {
	const alternatives = schema.anyOf ?? schema.oneOf;
	if (!schema.type && alternatives?.length) {
		const first = alternatives.find((s) => s.type !== 'null') ?? alternatives[0];
		return schemaType(first);
	}
	if (Array.isArray(schema.type)) return schema.type.find((t) => t !== 'null') ?? 'string';
	return schema.type ?? 'string';
}

export function phoneIn(text: string): string | undefined {
	const match = PHONE_PATTERN.exec(text);
	return match ? match[0].replace(/[\s\-()]/g, '') : undefined;
}

/** The text between double quotes ("…", “…”, „…“), else the user's text without the phone number. */
export function quotedTextIn(text: string): string {
	const match = /"([^"]+)"|“([^”]+)”|„([^“”]+)[“”]/.exec(text);
	if (match) return (match[1] ?? match[2] ?? match[3]).trim();
	const rest = text.replace(PHONE_PATTERN, ' ').replace(/\s+/g, ' ').trim();
	return rest || 'Hello from the SMS Gateway simulator';
}

function placeholder(name: string, schema: SchemaProperty): unknown {
	if (schema.default !== undefined) return schema.default;
	if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
	switch (schemaType(schema)) {
		case 'number':
		case 'integer':
			return 0;
		case 'boolean':
			return false;
		case 'array':
			return [];
		case 'object':
			return fillArguments(schema.properties ?? {}, '');
		default:
			return `example ${name}`;
	}
}

/** Fills every property of a tool's schema: from the user's text where obvious, else a placeholder. */
export function fillArguments(properties: Record<string, SchemaProperty>, userText: string): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	for (const [name, schema] of Object.entries(properties)) {
		const nameWords = words(name);
		const description = schema.description ?? '';
		const type = schemaType(schema);
		const isPhone =
			nameWords.some((w) => PHONE_WORDS.has(w)) ||
			(!nameWords.some((w) => TEXT_WORDS.has(w)) && /\b(phone|recipients?|mobile|msisdn)\b/i.test(description));
		const isText = !isPhone && (nameWords.some((w) => TEXT_WORDS.has(w)) || /\b(message|text|body)\b/i.test(description));
		const phone = isPhone ? phoneIn(userText) : undefined;
		if (phone !== undefined && (type === 'string' || type === 'array')) {
			out[name] = type === 'array' ? [phone] : phone;
		} else if (isText && type === 'string') {
			out[name] = quotedTextIn(userText);
		} else {
			out[name] = placeholder(name, schema);
		}
	}
	return out;
}

/**
 * The scripted calls of a user text (`SIM-TOOL-CALLS [{"recipients":"abc","message":""}, …]`), each the
 * arguments of one call; undefined without the marker. A marker without a readable array of objects
 * is an error the model states as its answer, so a test with a typo fails visibly.
 */
export function scriptedCalls(userText: string): Array<Record<string, unknown>> | string | undefined {
	const at = userText.indexOf(SCRIPT_MARKER);
	if (at < 0) return undefined;
	const rest = userText.slice(at + SCRIPT_MARKER.length).trim();
	try {
		const parsed: unknown = JSON.parse(rest);
		if (Array.isArray(parsed) && parsed.length > 0 && parsed.every(isRecord)) return parsed;
	} catch {
		// reported below
	}
	return `${SCRIPT_MARKER} must be followed by a JSON array of argument objects, got: ${quote(rest).slice(0, 200)}`;
}

/**
 * Whether a tool result reports an error: n8n hands the model a failed tool's error as
 * `{"error": …}` or `[{"error": …}]` (a node's error item has the same shape), or as a text
 * starting with "Error".
 */
export function isErrorResult(text: string): boolean {
	if (/^\s*error\b/i.test(text)) return true;
	try {
		const parsed: unknown = JSON.parse(text);
		const entries = Array.isArray(parsed) ? parsed : [parsed];
		return entries.some((entry) => isRecord(entry) && entry.error !== undefined && entry.error !== null && entry.error !== '');
	} catch {
		return false;
	}
}

/**
 * The script. `messages` is the conversation in order; `tools` what the request offers.
 * Exported so the unit test can read the rules without HTTP.
 */
export function decide(messages: PlainMessage[], tools: OfferedTool[], callId: string): ScriptedDecision {
	const last = messages[messages.length - 1];
	if (!last) return { kind: 'text', text: 'The scripted model got no messages.' };
	const tool = tools.find((t) => TOOL_PATTERN.test(t.name) || TOOL_PATTERN.test(t.description));
	if (last.role === 'tool') {
		// Every tool result since the last user message, so a second round still quotes them all.
		const results: string[] = [];
		let userText = '';
		for (let i = messages.length - 1; i >= 0; i--) {
			if (messages[i].role === 'user') {
				userText = messages[i].text;
				break;
			}
			if (messages[i].role === 'tool') results.unshift(messages[i].text);
		}
		const script = scriptedCalls(userText);
		if (Array.isArray(script) && tool && results.length < script.length) {
			return { kind: 'toolCall', callId, tool: tool.name, arguments: script[results.length] };
		}
		const failed = isErrorResult(results[results.length - 1] ?? '');
		return { kind: 'text', text: `${failed ? 'Not sent. Tool answered' : 'Sent. Provider answered'}: ${results.map(quote).join(' | ')}` };
	}
	if (last.role === 'user') {
		const script = scriptedCalls(last.text);
		if (typeof script === 'string') return { kind: 'text', text: script };
		if (tool) {
			return {
				kind: 'toolCall',
				callId,
				tool: tool.name,
				arguments: script ? script[0] : fillArguments(tool.parameters.properties ?? {}, last.text),
			};
		}
		return {
			kind: 'text',
			text:
				tools.length === 0
					? 'I am the SMS Gateway simulator\'s scripted model: connect a tool that sends SMS and ask me to text a +number "a message".'
					: `I am the SMS Gateway simulator's scripted model and none of the offered tools (${tools.map((t) => t.name).join(', ')}) sends messages.`,
		};
	}
	return { kind: 'text', text: `The scripted model has nothing to say to a ${last.role} message.` };
}

function toolsFromChat(raw: unknown): OfferedTool[] {
	if (!Array.isArray(raw)) return [];
	const out: OfferedTool[] = [];
	for (const entry of raw) {
		if (!isRecord(entry)) continue;
		// Chat Completions nests the function; the Responses API puts its members on the tool itself.
		const fn = isRecord(entry.function) ? entry.function : entry;
		if (typeof fn.name !== 'string') continue;
		out.push({
			name: fn.name,
			description: typeof fn.description === 'string' ? fn.description : '',
			parameters: isRecord(fn.parameters) ? (fn.parameters as OfferedTool['parameters']) : {},
		});
	}
	return out;
}

function chatMessages(raw: unknown): PlainMessage[] {
	if (!Array.isArray(raw)) throw new OpenAiError(400, "Missing required parameter: 'messages'.", 'invalid_request_error', null, 'messages');
	return raw.filter(isRecord).map((m) => ({ role: String(m.role ?? ''), text: contentText(m.content) }));
}

/** Responses API `input`: a string (one user message) or items (messages, function calls, their outputs). */
function responsesMessages(input: unknown, instructions: unknown): PlainMessage[] {
	const out: PlainMessage[] = [];
	if (typeof instructions === 'string' && instructions) out.push({ role: 'system', text: instructions });
	if (typeof input === 'string') return [...out, { role: 'user', text: input }];
	if (!Array.isArray(input)) throw new OpenAiError(400, "Missing required parameter: 'input'.", 'invalid_request_error', null, 'input');
	for (const item of input) {
		if (!isRecord(item)) continue;
		if (item.type === 'function_call_output') out.push({ role: 'tool', text: contentText(item.output) });
		else if (item.type === 'function_call') out.push({ role: 'assistant', text: '' });
		else if (typeof item.role === 'string') out.push({ role: item.role, text: contentText(item.content) });
	}
	return out;
}

function sse(events: unknown[], named = false): string {
	const lines = events.map((event) => {
		const data = `data: ${JSON.stringify(event)}\n\n`;
		return named && isRecord(event) && typeof event.type === 'string' ? `event: ${event.type}\n${data}` : data;
	});
	if (!named) lines.push('data: [DONE]\n\n');
	return lines.join('');
}

/** Splits a text into a few pieces, as a streaming model sends it. */
function pieces(text: string, size = 24): string[] {
	const out: string[] = [];
	for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
	return out.length ? out : [''];
}

export class OpenAiProvider implements ProviderInstance {
	readonly name = OPENAI;
	readonly title = 'Scripted chat model (OpenAI-compatible, test aid)';
	state!: OpenAiState;
	readonly seed: OpenAiSeed;

	constructor(private readonly ctx: ProviderContext) {
		this.seed = { ...OPENAI_DEFAULT_SEED, ...((ctx.seed as Partial<OpenAiSeed> | undefined) ?? {}) };
		this.reset();
	}

	reset(): void {
		this.state = { completions: [], counter: 0 };
	}

	handle(request: ProviderRequest): ProviderResponse {
		try {
			this.authorize(request);
			const path = request.path.replace(/\/+$/, '');
			if (path === '/v1/models' && request.method === 'GET') return this.listModels();
			const model = /^\/v1\/models\/([^/]+)$/.exec(path);
			if (model && request.method === 'GET') return this.getModel(decodeURIComponent(model[1]));
			if (path === '/v1/chat/completions' && request.method === 'POST') return this.chatCompletion(request);
			if (path === '/v1/responses' && request.method === 'POST') return this.response(request);
			throw new OpenAiError(404, `Invalid URL (${request.method} ${path || '/'})`);
		} catch (err) {
			if (err instanceof OpenAiError) return this.error(err);
			throw err;
		}
	}

	private error(err: OpenAiError): ProviderResponse {
		return { status: err.status, json: { error: { message: err.message, type: err.type, param: err.param, code: err.code } } };
	}

	private authorize(request: ProviderRequest): void {
		if (this.seed.apiKey === null) return;
		const header = request.headers.authorization ?? '';
		const key = /^Bearer\s+(.+)$/i.exec(header)?.[1]?.trim();
		if (!key) {
			throw new OpenAiError(401, "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).");
		}
		if (key !== this.seed.apiKey) {
			throw new OpenAiError(401, 'Incorrect API key provided. The simulator\'s key is in GET /__sim/seed.', 'invalid_request_error', 'invalid_api_key');
		}
	}

	private modelObject(id: string): Record<string, unknown> {
		return { id, object: 'model', created: 1767225600, owned_by: 'sms-gateway-simulator' };
	}

	private listModels(): ProviderResponse {
		return { status: 200, json: { object: 'list', data: this.seed.models.map((id) => this.modelObject(id)) } };
	}

	private getModel(id: string): ProviderResponse {
		if (!this.seed.models.includes(id)) throw new OpenAiError(404, `The model '${id}' does not exist`, 'invalid_request_error', 'model_not_found', 'model');
		return { status: 200, json: this.modelObject(id) };
	}

	private body(request: ProviderRequest): Record<string, FieldValue> {
		if (request.bodyError) throw new OpenAiError(400, `We could not parse the JSON body of your request. (${request.bodyError})`);
		if (Object.keys(request.body).length === 0 && request.rawBody.length > 0) {
			// A JSON body sent without the JSON content type.
			try {
				const parsed: unknown = JSON.parse(request.rawBody.toString('utf8'));
				if (isRecord(parsed)) return parsed as Record<string, FieldValue>;
			} catch {
				// fall through to the error below
			}
			throw new OpenAiError(400, 'We could not parse the JSON body of your request.');
		}
		return request.body;
	}

	private next(): number {
		this.state.counter += 1;
		return this.state.counter;
	}

	/**
	 * What both APIs do before answering: number the completion, decide (tool call or text) and
	 * record the decision for /__sim/state and the tests.
	 */
	private decideAndRemember(
		request: ProviderRequest,
		api: CompletionRecord['api'],
		idPrefix: string,
		body: { model: string; stream?: unknown },
		messages: PlainMessage[],
		tools: OfferedTool[],
	): { n: number; id: string; decision: ScriptedDecision; stream: boolean } {
		const n = this.next();
		const id = `${idPrefix}${n}`;
		const decision = decide(messages, tools, `call_sim_${n}`);
		const stream = body.stream === true;
		const lastUser = [...messages].reverse().find((m) => m.role === 'user');
		this.state.completions.push({
			id,
			requestSeq: request.seq,
			api,
			model: body.model,
			stream,
			time: new Date(this.ctx.now()).toISOString(),
			lastRole: messages[messages.length - 1]?.role ?? '',
			userText: lastUser?.text ?? '',
			toolsOffered: tools.map((t) => t.name),
			decision,
		});
		if (this.state.completions.length > 500) this.state.completions.shift();
		return { n, id, decision, stream };
	}

	private chatCompletion(request: ProviderRequest): ProviderResponse {
		const body = this.body(request);
		if (typeof body.model !== 'string' || !body.model) throw new OpenAiError(400, "Missing required parameter: 'model'.", 'invalid_request_error', null, 'model');
		const messages = chatMessages(body.messages);
		const tools = toolsFromChat(body.tools);
		const { id, decision, stream } = this.decideAndRemember(request, 'chat.completions', 'chatcmpl-sim-', { model: body.model, stream: body.stream }, messages, tools);

		const created = Math.floor(this.ctx.now() / 1000);
		const promptTokens = tokens(messages.map((m) => m.text).join('\n') + JSON.stringify(body.tools ?? ''));
		const args = decision.kind === 'toolCall' ? JSON.stringify(decision.arguments) : '';
		const completionTokens = tokens(decision.kind === 'toolCall' ? args : decision.text);
		const usage = { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens };
		const finish = decision.kind === 'toolCall' ? 'tool_calls' : 'stop';

		if (!stream) {
			const message =
				decision.kind === 'toolCall'
					? {
							role: 'assistant',
							content: null,
							tool_calls: [{ id: decision.callId, type: 'function', function: { name: decision.tool, arguments: args } }],
							refusal: null,
						}
					: { role: 'assistant', content: decision.text, refusal: null };
			return {
				status: 200,
				json: {
					id,
					object: 'chat.completion',
					created,
					model: body.model,
					choices: [{ index: 0, message, logprobs: null, finish_reason: finish }],
					usage,
					system_fingerprint: 'fp_sms_simulator',
				},
			};
		}

		const chunk = (delta: Record<string, unknown>, finishReason: string | null = null): Record<string, unknown> => ({
			id,
			object: 'chat.completion.chunk',
			created,
			model: body.model,
			system_fingerprint: 'fp_sms_simulator',
			choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
		});
		const events: unknown[] = [chunk({ role: 'assistant', content: decision.kind === 'text' ? '' : null, refusal: null })];
		if (decision.kind === 'toolCall') {
			events.push(chunk({ tool_calls: [{ index: 0, id: decision.callId, type: 'function', function: { name: decision.tool, arguments: '' } }] }));
			for (const piece of pieces(args)) events.push(chunk({ tool_calls: [{ index: 0, function: { arguments: piece } }] }));
		} else {
			for (const piece of pieces(decision.text)) events.push(chunk({ content: piece }));
		}
		events.push(chunk({}, finish));
		const streamOptions = body.stream_options;
		if (isRecord(streamOptions) && streamOptions.include_usage === true) {
			events.push({ id, object: 'chat.completion.chunk', created, model: body.model, choices: [], usage });
		}
		return { status: 200, raw: sse(events), contentType: 'text/event-stream; charset=utf-8', headers: { 'Cache-Control': 'no-cache' } };
	}

	/** OpenAI's Responses API, in the subset n8n's OpenAI Chat Model uses with "Use Responses API". */
	private response(request: ProviderRequest): ProviderResponse {
		const body = this.body(request);
		if (typeof body.model !== 'string' || !body.model) throw new OpenAiError(400, "Missing required parameter: 'model'.", 'invalid_request_error', null, 'model');
		const messages = responsesMessages(body.input, body.instructions);
		const tools = toolsFromChat(Array.isArray(body.tools) ? body.tools.filter((t) => isRecord(t) && t.type === 'function') : []);
		const { n, id, decision, stream } = this.decideAndRemember(request, 'responses', 'resp_sim_', { model: body.model, stream: body.stream }, messages, tools);

		const createdAt = Math.floor(this.ctx.now() / 1000);
		const args = decision.kind === 'toolCall' ? JSON.stringify(decision.arguments) : '';
		const inputTokens = tokens(messages.map((m) => m.text).join('\n') + JSON.stringify(body.tools ?? ''));
		const outputTokens = tokens(decision.kind === 'toolCall' ? args : decision.text);
		const usage = {
			input_tokens: inputTokens,
			input_tokens_details: { cached_tokens: 0 },
			output_tokens: outputTokens,
			output_tokens_details: { reasoning_tokens: 0 },
			total_tokens: inputTokens + outputTokens,
		};
		const item =
			decision.kind === 'toolCall'
				? { type: 'function_call', id: `fc_sim_${n}`, call_id: decision.callId, name: decision.tool, arguments: args, status: 'completed' }
				: {
						type: 'message',
						id: `msg_sim_${n}`,
						role: 'assistant',
						status: 'completed',
						content: [{ type: 'output_text', text: decision.text, annotations: [] }],
					};
		const responseObject = (status: string, output: unknown[], withUsage: boolean): Record<string, unknown> => ({
			id,
			object: 'response',
			created_at: createdAt,
			status,
			model: body.model,
			output,
			parallel_tool_calls: true,
			tool_choice: body.tool_choice ?? 'auto',
			tools: body.tools ?? [],
			usage: withUsage ? usage : null,
			error: null,
			incomplete_details: null,
		});
		if (!stream) return { status: 200, json: responseObject('completed', [item], true) };

		let sequence = 0;
		const event = (type: string, members: Record<string, unknown>): Record<string, unknown> => ({ type, sequence_number: sequence++, ...members });
		const events: unknown[] = [
			event('response.created', { response: responseObject('in_progress', [], false) }),
			event('response.in_progress', { response: responseObject('in_progress', [], false) }),
		];
		if (decision.kind === 'toolCall') {
			events.push(event('response.output_item.added', { output_index: 0, item: { ...item, arguments: '', status: 'in_progress' } }));
			for (const piece of pieces(args)) {
				events.push(event('response.function_call_arguments.delta', { item_id: `fc_sim_${n}`, output_index: 0, delta: piece }));
			}
			events.push(event('response.function_call_arguments.done', { item_id: `fc_sim_${n}`, output_index: 0, arguments: args }));
		} else {
			const itemId = `msg_sim_${n}`;
			events.push(event('response.output_item.added', { output_index: 0, item: { ...item, status: 'in_progress', content: [] } }));
			events.push(event('response.content_part.added', { item_id: itemId, output_index: 0, content_index: 0, part: { type: 'output_text', text: '', annotations: [] } }));
			for (const piece of pieces(decision.text)) {
				events.push(event('response.output_text.delta', { item_id: itemId, output_index: 0, content_index: 0, delta: piece }));
			}
			events.push(event('response.output_text.done', { item_id: itemId, output_index: 0, content_index: 0, text: decision.text }));
			events.push(event('response.content_part.done', { item_id: itemId, output_index: 0, content_index: 0, part: { type: 'output_text', text: decision.text, annotations: [] } }));
		}
		events.push(event('response.output_item.done', { output_index: 0, item }));
		events.push(event('response.completed', { response: responseObject('completed', [item], true) }));
		return { status: 200, raw: sse(events, true), contentType: 'text/event-stream; charset=utf-8', headers: { 'Cache-Control': 'no-cache' } };
	}

	// ---- simulator controls ---------------------------------------------------------------------------

	advance(): void {
		// A model has no message statuses.
	}

	advanceDue(): void {
		// Nothing moves by itself.
	}

	/** The key cannot expire; `includeStatic` has nothing to revoke either. */
	expireTokens(): void {}

	authErrorResponse(): ProviderResponse {
		return this.error(new OpenAiError(401, 'Incorrect API key provided.', 'invalid_request_error', 'invalid_api_key'));
	}

	snapshot(): unknown {
		return { completions: this.state.completions.map((c) => ({ ...c })) };
	}

	describeSeed(): Record<string, unknown> {
		return { baseUrl: `${this.ctx.providerUrl()}/v1`, apiKey: this.seed.apiKey, models: this.seed.models, note: 'scripted test model, not an SMS provider' };
	}

	renderHtml(h: HtmlHelpers): string {
		const rows = [...this.state.completions]
			.reverse()
			.slice(0, 50)
			.map((c) => [
				h.escape(c.id),
				h.escape(`${c.api}${c.stream ? ' (stream)' : ''}`),
				h.escape(c.userText.slice(0, 120)),
				h.escape(c.toolsOffered.join(', ')),
				h.escape(
					c.decision.kind === 'toolCall' ? `call ${c.decision.tool} ${JSON.stringify(c.decision.arguments)}` : c.decision.text.slice(0, 200),
				),
			]);
		return [
			`<p class="muted">A scripted stand-in for a language model (a test aid, not an SMS provider). Base URL <code>${h.escape(this.ctx.providerUrl())}/v1</code>, API key <code>${h.escape(this.seed.apiKey ?? 'any')}</code>.</p>`,
			`<h3>Completions (${this.state.completions.length})</h3>`,
			h.table(['id', 'api', 'user said', 'tools offered', 'answer'], rows),
		].join('\n');
	}
}

export const openAi: ProviderFactory = {
	name: OPENAI,
	create: (ctx) => new OpenAiProvider(ctx),
};
