#!/usr/bin/env node
// Verification gate: what n8n checks before it verifies a community package, run locally.
// 1. package.json rules (no runtime dependencies, peer dependency, files, no install scripts…).
// 2. n8n's scanner lint over the packed tarball (every shipped JS file, bundled vendor code too).
// 3. The same scanner config over the source leg (package.json, nodes/, credentials/), as the
//    scanner does for the source a package's provenance points at.
// Any error or warning fails. It needs the build (npm run build) and works offline.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import glob from 'fast-glob';
import { buildScanConfig, SOURCE_FILE_PATTERNS } from '@n8n/scan-community-package/scanner/scanner.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const problems = [];
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

// 1. package.json
if (pkg.dependencies && Object.keys(pkg.dependencies).length > 0) problems.push(`runtime dependencies present: ${Object.keys(pkg.dependencies).join(', ')}`);
if (JSON.stringify(pkg.peerDependencies) !== JSON.stringify({ 'n8n-workflow': '*' })) problems.push('peerDependencies must be exactly {"n8n-workflow": "*"}');
if (JSON.stringify(pkg.files) !== JSON.stringify(['dist'])) problems.push('files must be ["dist"]');
if (pkg.license !== 'MIT') problems.push('license must be MIT');
if (!pkg.name.startsWith('n8n-nodes-')) problems.push('name must start with n8n-nodes-');
if (!pkg.keywords?.includes('n8n-community-node-package')) problems.push('keyword n8n-community-node-package missing');
for (const hook of ['preinstall', 'install', 'postinstall', 'prepare', 'prepublish', 'preprepare', 'postprepare']) {
	if (pkg.scripts?.[hook]) problems.push(`lifecycle script "${hook}" is not allowed`);
}
for (const file of [...pkg.n8n.nodes, ...pkg.n8n.credentials]) {
	if (!fs.existsSync(path.join(root, file))) problems.push(`${file} listed in package.json is missing (run npm run build)`);
}

// 2. pack and unpack like n8n's scanner does
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'sms-gateway-verify-'));
const tarball = execFileSync('npm', ['pack', '--silent', '--pack-destination', work], { cwd: root, encoding: 'utf8' }).trim().split('\n').pop();
const unpacked = path.join(work, 'package');
execFileSync('tar', ['-xzf', path.join(work, tarball), '-C', work]);

// Shipped JS may only require what n8n provides, and relative files.
const allowed = new Set(['n8n-workflow', 'zod', 'lodash', 'luxon', 'moment', 'p-limit', 'crypto', 'node:crypto']);
for (const file of glob.sync('dist/**/*.js', { cwd: unpacked })) {
	const text = fs.readFileSync(path.join(unpacked, file), 'utf8');
	for (const match of text.matchAll(/require\(\s*["']([^"']+)["']\s*\)/g)) {
		const name = match[1];
		if (name.startsWith('.')) continue;
		const base = name.startsWith('@') ? name.split('/').slice(0, 2).join('/') : name.split('/')[0];
		if (!allowed.has(name) && !allowed.has(base)) problems.push(`${file} requires "${name}", which n8n does not provide at run time`);
	}
}

async function lint(cwd, patterns, label) {
	const eslint = new ESLint({ cwd, allowInlineConfig: false, overrideConfigFile: true, overrideConfig: await buildScanConfig() });
	const files = glob.sync(patterns, { cwd, absolute: true, ignore: ['node_modules/**', '**/package-lock.json'] });
	const results = await eslint.lintFiles(files);
	const errors = results.reduce((sum, result) => sum + result.errorCount, 0);
	const warnings = results.reduce((sum, result) => sum + result.warningCount, 0);
	console.log(`${label}: ${files.length} files, ${errors} errors, ${warnings} warnings`);
	if (errors + warnings > 0) {
		const formatter = await eslint.loadFormatter('stylish');
		console.log(await formatter.format(results));
		problems.push(`${label}: ${errors} errors, ${warnings} warnings`);
	}
}

await lint(unpacked, ['**/*.js', '**/*.ts', '**/*.json'], 'scanner, packed tarball');
await lint(root, SOURCE_FILE_PATTERNS, 'scanner, source (package.json, nodes/, credentials/)');
const size = fs.statSync(path.join(work, tarball)).size;
fs.rmSync(work, { recursive: true, force: true });

if (problems.length > 0) {
	console.error(`verify: FAILED\n- ${problems.join('\n- ')}`);
	process.exit(1);
}
console.log(`verify: passed (${tarball}, ${(size / 1024).toFixed(0)} KiB packed)`);
