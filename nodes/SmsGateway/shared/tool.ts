import type { INode } from 'n8n-workflow';

/**
 * Whether the node runs as an AI agent's tool: n8n makes a Tool form of every `usableAsTool` node, of
 * type `<package>.<name>Tool` ("SMS Gateway Tool"), and that is what an agent's Tool input holds.
 */
export function isAgentTool(node: INode): boolean {
	return typeof node.type === 'string' && node.type.endsWith('Tool');
}

/**
 * Whether an item's error goes back to the model as the tool's result instead of failing the node.
 * AI Agent 3 (n8n 2.x and 1.123) runs each tool call as a node run of its own: n8n 2.x then hands
 * the model only the error's message (without the description that says what to do) and goes on,
 * n8n 1.x stops the whole workflow. As a result item, the model gets the message and the fix on
 * both and can correct the call or tell the user. Settings → On Error → Stop Workflow keeps the
 * failure (what n8n 2.x honours too).
 */
export function errorsGoToModel(node: INode): boolean {
	return isAgentTool(node) && node.onError !== 'stopWorkflow';
}
