// SMSGateway24 in real n8n: the packed package, its credential (with n8n's own preAuthentication
// and encrypted token storage), and every example workflow, run with `n8n execute` against the
// simulator. Assertions read the workflow's output and the requests the simulator received.
import fs from 'node:fs';
import path from 'node:path';

import { REPO_ROOT } from '../../scripts/n8n-env.mjs';
import { SIMULATOR_ACCOUNTS } from './lib/accounts.mjs';

export const needsSimulator = true;

const CREDENTIAL_ID = 'SmsGw24Simulator';
const PANEL_TOKEN = SIMULATOR_ACCOUNTS.smsGateway24.panelToken;
const PASSWORD = SIMULATOR_ACCOUNTS.smsGateway24.password;

const prepared = new WeakMap();

/** Imports the credential and all example workflows into this n8n once. */
async function setup(ctx) {
	if (prepared.has(ctx.n8n)) return prepared.get(ctx.n8n);
	const baseUrl = `${ctx.sim.url}/smsgateway24`;
	await ctx.n8n.importCredentials([
		{
			id: CREDENTIAL_ID,
			name: 'SMSGateway24 (simulator)',
			type: 'smsGateway24Api',
			data: { authMethod: 'emailPassword', email: SIMULATOR_ACCOUNTS.smsGateway24.email, password: PASSWORD, baseUrl },
		},
		{
			id: 'SmsGw24PanelTokn',
			name: 'SMSGateway24 token (simulator)',
			type: 'smsGateway24Api',
			data: { authMethod: 'token', apiToken: PANEL_TOKEN, baseUrl },
		},
	]);
	const dir = path.join(REPO_ROOT, 'examples');
	const examples = fs
		.readdirSync(dir)
		.filter((file) => file.startsWith('smsgateway24-') && file.endsWith('.json'))
		.map((file) => JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')));
	await ctx.n8n.importWorkflow(examples);
	const ids = Object.fromEntries(examples.map((flow) => [flow.name, flow.id]));
	prepared.set(ctx.n8n, ids);
	return ids;
}

async function received(ctx, method) {
	const all = await ctx.sim.requests();
	return all.filter((request) => request.provider === 'smsgateway24' && request.path.endsWith(`/getdata/${method}`));
}

function expectOk(ctx, result) {
	ctx.assert.ok(result.ok, `workflow failed: ${JSON.stringify(result.error ?? result.nodeErrors)?.slice(0, 800)}\n${result.stderr.slice(-1500)}`);
}

/** No credential value may appear anywhere in what n8n printed for the run. */
function expectNoSecrets(ctx, result, extra = []) {
	for (const secret of [PASSWORD, PANEL_TOKEN, ...extra]) {
		ctx.assert.ok(!result.stdout.includes(secret), `a credential value appears in the run output`);
		ctx.assert.ok(!result.stderr.includes(secret), `a credential value appears in n8n's log`);
	}
}

/**
 * Manual Trigger → one item per entry of `list` → Send (SMSGateway24, pasted token, Continue On
 * Fail). Plain values arrive as `$json.value`, objects as their own fields.
 */
function sendEachWithContinueOnFail(ctx, list, { recipients, device }) {
	return ctx.wf.connect([
		ctx.wf.manualTrigger(),
		{
			name: 'Items',
			type: 'n8n-nodes-base.set',
			typeVersion: 3.4,
			parameters: { mode: 'raw', jsonOutput: JSON.stringify({ list: list.map((entry) => (typeof entry === 'object' ? entry : { value: entry })) }), options: {} },
		},
		{ name: 'Split', type: 'n8n-nodes-base.splitOut', typeVersion: 1, parameters: { fieldToSplitOut: 'list', options: {} } },
		{
			name: 'Send',
			type: 'n8n-nodes-sms-gateway.smsGateway',
			typeVersion: 1,
			continueOnFail: true,
			onError: 'continueRegularOutput',
			credentials: { smsGateway24Api: { id: 'SmsGw24PanelTokn', name: 'SMSGateway24 token (simulator)' } },
			parameters: {
				provider: 'smsGateway24',
				resource: 'message',
				operation: 'send',
				recipients,
				message: 'Hello',
				device: { __rl: true, mode: 'id', value: device },
			},
		},
	]);
}

export const tests = {
	async 'send a one-time code (example), logging in through the credential'(ctx) {
		const ids = await setup(ctx);
		const result = await ctx.n8n.execute(ids['SMSGateway24: send a one-time code']);
		expectOk(ctx, result);
		const [item] = result.output('Send Code');
		ctx.assert.equal(result.output('Send Code').length, 1);
		ctx.assert.equal(item.provider, 'smsGateway24');
		ctx.assert.equal(item.recipient, '+4915752982212');
		ctx.assert.equal(item.status, 'queued');
		ctx.assert.equal(item.encoding, 'GSM-7');
		ctx.assert.equal(item.segments, 1);
		ctx.assert.match(item.messageId, /^\d+$/);
		const logins = await received(ctx, 'gettoken');
		ctx.assert.equal(logins.length, 1, 'one login');
		const sends = await received(ctx, 'addsms');
		ctx.assert.equal(sends.length, 1);
		ctx.assert.equal(sends[0].body.sendto, '+4915752982212');
		ctx.assert.equal(sends[0].body.urgent, '1');
		ctx.assert.equal(sends[0].body.customerid, '1001');
		ctx.assert.equal(sends[0].body.token, logins[0].response.body.token);
		ctx.assert.equal(String(sends[0].response.body.sms_id), item.messageId);
		expectNoSecrets(ctx, result, [logins[0].response.body.token]);
	},

	async 'an expired token is renewed once, stored by n8n, and reused'(ctx) {
		const ids = await setup(ctx);
		const id = ids['SMSGateway24: send a one-time code'];
		expectOk(ctx, await ctx.n8n.execute(id)); // makes sure a token is stored
		await ctx.sim.control('POST', '/expire-tokens', { provider: 'smsgateway24' });
		await ctx.sim.control('DELETE', '/requests');
		const renewed = await ctx.n8n.execute(id);
		expectOk(ctx, renewed);
		// The run's first request is the device check (getalldevices): it meets the expired token.
		const lookUps = await received(ctx, 'getalldevices');
		ctx.assert.deepEqual(
			lookUps.map((request) => request.response.body.error ?? 0),
			[1, 0],
			'refused with the old token, answered with the new one',
		);
		const sends = await received(ctx, 'addsms');
		ctx.assert.deepEqual(sends.map((request) => request.response.body.error), [0], 'sent once, with the new token');
		ctx.assert.equal(sends[0].body.token, lookUps[1].body.token);
		ctx.assert.equal((await received(ctx, 'gettoken')).length, 1, 'exactly one new login');
		// The next run uses the token n8n stored: no login at all.
		await ctx.sim.control('DELETE', '/requests');
		expectOk(ctx, await ctx.n8n.execute(id));
		ctx.assert.equal((await received(ctx, 'gettoken')).length, 0, 'the renewed token was stored');
		ctx.assert.equal((await received(ctx, 'addsms')).length, 1);
	},

	async 'personalised bulk campaign (example): 25 items in 3 requests, ids looked up'(ctx) {
		const ids = await setup(ctx);
		const result = await ctx.n8n.execute(ids['SMSGateway24: personalised bulk campaign']);
		expectOk(ctx, result);
		const items = result.output('Send Campaign');
		ctx.assert.equal(items.length, 25);
		// A token stored by an earlier test is refused after the simulator's reset: the node then
		// logs in again and repeats that request, so only accepted requests are counted here.
		const requests = (await received(ctx, 'addalotofsms')).filter((request) => request.response?.body?.error === 0);
		ctx.assert.equal(requests.length, 3, `batches of 10: ${JSON.stringify(requests.map((r) => [JSON.parse(r.body.datajson).smsdata.length, r.response?.status, r.response?.body]))}`);
		const sent = requests.flatMap((request) => JSON.parse(request.body.datajson).smsdata);
		ctx.assert.equal(sent.length, 25);
		ctx.assert.equal(sent[24].body, 'Hi Customer 25, our spring sale starts today: 20% off with code SPRING.');
		ctx.assert.equal(items[24].recipient, '+4915710100024');
		ctx.assert.ok(items.every((item) => /^\d+$/.test(item.messageId)), 'every message id was looked up');
		ctx.assert.equal(new Set(items.map((item) => item.messageId)).size, 25);
	},

	async 'send, then get the status (example)'(ctx) {
		const ids = await setup(ctx);
		const result = await ctx.n8n.execute(ids['SMSGateway24: send, then check the status']);
		expectOk(ctx, result);
		const sent = result.output('Send');
		const statuses = result.output('Get Status');
		ctx.assert.equal(sent.length, 2);
		ctx.assert.deepEqual(
			statuses.map((item) => item.messageId),
			sent.map((item) => item.messageId),
		);
		ctx.assert.ok(statuses.every((item) => item.status === 'queued' && item.providerStatus === 1));
	},

	async 'incoming messages and devices (examples)'(ctx) {
		const ids = await setup(ctx);
		await ctx.sim.control('POST', '/incoming', { provider: 'smsgateway24', from: '+4917600000001', body: 'YES please', deviceId: '260' });
		const inbox = await ctx.n8n.execute(ids['SMSGateway24: read incoming messages']);
		expectOk(ctx, inbox);
		const incoming = inbox.output('Incoming Messages');
		ctx.assert.equal(incoming.length, 1);
		ctx.assert.equal(incoming[0].direction, 'inbound');
		ctx.assert.equal(incoming[0].status, 'received');
		ctx.assert.equal(incoming[0].sender, '+4917600000001');
		ctx.assert.equal(incoming[0].text, 'YES please');

		const devices = await ctx.n8n.execute(ids['SMSGateway24: check the phones']);
		expectOk(ctx, devices);
		ctx.assert.deepEqual(devices.output('Devices').map((device) => device.deviceId).sort(), ['1576', '260']);
		const online = Object.fromEntries(devices.output('Device Status').map((status) => [status.deviceId, status.online]));
		ctx.assert.deepEqual(online, { 260: true, 1576: false });
	},

	async 'tag, contact and newsletter (example)'(ctx) {
		const ids = await setup(ctx);
		const result = await ctx.n8n.execute(ids['SMSGateway24: tag, contact and newsletter']);
		expectOk(ctx, result);
		const [tag] = result.output('Create Tag');
		const [contact] = result.output('Create Contact');
		const [newsletter] = result.output('Create Newsletter');
		ctx.assert.match(tag.tagId, /^\d+$/);
		ctx.assert.equal(contact.phone, '+4915752982212');
		ctx.assert.equal(contact.tagId, tag.tagId);
		ctx.assert.match(newsletter.newsletterId, /^\d+$/);
		const [paket] = await received(ctx, 'savepaket');
		ctx.assert.equal(paket.body.tags, tag.tagId);
		ctx.assert.match(paket.body.time_to_send, /^\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}:\d{2}$/);
	},

	async 'bad input with Continue On Fail: an error item per bad item, the rest sent'(ctx) {
		await setup(ctx);
		const phones = ['+4915752982212', '+49 157 ABC', '+4917612345678'];
		const flow = sendEachWithContinueOnFail(ctx, phones, { recipients: '={{ $json.value }}', device: '260' });
		const result = await ctx.n8n.executeWorkflow(flow);
		expectOk(ctx, result);
		const items = result.output('Send');
		ctx.assert.equal(items.length, 3);
		ctx.assert.equal(items[0].status, 'queued');
		ctx.assert.match(items[1].error, /^Recipients: "\+49 157 ABC" is not a phone number/);
		ctx.assert.equal(items[2].status, 'queued');
		const sends = await received(ctx, 'addsms');
		ctx.assert.deepEqual(sends.map((request) => request.body.sendto), ['+4915752982212', '+4917612345678']);
		ctx.assert.equal(sends[0].body.token, PANEL_TOKEN);
		ctx.assert.equal((await received(ctx, 'gettoken')).length, 0, 'a pasted token needs no login');
		expectNoSecrets(ctx, result);
	},

	async 'an unknown device is an error item naming Device, before any send; the other item is sent'(ctx) {
		await setup(ctx);
		const targets = [
			{ phone: '+4915752982212', device: '260' },
			{ phone: '+4917612345678', device: '999999' },
		];
		const flow = sendEachWithContinueOnFail(ctx, targets, { recipients: '={{ $json.phone }}', device: '={{ $json.device }}' });
		const result = await ctx.n8n.executeWorkflow(flow);
		expectOk(ctx, result);
		const items = result.output('Send');
		ctx.assert.equal(items.length, 2);
		ctx.assert.equal(items[0].status, 'queued');
		ctx.assert.equal(items[1].error, 'Device: there is no device with ID 999999 in this SMSGateway24 account');
		ctx.assert.match(items[1].description ?? '', /Office Pixel \(\+4915752982212, ID 260\)/);
		const sends = await received(ctx, 'addsms');
		ctx.assert.deepEqual(sends.map((request) => request.body.device_id), ['260'], 'no send for the unknown device');
		ctx.assert.equal((await received(ctx, 'getalldevices')).length, 1, 'the devices are looked up once');
		expectNoSecrets(ctx, result);
	},

	async 'an image goes out over WhatsApp as multipart through n8n\'s request helper'(ctx) {
		await setup(ctx);
		// A 1×1 PNG, turned into binary data by n8n's own Convert to File node.
		const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
		const flow = ctx.wf.connect([
			ctx.wf.manualTrigger(),
			{ name: 'Picture', type: 'n8n-nodes-base.set', typeVersion: 3.4, parameters: { mode: 'raw', jsonOutput: JSON.stringify({ img: png }), options: {} } },
			{
				name: 'To File',
				type: 'n8n-nodes-base.convertToFile',
				typeVersion: 1.1,
				parameters: { operation: 'toBinary', sourceProperty: 'img', options: { fileName: 'pixel.png', mimeType: 'image/png' } },
			},
			{
				name: 'Send Picture',
				type: 'n8n-nodes-sms-gateway.smsGateway',
				typeVersion: 1,
				credentials: { smsGateway24Api: { id: CREDENTIAL_ID, name: 'SMSGateway24 (simulator)' } },
				parameters: {
					provider: 'smsGateway24',
					resource: 'message',
					operation: 'send',
					recipients: '+4915752982212',
					// Message is a required field in the editor (n8n refuses to run a workflow
					// with it empty); SMSGateway24 replaces the text with the image's address.
					message: 'Your parcel',
					device: { __rl: true, mode: 'id', value: '260' },
					channel: 3,
					smsGateway24Options: { imageBinaryProperty: 'data' },
				},
			},
		]);
		const result = await ctx.n8n.executeWorkflow(flow);
		expectOk(ctx, result);
		const [item] = result.output('Send Picture');
		ctx.assert.match(item.messageId, /^\d+$/);
		const sends = (await received(ctx, 'addsms')).filter((request) => request.response?.body?.error === 0);
		ctx.assert.equal(sends.length, 1);
		ctx.assert.match(sends[0].contentType, /^multipart\/form-data/);
		ctx.assert.equal(sends[0].files.length, 1);
		ctx.assert.equal(sends[0].files[0].mime, 'image/png');
		ctx.assert.equal(sends[0].files[0].size, Buffer.from(png, 'base64').length);
		ctx.assert.equal(sends[0].body.sim, '3');
		ctx.assert.ok(sends[0].body.token, 'the token travels inside the multipart body');
	},
};
