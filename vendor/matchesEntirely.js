// Stands in for libphonenumber-js's helpers/matchesEntirely.js in the bundle (vendor/bundle.js).
//
// The library answers "does this text match this metadata pattern as a whole?" by building
// `new RegExp('^(?:' + pattern + ')$')` on every call: several times per number parsed, checked or
// formatted. Building it means joining and hashing a pattern of up to a few hundred characters and
// a new RegExp object each time, which was about a fifth of the library's time per number
// (bench/micro.mjs; CPU profiles of a 2,000-number send). The patterns all come from the bundled
// metadata (a fixed, finite set), and test() on a RegExp without the g or y flag keeps no state
// between calls, so each pattern is compiled once and kept for the life of the process.
const compiled = new Map();

export default function matchesEntirely(text, pattern) {
	let expression = compiled.get(pattern);
	if (expression === undefined) {
		expression = new RegExp('^(?:' + pattern + ')$');
		compiled.set(pattern, expression);
	}
	return expression.test(text || '');
}
