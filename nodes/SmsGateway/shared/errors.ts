import { NodeOperationError, type INode } from 'n8n-workflow';

/**
 * A problem with what the user typed or mapped into the node, found before anything was sent.
 * It carries the field's name (as the user sees it) and what to do, so the router can turn it into
 * a per-item error that says exactly that, and the other items can still go.
 */
export class InvalidInputError extends Error {
	constructor(
		readonly field: string,
		message: string,
		readonly fix: string,
	) {
		super(message);
		this.name = 'InvalidInputError';
	}
}

export function toNodeError(node: INode, error: InvalidInputError, itemIndex: number): NodeOperationError {
	return new NodeOperationError(node, `${error.field}: ${error.message}`, {
		itemIndex,
		description: error.fix,
	});
}

/** Shortens a value for an error message: the user should recognise it, not get a wall of text. */
export function preview(value: unknown, max = 60): string {
	// JSON writes NaN and Infinity as null, which would name the wrong value.
	const text = typeof value === 'string' ? value : typeof value === 'number' ? String(value) : (JSON.stringify(value) ?? String(value));
	return text.length > max ? `${text.slice(0, max)}…` : text;
}

/**
 * What does exist, for the description of an error about a value that does not ("Office Pixel (ID 260),
 * Backup (ID 261) and 3 more"), so the user sees the right value next to the wrong one.
 */
export function listForError(labels: string[], max = 10): string {
	if (labels.length <= max) return labels.join(', ');
	return `${labels.slice(0, max).join(', ')} and ${labels.length - max} more`;
}
