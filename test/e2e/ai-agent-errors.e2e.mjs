// The SMS Gateway Tool when a call goes wrong, in real n8n: the AI agent example
// (examples/ai-agent-send-sms.json) with the simulator's scripted model told exactly which calls to
// make (`SIM-TOOL-CALLS [...]` in the prompt, simulator/README.md "Scripted chat model"): a bad phone
// number, an empty text, a provider refusal (balance, login), an outage (500, a lost answer). The model
// answers with every tool result it was handed ("Sent. Provider answered: …" / "Not sent. Tool
// answered: …"), so the tests read what it saw, and the simulator's request log what it was sent.
//
// What a good tool gives: the workflow does not fail (the model gets the error and can correct
// itself or tell the user), the error names the field and the fix, nothing is texted twice when the
// model tries again, and no credential value reaches the model or the output.
import fs from 'node:fs';
import path from 'node:path';

import { REPO_ROOT } from '../../scripts/n8n-env.mjs';
import { SIMULATOR_ACCOUNTS } from './lib/accounts.mjs';

export const needsSimulator = true;

const PHONE = '+4915752982212';
const TEXT = 'Your table is ready';
const UG_PHONE = '+256701234567';
const OPENAI_KEY = 'sim-openai-key-0123456789';
const SMS_PASSWORD = SIMULATOR_ACCOUNTS.smsGateway24.password;
const WRONG_PASSWORD = 'wrong-password-5f3a9c';
const UG_KEY = SIMULATOR_ACCOUNTS.ugsms.apiKey;
const SECRETS = [OPENAI_KEY, SMS_PASSWORD, WRONG_PASSWORD, UG_KEY];

const CREDENTIALS = {
	sms: { id: 'AiErrSmsGw24Sim1', name: 'SMSGateway24 (simulator, agent errors)' },
	wrongLogin: { id: 'AiErrSmsGw24Bad1', name: 'SMSGateway24 (wrong password)' },
	ugsms: { id: 'AiErrUgsmsKeySim', name: 'UGSMS API (simulator, agent errors)' },
	model: { id: 'AiErrScriptModel', name: 'Scripted model (agent errors)' },
};

const prepared = new WeakMap();

/** The example with its own id, the scripted calls in the prompt and the tool node changed by `tool`. */
function variant(id, calls, tool = () => {}) {
	const flow = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'examples', 'ai-agent-send-sms.json'), 'utf8'));
	flow.id = id;
	flow.name = `AI agent errors: ${id}`;
	const request = flow.nodes.find((node) => node.name === 'Request');
	request.parameters.assignments.assignments[0].value = `Text my guest. SIM-TOOL-CALLS ${JSON.stringify(calls)}`;
	flow.nodes.find((node) => node.name === 'OpenAI Chat Model').credentials = { openAiApi: CREDENTIALS.model };
	const send = flow.nodes.find((node) => node.name === 'Send SMS');
	send.credentials = { smsGateway24Api: CREDENTIALS.sms };
	tool(send);
	return flow;
}

const call = (recipients, message = TEXT) => ({ recipients, message });

function asUgsms(send) {
	send.parameters = {
		...send.parameters,
		provider: 'ugsms',
		authentication: 'apiKey',
		ugsmsSenderId: 'RESTO',
		toolDescription: 'Sends one SMS through UGSMS. Needs the phone number in international form and the text.',
	};
	delete send.parameters.device;
	delete send.parameters.channel;
	send.credentials = { ugsmsApi: CREDENTIALS.ugsms };
}

const FLOWS = {
	badNumbers: variant('AiAgentErrPhone1', [call('call me maybe'), call('+49157'), call('015752982212'), call(PHONE)]),
	emptyText: variant('AiAgentErrText01', [call(PHONE, ''), call(PHONE, '   ')]),
	outage: variant('AiAgentErrDown01', [call(PHONE), call(PHONE)]),
	wrongLogin: variant('AiAgentErrLogin1', [call(PHONE)], (send) => {
		send.credentials = { smsGateway24Api: CREDENTIALS.wrongLogin };
	}),
	ugsms: variant('AiAgentErrUgsms1', [call(UG_PHONE), call(UG_PHONE)], asUgsms),
};

