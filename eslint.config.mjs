// Lint. Everything that ships (nodes/, credentials/, index.ts) is held to n8n's community rules,
// the same ones n8n's verification scanner applies, with zero warnings allowed.
// The development tools beside it (simulator, tests, benchmarks, scripts, the vendor entry that
// the build bundles) run in plain Node and need what shipped code may not touch (http, fs,
// process, timers, libraries outside n8n's list), so for them the n8n rules are switched off and
// ordinary TypeScript rules remain. The bundled vendor code is still checked: `npm run verify`
// runs n8n's scanner on the packed tarball, which lints every shipped JS file.
import { config } from '@n8n/node-cli/eslint';
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';

const DEV_FILES = ['simulator/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts', 'vendor/**/*.ts'];

const off = (prefix, rules) => Object.fromEntries(Object.keys(rules).map((name) => [`${prefix}/${name}`, 'off']));

export default [
	{ ignores: ['dist/**', 'node_modules/**', 'coverage/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
	...config,
	{
		files: DEV_FILES,
		rules: {
			...off('@n8n/community-nodes', n8nCommunityNodesPlugin.rules),
			...off('n8n-nodes-base', n8nNodesBase.rules),
			'no-console': 'off',
			'import-x/no-unresolved': 'off',
		},
	},
];
