import { startSimulator, type Simulator } from '../../simulator/server';
import { decide, fillArguments, isErrorResult, scriptedCalls, type CompletionRecord, type OfferedTool } from '../../simulator/providers/openai';

const KEY = 'sim-openai-key-0123456789';

let sim: Simulator;

beforeAll(async () => {
	sim = await startSimulator({ port: 0 });
});
afterAll(async () => {
	await sim.close();
});
beforeEach(() => {
	sim.reset();
});

const SMS_TOOL = {
	type: 'function',
	function: {
		name: 'Send_SMS',
		description: 'Sends one SMS through SMSGateway24.',
		parameters: {
			type: 'object',
			properties: {
				recipients: { type: 'string', description: 'phone number in international form' },
				message: { type: 'string', description: 'the text of the SMS' },
				urgent: { type: 'boolean' },
				customerReference: { type: 'integer', default: 1001 },
				channel: { type: 'string', enum: ['sms', 'whatsapp'] },
			},
			required: ['recipients', 'message'],
		},
	},
};
const WEATHER_TOOL = {
	type: 'function',
	function: { name: 'weather', description: 'Current weather for a city', parameters: { type: 'object', properties: { city: { type: 'string' } } } },
};
const PROMPT = 'Text +49 1575 2982212 "Your table is ready"';

