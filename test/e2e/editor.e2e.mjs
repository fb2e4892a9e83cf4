// The editor, in a real browser: what a user meets before any workflow runs. Chromium (Debian's,
// through playwright-core) drives n8n's own editor with the packed package installed; every step
// is what a user does (search the nodes panel, pick an action, switch provider, fill a credential
// form and save it, add the trigger), and every check is what the page shows. Screenshots go to
// test-results/editor/<line>/; the README's come from there.
//
// Runs on n8n 2.x, the line new users install. Tried on 1.123.81: the panel, action, operation and
// trigger walks pass there too, but its NDV credential picker is a different component (a select
// with "Create new credential", no "Connect to …" button), so the credential walks would need a
// second set of helpers; 1.x credentials are covered by credentials.e2e.mjs over n8n's REST API.

import fs from 'node:fs/promises';

import { openEditor } from './lib/browser.mjs';
import { prepareN8n } from './lib/n8n.mjs';
import { SIMULATOR_ACCOUNTS } from './lib/accounts.mjs';

export const lines = ['2.x'];
export const needsSimulator = true;

const states = new WeakMap();

// A user folder of its own: the walks meet n8n as a new user does, with no credentials yet (other
// suites of the run create some in the shared folder, and n8n would preselect them).
async function editorFor(ctx) {
	if (states.has(ctx.n8n)) return states.get(ctx.n8n);
	const instance = await prepareN8n({ line: ctx.line, tarball: ctx.tarball });
	const server = await instance.start();
	await server.setupOwner();
	const editor = await openEditor(server, { line: ctx.line });
	const state = { instance, server, editor, failed: false };
	states.set(ctx.n8n, state);
	return state;
}

export async function after({ n8n }) {
	const state = states.get(n8n);
	if (!state) return;
	await state.editor.close().catch(() => {});
	await state.server.stop().catch(() => {});
	if (state.failed || process.env.E2E_KEEP) console.log(`    (kept ${state.instance.userFolder} for inspection)`);
	else await state.instance.cleanup().catch(() => {});
}

/** Message → Send: what each provider must show, and what belongs to other providers only. */
const SEND_FIELDS = {
	SMSGateway24: { shows: ['recipients', 'message', 'device', 'channel'], hides: ['sender', 'ugsmsSenderId', 'authentication'] },
	MessageFlow: { shows: ['recipients', 'message', 'sender'], hides: ['device', 'channel', 'ugsmsSenderId', 'smsBridgeSender'] },
	'SMS Bridge': { shows: ['recipients', 'message', 'smsBridgeSender'], hides: ['device', 'channel', 'ugsmsSenderId', 'authentication', 'sender'] },
	UGSMS: { shows: ['authentication', 'recipients', 'message', 'ugsmsSenderId'], hides: ['device', 'channel', 'sender'] },
};