async function setup(ctx) {
	if (prepared.has(ctx.n8n)) return prepared.get(ctx.n8n);
	const sms24 = (password) => ({
		authMethod: 'emailPassword',
		email: SIMULATOR_ACCOUNTS.smsGateway24.email,
		password,
		baseUrl: `${ctx.sim.url}/smsgateway24`,
	});
	await ctx.n8n.importCredentials([
		{ ...CREDENTIALS.sms, type: 'smsGateway24Api', data: sms24(SMS_PASSWORD) },
		{ ...CREDENTIALS.wrongLogin, type: 'smsGateway24Api', data: sms24(WRONG_PASSWORD) },
		{ ...CREDENTIALS.ugsms, type: 'ugsmsApi', data: { apiKey: UG_KEY, baseUrl: `${ctx.sim.url}/ugsms` } },
		{ ...CREDENTIALS.model, type: 'openAiApi', data: { apiKey: OPENAI_KEY, url: `${ctx.sim.url}/openai/v1` } },
	]);
	await ctx.n8n.importWorkflow(Object.values(FLOWS));
	const ids = Object.fromEntries(Object.entries(FLOWS).map(([key, flow]) => [key, flow.id]));
	prepared.set(ctx.n8n, ids);
	return ids;
}

async function requestsOf(ctx, provider, pathEnd) {
	const all = await ctx.sim.requests();
	return all.filter((request) => request.provider === provider && request.path.endsWith(pathEnd));
}

async function addFault(ctx, rule) {
	await ctx.sim.control('POST', '/faults', rule);
}

/** Runs a variant; returns what the model was handed after each call and what it answered. */
async function runAgent(ctx, key) {
	const ids = await setup(ctx);
	const result = await ctx.n8n.execute(ids[key]);
	const chats = await requestsOf(ctx, 'openai', '/v1/chat/completions');
	// The tool results, in order, as the model received them (each request carries all earlier ones).
	const last = chats[chats.length - 1]?.body?.messages ?? [];
	const toolResults = last.filter((message) => message.role === 'tool').map((message) => String(message.content));
	const answer = result.output?.('AI Agent')?.[0]?.output;
	if (process.env.AI_E2E_DEBUG) {
		console.log(`--- ${ctx.line} ${key}: ok=${result.ok} error=${JSON.stringify(result.error)?.slice(0, 600)}`);
		console.log(JSON.stringify({ toolResults, answer }, null, 1));
	}
	// The workflow runs to the end: the agent got every error as the tool's result.
	ctx.assert.ok(
		result.ok,
		`the agent run failed instead of handing the error to the model: ${JSON.stringify(result.error ?? result.nodeErrors)?.slice(0, 1200)}`,
	);
	ctx.assert.equal(typeof answer, 'string', JSON.stringify(result.output('AI Agent')));
	// No credential value in anything the model was sent, nor in what n8n printed.
	const toModel = JSON.stringify(chats.map((chat) => chat.body));
	for (const secret of SECRETS) {
		ctx.assert.ok(!toModel.includes(secret), `a credential value (${secret.slice(0, 4)}…) went to the model`);
		ctx.assert.ok(!result.stdout.includes(secret), `a credential value (${secret.slice(0, 4)}…) appears in the run output`);
		ctx.assert.ok(!result.stderr.includes(secret), `a credential value (${secret.slice(0, 4)}…) appears in n8n's log`);
	}
	return { result, chats, toolResults, answer };
}

/** The error text of one tool result, as the model got it (n8n wraps it in JSON). */
function errorOf(ctx, toolResult) {
	const parsed = JSON.parse(toolResult);
	const entry = Array.isArray(parsed) ? parsed[0] : parsed;
	ctx.assert.ok(entry && typeof entry.error === 'string', `not an error result: ${toolResult}`);
	return [entry.error, entry.description].filter(Boolean).join(' ');
}

async function smsStored(ctx) {
	const state = await ctx.sim.control('GET', '/state?provider=smsgateway24');
	return Object.values(state.messages ?? {});
}

