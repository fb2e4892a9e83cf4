// Builds a tiny, throwaway n8n community package in a temp dir (never in the repo) and
// packs it with `npm pack`. It exists only to prove the harness end to end without
// depending on the real package's build: one node, `n8n-nodes-e2e-hello.hello`, that
// outputs {hello: 'world'} per input item.
//
// The node deliberately `require`s n8n-workflow: the community install strips
// peerDependencies, so this proves n8n resolves its own copy for community code.

import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runCommand } from './proc.mjs';

export const HELLO_PACKAGE = 'n8n-nodes-e2e-hello';
export const HELLO_NODE_TYPE = `${HELLO_PACKAGE}.hello`;

const NODE_SOURCE = `'use strict';
const { NodeOperationError } = require('n8n-workflow');

class Hello {
	constructor() {
		this.description = {
			displayName: 'E2E Hello',
			name: 'hello',
			icon: 'fa:hand-paper',
			group: ['transform'],
			version: 1,
			description: 'Outputs {hello: "world"}',
			defaults: { name: 'E2E Hello' },
			inputs: ['main'],
			outputs: ['main'],
			properties: [
				{ displayName: 'Fail', name: 'fail', type: 'boolean', default: false },
			],
		};
	}

	async execute() {
		const items = this.getInputData();
		const out = [];
		for (let i = 0; i < items.length; i++) {
			if (this.getNodeParameter('fail', i)) {
				throw new NodeOperationError(this.getNode(), 'asked to fail', { itemIndex: i });
			}
			out.push({ json: { hello: 'world' }, pairedItem: { item: i } });
		}
		return [out];
	}
}

module.exports = { Hello };
`;

/** Returns the absolute path of a freshly packed .tgz (in its own temp dir). */
export async function buildHelloPackage({ version = '0.0.1' } = {}) {
	const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'n8n-e2e-hello-pkg-'));
	await fs.mkdir(path.join(dir, 'dist', 'nodes', 'Hello'), { recursive: true });
	await fs.writeFile(path.join(dir, 'dist', 'nodes', 'Hello', 'Hello.node.js'), NODE_SOURCE);
	const pkg = {
		name: HELLO_PACKAGE,
		version,
		description: 'throwaway package for the e2e harness self-test',
		license: 'MIT',
		keywords: ['n8n-community-node-package'],
		main: 'index.js',
		files: ['dist'],
		n8n: { n8nNodesApiVersion: 1, credentials: [], nodes: ['dist/nodes/Hello/Hello.node.js'] },
		// Mirrors the real package: stripped by the community install, so never installed.
		peerDependencies: { 'n8n-workflow': '*' },
		devDependencies: { 'n8n-workflow': '*' },
	};
	await fs.writeFile(path.join(dir, 'package.json'), JSON.stringify(pkg, null, 2));
	const r = await runCommand('npm', ['pack', '--silent', '--ignore-scripts'], { cwd: dir, env: process.env });
	if (r.code !== 0) throw new Error(`npm pack failed: ${r.stderr}`);
	const name = r.stdout.trim().split('\n').pop().trim();
	return path.join(dir, name);
}
