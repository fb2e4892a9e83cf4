#!/usr/bin/env node
// Proves the harness itself, independent of this repo's build:
//  1. packs a throwaway community package (temp dir, never in the repo) with one node that
//     outputs {hello:'world'}, installs it the way n8n 2.x does, runs Manual Trigger -> Hello
//     through `n8n execute`, and checks the output; also a failing run (node throws);
//  2. runs n8n's built-in HTTP Request node against a tiny Node server on 127.0.0.1, proving
//     loopback HTTP from inside n8n works (SSRF protection off, no proxy);
//  3. optionally (--server) starts `n8n start`, sets up the owner over REST, activates a
//     Webhook-trigger workflow and calls it.
//
// Usage: node test/e2e/selftest.mjs [--line 2.x|1.x] [--server]
// Prints `E2E: N passed, M failed` like run.mjs.

import assert from 'node:assert/strict';
import http from 'node:http';
import { parseArgs } from 'node:util';

import { LINES, prepareN8n } from './lib/n8n.mjs';
import { buildHelloPackage, HELLO_NODE_TYPE } from './lib/throwaway-package.mjs';
import { manualTrigger, connect } from './lib/workflow.mjs';

const { values } = parseArgs({
	options: { line: { type: 'string', multiple: true }, server: { type: 'boolean', default: false } },
});
const lines = values.line?.length ? values.line : LINES;

function startEchoServer() {
	return new Promise((resolve) => {
		const srv = http.createServer((req, res) => {
			let body = '';
			req.on('data', (d) => (body += d));
			req.on('end', () => {
				res.setHeader('content-type', 'application/json');
				res.end(JSON.stringify({ echoed: true, method: req.method, url: req.url, body }));
			});
		});
		srv.listen(0, '127.0.0.1', () => resolve(srv));
	});
}

let passed = 0;
let failed = 0;
async function check(name, fn) {
	const t0 = Date.now();
	try {
		await fn();
		passed++;
		console.log(`PASS ${name} (${Date.now() - t0} ms)`);
	} catch (err) {
		failed++;
		console.log(`FAIL ${name} (${Date.now() - t0} ms)\n${String(err?.stack ?? err).replace(/^/gm, '    ')}`);
	}
}

const tarball = await buildHelloPackage();
console.log(`throwaway package: ${tarball}`);
const echo = await startEchoServer();
const echoUrl = `http://127.0.0.1:${echo.address().port}`;

for (const line of lines) {
	let n8n;
	await check(`[${line}] prepare (install throwaway package)`, async () => {
		n8n = await prepareN8n({ line, tarball, log: (m) => console.log(`  ${m}`) });
	});
	if (!n8n) continue;

	await check(`[${line}] Manual Trigger -> community node outputs {hello:'world'}`, async () => {
		const wf = connect([
			manualTrigger(),
			{ name: 'Hello', type: HELLO_NODE_TYPE, typeVersion: 1, parameters: {} },
		]);
		const r = await n8n.executeWorkflow(wf);
		assert.ok(r.ok, `execution failed: ${JSON.stringify(r.error)}\n${r.logs().join('\n')}`);
		assert.equal(r.lastNodeExecuted, 'Hello');
		assert.deepEqual(r.lastNodeOutput, [{ hello: 'world' }]);
		console.log(`  execute took ${r.durationMs} ms`);
	});

	await check(`[${line}] failing community node reports NodeOperationError`, async () => {
		const wf = connect([
			manualTrigger(),
			{ name: 'Hello', type: HELLO_NODE_TYPE, typeVersion: 1, parameters: { fail: true } },
		]);
		const r = await n8n.executeWorkflow(wf);
		assert.equal(r.ok, false);
		assert.match(r.error?.message ?? '', /asked to fail/);
		assert.ok(r.nodeErrors.Hello, 'error attached to the Hello node');
		console.log(`  execute (failing) took ${r.durationMs} ms`);
	});

	await check(`[${line}] built-in HTTP Request node reaches a loopback server`, async () => {
		const wf = connect([
			manualTrigger(),
			{
				name: 'HTTP',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				parameters: {
					method: 'POST',
					url: `${echoUrl}/ping?x=1`,
					sendBody: true,
					specifyBody: 'json',
					jsonBody: '{"a":1}',
					options: {},
				},
			},
		]);
		const r = await n8n.executeWorkflow(wf);
		assert.ok(r.ok, `execution failed: ${JSON.stringify(r.error)}\n${r.logs().join('\n')}`);
		assert.equal(r.lastNodeOutput.length, 1);
		assert.equal(r.lastNodeOutput[0].echoed, true);
		assert.equal(r.lastNodeOutput[0].url, '/ping?x=1');
		assert.deepEqual(JSON.parse(r.lastNodeOutput[0].body), { a: 1 });
	});

	if (values.server) {
		await check(`[${line}] n8n start + owner setup + activate webhook workflow`, async () => {
			const id = await n8n.importWorkflow(
				connect([
					{
						name: 'Webhook',
						type: 'n8n-nodes-base.webhook',
						typeVersion: 2,
						webhookId: 'e2e-selftest-hook',
						parameters: { httpMethod: 'POST', path: 'e2e-selftest', responseMode: 'onReceived', options: {} },
					},
					{ name: 'Hello', type: HELLO_NODE_TYPE, typeVersion: 1, parameters: {} },
				]),
			);
			const t0 = Date.now();
			const srv = await n8n.start();
			console.log(`  n8n start ready in ${Date.now() - t0} ms at ${srv.baseUrl}`);
			try {
				await srv.setupOwner();
				await srv.activateWorkflow(id);
				const res = await srv.webhook('e2e-selftest', { body: { x: 1 } });
				assert.equal(res.status, 200, await res.text());
				const execs = await srv.executions({ workflowId: id });
				assert.ok(Array.isArray(execs), 'executions list');
			} finally {
				await srv.stop();
			}
		});
	}
	await n8n.cleanup();
}

echo.close();
console.log(`E2E: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
