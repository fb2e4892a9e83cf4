// Starts the repo's SMS gateway simulator (simulator/cli.ts) as a child process for e2e runs.
// n8n (a separate process) talks to it over loopback HTTP exactly like it would talk to a
// real provider; tests read what it received through its /__sim/ control endpoints.

import { existsSync } from 'node:fs';
import path from 'node:path';

import { REPO_ROOT } from '../../../scripts/n8n-env.mjs';
import { freePort, spawnUntil } from './proc.mjs';

export class SimulatorUnavailableError extends Error {}

const READY_RE = /SMS gateway simulator listening on (http:\/\/\S+)/;

/**
 * Spawn `tsx simulator/cli.ts --port <p>` and wait for its "listening on" line.
 * Uses the repo's own node_modules/.bin/tsx when present (npx adds ~1 s and may try the
 * registry when it is not). Throws SimulatorUnavailableError when simulator/cli.ts does not
 * exist yet, so callers can report that clearly instead of crashing.
 *
 * Returns { url, port, child, control(method, path, body), requests(), reset(), output(), stop() }.
 */
export async function startSimulatorProcess({ port, cwd = REPO_ROOT, timeoutMs = 60_000, args = [], env = {} } = {}) {
	const cli = path.join(cwd, 'simulator', 'cli.ts');
	if (!existsSync(cli)) throw new SimulatorUnavailableError(`simulator not found at ${cli}`);
	const p = port ?? (await freePort());
	const localTsx = path.join(cwd, 'node_modules', '.bin', 'tsx');
	const [cmd, cmdArgs] = existsSync(localTsx)
		? [localTsx, [cli, '--port', String(p), ...args]]
		: ['npx', ['--no-install', 'tsx', cli, '--port', String(p), ...args]];
	const proc = await spawnUntil(cmd, cmdArgs, {
		cwd,
		env: { ...process.env, ...env },
		readyRe: READY_RE,
		timeoutMs,
	});
	const url = proc.match[1].replace(/\/$/, '');

	async function control(method, p2, body) {
		const res = await fetch(`${url}/__sim${p2.startsWith('/') ? p2 : `/${p2}`}`, {
			method,
			headers: body === undefined ? {} : { 'content-type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await res.text();
		if (!res.ok) throw new Error(`simulator ${method} /__sim${p2}: HTTP ${res.status} ${text.slice(0, 300)}`);
		try {
			return JSON.parse(text);
		} catch {
			return text;
		}
	}

	return {
		url,
		port: Number(new URL(url).port),
		child: proc.child,
		output: proc.output,
		control,
		requests: () => control('GET', '/requests'),
		reset: () => control('POST', '/reset'),
		stop: () => proc.stop('SIGTERM', 5_000),
	};
}
