// n8n's queue mode for the e2e suite: a real Redis, `n8n start` as the main process and
// `n8n worker` processes, all on one n8n user folder (one SQLite database, one encryption key).
//
//   const redis = await startRedis();
//   const env = queueEnv(redis.port);
//   const main = await n8n.start({ env });                      // lib/n8n.mjs, unchanged
//   const workers = await Promise.all([startWorker(n8n, { name: 'worker-1', env }), ...]);
//   workers[0].executionsStarted()                              // execution ids it ran
//   await Promise.all(workers.map((w) => w.stop())); await main.stop(); await redis.stop();
//
// What main recorded of the executions the workers ran is read with lib/executions.mjs.
//
// Environment names checked in the installed sources of both lines (@n8n/config,
// scaling-mode.config.js and runners.config.js; n8n/dist/commands/worker.js): EXECUTIONS_MODE,
// QUEUE_BULL_REDIS_HOST/PORT, QUEUE_HEALTH_CHECK_ACTIVE/PORT, N8N_WORKER_SERVER_ADDRESS and
// N8N_RUNNERS_BROKER_PORT are the same in 2.40.7 and 1.123.81.

import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { assertInstalled } from '../../../scripts/n8n-env.mjs';
import { freePort, spawnUntil, waitFor } from './proc.mjs';

export const REDIS_SERVER = process.env.REDIS_SERVER || 'redis-server';

/**
 * A throwaway redis-server on a free loopback port: no RDB snapshots, no append-only file, its
 * working directory in a temp dir (removed by stop()). Resolves once it accepts connections.
 */
export async function startRedis({ timeoutMs = 30_000 } = {}) {
	const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'n8n-e2e-redis-'));
	const port = await freePort();
	let proc;
	try {
		proc = await spawnUntil(
			REDIS_SERVER,
			[
				'--port', String(port),
				'--bind', '127.0.0.1',
				'--save', '',
				'--appendonly', 'no',
				'--dir', dir,
				'--daemonize', 'no',
				'--protected-mode', 'yes',
				'--logfile', '',
			],
			{ cwd: dir, readyRe: /Ready to accept connections/, timeoutMs },
		);
	} catch (err) {
		await fs.rm(dir, { recursive: true, force: true });
		if (err.code === 'ENOENT') {
			throw new Error(`${REDIS_SERVER} not found: install Redis (bash scripts/ensure-apt.sh redis-server redis-server, or apt-get install -y redis-server)`);
		}
		throw err;
	}
	return {
		host: '127.0.0.1',
		port,
		dir,
		output: proc.output,
		async stop() {
			await proc.stop('SIGTERM', 5_000);
			await fs.rm(dir, { recursive: true, force: true });
		},
	};
}

/**
 * What main and workers need to share one queue. OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS=true is
 * what 1.x recommends (it warns without it) and what 2.x announces as the only behaviour to come.
 */
export function queueEnv(redisPort, { host = '127.0.0.1' } = {}) {
	return {
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: host,
		QUEUE_BULL_REDIS_PORT: String(redisPort),
		OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
	};
}

/** Execution ids in "Worker started execution <id> (job <n>)" lines (both lines log it at info). */
export function executionsStartedIn(output) {
	return [...String(output).matchAll(/Worker started execution (\d+) \(job [^)]*\)/g)].map((m) => m[1]);
}

/** Execution ids in main's "Enqueued execution <id> (job <n>)" lines. */
export function executionsEnqueuedIn(output) {
	return [...String(output).matchAll(/Enqueued execution (\d+) \(job [^)]*\)/g)].map((m) => m[1]);
}

/**
 * `n8n worker` on the instance's user folder (same database, same encryption key, same installed
 * community package). Each worker gets its own task-broker port and its own health server
 * (`/healthz/readiness` answers 200 once the database and Redis are connected and the queue is
 * being consumed), both on loopback. Resolves when the worker says it is ready and the readiness
 * endpoint agrees.
 *
 * Handle: { name, healthPort, child, output(), executionsStarted(), stop() }
 */
export async function startWorker(instance, { name = 'worker', env = {}, concurrency, timeoutMs = 120_000 } = {}) {
	const { node24, n8n } = assertInstalled(instance.line);
	const brokerPort = await freePort();
	const healthPort = await freePort();
	const args = [n8n.n8nBin, 'worker'];
	if (concurrency !== undefined) args.push(`--concurrency=${concurrency}`);
	const proc = await spawnUntil(node24.node, args, {
		cwd: instance.userFolder,
		env: {
			...instance.env,
			...env,
			N8N_RUNNERS_BROKER_PORT: String(brokerPort),
			QUEUE_HEALTH_CHECK_ACTIVE: 'true',
			QUEUE_HEALTH_CHECK_PORT: String(healthPort),
			N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
		},
		readyRe: /n8n worker is now ready/,
		timeoutMs,
	});
	try {
		await waitFor(
			async () => (await fetch(`http://127.0.0.1:${healthPort}/healthz/readiness`)).status === 200,
			{ timeoutMs: 30_000, intervalMs: 250, what: `${name} /healthz/readiness` },
		);
	} catch (err) {
		await proc.stop('SIGKILL', 1_000);
		throw new Error(`${err.message}\n--- ${name} output ---\n${proc.output().split('\n').slice(-40).join('\n')}`);
	}
	return {
		name,
		healthPort,
		brokerPort,
		child: proc.child,
		output: proc.output,
		executionsStarted: () => executionsStartedIn(proc.output()),
		stop: () => proc.stop('SIGTERM', 30_000),
	};
}
