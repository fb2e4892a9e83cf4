// The build. n8n loads compiled JavaScript from dist/, and may only `require` the modules it ships
// (n8n-workflow, zod, luxon, …) plus relative files. So:
// - TypeScript is compiled into build/compiled (not shipped; bench/micro.mjs reads it);
// - the package's own code is bundled from there into one file, dist/sms-gateway.js: n8n loads
//   every node and credential module at start-up, and one file instead of 83 takes about a third
//   less time (no module resolution and file reads per file; bench/micro.mjs "cold load", README
//   "Performance"); n8n-workflow and zod stay outside, as n8n's own copies;
// - each node and credential file that package.json lists is a one-line module that hands n8n its
//   class from that bundle (n8n finds icons and codex files beside these);
// - the one outside library, libphonenumber-js with its metadata, is bundled into dist/vendor and
//   loaded on first use only.
const { series, src, dest } = require('gulp');
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { bundlePhoneLibrary } = require('./vendor/bundle');

const root = __dirname;
const dist = path.join(root, 'dist');
const compiled = path.join(root, 'build/compiled');
const BUNDLE = 'sms-gateway.js';
// What both bundles are: one CommonJS file for the Node that runs n8n.
const BUNDLE_OPTIONS = { bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning' };

function clean(done) {
	fs.rmSync(dist, { recursive: true, force: true });
	fs.rmSync(compiled, { recursive: true, force: true });
	done();
}

function compile(done) {
	const tsc = require.resolve('typescript/bin/tsc');
	const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', compiled], { cwd: root, stdio: 'inherit' });
	done(result.status === 0 ? undefined : new Error('TypeScript compilation failed'));
}

async function bundlePackage() {
	const esbuild = require('esbuild');
	await esbuild.build({
		entryPoints: [path.join(compiled, 'index.js')],
		outfile: path.join(dist, BUNDLE),
		...BUNDLE_OPTIONS,
		// n8n's own copies; everything else the package needs is in its source.
		external: ['n8n-workflow', 'zod'],
		plugins: [
			{
				// libphonenumber stays a file of its own, loaded on first use (shared/phone.ts): its
				// import, written from a file deep in nodes/, is pointed at it from the bundle.
				name: 'phone-library-on-first-use',
				setup(build) {
					build.onResolve({ filter: /vendor\/libphonenumber$/ }, () => ({ path: './vendor/libphonenumber.js', external: true }));
				},
			},
		],
		legalComments: 'none',
	});
	// The modules n8n loads: each hands over its class (named like the file) from the bundle.
	const pkg = require('./package.json');
	for (const file of [...pkg.n8n.nodes, ...pkg.n8n.credentials]) {
		const className = path.basename(file).replace(/\.(node|credentials)\.js$/, '');
		const target = path.join(root, file);
		const bundle = path.relative(path.dirname(target), path.join(dist, BUNDLE)).split(path.sep).join('/').replace(/^(?!\.)/, './');
		fs.mkdirSync(path.dirname(target), { recursive: true });
		fs.writeFileSync(target, `'use strict';\n// Built by gulpfile.js: the class comes from the package's bundle.\nexports.${className} = require('${bundle}').${className};\n`);
	}
	fs.writeFileSync(path.join(dist, 'index.js'), `'use strict';\n// Built by gulpfile.js.\nmodule.exports = require('./${BUNDLE}');\n`);
}

async function bundleVendor() {
	// From the library's own source, one helper replaced: see vendor/bundle.js.
	await bundlePhoneLibrary(path.join(dist, 'vendor/libphonenumber.js'), {
		minify: true,
		// The library logs in two places; n8n's scanner refuses console calls in shipped code.
		drop: ['console'],
		legalComments: 'eof',
	});
	// Ship the bundled library's licence beside it.
	fs.copyFileSync(path.join(root, 'node_modules/libphonenumber-js/LICENSE'), path.join(dist, 'vendor/libphonenumber-js.LICENSE.txt'));
}

function copyAssets() {
	return src(['nodes/**/*.svg', 'nodes/**/*.png', 'nodes/**/*.node.json', 'credentials/**/*.svg'], { base: '.', encoding: false }).pipe(
		dest(dist),
	);
}

exports.clean = clean;
exports.build = series(clean, compile, bundlePackage, bundleVendor, copyAssets);
exports.default = exports.build;
