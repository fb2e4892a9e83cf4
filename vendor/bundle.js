// Bundles libphonenumber-js (with its min metadata) into one file: dist/vendor/libphonenumber.js
// in the build (gulpfile.js), and a temporary copy in test/unit/phoneLibraryBundle.test.ts, which
// checks that the bundle answers exactly as the library does.
//
// Two changes to how the library is put together, both for speed, neither to what it answers:
// - It is bundled from the untranspiled source it ships (libphonenumber-js/source) instead of its
//   es6/ build. That build was written for old browsers by Babel: every `{ ...options }` became a
//   helper that copies properties one by one through property descriptors, and parsing one
//   number makes three such copies (about a third of the time of parsing a number, CPU profile).
//   Node 20 runs the source as written. The two trees hold the same files (one is made from the
//   other), so every import in es6/ has its counterpart in source/; a missing one fails the build.
// - helpers/matchesEntirely.js is replaced by vendor/matchesEntirely.js, which compiles each
//   pattern once (see there).
// Measured with bench/micro.mjs (2026-11-24): the phone check of a number 6.2 → 3.9 µs warm; the
// first 2,000 items of a fresh process 35–39 → 29–33 ms.
const path = require('node:path');

const LIBRARY = /[\\/]node_modules[\\/]libphonenumber-js[\\/]/;
const TRANSPILED = /([\\/]libphonenumber-js[\\/])es6([\\/])/;
const MATCHES_ENTIRELY = /[\\/]libphonenumber-js[\\/]source[\\/]helpers[\\/]matchesEntirely\.js$/;

const fromSource = {
	name: 'libphonenumber-from-source',
	setup(build) {
		build.onResolve({ filter: /^\.\.?\// }, (args) => {
			if (!LIBRARY.test(args.importer)) return undefined;
			const resolved = path.resolve(path.dirname(args.importer), args.path).replace(TRANSPILED, '$1source$2');
			// The library declares itself free of side effects (package.json "sideEffects": false),
			// which lets esbuild leave out what is not used (AsYouType, findNumbers, …); a path a
			// plugin resolves does not carry that over by itself.
			return { path: MATCHES_ENTIRELY.test(resolved) ? path.join(__dirname, 'matchesEntirely.js') : resolved, sideEffects: false };
		});
	},
};

/** Writes the bundle to `outfile`; `options` go to esbuild as they are (minify, drop, …). */
async function bundlePhoneLibrary(outfile, options = {}) {
	const esbuild = require('esbuild');
	await esbuild.build({
		entryPoints: [path.join(__dirname, 'libphonenumber.ts')],
		outfile,
		bundle: true,
		platform: 'node',
		format: 'cjs',
		target: 'node20',
		logLevel: 'warning',
		plugins: [fromSource],
		...options,
	});
}

module.exports = { bundlePhoneLibrary };
