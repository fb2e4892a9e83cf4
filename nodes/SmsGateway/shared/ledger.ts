import { createHash } from 'node:crypto';
import type { IExecuteFunctions } from 'n8n-workflow';
import { inDoubtCheckFirst, isInDoubt } from './transport';

/**
 * Remembers which sends of the current node run were accepted, so that n8n's Retry On Fail, which
 * runs the node again with the same input after an error, does not text anyone a second time:
 * a send the provider already accepted returns its recorded answer instead of going out again.
 *
 * A run is identified by the execution, the node and where its input came from (the upstream
 * node's run index): a retry repeats all three, while a loop that reaches the node again with new
 * input does not, so deliberate repeats are still sent. The record lives in memory (retries run in
 * the same process, also in queue mode), holds only accepted answers, is dropped when the node
 * finishes without an error, and only the most recent runs are kept.
 */
const MAX_RUNS = 50;
const runs = new Map<string, Map<string, unknown>>();

function runKey(ctx: IExecuteFunctions): string {
	let source: unknown = null;
	let runIndex: unknown = null;
	try {
		const data = ctx.getExecuteData();
		source = data.source;
		runIndex = data.runIndex ?? null;
	} catch {
		// Contexts without execute data (tools called by an agent) fall back to execution and node.
		source = null;
	}
	return JSON.stringify([ctx.getExecutionId(), ctx.getNode().name, source, runIndex]);
}

export function fingerprint(parts: unknown): string {
	return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

/** The record of a send whose answer was lost. */
class InDoubt {
	constructor(
		private readonly reason: string,
		/** The call's own advice, for what is not a message (a newsletter, a contact, a tag). */
		private readonly checkFirst?: string,
	) {}

	error(): Error {
		return new Error(
			this.checkFirst === undefined
				? `Not sent again: an earlier attempt in this run may already have gone out (${this.reason}). Check the provider’s message list, then send it on its own if it is missing.`
				: `Not done again: an earlier attempt in this run may already have been carried out (${this.reason}). ${this.checkFirst}`,
		);
	}
}

export class SendLedger {
	private readonly key: string;

	private readonly accepted: Map<string, unknown>;

	constructor(ctx: IExecuteFunctions) {
		this.key = runKey(ctx);
		const existing = runs.get(this.key);
		this.accepted = existing ?? new Map();
		runs.delete(this.key);
		runs.set(this.key, this.accepted);
		while (runs.size > MAX_RUNS) runs.delete(runs.keys().next().value as string);
	}

	/**
	 * Runs `send` unless the same send (same parts) was accepted earlier in this node run. A send
	 * whose answer was lost (it may have gone out) is not repeated either: a retry reports it as
	 * in doubt instead of risking a second message.
	 */
	async once<T>(parts: unknown, send: () => Promise<T>): Promise<{ value: T; replayed: boolean }> {
		const id = fingerprint(parts);
		const earlier = this.accepted.get(id);
		if (earlier instanceof InDoubt) throw earlier.error();
		if (this.accepted.has(id)) return { value: earlier as T, replayed: true };
		const outcome = await send().then(
			(value) => ({ ok: true as const, value }),
			(error: unknown) => ({ ok: false as const, error }),
		);
		if (!outcome.ok) {
			if (isInDoubt(outcome.error)) this.accepted.set(id, new InDoubt((outcome.error as Error).message, inDoubtCheckFirst(outcome.error)));
			throw outcome.error;
		}
		this.accepted.set(id, outcome.value);
		return { value: outcome.value, replayed: false };
	}

	/** The node run ended without an error: nothing will retry it. */
	close(): void {
		runs.delete(this.key);
	}
}