async function post(path: string, body: unknown, key: string | null = KEY): Promise<Response> {
	const headers: Record<string, string> = { 'Content-Type': 'application/json' };
	if (key !== null) headers.Authorization = `Bearer ${key}`;
	return fetch(`${sim.url}/openai/v1${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
}

/** A JSON answer, loosely typed: the tests check its shape member by member. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function readJson(res: Response): Promise<any> {
	return res.json();
}

/** The `data:` payloads of a server-sent event stream, `[DONE]` kept as a string. */
function events(text: string): unknown[] {
	return text
		.split('\n\n')
		.map((block) => block.split('\n').find((line) => line.startsWith('data: ')))
		.filter((line): line is string => line !== undefined)
		.map((line) => line.slice(6))
		.map((data) => (data === '[DONE]' ? data : JSON.parse(data)));
}

describe('scripted chat model (Chat Completions)', () => {
	it('answers a request to text someone with one call of the SMS tool, arguments from the prompt and the schema', async () => {
		const res = await post('/chat/completions', {
			model: 'sms-simulator-scripted',
			messages: [
				{ role: 'system', content: 'You send SMS.' },
				{ role: 'user', content: PROMPT },
			],
			tools: [WEATHER_TOOL, SMS_TOOL],
		});
		expect(res.status).toBe(200);
		const body = await readJson(res);
		expect(body).toMatchObject({ id: 'chatcmpl-sim-1', object: 'chat.completion', model: 'sms-simulator-scripted' });
		expect(body.choices).toHaveLength(1);
		expect(body.choices[0].finish_reason).toBe('tool_calls');
		const calls = body.choices[0].message.tool_calls;
		expect(calls).toHaveLength(1);
		expect(calls[0]).toMatchObject({ id: 'call_sim_1', type: 'function', function: { name: 'Send_SMS' } });
		expect(JSON.parse(calls[0].function.arguments)).toEqual({
			recipients: '+4915752982212',
			message: 'Your table is ready',
			urgent: false,
			customerReference: 1001,
			channel: 'sms',
		});
		expect(body.usage.total_tokens).toBe(body.usage.prompt_tokens + body.usage.completion_tokens);

		const recorded = sim.requests({ provider: 'openai' });
		expect(recorded).toHaveLength(1);
		expect(recorded[0].path).toBe('/openai/v1/chat/completions');
		expect((recorded[0].body.tools as { function: { name: string } }[]).map((t) => t.function.name)).toContain('Send_SMS');
		const state = sim.snapshot('openai') as { completions: CompletionRecord[] };
		expect(state.completions[0]).toMatchObject({ userText: PROMPT, toolsOffered: ['weather', 'Send_SMS'], decision: { kind: 'toolCall' } });
	});

	it('quotes the tool result as its final answer', async () => {
		const toolResult = JSON.stringify([{ messageId: '62807347', recipient: '+4915752982212', status: 'queued' }]);
		const res = await post('/chat/completions', {
			model: 'gpt-5-mini',
			messages: [
				{ role: 'user', content: PROMPT },
				{ role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'Send_SMS', arguments: '{}' } }] },
				{ role: 'tool', tool_call_id: 'call_1', content: toolResult },
			],
			tools: [SMS_TOOL],
		});
		const body = await readJson(res);
		expect(body.choices[0].finish_reason).toBe('stop');
		expect(body.choices[0].message).toMatchObject({ role: 'assistant', content: `Sent. Provider answered: ${toolResult}` });
		expect(body.choices[0].message.tool_calls).toBeUndefined();
	});

	it('makes the scripted calls of SIM-TOOL-CALLS one per tool result, then says the last one failed', async () => {
		const prompt = 'Text my guest SIM-TOOL-CALLS [{"recipients":"abc","message":"Hi"},{"recipients":"+4915752982212","message":""}]';
		const call = (n: number) => ({ id: `call_${n}`, type: 'function', function: { name: 'Send_SMS', arguments: '{}' } });
		const first = await readJson(await post('/chat/completions', { model: 'm', messages: [{ role: 'user', content: prompt }], tools: [SMS_TOOL] }));
		expect(JSON.parse(first.choices[0].message.tool_calls[0].function.arguments)).toEqual({ recipients: 'abc', message: 'Hi' });
		const error1 = JSON.stringify([{ error: 'Recipients: "abc" is not a phone number' }]);
		const conversation = [
			{ role: 'user', content: prompt },
			{ role: 'assistant', content: null, tool_calls: [call(1)] },
			{ role: 'tool', tool_call_id: 'call_1', content: error1 },
		];
		const second = await readJson(await post('/chat/completions', { model: 'm', messages: conversation, tools: [SMS_TOOL] }));
		expect(second.choices[0].finish_reason).toBe('tool_calls');
		expect(JSON.parse(second.choices[0].message.tool_calls[0].function.arguments)).toEqual({ recipients: '+4915752982212', message: '' });
		const error2 = '{"error":"Message: the message is empty","errorType":"NodeOperationError"}';
		const final = await readJson(
			await post('/chat/completions', {
				model: 'm',
				messages: [...conversation, { role: 'assistant', content: null, tool_calls: [call(2)] }, { role: 'tool', tool_call_id: 'call_2', content: error2 }],
				tools: [SMS_TOOL],
			}),
		);
		expect(final.choices[0].finish_reason).toBe('stop');
		expect(final.choices[0].message.content).toBe(`Not sent. Tool answered: ${error1} | ${error2}`);

		const typo = await readJson(await post('/chat/completions', { model: 'm', messages: [{ role: 'user', content: 'SIM-TOOL-CALLS {"a":1}' }], tools: [SMS_TOOL] }));
		expect(typo.choices[0].message.content).toMatch(/^SIM-TOOL-CALLS must be followed by a JSON array/);
	});

	it('answers in text when no tool sends messages, or none is offered', async () => {
		const withWeather = await readJson(await post('/chat/completions', { model: 'm', messages: [{ role: 'user', content: PROMPT }], tools: [WEATHER_TOOL] }));
		expect(withWeather.choices[0].message.content).toMatch(/none of the offered tools \(weather\)/);
		const none = await readJson(await post('/chat/completions', { model: 'm', messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }] }));
		expect(none.choices[0].finish_reason).toBe('stop');
		expect(none.choices[0].message.content).toMatch(/scripted model/);
	});

	it('streams the same answers as server-sent events when asked', async () => {
		const res = await post('/chat/completions', {
			model: 'm',
			stream: true,
			stream_options: { include_usage: true },
			messages: [{ role: 'user', content: PROMPT }],
			tools: [SMS_TOOL],
		});
		expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
		const chunks = events(await res.text());
		expect(chunks[chunks.length - 1]).toBe('[DONE]');
		const data = chunks.slice(0, -1) as { object: string; choices: { delta: Record<string, unknown>; finish_reason: string | null }[]; usage?: unknown }[];
		expect(data.every((c) => c.object === 'chat.completion.chunk')).toBe(true);
		const args = data
			.flatMap((c) => c.choices)
			.flatMap((c) => (c.delta.tool_calls as { function: { arguments?: string } }[] | undefined) ?? [])
			.map((t) => t.function.arguments ?? '')
			.join('');
		expect(JSON.parse(args)).toMatchObject({ recipients: '+4915752982212', message: 'Your table is ready' });
		expect(data.flatMap((c) => c.choices).some((c) => c.finish_reason === 'tool_calls')).toBe(true);
		expect(data[data.length - 1]).toMatchObject({ choices: [], usage: { completion_tokens: expect.any(Number) } });

		const text = await post('/chat/completions', {
			model: 'm',
			stream: true,
			messages: [
				{ role: 'user', content: PROMPT },
				{ role: 'tool', tool_call_id: 'call_1', content: 'ok 1' },
			],
		});
		const content = (events(await text.text()).slice(0, -1) as { choices: { delta: { content?: string } }[] }[])
			.map((c) => c.choices[0]?.delta.content ?? '')
			.join('');
		expect(content).toBe('Sent. Provider answered: ok 1');
	});
});

describe('scripted chat model (Responses API)', () => {
	it('calls the SMS tool, then quotes its output', async () => {
		const tool = { type: 'function', ...SMS_TOOL.function };
		const first = await readJson(
			await post('/responses', {
				model: 'm',
				input: [
					{ type: 'message', role: 'system', content: 'You send SMS.' },
					{ type: 'message', role: 'user', content: PROMPT },
				],
				tools: [tool],
			}),
		);
		expect(first).toMatchObject({ object: 'response', status: 'completed' });
		expect(first.output).toHaveLength(1);
		expect(first.output[0]).toMatchObject({ type: 'function_call', name: 'Send_SMS', call_id: 'call_sim_1' });
		expect(JSON.parse(first.output[0].arguments)).toMatchObject({ recipients: '+4915752982212', message: 'Your table is ready' });

		const second = await readJson(
			await post('/responses', {
				model: 'm',
				input: [
					{ type: 'message', role: 'user', content: PROMPT },
					{ type: 'function_call', call_id: 'call_sim_1', name: 'Send_SMS', arguments: first.output[0].arguments },
					{ type: 'function_call_output', call_id: 'call_sim_1', output: 'queued as 62807347' },
				],
				tools: [tool],
			}),
		);
		expect(second.output[0]).toMatchObject({
			type: 'message',
			role: 'assistant',
			content: [{ type: 'output_text', text: 'Sent. Provider answered: queued as 62807347' }],
		});
	});

	it('makes the scripted calls of SIM-TOOL-CALLS through function_call_output items too', async () => {
		const prompt = 'SIM-TOOL-CALLS [{"recipients":"0157","message":"Hi"},{"recipients":"+4915752982212","message":"Hi"}]';
		const input = [
			{ role: 'user', content: [{ type: 'input_text', text: prompt }] },
			{ type: 'function_call', call_id: 'call_1', name: 'Send_SMS', arguments: '{}' },
			{ type: 'function_call_output', call_id: 'call_1', output: '[{"error":"Recipients: 0157 has no country code"}]' },
		];
		const second = await readJson(await post('/responses', { model: 'm', input, tools: [{ type: 'function', ...SMS_TOOL.function }] }));
		expect(second.output[0]).toMatchObject({ type: 'function_call', name: 'Send_SMS' });
		expect(JSON.parse(second.output[0].arguments)).toEqual({ recipients: '+4915752982212', message: 'Hi' });
		const final = await readJson(
			await post('/responses', {
				model: 'm',
				input: [...input, { type: 'function_call', call_id: 'call_2', name: 'Send_SMS', arguments: '{}' }, { type: 'function_call_output', call_id: 'call_2', output: '[{"messageId":"7"}]' }],
				tools: [{ type: 'function', ...SMS_TOOL.function }],
			}),
		);
		expect(final.output[0].content[0].text).toBe('Sent. Provider answered: [{"error":"Recipients: 0157 has no country code"}] | [{"messageId":"7"}]');
	});

	it('streams named events ending in response.completed', async () => {
		const res = await post('/responses', { model: 'm', stream: true, input: PROMPT, tools: [{ type: 'function', ...SMS_TOOL.function }] });
		const text = await res.text();
		expect(text).toMatch(/^event: response\.created\n/);
		const data = events(text) as { type: string; delta?: string; response?: { output: unknown[] } }[];
		expect(data.map((e) => e.type)).toContain('response.function_call_arguments.delta');
		const args = data.filter((e) => e.type === 'response.function_call_arguments.delta').map((e) => e.delta).join('');
		expect(JSON.parse(args)).toMatchObject({ recipients: '+4915752982212' });
		expect(data[data.length - 1].type).toBe('response.completed');
	});
});

describe('scripted chat model: models and keys', () => {
	it('lists its models and refuses a wrong or missing key with OpenAI’s error shape', async () => {
		const list = await fetch(`${sim.url}/openai/v1/models`, { headers: { Authorization: `Bearer ${KEY}` } });
		expect((await readJson(list)).data.map((m: { id: string }) => m.id)).toContain('sms-simulator-scripted');
		const wrong = await post('/chat/completions', { model: 'm', messages: [] }, 'sk-wrong');
		expect(wrong.status).toBe(401);
		expect((await readJson(wrong)).error).toMatchObject({ type: 'invalid_request_error', code: 'invalid_api_key' });
		expect((await post('/chat/completions', { model: 'm', messages: [] }, null)).status).toBe(401);
		expect((await fetch(`${sim.url}/openai/v1/embeddings`, { method: 'POST', headers: { Authorization: `Bearer ${KEY}` } })).status).toBe(404);
		expect((await post('/chat/completions', { messages: [] })).status).toBe(400);
	});

	it('works with the fault rules like every provider', async () => {
		sim.addFault({ provider: 'openai', pathIncludes: 'chat/completions', kind: 'status', status: 429 });
		expect((await post('/chat/completions', { model: 'm', messages: [{ role: 'user', content: 'x' }] })).status).toBe(429);
		expect((await post('/chat/completions', { model: 'm', messages: [{ role: 'user', content: 'x' }] })).status).toBe(200);
	});
});

describe('the script', () => {
	const tool = (properties: Record<string, unknown>, name = 'send_message', description = ''): OfferedTool => ({
		name,
		description,
		parameters: { properties: properties as OfferedTool['parameters']['properties'] },
	});

	it('reads the phone number and quoted text by property name or description', () => {
		expect(
			fillArguments(
				{
					to: { type: 'string' },
					phoneNumbers: { type: 'array', items: { type: 'string' } },
					body: { type: 'string' },
					who: { type: 'string', description: 'The recipient, e.g. +491234567' },
					what: { type: 'string', description: 'Message text' },
					note: { type: 'string' },
				},
				'Please send “Doors open at 8” to +44 20 7946 0958 today',
			),
		).toEqual({
			to: '+442079460958',
			phoneNumbers: ['+442079460958'],
			body: 'Doors open at 8',
			who: '+442079460958',
			what: 'Doors open at 8',
			note: 'example note',
		});
	});

	it('falls back to the prompt without the number when nothing is quoted, and to placeholders without a number', () => {
		expect(fillArguments({ recipients: { type: 'string' }, message: { type: 'string' } }, 'Tell +4915752982212 we are late')).toEqual({
			recipients: '+4915752982212',
			message: 'Tell we are late',
		});
		expect(fillArguments({ recipients: { type: ['string', 'null'] }, count: { anyOf: [{ type: 'null' }, { type: 'number' }] } }, 'no number')).toEqual({
			recipients: 'example recipients',
			count: 0,
		});
	});

	it('picks the first tool that mentions SMS, message or send, by name or description', () => {
		const tools = [tool({}, 'calendar', 'Books a table'), tool({}, 'notify', 'Sends a text to a guest'), tool({}, 'sms')];
		expect(decide([{ role: 'user', text: 'hi' }], tools, 'c1')).toMatchObject({ kind: 'toolCall', tool: 'notify', callId: 'c1' });
	});

	it('quotes every tool result since the last user message', () => {
		const decision = decide(
			[
				{ role: 'user', text: 'x' },
				{ role: 'assistant', text: '' },
				{ role: 'tool', text: 'first' },
				{ role: 'tool', text: 'second' },
			],
			[],
			'c',
		);
		expect(decision).toEqual({ kind: 'text', text: 'Sent. Provider answered: first | second' });
	});

	it('reads SIM-TOOL-CALLS and tells error results from others', () => {
		expect(scriptedCalls('Text him')).toBeUndefined();
		expect(scriptedCalls('Text him SIM-TOOL-CALLS [{"recipients":"abc"}]')).toEqual([{ recipients: 'abc' }]);
		expect(scriptedCalls('SIM-TOOL-CALLS []')).toMatch(/must be followed by/);
		expect(scriptedCalls('SIM-TOOL-CALLS [1]')).toMatch(/must be followed by/);
		expect(isErrorResult('[{"error":"Recipients: bad"}]')).toBe(true);
		expect(isErrorResult('{"error":"x","errorType":"NodeOperationError"}')).toBe(true);
		expect(isErrorResult('Error during node execution: boom')).toBe(true);
		expect(isErrorResult('[{"messageId":"7","status":"queued"}]')).toBe(false);
		expect(isErrorResult('[{"error":null}]')).toBe(false);
		expect(isErrorResult('not json')).toBe(false);
		const sms = tool({ recipients: { type: 'string' } }, 'Send_SMS');
		const user = { role: 'user', text: 'SIM-TOOL-CALLS [{"recipients":"a"},{"recipients":"b"}]' };
		expect(decide([user], [sms], 'c1')).toEqual({ kind: 'toolCall', callId: 'c1', tool: 'Send_SMS', arguments: { recipients: 'a' } });
		const afterOne = [user, { role: 'assistant', text: '' }, { role: 'tool', text: '[{"error":"bad"}]' }];
		expect(decide(afterOne, [sms], 'c2')).toEqual({ kind: 'toolCall', callId: 'c2', tool: 'Send_SMS', arguments: { recipients: 'b' } });
		expect(decide([...afterOne, { role: 'assistant', text: '' }, { role: 'tool', text: '[{"error":"worse"}]' }], [sms], 'c3')).toEqual({
			kind: 'text',
			text: 'Not sent. Tool answered: [{"error":"bad"}] | [{"error":"worse"}]',
		});
	});
});