const walks = {
	async 'nodes panel finds the node by "SMS", "WhatsApp" and every provider name'(ctx) {
		const { editor } = await editorFor(ctx);
		await editor.newWorkflow();
		await editor.addManualTrigger();
		for (const query of ['SMS', 'WhatsApp', 'SMSGateway24', 'MessageFlow', 'UGSMS', 'SMS Bridge']) {
			const names = await editor.searchNodes(query);
			ctx.assert.ok(names.includes('SMS Gateway'), `"${query}" lists ${JSON.stringify(names.slice(0, 10))}`);
			if (query === 'SMS') await editor.screenshot('nodes-panel-search');
		}
	},

	async 'its actions read as sentences, each listed once, with the trigger events beside them'(ctx) {
		const { editor } = await editorFor(ctx);
		const page = editor.page;
		await editor.newWorkflow();
		await editor.addManualTrigger();
		await editor.searchNodes('SMS Gateway');
		await editor.clickPanelItem('SMS Gateway');
		const details = await editor.panelDetails();
		const actions = await page.getByTestId('node-creator-item-name').allInnerTexts();
		for (const sentence of ['Send a message', 'Send many messages in bulk', 'Get the status of a message', 'Get many messages', 'Get the account balance', 'Claim pending messages from the queue', 'Generate an API key']) {
			ctx.assert.equal(actions.filter((a) => a === sentence).length, 1, `"${sentence}" once in ${JSON.stringify(actions)}`);
		}
		ctx.assert.equal(new Set(actions).size, actions.length, `no action twice: ${JSON.stringify(actions)}`);
		ctx.assert.match(details, /Triggers \(8\)/);
		ctx.assert.match(details, /Actions \(21\)/);
		await editor.screenshot('node-actions');
	},

	async 'Send a message: Resource, Operation and Provider on top; each provider shows only its fields, each with help'(ctx) {
		const { editor } = await editorFor(ctx);
		await editor.newWorkflow();
		await editor.addManualTrigger();
		await editor.addSmsGatewayAction('Send a message');
		const first = await editor.shownParameters();
		ctx.assert.deepEqual(first.slice(0, 3), ['resource', 'operation', 'provider']);
		ctx.assert.deepEqual(await editor.dropdownOptions('provider'), ['SMSGateway24', 'MessageFlow', 'SMS Bridge', 'UGSMS']);
		for (const [provider, expected] of Object.entries(SEND_FIELDS)) {
			await editor.choose('provider', provider);
			const shown = await editor.shownParameters();
			for (const name of expected.shows) ctx.assert.ok(shown.includes(name), `${provider} shows ${name}: ${JSON.stringify(shown)}`);
			for (const name of expected.hides) ctx.assert.ok(!shown.includes(name), `${provider} hides ${name}: ${JSON.stringify(shown)}`);
			ctx.assert.deepEqual(await editor.parametersWithoutHelp(), [], `${provider}: every field has a description`);
			ctx.assert.match(await editor.credentialSlotText(), new RegExp(`Connect to ${provider}`));
			await editor.screenshot(`node-send-${provider.toLowerCase().replace(/\s+/g, '-')}`);
		}
		// The header under the node on the canvas says which provider and what it does.
		await editor.closeNdv();
		const canvas = await editor.page.getByTestId('canvas-wrapper').innerText();
		ctx.assert.match(canvas, /UGSMS: send message/);
	},

	async 'switching the operation lists only the providers that offer it'(ctx) {
		const { editor } = await editorFor(ctx);
		await editor.newWorkflow();
		await editor.addManualTrigger();
		await editor.addSmsGatewayAction('Get the status of a message');
		ctx.assert.deepEqual(await editor.dropdownOptions('provider'), ['SMSGateway24', 'SMS Bridge']);
		await editor.choose('operation', 'Get Many');
		ctx.assert.deepEqual(await editor.dropdownOptions('provider'), ['SMSGateway24', 'MessageFlow']);
		await editor.choose('resource', 'Account');
		ctx.assert.deepEqual(await editor.dropdownOptions('operation'), ['Check Key', 'Get Balance', 'Get Subscription']);
		await editor.choose('operation', 'Get Balance');
		ctx.assert.deepEqual(await editor.dropdownOptions('provider'), ['SMS Bridge', 'UGSMS']);
	},

	async 'credential forms say where to find the values; saving tests them and explains a refusal'(ctx) {
		const { editor } = await editorFor(ctx);
		const sim = ctx.sim.url;
		const forms = [
			{
				provider: 'MessageFlow',
				note: /MessageFlow panel under Account → API/,
				wrong: { authKey: 'not-the-key', applicationApiKey: SIMULATOR_ACCOUNTS.messageFlow.applicationKey, baseUrl: `${sim}/messageflow` },
				refusal: /MessageFlow refused the keys\. Check the Authorization Key and the Application Key/,
				right: { authKey: SIMULATOR_ACCOUNTS.messageFlow.authorizationKey },
			},
			{
				provider: 'SMS Bridge',
				note: /API key is in the SMS Bridge panel under API keys/,
				wrong: { baseUrl: `${sim}/smsbridge/api/v2`, apiKey: 'not-the-key' },
				refusal: /SMS Bridge refused the API key\. Copy it again from the SMS Bridge panel/,
				right: { apiKey: SIMULATOR_ACCOUNTS.smsBridge.apiKey },
			},
			{
				provider: 'UGSMS',
				note: /API key of your UGSMS account/,
				wrong: { apiKey: 'not-the-key', baseUrl: `${sim}/ugsms` },
				refusal: /UGSMS refused the API key/,
				right: { apiKey: SIMULATOR_ACCOUNTS.ugsms.apiKey },
			},
			{
				provider: 'SMSGateway24',
				note: /email and password of your smsgateway24\.com account/,
				wrong: { email: SIMULATOR_ACCOUNTS.smsGateway24.email, password: 'not-the-password', baseUrl: `${sim}/smsgateway24` },
				refusal: /SMSGateway24 login failed: .*Check the credential's email and password/,
				right: { password: SIMULATOR_ACCOUNTS.smsGateway24.password },
			},
		];
		for (const form of forms) {
			await editor.newWorkflow();
			await editor.addManualTrigger();
			await editor.addSmsGatewayAction('Send a message');
			await editor.choose('provider', form.provider);
			const modal = await editor.openNewCredential();
			ctx.assert.match(await modal.innerText(), form.note, `${form.provider}: the form says where to find the values`);
			await editor.fillCredential(modal, form.wrong);
			const refused = await editor.saveCredential(modal);
			ctx.assert.equal(refused.ok, false, `${form.provider}: a wrong value must fail the test`);
			ctx.assert.match(refused.message, form.refusal);
			await editor.screenshot(`credential-${form.provider.toLowerCase().replace(/\s+/g, '-')}-refused`);
			await editor.fillCredential(modal, form.right);
			const accepted = await editor.saveCredential(modal);
			ctx.assert.equal(accepted.ok, true, `${form.provider}: the right values pass the test: ${accepted.message}`);
			ctx.assert.match(await editor.credentialSlotText(), new RegExp(`${form.provider} account`));
		}
	},

	async 'the trigger shows its webhook URL and where to paste it for the chosen provider'(ctx) {
		const { editor, server } = await editorFor(ctx);
		const page = editor.page;
		await editor.newWorkflow();
		await editor.searchNodes('SMS Gateway');
		await editor.clickPanelItem('SMS Gateway');
		await editor.clickPanelItem('On message received');
		await page.getByTestId('node-parameters').waitFor();
		await page.getByTestId('ndv').locator('[title="Click to display webhook URLs"]').click();
		const ndv = page.getByTestId('ndv');
		const html = await ndv.innerHTML();
		const url = new RegExp(`${server.baseUrl.replace(/[.:/]/g, '\\$&')}/webhook-test/[0-9a-f-]{36}/\\w+`);
		ctx.assert.match(html, url, 'the test URL is shown');
		ctx.assert.match(await ndv.innerText(), /paste it in the SMSGateway24 web panel/);
		await editor.screenshot('trigger-smsgateway24');
		await editor.choose('provider', 'MessageFlow');
		const text = await ndv.innerText();
		ctx.assert.match(text, /MessageFlow/);
		ctx.assert.doesNotMatch(text, /paste it in the SMSGateway24 web panel/);
		await page.getByText('Production URL', { exact: true }).click();
		ctx.assert.match(await ndv.innerHTML(), new RegExp(`${server.baseUrl.replace(/[.:/]/g, '\\$&')}/webhook/[0-9a-f-]{36}/\\w+`));
		await editor.screenshot('trigger-messageflow');
	},
};

// Each walk leaves a screenshot of the page it failed on, next to the others.
export const tests = Object.fromEntries(
	Object.entries(walks).map(([name, walk]) => [
		name,
		async (ctx) => {
			try {
				await walk(ctx);
			} catch (error) {
				const state = states.get(ctx.n8n);
				if (state) state.failed = true;
				if (state) await state.editor.screenshot(`FAILED-${name.slice(0, 40).replace(/\W+/g, '-')}`).catch(() => {});
				throw error;
			}
		},
	]),
);
