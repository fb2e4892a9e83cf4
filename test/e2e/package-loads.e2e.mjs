// Smoke test, independent of what the nodes do: the packed package installs like a
// community package and a real n8n registers every node and credential it declares, with
// the node types named `<package>.<node>` as in production, and every credential a node
// refers to exists. Uses one `n8n start` per line (~15 s).

import { describeInstalledPackage } from './lib/package-info.mjs';

export const tests = {
	async 'n8n registers every declared node and credential'({ n8n, assert, log }) {
		const info = await describeInstalledPackage(n8n);
		assert.ok(info.nodes.length > 0, 'package.json n8n.nodes lists at least one node');
		const srv = await n8n.start();
		try {
			await srv.setupOwner();
			const nodeTypes = await srv.nodeTypes();
			const credTypes = await srv.credentialTypes();
			const nodeNames = new Set(nodeTypes.map((t) => t.name));
			const credNames = new Set(credTypes.map((t) => t.name));
			for (const node of info.nodes) {
				const type = `${info.name}.${node.name}`;
				assert.ok(nodeNames.has(type), `n8n ${n8n.version} did not register node type ${type} (${node.file})`);
				for (const c of node.credentials) {
					assert.ok(credNames.has(c), `node ${type} uses credential type ${c}, which n8n does not know`);
				}
			}
			for (const cred of info.credentials) {
				assert.ok(credNames.has(cred.name), `n8n ${n8n.version} did not register credential ${cred.name} (${cred.file})`);
			}
			log(`registered: ${info.nodes.map((n) => `${info.name}.${n.name}`).join(', ')}; credentials: ${info.credentials.map((c) => c.name).join(', ')}`);
		} finally {
			await srv.stop();
		}
	},
};
