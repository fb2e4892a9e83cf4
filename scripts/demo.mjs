#!/usr/bin/env node
// Starts the gateway simulator and a real n8n with the packed package, a credential pointing at the
// simulator and every example workflow, then prints where to click. Run through `npm run demo`.
//   --port 5678            n8n's port            --sim-port 4010     the simulator's port
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { REPO_ROOT, cacheDir } from './n8n-env.mjs';
import { prepareN8n } from '../test/e2e/lib/n8n.mjs';
import { startSimulatorProcess } from '../test/e2e/lib/simulator.mjs';
import { SIMULATOR_ACCOUNTS } from '../test/e2e/lib/accounts.mjs';

const { values } = parseArgs({ options: { port: { type: 'string', default: '5678' }, 'sim-port': { type: 'string', default: '4010' } } });
const tarball = fs.readdirSync(REPO_ROOT).find((file) => /^n8n-nodes-sms-gateway-.*\.tgz$/.test(file));
if (!tarball) throw new Error('No packed package: run `npm run demo`, which builds and packs it first.');

// Statuses move forward every 3 s, so Get Status shows a message travel queued → delivered.
const sim = await startSimulatorProcess({ port: Number(values['sim-port']), args: ['--status-step-ms', '3000'] });
const demoDir = path.join(cacheDir(), 'demo');
fs.mkdirSync(demoDir, { recursive: true });
const n8n = await prepareN8n({ line: '2.x', tarball: path.join(REPO_ROOT, tarball), baseDir: demoDir });

// One credential per provider, each pointing at the simulator, with the ids the examples use.
await n8n.importCredentials([
	{
		id: 'SmsGw24Simulator',
		name: 'SMSGateway24 (simulator)',
		type: 'smsGateway24Api',
		data: { authMethod: 'emailPassword', email: SIMULATOR_ACCOUNTS.smsGateway24.email, password: SIMULATOR_ACCOUNTS.smsGateway24.password, baseUrl: `${sim.url}/smsgateway24` },
	},
	{
		id: 'MsgFlowSimulator',
		name: 'MessageFlow (simulator)',
		type: 'messageFlowApi',
		data: { authKey: SIMULATOR_ACCOUNTS.messageFlow.authorizationKey, applicationApiKey: SIMULATOR_ACCOUNTS.messageFlow.applicationKey, baseUrl: `${sim.url}/messageflow` },
	},
	{ id: 'SmsBridgeSimulat', name: 'SMS Bridge (simulator)', type: 'smsBridgeApi', data: { apiKey: SIMULATOR_ACCOUNTS.smsBridge.apiKey, baseUrl: `${sim.url}/smsbridge/api/v2` } },
	{ id: 'UgsmsApiKeySimul', name: 'UGSMS API (simulator)', type: 'ugsmsApi', data: { apiKey: SIMULATOR_ACCOUNTS.ugsms.apiKey, baseUrl: `${sim.url}/ugsms` } },
	{ id: 'UgsmsAccountSimu', name: 'UGSMS Account (simulator)', type: 'ugsmsAccountApi', data: { username: SIMULATOR_ACCOUNTS.ugsms.username, password: SIMULATOR_ACCOUNTS.ugsms.password, baseUrl: `${sim.url}/ugsms` } },
	{ id: 'SmsGwWebhookHdr1', name: 'SMS Gateway webhook secret', type: 'smsGatewayWebhookHeaderAuthApi', data: { name: 'X-Webhook-Secret', secret: 'demo-webhook-secret-0123' } },
	// The AI-agent example's model: the simulator's scripted OpenAI-compatible endpoint (no real LLM).
	{ id: 'ScriptedModelSim', name: 'Scripted model (simulator)', type: 'openAiApi', data: { apiKey: 'sim-openai-key-0123456789', url: `${sim.url}/openai/v1` } },
]);
const examples = fs
	.readdirSync(path.join(REPO_ROOT, 'examples'))
	.filter((file) => file.endsWith('.json'))
	.map((file) => JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'examples', file), 'utf8')));
// The sheet example downloads a Google Sheet (a placeholder link): here it gets the simulator's sample sheet.
for (const node of examples.flatMap((example) => example.nodes)) {
	if (node.type === 'n8n-nodes-base.httpRequest' && String(node.parameters?.url ?? '').includes('<your-sheet>')) {
		node.parameters.url = `${sim.url}/__sim/files/customers.csv`;
	}
}
await n8n.importWorkflow(examples);

const server = await n8n.start({ port: Number(values.port) });
const owner = { email: 'demo@sms-gateway.test', password: 'Demo-Passw0rd!', firstName: 'Demo', lastName: 'User' };
await server.setupOwner(owner);

console.log(`
SMS Gateway demo is running.

  n8n editor:   ${server.baseUrl}   (log in as ${owner.email} / ${owner.password})
  simulator:    ${sim.url}   (the phone's outbox and inbox)

${examples.length} example workflows are imported, with a credential per provider pointing at the simulator.
Open one, press "Execute workflow", then watch the message arrive in the simulator.
Stop with Ctrl+C.`);

let stopping = false;
async function stop() {
	if (stopping) return;
	stopping = true;
	await server.stop().catch(() => {});
	await sim.stop().catch(() => {});
	await n8n.cleanup().catch(() => {});
	process.exit(0);
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
