// Tiny helpers to write workflows in tests without hand-writing n8n's connection JSON.

import { n8nId } from './n8n.mjs';

export function manualTrigger(name = 'Manual Trigger') {
	return { name, type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, parameters: {} };
}

/**
 * Build a workflow from nodes chained in order (node[i] output 0 -> node[i+1] input 0),
 * laying them out left to right. Extra `connections` can be merged in for branches.
 * Node objects may carry `credentials: { <credType>: { id, name } }` as in n8n exports.
 */
export function connect(nodes, { name, connections = {}, settings } = {}) {
	const laid = nodes.map((n, i) => ({
		id: n.id ?? crypto.randomUUID(),
		position: n.position ?? [i * 220, 0],
		...n,
	}));
	const conns = {};
	for (let i = 0; i < laid.length - 1; i++) {
		conns[laid[i].name] = { main: [[{ node: laid[i + 1].name, type: 'main', index: 0 }]] };
	}
	for (const [from, value] of Object.entries(connections)) conns[from] = value;
	return {
		id: n8nId(),
		name: name ?? `e2e ${laid.map((n) => n.name).join(' -> ')}`,
		nodes: laid,
		connections: conns,
		settings: { executionOrder: 'v1', ...settings },
		active: false,
	};
}

/**
 * A workflow of one SMS Gateway Poll Trigger and nothing after it (what the trigger emits is what
 * a test reads from the executions). `workflow` is { id, name }, `node` is { id, name, parameters,
 * credentials }; the ids stay as given so a test can activate the workflow by its id.
 */
export function pollTriggerWorkflow(workflow, node) {
	return {
		id: workflow.id,
		name: workflow.name,
		nodes: [
			{
				id: node.id,
				name: node.name,
				type: 'n8n-nodes-sms-gateway.smsGatewayPollTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: node.parameters,
				credentials: node.credentials,
			},
		],
		connections: {},
		settings: { executionOrder: 'v1' },
		active: false,
	};
}
