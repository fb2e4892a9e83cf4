// Reads what an installed community package declares (node and credential names) by
// loading its dist files the way n8n does: under Node 24, with NODE_PATH pointing at the
// n8n install's node_modules so `require('n8n-workflow')` resolves to n8n's own copy (the
// package's own copy was stripped at install time, exactly as in production).

import path from 'node:path';

import { assertInstalled } from '../../../scripts/n8n-env.mjs';
import { runCommand } from './proc.mjs';

const PROBE = `
const path = require('path');
const dir = process.argv[1];
const pkg = require(path.join(dir, 'package.json'));
const out = { name: pkg.name, version: pkg.version, nodes: [], credentials: [] };
const instances = (file) => {
	const mod = require(path.join(dir, file));
	return Object.values(mod).filter((v) => typeof v === 'function').map((C) => new C());
};
for (const file of (pkg.n8n && pkg.n8n.nodes) || []) {
	for (const inst of instances(file)) {
		// Versioned nodes keep the shared description in \`description\` (baseDescription).
		const d = inst.description || inst.baseDescription || {};
		const versions = inst.nodeVersions ? Object.keys(inst.nodeVersions).map(Number) : [].concat(d.version ?? 1);
		const creds = new Set();
		const all = inst.nodeVersions ? Object.values(inst.nodeVersions).map((n) => n.description) : [d];
		for (const desc of all) for (const c of (desc && desc.credentials) || []) creds.add(c.name);
		out.nodes.push({ file, name: d.name, displayName: d.displayName, versions, credentials: [...creds],
			polling: !!d.polling, webhooks: (all[0] && all[0].webhooks || []).length, usableAsTool: !!d.usableAsTool });
	}
}
for (const file of (pkg.n8n && pkg.n8n.credentials) || []) {
	for (const inst of instances(file)) {
		out.credentials.push({ file, name: inst.name, displayName: inst.displayName, extends: inst.extends || [] });
	}
}
process.stdout.write(JSON.stringify(out));
`;

/** Describe an installed package (`instance.installed[i]`) of a prepared n8n instance. */
export async function describeInstalledPackage(instance, pkgName = instance.installed[0]?.name) {
	const pkg = instance.installed.find((p) => p.name === pkgName);
	if (!pkg) throw new Error(`package ${pkgName} is not installed in ${instance.nodesDir}`);
	const { node24, n8n } = assertInstalled(instance.line);
	const r = await runCommand(node24.node, ['-e', PROBE, pkg.dir], {
		cwd: pkg.dir,
		env: { ...instance.env, NODE_PATH: path.join(n8n.installDir, 'node_modules') },
		timeoutMs: 60_000,
	});
	if (r.code !== 0) throw new Error(`loading ${pkgName} like n8n does failed:\n${r.stderr}`);
	return JSON.parse(r.stdout);
}