export const tests = {
	async 'AI agent tool: bad phone numbers come back to the model naming Recipients and the fix; corrected, one SMS'(ctx) {
		const { toolResults, answer } = await runAgent(ctx, 'badNumbers');
		ctx.assert.equal(toolResults.length, 4, JSON.stringify(toolResults));
		const errors = toolResults.slice(0, 3).map((text) => errorOf(ctx, text));
		for (const error of errors) {
			ctx.assert.match(error, /Recipients/, error);
			ctx.assert.match(error, /international|country code|\+/i, `no fix named: ${error}`);
		}
		ctx.assert.match(errors[0], /call me maybe/);
		ctx.assert.match(errors[2], /015752982212/);
		ctx.assert.match(errors[2], /country/i, errors[2]);
		ctx.assert.match(answer, /^Sent\. Provider answered: /);
		const sends = await requestsOf(ctx, 'smsgateway24', '/getdata/addsms');
		ctx.assert.equal(sends.length, 1, 'only the corrected call reached the provider');
		ctx.assert.equal(sends[0].body.sendto, PHONE);
		ctx.assert.ok(answer.includes(String(sends[0].response.body.sms_id)), answer);
	},

	async 'AI agent tool: an empty or blank text comes back naming Message; nothing is sent'(ctx) {
		const { toolResults, answer } = await runAgent(ctx, 'emptyText');
		ctx.assert.equal(toolResults.length, 2, JSON.stringify(toolResults));
		for (const text of toolResults) {
			const error = errorOf(ctx, text);
			ctx.assert.match(error, /Message/, error);
			ctx.assert.match(error, /empty/i, error);
			ctx.assert.match(error, /text/i, `no fix named: ${error}`);
		}
		ctx.assert.match(answer, /^Not sent\. Tool answered: /);
		ctx.assert.equal((await requestsOf(ctx, 'smsgateway24', '/getdata/addsms')).length, 0);
	},

	async 'AI agent tool: a wrong login comes back as a credential problem, without the password'(ctx) {
		const { toolResults, answer } = await runAgent(ctx, 'wrongLogin');
		ctx.assert.equal(toolResults.length, 1);
		const error = errorOf(ctx, toolResults[0]);
		ctx.assert.match(error, /Login or password incorrect/, error);
		ctx.assert.match(error, /credential/i, `no fix named: ${error}`);
		ctx.assert.match(answer, /^Not sent\. Tool answered: /);
		ctx.assert.equal((await requestsOf(ctx, 'smsgateway24', '/getdata/addsms')).length, 0);
	},

	async 'AI agent tool: insufficient balance (UGSMS 402) comes back as such; tried again after a top-up, one SMS'(ctx) {
		await addFault(ctx, { provider: 'ugsms', pathIncludes: 'sms/send', kind: 'status', status: 402, body: { error: 'Insufficient balance.' } });
		const { toolResults, answer } = await runAgent(ctx, 'ugsms');
		ctx.assert.equal(toolResults.length, 2, JSON.stringify(toolResults));
		const error = errorOf(ctx, toolResults[0]);
		ctx.assert.match(error, /Insufficient balance/, error);
		ctx.assert.match(error, /Top up/i, `no fix named: ${error}`);
		ctx.assert.match(answer, /^Sent\. Provider answered: /);
		const sends = (await requestsOf(ctx, 'ugsms', '/sms/send')).filter((request) => request.response?.status === 200);
		ctx.assert.equal(sends.length, 1);
	},

	async 'AI agent tool: a provider outage (HTTP 500 echoing the request) comes back without the token; the retry sends once'(ctx) {
		await addFault(ctx, { provider: 'smsgateway24', pathIncludes: 'addsms', kind: 'status', status: 500, echoRequest: true });
		const { toolResults, answer } = await runAgent(ctx, 'outage');
		ctx.assert.equal(toolResults.length, 2, JSON.stringify(toolResults));
		const error = errorOf(ctx, toolResults[0]);
		ctx.assert.match(error, /500/, error);
		ctx.assert.match(error, /try again later/i, `no fix named: ${error}`);
		const sends = await requestsOf(ctx, 'smsgateway24', '/getdata/addsms');
		const token = sends[0]?.body?.token;
		ctx.assert.ok(token, 'the request carried a token');
		ctx.assert.ok(!JSON.stringify(toolResults).includes(token), 'the session token went to the model');
		ctx.assert.match(answer, /^Sent\. Provider answered: /);
		ctx.assert.equal((await smsStored(ctx)).length, 1, 'one SMS stored');
	},

	async 'AI agent tool: an answer lost after the SMS was saved is reported in doubt, and the same call is not sent again'(ctx) {
		await addFault(ctx, { provider: 'smsgateway24', pathIncludes: 'addsms', kind: 'drop', afterProcessing: true });
		const { toolResults, answer } = await runAgent(ctx, 'outage');
		ctx.assert.equal(toolResults.length, 2, JSON.stringify(toolResults));
		const first = errorOf(ctx, toolResults[0]);
		ctx.assert.match(first, /may already have gone out/i, first);
		const second = errorOf(ctx, toolResults[1]);
		ctx.assert.match(second, /^Not sent again: an earlier attempt in this run may already have gone out/, second);
		ctx.assert.match(answer, /^Not sent\. Tool answered: /);
		ctx.assert.equal((await smsStored(ctx)).length, 1, `the guest was texted twice; the model saw: ${JSON.stringify(toolResults)}; answer: ${answer}`);
	},
};
