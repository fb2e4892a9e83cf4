// The SMS Gateway node as an AI agent's tool (usableAsTool) in real n8n: the example workflow
// examples/ai-agent-send-sms.json (Manual Trigger → Request → AI Agent with the OpenAI Chat Model and
// the SMS Gateway Tool) runs with `n8n execute`. The chat model is the simulator's scripted
// OpenAI-compatible endpoint (simulator/providers/openai.ts), so no network or real model is needed:
// it answers the user's request with one call of the SMS tool, then quotes the tool's result.
//
// Both n8n lines: AI Agent 3 and OpenAI Chat Model 1.3 exist in 2.40.7 and in 1.123.81.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

import { REPO_ROOT, n8nPaths, node24Paths } from '../../scripts/n8n-env.mjs';
import { SIMULATOR_ACCOUNTS } from './lib/accounts.mjs';

export const needsSimulator = true;

const PHONE = '+4915752982212';
const TEXT = 'Your table is ready';
const OPENAI_KEY = 'sim-openai-key-0123456789';
const SMS_PASSWORD = SIMULATOR_ACCOUNTS.smsGateway24.password;

const prepared = new WeakMap();

function readExample() {
	return JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'examples', 'ai-agent-send-sms.json'), 'utf8'));
}

/** Credentials with the ids the example uses, and the example itself plus a Responses API variant. */
async function setup(ctx) {
	if (prepared.has(ctx.n8n)) return prepared.get(ctx.n8n);
	await ctx.n8n.importCredentials([
		{
			id: 'SmsGw24Simulator',
			name: 'SMSGateway24 (simulator)',
			type: 'smsGateway24Api',
			data: { authMethod: 'emailPassword', email: SIMULATOR_ACCOUNTS.smsGateway24.email, password: SMS_PASSWORD, baseUrl: `${ctx.sim.url}/smsgateway24` },
		},
		{
			id: 'ScriptedModelSim',
			name: 'Scripted model (simulator)',
			type: 'openAiApi',
			data: { apiKey: OPENAI_KEY, url: `${ctx.sim.url}/openai/v1` },
		},
	]);
	const example = readExample();
	// The same workflow with OpenAI Chat Model's default for new nodes, "Use Responses API" on.
	const responses = readExample();
	responses.id = 'AiAgentSendSms02';
	responses.name = `${example.name} (Responses API)`;
	responses.nodes.find((node) => node.name === 'OpenAI Chat Model').parameters.responsesApiEnabled = true;
	await ctx.n8n.importWorkflow([example, responses]);
	const ids = { chat: example.id, responses: responses.id };
	prepared.set(ctx.n8n, ids);
	return ids;
}

async function requestsOf(ctx, provider, pathEnd) {
	const all = await ctx.sim.requests();
	return all.filter((request) => request.provider === provider && request.path.endsWith(pathEnd));
}

function expectOk(ctx, result) {
	ctx.assert.ok(result.ok, `workflow failed: ${JSON.stringify(result.error ?? result.nodeErrors)?.slice(0, 800)}\n${result.stderr.slice(-2000)}`);
}

/** What the tool definitions of a chat request look like, whichever API carried them. */
function offeredTools(body) {
	return (Array.isArray(body.tools) ? body.tools : []).map((tool) => tool.function ?? tool);
}

/** The checks shared by both APIs: one SMS with the prompt's number and text, the answer quoting it. */
async function checkRun(ctx, result, modelPath) {
	expectOk(ctx, result);

	// Exactly one SMS, to the number and with the text of the prompt.
	const sends = await requestsOf(ctx, 'smsgateway24', '/getdata/addsms');
	ctx.assert.equal(sends.length, 1, 'exactly one addsms');
	ctx.assert.equal(sends[0].body.sendto, PHONE);
	ctx.assert.equal(sends[0].body.body, TEXT);
	ctx.assert.equal(sends[0].body.device_id, '260');
	const smsId = String(sends[0].response.body.sms_id);
	ctx.assert.match(smsId, /^\d+$/);

	// The model saw the SMS tool, with the two $fromAI parameters, and was asked twice:
	// once with the user's request (→ tool call), once with the tool's result (→ final answer).
	const chats = await requestsOf(ctx, 'openai', modelPath);
	ctx.assert.equal(chats.length, 2, `two model calls, got ${chats.length}`);
	for (const chat of chats) ctx.assert.equal(chat.response.status, 200, JSON.stringify(chat.response.body).slice(0, 300));
	const tools = offeredTools(chats[0].body);
	const smsTool = tools.find((tool) => tool.name === 'Send_SMS');
	ctx.assert.ok(smsTool, `the SMS Gateway tool is offered; tools: ${JSON.stringify(tools.map((tool) => tool.name))}`);
	ctx.assert.match(smsTool.description, /SMS/);
	ctx.assert.deepEqual(Object.keys(smsTool.parameters.properties ?? {}).sort(), ['message', 'recipients']);
	ctx.assert.ok(JSON.stringify(chats[0].body).includes(PHONE), 'the prompt reached the model');
	ctx.assert.ok(JSON.stringify(chats[1].body).includes(smsId), 'the tool result (with the message id) went back to the model');

	// The agent's final answer quotes what the provider answered.
	const [answer] = result.output('AI Agent');
	ctx.assert.equal(typeof answer?.output, 'string', JSON.stringify(answer));
	ctx.assert.match(answer.output, /^Sent\. Provider answered: /);
	ctx.assert.ok(answer.output.includes(smsId), `the answer names the message id ${smsId}: ${answer.output}`);
	ctx.assert.ok(answer.output.includes(PHONE), `the answer names the recipient: ${answer.output}`);

	// The tool node ran once, as a tool, with the values the model chose.
	const toolRuns = result.runData['Send SMS'] ?? [];
	ctx.assert.equal(toolRuns.length, 1, 'the SMS tool ran once');

	// No credential value in what n8n printed.
	for (const secret of [OPENAI_KEY, SMS_PASSWORD]) {
		ctx.assert.ok(!result.stdout.includes(secret), 'a credential value appears in the run output');
		ctx.assert.ok(!result.stderr.includes(secret), "a credential value appears in n8n's log");
	}
	return { chats, answer };
}

