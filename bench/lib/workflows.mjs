// Workflows for the benchmark, generated in code so the item count, texts and simulator address
// are parameters. Each is the shape a user builds (as in examples/): Manual Trigger → a Set node
// that makes the list → Split Out (one item per recipient) → the sending node.
//
// "ours" ends in the SMS Gateway node's Send Bulk; "baseline" ends in n8n's HTTP Request node,
// one request per item, with n8n's defaults (no batching option, no Continue On Fail): what users
// do today without this package.

import { connect, manualTrigger } from '../../test/e2e/lib/workflow.mjs';
import { SIMULATOR_ACCOUNTS } from '../../test/e2e/lib/accounts.mjs';

export const CREDENTIALS = {
	smsGateway24: { id: 'BenchSmsGw24Cred', name: 'SMSGateway24 (bench)', type: 'smsGateway24Api' },
	messageFlow: { id: 'BenchMsgFlowCred', name: 'MessageFlow (bench)', type: 'messageFlowApi' },
	ugsms: { id: 'BenchUgsmsCred01', name: 'UGSMS (bench)', type: 'ugsmsApi' },
};

/**
 * Credentials pointing at the simulator. UGSMS's credential type belongs to a provider still
 * being written: its fields are guessed from the simulator's API (a key and a base URL) and only
 * imported when the installed package has that credential type.
 */
export function credentialsFor(simUrl) {
	return {
		smsGateway24: {
			...CREDENTIALS.smsGateway24,
			data: { authMethod: 'token', apiToken: SIMULATOR_ACCOUNTS.smsGateway24.panelToken, baseUrl: `${simUrl}/smsgateway24` },
		},
		messageFlow: {
			...CREDENTIALS.messageFlow,
			data: {
				authKey: SIMULATOR_ACCOUNTS.messageFlow.authorizationKey,
				applicationApiKey: SIMULATOR_ACCOUNTS.messageFlow.applicationKey,
				baseUrl: `${simUrl}/messageflow`,
			},
		},
		ugsms: {
			...CREDENTIALS.ugsms,
			data: { apiKey: SIMULATOR_ACCOUNTS.ugsms.apiKey, baseUrl: `${simUrl}/ugsms` },
		},
	};
}

/**
 * Recipients per provider: valid mobile numbers the simulator accepts (none ends in 9999, which
 * MessageFlow's simulator blocks). `i` runs from 0 to count-1.
 */
export const NUMBER_EXPRESSION = {
	smsGateway24: "'+4915710' + String(100000 + i)",
	messageFlow: "'+4850030' + String(1000 + i)",
	ugsms: "'+25670' + String(1000000 + i)",
};

/** The texts: one for everybody, or one per person (a name and a code in it). */
export const SAME_TEXT = 'Our spring sale starts today: 20% off everything with code SPRING.';
const PERSONAL_TEXT = '=Hi {{ $json.firstName }}, your spring code is {{ $json.code }}: 20% off everything until Sunday.';

function itemGenerator(provider, count) {
	const rows =
		`Array.from({ length: ${count} }, (_, i) => ({ phone: ${NUMBER_EXPRESSION[provider]}, ` +
		"firstName: 'Customer ' + (i + 1), code: 'SPRING' + String(10000 + i) }))";
	return [
		{
			name: 'Customers',
			type: 'n8n-nodes-base.set',
			typeVersion: 3.4,
			parameters: { mode: 'raw', jsonOutput: `={{ JSON.stringify({ customers: ${rows} }) }}`, options: {} },
		},
		{
			name: 'One Item per Customer',
			type: 'n8n-nodes-base.splitOut',
			typeVersion: 1,
			parameters: { fieldToSplitOut: 'customers', options: {} },
		},
	];
}

export const SEND_NODE = 'Send';

