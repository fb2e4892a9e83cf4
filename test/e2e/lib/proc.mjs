// Small process/port helpers shared by the e2e harness. Plain Node built-ins only.

import { spawn } from 'node:child_process';
import net from 'node:net';

/** Ask the kernel for a free loopback TCP port (bind :0, read it, release it). */
export function freePort() {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.unref();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const { port } = srv.address();
			srv.close(() => resolve(port));
		});
	});
}

/**
 * Run a command to completion, capturing stdout/stderr. Never rejects on a non-zero exit
 * (callers decide); rejects only if the process cannot be spawned. A timeout kills the
 * whole process group so n8n's task-runner children die with it.
 * `onSpawn(child)` is called right after the spawn (the benchmark samples the child's memory
 * through /proc/<pid>).
 */
export function runCommand(cmd, args, { env, cwd, timeoutMs = 120_000, input, onSpawn } = {}) {
	return new Promise((resolve, reject) => {
		const t0 = Date.now();
		const child = spawn(cmd, args, { env, cwd, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
		onSpawn?.(child);
		let stdout = '';
		let stderr = '';
		let timedOut = false;
		child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
		child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
		const timer = setTimeout(() => {
			timedOut = true;
			killGroup(child, 'SIGKILL');
		}, timeoutMs);
		child.on('error', (err) => {
			clearTimeout(timer);
			reject(err);
		});
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			resolve({ code, signal, stdout, stderr, timedOut, durationMs: Date.now() - t0 });
		});
		if (input !== undefined) child.stdin.end(input);
		else child.stdin.end();
	});
}

/** Signal a detached child's whole process group (falls back to the child alone). */
export function killGroup(child, signal = 'SIGTERM') {
	if (child.exitCode !== null || child.signalCode !== null) return;
	try {
		process.kill(-child.pid, signal);
	} catch {
		try {
			child.kill(signal);
		} catch {
			/* already gone */
		}
	}
}

/**
 * Spawn a long-running process and resolve once a line of its output matches `readyRe`.
 * Returns { child, match, output() , stop() }. Rejects if it exits or times out first.
 */
export function spawnUntil(cmd, args, { env, cwd, readyRe, timeoutMs = 60_000, onLine } = {}) {
	return new Promise((resolve, reject) => {
		const child = spawn(cmd, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
		let out = '';
		let settled = false;
		let partial = { stdout: '', stderr: '' };
		const stop = (signal = 'SIGTERM', graceMs = 10_000) =>
			new Promise((res) => {
				if (child.exitCode !== null || child.signalCode !== null) return res();
				const hard = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs);
				child.once('close', () => {
					clearTimeout(hard);
					res();
				});
				killGroup(child, signal);
			});
		const handle = { child, output: () => out, stop };
		const timer = setTimeout(() => {
			if (settled) return;
			settled = true;
			killGroup(child, 'SIGKILL');
			reject(new Error(`timed out after ${timeoutMs} ms waiting for ${readyRe} from ${cmd} ${args.join(' ')}\n--- output ---\n${tail(out)}`));
		}, timeoutMs);
		const feed = (stream) => (chunk) => {
			out += chunk;
			const lines = (partial[stream] + chunk).split('\n');
			partial[stream] = lines.pop();
			for (const line of lines) {
				onLine?.(line, stream);
				if (!settled && readyRe) {
					const m = line.match(readyRe);
					if (m) {
						settled = true;
						clearTimeout(timer);
						resolve({ ...handle, match: m });
					}
				}
			}
		};
		child.stdout.setEncoding('utf8').on('data', feed('stdout'));
		child.stderr.setEncoding('utf8').on('data', feed('stderr'));
		child.on('error', (err) => {
			if (settled) return;
			settled = true;
			clearTimeout(timer);
			reject(err);
		});
		child.on('close', (code, signal) => {
			if (settled) return;
			settled = true;
			clearTimeout(timer);
			reject(new Error(`${cmd} exited (code ${code}, signal ${signal}) before becoming ready\n--- output ---\n${tail(out)}`));
		});
	});
}

export function tail(text, lines = 60) {
	const all = String(text).split('\n');
	return all.slice(-lines).join('\n');
}

export async function waitFor(fn, { timeoutMs = 30_000, intervalMs = 250, what = 'condition' } = {}) {
	const deadline = Date.now() + timeoutMs;
	let lastErr;
	while (Date.now() < deadline) {
		try {
			const v = await fn();
			if (v) return v;
		} catch (err) {
			lastErr = err;
		}
		await new Promise((r) => setTimeout(r, intervalMs));
	}
	throw new Error(`timed out waiting for ${what}${lastErr ? `: ${lastErr.message}` : ''}`);
}

/** Waits `ms` milliseconds, where waitFor has nothing to poll for (a late duplicate that may never come, a lease running out). */
export function sleep(ms) {
	return new Promise((resolve) => setTimeout(resolve, ms));
}
