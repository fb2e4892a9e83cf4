// What a running n8n recorded of a workflow's executions, read through its REST API (the server
// handle of lib/n8n.mjs: `executions({ workflowId })`, `execution(id)`). Nothing here depends on
// how n8n runs them: in queue mode the suites ask main, otherwise the one `n8n start`.
//
//   const before = (await executionsOf(server, workflowId)).length;      // running ones too
//   const ended = await waitForEndedExecutions(server, workflowId, before + 1, { timeoutMs: 30_000 });
//   const items = await itemsOf(server, ended.at(-1).id, 'SMSGateway24 Poll');

import { unflatten } from './flatted.mjs';
import { waitFor } from './proc.mjs';

/**
 * The workflow's executions as n8n lists them, running ones included, in the list's order. The
 * list is asked for this workflow's alone; an execution that says it belongs to another is dropped.
 */
export async function executionsOf(server, workflowId) {
	const list = await server.executions({ workflowId });
	return list.filter((execution) => execution.workflowId === undefined || execution.workflowId === workflowId);
}

/** The run data of an execution. */
export async function runDataOf(server, executionId) {
	const execution = await server.execution(executionId);
	const data = typeof execution.data === 'string' ? unflatten(execution.data) : execution.data;
	return { execution, runData: data?.resultData?.runData ?? {}, error: data?.resultData?.error };
}

/** json of the items a node emitted in its first run, from run data already read (runDataOf). */
export function itemsIn(runData, nodeName) {
	return (runData[nodeName]?.[0]?.data?.main?.[0] ?? []).map((item) => item.json);
}

/** json of the items a node emitted in its first run of an execution. */
export async function itemsOf(server, executionId, nodeName) {
	const { runData } = await runDataOf(server, executionId);
	return itemsIn(runData, nodeName);
}

const ENDED = ['success', 'error', 'crashed', 'canceled'];

/** The workflow's executions that have ended, oldest first (one REST call): a running one has no run data yet. */
export async function endedExecutions(server, workflowId) {
	return (await executionsOf(server, workflowId))
		.filter((execution) => ENDED.includes(execution.status) || execution.finished === true)
		.sort((a, b) => Number(a.id) - Number(b.id));
}

/** Waits until the workflow has at least `count` ended executions; returns them oldest first. */
export async function waitForEndedExecutions(server, workflowId, count, { timeoutMs = 60_000 } = {}) {
	let found = [];
	await waitFor(
		async () => {
			found = await endedExecutions(server, workflowId);
			return found.length >= count;
		},
		{ timeoutMs, intervalMs: 500, what: `${count} ended executions of workflow ${workflowId}` },
	);
	return found;
}