/** The SMS Gateway node, Send Bulk, with each provider's defaults. */
function oursNode(provider, personalised, fastWindow, concurrency) {
	const common = {
		resource: 'message',
		operation: 'sendBulk',
		recipients: '={{ $json.phone }}',
		message: personalised ? PERSONAL_TEXT : SAME_TEXT,
	};
	const perProvider = {
		smsGateway24: {
			provider: 'smsGateway24',
			...common,
			device: { __rl: true, mode: 'id', value: '260' },
			channel: 0,
		},
		messageFlow: { provider: 'messageFlow', ...common, sender: 'ACME', ...(concurrency ? { messageFlowOptions: { concurrency } } : {}) },
		// With the simulator's window shortened to 1 s, the node is told the same (a user setting).
		ugsms: { provider: 'ugsms', authentication: 'apiKey', ...common, ...(fastWindow ? { ugsmsOptions: { rateWindowSeconds: 1 } } : {}) },
	};
	const cred = fastWindow ? { ...CREDENTIALS.ugsms, id: 'BenchUgsmsFast01', name: 'UGSMS (bench, 1 s window)' } : CREDENTIALS[provider];
	return {
		name: SEND_NODE,
		type: 'n8n-nodes-sms-gateway.smsGateway',
		typeVersion: 1,
		parameters: perProvider[provider],
		credentials: { [cred.type]: { id: cred.id, name: cred.name } },
	};
}

/** n8n's HTTP Request node (4.x), one request per item, as a user would set it up. */
function baselineNode(provider, personalised, simUrl) {
	const text = personalised ? PERSONAL_TEXT : SAME_TEXT;
	// The same text as an expression fragment for the JSON body (MessageFlow).
	const textJs = personalised ? "'Hi ' + $json.firstName + ', your spring code is ' + $json.code + ': 20% off everything until Sunday.'" : JSON.stringify(SAME_TEXT);
	const http = (parameters) => ({ name: SEND_NODE, type: 'n8n-nodes-base.httpRequest', typeVersion: 4.2, parameters: { method: 'POST', options: {}, ...parameters } });
	const form = (fields) => ({
		sendBody: true,
		contentType: 'form-urlencoded',
		bodyParameters: { parameters: Object.entries(fields).map(([name, value]) => ({ name, value })) },
	});
	if (provider === 'smsGateway24') {
		return http({
			url: `${simUrl}/smsgateway24/getdata/addsms`,
			...form({ token: SIMULATOR_ACCOUNTS.smsGateway24.panelToken, sendto: '={{ $json.phone }}', body: text, device_id: '260', sim: '0' }),
		});
	}
	if (provider === 'messageFlow') {
		return http({
			url: `${simUrl}/messageflow/v2.1/sms`,
			sendHeaders: true,
			headerParameters: {
				parameters: [
					{ name: 'Authorization', value: SIMULATOR_ACCOUNTS.messageFlow.authorizationKey },
					{ name: 'Application-Key', value: SIMULATOR_ACCOUNTS.messageFlow.applicationKey },
				],
			},
			sendBody: true,
			contentType: 'json',
			specifyBody: 'json',
			jsonBody: `={{ JSON.stringify({ sender: 'ACME', message: ${textJs}, phoneNumbers: [$json.phone] }) }}`,
		});
	}
	return http({
		url: `${simUrl}/ugsms/api/v2/sms/send`,
		sendHeaders: true,
		headerParameters: { parameters: [{ name: 'X-API-Key', value: SIMULATOR_ACCOUNTS.ugsms.apiKey }] },
		...form({ numbers: '={{ $json.phone }}', message_body: text }),
	});
}

/**
 * The trigger of the warm runs: a production webhook of a running n8n (`n8n start`) that answers
 * when the workflow has finished, so one call is one measured execution.
 */
function webhookTrigger(path) {
	return {
		name: 'Start',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		webhookId: crypto.randomUUID(),
		parameters: { httpMethod: 'POST', path, responseMode: 'lastNode', responseData: 'noData', options: {} },
	};
}

/**
 * One benchmark workflow: `kind` 'ours' | 'baseline'. `webhookPath` makes it start from a webhook
 * (the warm runs in a running n8n) instead of the Manual Trigger that `n8n execute` runs.
 */
export function benchWorkflow({ provider, personalised, kind, count, simUrl, fastWindow = false, concurrency, webhookPath }) {
	const last = kind === 'ours' ? oursNode(provider, personalised, fastWindow, concurrency) : baselineNode(provider, personalised, simUrl);
	const trigger = webhookPath ? webhookTrigger(webhookPath) : manualTrigger('Start');
	return connect([trigger, ...itemGenerator(provider, count), last], {
		name: `bench ${provider} ${personalised ? 'personalised' : 'same text'}${fastWindow ? ' (1 s window)' : ''}${concurrency ? ` (${concurrency} parallel)` : ''} ${kind} ${count}${webhookPath ? ' (webhook)' : ''}`,
	});
}
