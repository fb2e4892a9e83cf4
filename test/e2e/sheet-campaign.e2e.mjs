// Bulk campaign from a sheet (issue #9): examples/bulk-campaign-from-sheet.json in real n8n, both lines.
// Manual Trigger → HTTP Request (the sheet as a CSV file) → Extract from File (CSV, header row) →
// SMS Gateway, Message → Send Bulk with SMSGateway24. The example points at a Google Sheets
// "Publish to web" link; here its URL is replaced at import time by the simulator's sample sheet
// (GET /__sim/files/customers.csv: six customers, row 4 with a number two digits too long).
import fs from 'node:fs';
import path from 'node:path';

import { REPO_ROOT } from '../../scripts/n8n-env.mjs';
import { SIMULATOR_ACCOUNTS } from './lib/accounts.mjs';

export const needsSimulator = true;

const EXAMPLE = 'bulk-campaign-from-sheet.json';
const PLACEHOLDER_URL = 'https://docs.google.com/spreadsheets/d/e/<your-sheet>/pub?output=csv';

// What the sample sheet holds, as the node must send it (numbers in E.164, texts personalised).
const GOOD_ROWS = [
	{ row: 0, to: '+4915710200001', text: 'Hi Anna, your code SPRING20 takes 20% off until Sunday.' },
	{ row: 1, to: '+4915710200002', text: 'Hi Ben, free delivery on every order, this week only.' },
	{ row: 2, to: '+4915710200003', text: 'Hi Carla, your code SPRING20 takes 20% off until Sunday.' },
	{ row: 4, to: '+4915710200005', text: 'Hi Emil, a second pair of glasses for half price.' },
	{ row: 5, to: '+4915710200006', text: 'Hi Frieda, free delivery on every order, this week only.' },
];
const BAD_ROW = 3;
const BAD_PHONE = '0157 1020 0004 4477';

const prepared = new WeakMap();

async function setup(ctx) {
	if (prepared.has(ctx.n8n)) return prepared.get(ctx.n8n);
	await ctx.n8n.importCredentials([
		{
			id: 'SmsGw24Simulator',
			name: 'SMSGateway24 (simulator)',
			type: 'smsGateway24Api',
			data: { authMethod: 'emailPassword', email: SIMULATOR_ACCOUNTS.smsGateway24.email, password: SIMULATOR_ACCOUNTS.smsGateway24.password, baseUrl: `${ctx.sim.url}/smsgateway24` },
		},
	]);
	const example = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'examples', EXAMPLE), 'utf8'));
	const download = example.nodes.find((node) => node.type === 'n8n-nodes-base.httpRequest');
	ctx.assert.equal(download.parameters.url, PLACEHOLDER_URL, 'the example ships the placeholder link');
	download.parameters.url = `${ctx.sim.url}/__sim/files/customers.csv`;
	await ctx.n8n.importWorkflow([example]);
	prepared.set(ctx.n8n, example.id);
	return example.id;
}

export const tests = {
	async 'bulk campaign from a sheet (example): one item per row, the bad number is an error item'(ctx) {
		const id = await setup(ctx);
		const result = await ctx.n8n.execute(id);
		ctx.assert.ok(result.ok, `workflow failed: ${JSON.stringify(result.error ?? result.nodeErrors)?.slice(0, 800)}\n${result.stderr.slice(-1500)}`);

		const rows = result.output('Read CSV Rows');
		ctx.assert.equal(rows.length, 6, `CSV rows: ${JSON.stringify(rows)}`);
		ctx.assert.deepEqual(Object.keys(rows[0]).sort(), ['name', 'offer', 'phone']);
		ctx.assert.equal(rows[BAD_ROW].phone, BAD_PHONE);

		// Output: one item per row, in the sheet's order.
		const items = result.output('Send Campaign');
		ctx.assert.equal(items.length, rows.length, `items: ${JSON.stringify(items).slice(0, 1500)}`);
		for (const { row, to } of GOOD_ROWS) {
			const item = items[row];
			ctx.assert.equal(item.error, undefined, `row ${row}: ${JSON.stringify(item)}`);
			ctx.assert.equal(item.recipient, to);
			ctx.assert.equal(item.status, 'queued');
			ctx.assert.match(String(item.messageId), /^\d+$/, `row ${row} has a looked-up message id: ${JSON.stringify(item)}`);
		}
		ctx.assert.equal(new Set(GOOD_ROWS.map(({ row }) => items[row].messageId)).size, GOOD_ROWS.length, 'distinct ids');
		const bad = items[BAD_ROW];
		ctx.assert.equal(typeof bad.error, 'string', `row ${BAD_ROW} is an error item: ${JSON.stringify(bad)}`);
		ctx.assert.match(bad.error, /^Recipients: /, 'the error names the field');
		ctx.assert.ok(bad.error.includes(BAD_PHONE), `the error names the number: ${bad.error}`);
		ctx.assert.equal(bad.messageId, undefined);

		// The simulator: the good rows' recipients, each exactly once, with their personalised texts.
		// (A token stored by an earlier test is refused after the simulator's reset; the node logs in
		// again and repeats that request, so only accepted requests count.)
		const accepted = (await ctx.sim.requests()).filter(
			(request) => request.provider === 'smsgateway24' && request.path.endsWith('/getdata/addalotofsms') && request.response?.body?.error === 0,
		);
		ctx.assert.equal(accepted.length, 1, 'one bulk request');
		const sent = accepted.flatMap((request) => JSON.parse(request.body.datajson).smsdata);
		const expected = GOOD_ROWS.map(({ to, text }) => ({ to, text }));
		ctx.assert.deepEqual(sent.map((sms) => ({ to: sms.sendto, text: sms.body })), expected);
		const state = await ctx.sim.control('GET', '/state?provider=smsgateway24');
		const stored = state.messages.map((message) => ({ to: message.sendto, text: message.body }));
		ctx.assert.deepEqual(
			[...stored].sort((a, b) => a.to.localeCompare(b.to)),
			expected,
			`stored messages: ${JSON.stringify(state.messages).slice(0, 1500)}`,
		);
		ctx.assert.deepEqual(
			GOOD_ROWS.map(({ row }) => items[row].messageId).sort(),
			state.messages.map((message) => String(message.id)).sort(),
			'each output id is the stored message of that row',
		);
	},
};