// Run under Node 24 with n8n's own copy of LangChain's OpenAI client (the one its OpenAI Chat Model uses):
// a tool call and a final answer, each streamed, through both APIs. n8n asks without streaming in the
// workflows above (the agent streams only behind a chat or webhook trigger set to stream), so this is
// what proves the simulator's server-sent events to the real client.
const STREAM_SCRIPT = `
import { createRequire } from 'node:module';
const [modules, baseURL, apiKey] = process.argv.slice(1);
const require = createRequire(modules + '/');
const { ChatOpenAI } = require('@langchain/openai');
const { HumanMessage, ToolMessage } = require('@langchain/core/messages');
const tool = { type: 'function', function: { name: 'Send_SMS', description: 'Sends an SMS',
  parameters: { type: 'object', properties: { recipients: { type: 'string' }, message: { type: 'string' } }, required: ['recipients', 'message'] } } };
async function collect(model, messages) {
  let all;
  for await (const chunk of await model.stream(messages)) all = all ? all.concat(chunk) : chunk;
  return all;
}
const out = {};
for (const useResponsesApi of [false, true]) {
  const model = new ChatOpenAI({ apiKey, model: 'sms-simulator-scripted', streaming: true, useResponsesApi, configuration: { baseURL } }).bindTools([tool]);
  const human = new HumanMessage('Text +49 157 5298 2212 "Back in five"');
  const call = await collect(model, [human]);
  const answer = await collect(model, [human, call, new ToolMessage({ content: '{"status":"queued","messageId":"7"}', tool_call_id: call.tool_calls[0].id })]);
  const text = typeof answer.content === 'string' ? answer.content : answer.content.map((part) => part.text ?? '').join('');
  out[useResponsesApi ? 'responses' : 'chat'] = { toolCalls: call.tool_calls.map(({ name, args }) => ({ name, args })), text };
}
console.log(JSON.stringify(out));
`;

export const tests = {
	async 'AI agent sends an SMS with the SMS Gateway Tool (example, Chat Completions)'(ctx) {
		const ids = await setup(ctx);
		const result = await ctx.n8n.execute(ids.chat);
		if (process.env.AI_E2E_DEBUG) {
			console.log(JSON.stringify(await ctx.sim.requests(), null, 1).slice(0, 20000));
			console.log(JSON.stringify(result.run?.data?.resultData?.runData ?? {}, null, 1).slice(0, 8000));
		}
		const { chats } = await checkRun(ctx, result, '/v1/chat/completions');
		ctx.assert.notEqual(chats[0].body.stream, true, 'n8n asked without streaming (the simulator streams too when asked)');
	},

	async 'the same with "Use Responses API" on (OpenAI Chat Model 1.3 default)'(ctx) {
		const ids = await setup(ctx);
		const result = await ctx.n8n.execute(ids.responses);
		if (process.env.AI_E2E_DEBUG) console.log(JSON.stringify(await ctx.sim.requests(), null, 1).slice(0, 20000));
		await checkRun(ctx, result, '/v1/responses');
	},

	async "streaming: n8n's own LangChain OpenAI client reads the scripted model's server-sent events"(ctx) {
		const modules = path.join(n8nPaths(ctx.line).installDir, 'node_modules');
		const { stdout } = await promisify(execFile)(
			node24Paths().node,
			['--input-type=module', '-e', STREAM_SCRIPT, modules, `${ctx.sim.url}/openai/v1`, OPENAI_KEY],
			{ timeout: 120_000 },
		);
		const out = JSON.parse(stdout.trim().split('\n').pop());
		for (const api of ['chat', 'responses']) {
			ctx.assert.deepEqual(out[api].toolCalls, [{ name: 'Send_SMS', args: { recipients: PHONE, message: 'Back in five' } }], api);
			ctx.assert.equal(out[api].text, 'Sent. Provider answered: {"status":"queued","messageId":"7"}', api);
		}
		const chats = await requestsOf(ctx, 'openai', '/v1/chat/completions');
		const responses = await requestsOf(ctx, 'openai', '/v1/responses');
		ctx.assert.equal(chats.length, 2);
		ctx.assert.equal(responses.length, 2);
		for (const request of [...chats, ...responses]) {
			ctx.assert.equal(request.body.stream, true, 'the client asked for a stream');
			ctx.assert.match(request.response.headers['Content-Type'], /^text\/event-stream/);
		}
	},
};
