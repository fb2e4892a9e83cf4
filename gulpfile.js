// The build. n8n loads compiled JavaScript from dist/, and may only `require` the modules it ships
// (n8n-workflow, zod, luxon, …) plus relative files; so TypeScript is compiled as it is, and the one
// outside library we use, libphonenumber-js with its metadata, is bundled into dist/vendor.
const { series, src, dest } = require('gulp');
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = __dirname;
const dist = path.join(root, 'dist');

function clean(done) {
	fs.rmSync(dist, { recursive: true, force: true });
	done();
}

function compile(done) {
	const tsc = require.resolve('typescript/bin/tsc');
	const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
	done(result.status === 0 ? undefined : new Error('TypeScript compilation failed'));
}

async function bundleVendor() {
	const esbuild = require('esbuild');
	await esbuild.build({
		entryPoints: [path.join(root, 'vendor/libphonenumber.ts')],
		outfile: path.join(dist, 'vendor/libphonenumber.js'),
		bundle: true,
		platform: 'node',
		format: 'cjs',
		target: 'node20',
		minify: true,
		// The library logs in two places; n8n's scanner refuses console calls in shipped code.
		drop: ['console'],
		legalComments: 'eof',
		logLevel: 'warning',
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
exports.build = series(clean, compile, bundleVendor, copyAssets);
exports.default = exports.build;
