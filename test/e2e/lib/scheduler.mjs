// What the suites that run n8n 2.x under its opt-in poll scheduler share (poll-backoff,
// poll-scheduler, poll-scheduler-providers). Each of their tests prepares an n8n of its own: the
// scheduler's switches on, and a database of its own (two tests of a file import the same
// workflow, and what one test's polls stored must not be there for the next). The suite's
// `after` ends what a failed test left running.
//
//   const own = ownN8n();
//   export async function after(hook) { await own.after(hook); }
//   const state = await own.prepare(ctx, { env: schedulerEnv({ durable: true }), credentials, workflow });
//   await startAndActivate(state, workflow.id, pollRequests);   // state.server: the running n8n
//   const runs = await reportedRuns(state.server, workflow.id, nodeName);
//   await own.finish(ctx, state);                     // the test passed

import { endedExecutions, itemsOf } from './executions.mjs';
import { prepareN8n } from './n8n.mjs';
import { waitFor } from './proc.mjs';

/**
 * The switches that move poll triggers onto n8n 2.x's scheduler (off by default in 2.40.7 and 2.41.1);
 * `durable` also turns on its durable cursors, which its back-off needs too.
 */
export function schedulerEnv({ durable = false } = {}) {
	const env = { N8N_SCHEDULER_ENABLED: 'true', N8N_SCHEDULER_POLL_TRIGGERS_ENABLED: 'true' };
	if (durable) env.N8N_POLLER_DURABLE_CURSORS_ENABLED = 'true';
	return env;
}

/**
 * One n8n per test. Each test's state ({ n8n, server, failed }) is kept under the line's n8n
 * (`ctx.n8n`), the only thing the runner hands to `after`, so that `after` can stop every server
 * a failed test left running (they run detached and would outlive the runner). A failed test's
 * user folder stays for a look, as with E2E_KEEP=1.
 */
export function ownN8n() {
	const states = new WeakMap();

	async function stop(state) {
		try {
			await state.server?.stop();
		} finally {
			state.server = undefined;
			if (!state.failed && process.env.E2E_KEEP !== '1') await state.n8n?.cleanup();
		}
	}

	return {
		/** A fresh n8n with `env`, the credentials and the workflow imported; the test starts its server. */
		async prepare(ctx, { env, credentials, workflow }) {
			// Counted as failed until the test says otherwise: a throw anywhere keeps the folder.
			const state = { failed: true };
			if (!states.has(ctx.n8n)) states.set(ctx.n8n, new Set());
			states.get(ctx.n8n).add(state);
			state.n8n = await prepareN8n({ line: ctx.line, tarball: ctx.tarball, env });
			await state.n8n.importCredentials(credentials);
			await state.n8n.importWorkflow([workflow]);
			return state;
		},
		/** The test passed: stop its server and remove its user folder now, not at the end of the suite. */
		async finish(ctx, state) {
			state.failed = false;
			await stop(state);
			states.get(ctx.n8n)?.delete(state);
		},
		/** The suite's `after`. `beforeStop(state)` runs first, while the server still runs (e.g. to deactivate). */
		async after({ n8n }, beforeStop) {
			const left = [...(states.get(n8n) ?? [])];
			states.delete(n8n);
			const problems = [];
			for (const state of left) {
				try {
					if (state.server) await beforeStop?.(state);
				} catch (error) {
					problems.push(error);
				}
				try {
					await stop(state);
				} catch (error) {
					problems.push(error);
				}
			}
			if (problems.length) throw problems[0];
		},
	};
}

/**
 * Starts the test's n8n, creates its owner and publishes the workflow; resolves once the poll n8n
 * runs at activation has asked the provider (`pollRequests()` counts the requests the trigger's
 * polls made), so that what the test does next comes after the trigger's first reading.
 */
export async function startAndActivate(state, workflowId, pollRequests) {
	state.server = await state.n8n.start();
	await state.server.setupOwner();
	await state.server.activateWorkflow(workflowId);
	await waitFor(async () => (await pollRequests()) >= 1, { timeoutMs: 60_000, what: 'the activation poll' });
}

/**
 * json of the items `nodeName` started each successful execution of the workflow with: one
 * array per execution, oldest execution first (a running execution has no run data yet).
 */
export async function reportedRuns(server, workflowId, nodeName) {
	const succeeded = (await endedExecutions(server, workflowId)).filter((execution) => execution.status === 'success' || execution.finished === true);
	const runs = [];
	for (const { id } of succeeded) runs.push(await itemsOf(server, id, nodeName));
	return runs;
}
