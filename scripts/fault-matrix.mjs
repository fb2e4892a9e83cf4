#!/usr/bin/env node
// `npm run faults`: runs the fault matrix (test/faults) and prints it as a table, cases × providers.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const run = spawnSync('npx', ['jest', 'test/faults', '--silent'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
const file = path.join(root, 'test-results', 'fault-matrix.json');
if (!fs.existsSync(file)) {
	console.error('no results: the fault matrix did not run');
	process.exit(1);
}
const { cases, results } = JSON.parse(fs.readFileSync(file, 'utf8'));
const columns = [...new Set(results.map((r) => `${r.provider} ${r.operation === 'send' ? 'send' : 'bulk'}`))];
const cell = (caseName, column) => {
	const found = results.find((r) => r.case === caseName && `${r.provider} ${r.operation === 'send' ? 'send' : 'bulk'}` === column);
	return found ? (found.passed ? 'pass' : 'FAIL') : 'n/a';
};
const lines = [`| case | ${columns.join(' | ')} |`, `|---|${columns.map(() => '---').join('|')}|`];
for (const caseName of cases) lines.push(`| ${caseName} | ${columns.map((column) => cell(caseName, column)).join(' | ')} |`);
console.log(lines.join('\n'));
const failed = results.filter((r) => !r.passed);
for (const r of failed) console.log(`\nFAIL ${r.provider} ${r.operation} · ${r.case}: ${r.detail}`);
console.log(`\nfault matrix: ${results.length - failed.length} passed, ${failed.length} failed`);
process.exit(run.status === 0 && failed.length === 0 ? 0 : 1);
