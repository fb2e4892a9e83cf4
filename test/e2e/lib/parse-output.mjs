// Pulls the execution result (n8n's IRun object) out of `n8n execute --rawOutput` output.
//
// Why this is not just JSON.parse(stdout):
//  - n8n 2.x prints the result through its logger (BaseCommand.log -> logger.info), and on a
//    failed run it logs the whole IRun at info level before throwing. We run n8n with
//    N8N_LOG_FORMAT=json, so every log record is one line of JSON whose `message` is a string;
//    the IRun is the message of one of them.
//  - n8n 1.x prints the result with oclif's console output (plain, pretty-printed JSON spread
//    over many lines) interleaved with whatever else was printed (logger lines, deprecation
//    warnings, task-runner output, console.log from nodes).
// So: first look for a JSON log record carrying an IRun; failing that, scan the text for
// balanced top-level JSON objects (string-aware) and keep the last one shaped like an IRun.

function looksLikeRun(v) {
	return !!v && typeof v === 'object' && !!v.data && typeof v.data === 'object' && !!v.data.resultData;
}

function tryParse(s) {
	try {
		return JSON.parse(s);
	} catch {
		return undefined;
	}
}

/** From index `start` (pointing at '{'), return the index just past the matching '}' or -1. */
function matchBrace(text, start) {
	let depth = 0;
	let inStr = false;
	for (let i = start; i < text.length; i++) {
		const c = text[i];
		if (inStr) {
			if (c === '\\') i++;
			else if (c === '"') inStr = false;
			continue;
		}
		if (c === '"') inStr = true;
		else if (c === '{') depth++;
		else if (c === '}') {
			depth--;
			if (depth === 0) return i + 1;
		}
	}
	return -1;
}

export function extractRun(stdout) {
	let found;
	// Pass 1: JSON-formatted log records (one per line).
	for (const line of stdout.split('\n')) {
		const t = line.trim();
		if (!t.startsWith('{') || !t.includes('"message"')) continue;
		const rec = tryParse(t);
		if (!rec || typeof rec.message !== 'string') continue;
		const m = rec.message.trim();
		if (!m.startsWith('{')) continue;
		const inner = tryParse(m);
		if (looksLikeRun(inner)) found = inner;
	}
	if (found) return found;

	// Pass 2: balanced objects that start at the beginning of a line.
	let idx = 0;
	while (idx < stdout.length) {
		const at = stdout.indexOf('{', idx);
		if (at === -1) break;
		const atLineStart = at === 0 || stdout[at - 1] === '\n';
		if (!atLineStart) {
			idx = at + 1;
			continue;
		}
		const end = matchBrace(stdout, at);
		if (end === -1) break;
		const v = tryParse(stdout.slice(at, end));
		if (looksLikeRun(v)) {
			found = v;
			idx = end;
		} else {
			idx = at + 1;
		}
	}
	return found;
}

/** Lines of stdout that are not part of the extracted JSON: useful for error messages. */
export function logMessages(stdout) {
	const out = [];
	for (const line of stdout.split('\n')) {
		const rec = line.trim().startsWith('{') ? tryParse(line.trim()) : undefined;
		if (rec && typeof rec.message === 'string') {
			if (!rec.message.trim().startsWith('{')) out.push(`[${rec.level}] ${rec.message}`);
		} else if (line.trim()) out.push(line);
	}
	return out;
}
