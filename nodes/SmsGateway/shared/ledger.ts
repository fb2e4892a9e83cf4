import { createHash } from 'node:crypto';
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { isAgentTool } from './tool';
import { inDoubtCheckFirst, isInDoubt } from './transport';

/**
 * Remembers which sends of the current node run were accepted, so that n8n's Retry On Fail, which
 * runs the node again with the same input after an error, does not text anyone a second time:
 * a send the provider already accepted returns its recorded answer instead of going out again.
 *
 * A run is identified by the execution, the node and where its input came from (the upstream
 * node's run index): a retry repeats all three, while a loop that reaches the node again with new
 * input does not, so deliberate repeats are still sent. Within a run, a send is identified by what
 * it is for (the operation, the items and recipients), not by its text or time: n8n evaluates the
 * parameters again on a retry, and an expression such as `{{ $now.plus(1, 'hour') }}` in a Schedule
 * Time or a text then gives another value, which made the retry a "new" send (texted twice).
 * Tools called by an agent have no such run: n8n hands each tool call (and each of its tries under
 * Retry On Fail) the agent's execute data (its node is the agent) or none at all, and AI Agent 3
 * (n8n 2.x, 1.123) runs each call as a run of the tool node of its own (a new run index, the
 * agent's run as its source), so every call of an agent run shares one key: the run index is left
 * out. There two calls for one recipient are told apart by their content as well, or the second
 * message would be taken for the first; a call made again with the same content gets the answers
 * its first try was given, or, when that try's answer was lost, is not sent again.
 *
 * The record lives in memory (retries run in the same process, also in queue mode), holds only
 * accepted answers and is dropped when the node finishes without an error (of an agent run's,
 * shared by its tool calls, the sends of the call that finished: see close). n8n's Retry On Fail
 * also runs the node again when it returns with an error item first (Continue On Fail, or the
 * error output): such a run is kept too. A run that failed is
 * kept while a retry may still come: n8n waits at most 5 seconds between tries; a run is dropped
 * after RETRY_WINDOW_MS without a send. (Kept by count before, the 50 most recently started runs,
 * a retry found its run gone when 50 other runs of the node started in between, e.g. a burst of
 * webhook executions during a long bulk send, and sent everything again.) MAX_RUNS only bounds
 * memory if runs fail faster than they expire; the least recently used go first.
 */
const RETRY_WINDOW_MS = 15 * 60_000;
const MAX_RUNS = 10_000;

interface Run {
	accepted: Map<string, unknown>;
	lastUsed: number;
}

const runs = new Map<string, Run>();

function runKey(ctx: IExecuteFunctions): { key: string; hasRun: boolean } {
	let source: unknown = null;
	let runIndex: unknown = null;
	let hasRun = true;
	try {
		const data = ctx.getExecuteData();
		source = data.source;
		runIndex = data.runIndex ?? null;
		// A tool call gets the calling agent's execute data (n8n-core's tool invocation): not a run of this node.
		if (data.node !== undefined && data.node.name !== ctx.getNode().name) hasRun = false;
		// A call of AI Agent 3 is a run of the tool node; the model making it again is another run.
		if (isAgentTool(ctx.getNode())) {
			hasRun = false;
			runIndex = null;
		}
	} catch {
		// Contexts without execute data (tools called by an agent) fall back to execution and node.
		source = null;
		hasRun = false;
	}
	return { key: JSON.stringify([ctx.getExecutionId(), ctx.getNode().name, source, runIndex]), hasRun };
}

/** Keeps a run as the most recently used, and lets go of those no retry can come for any more. */
function touch(key: string, run: Run, now = Date.now()): void {
	run.lastUsed = now;
	runs.delete(key);
	runs.set(key, run);
	for (const [oldKey, old] of runs) {
		if (runs.size <= MAX_RUNS && now - old.lastUsed <= RETRY_WINDOW_MS) break;
		runs.delete(oldKey);
	}
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

	/** Whether this is a node run Retry On Fail can repeat (see runKey). */
	private readonly hasRun: boolean;

	/** The node's Retry On Fail setting. */
	private readonly retryOnFail: boolean;

	private readonly run: Run;

	/** The answers this ledger recorded or handed back, by send: what closing a tool call forgets. */
	private readonly used = new Map<string, unknown>();

	private get accepted(): Map<string, unknown> {
		return this.run.accepted;
	}

	constructor(ctx: IExecuteFunctions) {
		({ key: this.key, hasRun: this.hasRun } = runKey(ctx));
		this.retryOnFail = ctx.getNode().retryOnFail === true;
		const existing = runs.get(this.key);
		this.run = existing && Date.now() - existing.lastUsed <= RETRY_WINDOW_MS ? existing : { accepted: new Map(), lastUsed: 0 };
		touch(this.key, this.run);
	}

	/**
	 * Runs `send` unless the same send was accepted earlier in this node run: the same operation
	 * for the same items and recipients (`identity`); for an agent's tool call also the same
	 * `content` (the request). A send whose answer was lost (it may have gone out) is not repeated
	 * either: a retry reports it as in doubt instead of risking a second message.
	 */
	async once<T>(identity: unknown, content: unknown, send: () => Promise<T>): Promise<{ value: T; replayed: boolean }> {
		const id = fingerprint(this.hasRun ? identity : [identity, content]);
		touch(this.key, this.run);
		const earlier = this.accepted.get(id);
		if (earlier instanceof InDoubt) throw earlier.error();
		if (this.accepted.has(id)) {
			this.used.set(id, earlier);
			return { value: earlier as T, replayed: true };
		}
		const outcome = await send().then(
			(value) => ({ ok: true as const, value }),
			(error: unknown) => ({ ok: false as const, error }),
		);
		touch(this.key, this.run);
		if (!outcome.ok) {
			if (isInDoubt(outcome.error)) {
				const inDoubt = new InDoubt((outcome.error as Error).message, inDoubtCheckFirst(outcome.error));
				this.accepted.set(id, inDoubt);
				this.used.set(id, inDoubt);
			}
			throw outcome.error;
		}
		this.accepted.set(id, outcome.value);
		this.used.set(id, outcome.value);
		return { value: outcome.value, replayed: false };
	}

	/**
	 * The node run ended without an error (`output` is what it returns). Nothing retries it, except
	 * when the first item is an error item: with Retry On Fail, n8n runs such a node again (n8n-core's
	 * WorkflowExecute checks the first output item's `json.error`: 1.x any value, 2.x one that is not
	 * null or false), so its record must stay for that retry. Dropping it there sent every accepted
	 * message of the run again, up to Max Tries times, when Continue On Fail or the error output put a
	 * failed item first.
	 * The calls of an agent run share one record, so a tool call that ends forgets only its own sends:
	 * dropping the whole record let another call beside it, which had failed half-way and was then
	 * made again (n8n's Retry On Fail for tools, or the model trying again), text the people it had
	 * reached a second time.
	 * A send in doubt is never forgotten here: a node run can end without an error with it (Continue
	 * On Fail, or a tool handing the error to the model), and the next try must still not send it.
	 */
	close(output: INodeExecutionData[] = []): void {
		if (this.hasRun && this.retryOnFail && output[0]?.json.error !== undefined) return;
		if (!this.hasRun) {
			for (const [id, value] of this.used) if (this.accepted.get(id) === value && !(value instanceof InDoubt)) this.accepted.delete(id);
			if (this.accepted.size > 0 || runs.get(this.key) !== this.run) return;
		}
		if ([...this.accepted.values()].some((value) => value instanceof InDoubt)) return;
		runs.delete(this.key);
	}
}
