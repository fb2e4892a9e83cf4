import { NodeApiError, NodeOperationError, type IDataObject, type INodeExecutionData, type IPollFunctions } from 'n8n-workflow';
import { advanceCursor, CURSOR_LIMITS, cursorFingerprint, hasCursor, listScope, loadCursorFor, newestEvent, querySince, saveCursor, type ListCursor } from '../SmsGateway/shared/cursor';
import { InvalidInputError, toNodeError } from '../SmsGateway/shared/errors';
import { readChoice, readWholeNumber } from '../SmsGateway/shared/fieldValues';
import { matchesEvents, type TriggerEvent } from '../SmsGateway/shared/events';
import { DEFAULT_TRACKING_HOURS, FIRST_POLL_OPTIONS } from './descriptions';
import { triggerProvider } from './registry';
import { setPollDeadline } from '../SmsGateway/shared/transport';

/**
 * One poll: ask the provider what happened since the cursor, emit each new event once, move the
 * cursor. In manual mode ("Fetch test event") the newest matching event of the tracking window is
 * returned and the cursor is left alone, so testing never hides events from the active workflow.
 */

/**
 * Polls under way, by trigger (workflow and node). n8n starts a poll when its time comes even
 * while the previous one is still running (two Poll Times on the same minute, a poll slower than
 * its interval). Two polls that both read the cursor before either moved it reported the same
 * events twice: the workflow ran twice for one reply or one delivery. So a poll that finds
 * another one of its trigger running gives way (nothing is lost: the running poll reports what
 * is new, the next poll carries on from its cursor).
 *
 * Kept by workflow and node id, not by the static data object: n8n 1.x (and 2.x's legacy
 * polling) hands every poll of an active trigger the same object, but 2.x's poll scheduler
 * (N8N_SCHEDULER_POLL_TRIGGERS_ENABLED) gives each poll its own: the workflow's static data read
 * afresh from the database, or with durable cursors a copy of the cursor n8n keeps, and it starts
 * the polls of two Poll Times due at the same moment together, without keeping them apart. With
 * the object as the key both polls ran and each message was reported twice. This holds within
 * one n8n process (one main instance); n8n does not tell a poll about polls elsewhere.
 */
const polling = new Set<string | IDataObject>();

/**
 * Whether this poll is a list's first reading that reports nothing (no cursor yet, On First Poll:
 * Only New Events). Such a poll does not give way (see pollEvents). One that reports the recent
 * messages does: two of them at once reported each of those messages twice.
 */
function quietFirstReading(ctx: IPollFunctions, staticData: IDataObject): boolean {
	if (hasCursor(staticData)) return false;
	try {
		if (triggerProvider(ctx.getNodeParameter('provider') as string).poll?.kind !== 'list') return false;
		const options = ctx.getNodeParameter('options', {}) as IDataObject;
		return readChoice(options.firstPoll, 'On First Poll', FIRST_POLL_OPTIONS, 'new') !== 'recent';
	} catch {
		// An unknown provider or On First Poll: collect() says so, before anything is read.
		return false;
	}
}

/**
 * After a poll that reported events, for a short while: the cursor it left. n8n saves it after the
 * poll returns, and 2.x's scheduler reads each poll's static data (or durable cursor) before the
 * poll starts: the second poll of two Poll Times due at the same moment could start a few
 * milliseconds after the first ended, with a copy read before the first's cursor was saved, and
 * report the same events again (seen in n8n 2.40.7). A poll that starts within SETTLE_MS of such a
 * poll with another cursor than the one it left has an outdated copy and gives way; a copy that
 * holds that cursor (n8n's saved one, or n8n 1.x's one shared object) carries on.
 */
const settling = new Map<string, { until: number; cursor: string }>();
const SETTLE_MS = 10_000;

function outdatedCopy(key: string | IDataObject, staticData: IDataObject, now: number): boolean {
	if (typeof key !== 'string') return false;
	const last = settling.get(key);
	if (!last) return false;
	if (last.until <= now) {
		settling.delete(key);
		return false;
	}
	return cursorFingerprint(staticData) !== last.cursor;
}

/** What identifies a trigger's polls: its workflow and node; the static data where n8n gives no ids. */
function pollKey(ctx: IPollFunctions, staticData: IDataObject): string | IDataObject {
	const workflowId = ctx.getWorkflow().id;
	const nodeId = ctx.getNode().id;
	return workflowId && nodeId ? `${workflowId}:${nodeId}` : staticData;
}

/** Part of n8n's time budget for a poll (2.x) used for listing; the rest is margin. */
const BUDGET_SHARE = 0.8;

function budgetMs(ctx: IPollFunctions): number | undefined {
	// n8n 2.x tells a poll how long it may take; 1.x has no such function.
	if (typeof ctx.getPollBudgetMs !== 'function') return undefined;
	const budget = ctx.getPollBudgetMs();
	return typeof budget === 'number' && Number.isFinite(budget) && budget > 0 ? budget : undefined;
}

async function collect(ctx: IPollFunctions, now: number): Promise<TriggerEvent[] | undefined> {
	const provider = triggerProvider(ctx.getNodeParameter('provider') as string);
	const source = provider.poll;
	if (!source) throw new NodeOperationError(ctx.getNode(), `${provider.displayName} cannot be polled`);
	const selected = ctx.getNodeParameter('events', []) as string[];
	if (selected.length === 0) {
		// Nothing would ever start the workflow, and SMS Bridge's queue would be claimed for nothing.
		throw new InvalidInputError('Events', 'no event is chosen', 'Choose at least one event to start the workflow with.');
	}
	const accept = (event: TriggerEvent) => matchesEvents(event, selected);
	const options = ctx.getNodeParameter('options', {}) as IDataObject;
	// A decimal typed in the editor (1.5) is kept: the window was always read as a number of hours.
	const hours = readWholeNumber(options.trackingHours, 'Tracking Window (Hours)', { min: 1, max: 720, fallback: DEFAULT_TRACKING_HOURS, unit: 'hours', decimals: true });
	const lookbackMs = hours * 60 * 60 * 1000;
	// Read before anything is asked: from an expression, "recent" written as its name or a word
	// the code does not know was taken as Only New Events without a word.
	const replayOnFirstPoll = readChoice(options.firstPoll, 'On First Poll', FIRST_POLL_OPTIONS, 'new') === 'recent';
	const manual = ctx.getMode() === 'manual';
	const budget = budgetMs(ctx);
	const deadline = budget === undefined ? undefined : now + budget * BUDGET_SHARE;
	// Retries inside the poll stop at it too (shared/transport.ts).
	setPollDeadline(ctx, deadline);
	const staticData = ctx.getWorkflowStaticData('node');

	if (source.kind === 'custom') {
		return (await source.poll(ctx, { manual, staticData, now, deadline })).filter(accept);
	}

	const lister = source.prepare(ctx, { events: selected });
	// The cursor is per provider and list: switching provider starts afresh (like a first
	// activation), and so does a list that shows more than the cursor's (see loadCursorFor).
	const scope = listScope(provider.id, lister.filters);
	// The saved credential read (its id; the name where n8n gives no id): another one is another account.
	const credential = ctx.getNode().credentials?.[source.credentialType];
	const account = credential ? String(credential.id ?? credential.name) : undefined;
	const cursor = manual ? undefined : loadCursorFor(staticData, scope, account);
	// A list the last poll could not finish goes on where it stopped, from the same start.
	const resume = cursor?.resume;
	const since = resume?.since ?? querySince(cursor, now, lookbackMs);
	const { records, complete, resumeAt, stoppedBy } = await lister.list({ sinceMs: since, now, deadline, from: resume?.offset });

	if (manual) {
		const newest = newestEvent(records, accept);
		return newest ? [newest] : undefined;
	}
	if (stoppedBy) {
		ctx.logger.warn(`SMS Gateway Poll Trigger "${ctx.getNode().name}": a page of the provider's list failed (${stoppedBy.message}); what was read before it is reported, and the next poll asks again from that page.`);
	} else if (!complete) {
		ctx.logger.warn(`SMS Gateway Poll Trigger "${ctx.getNode().name}": the provider's list could not be read completely within the poll's time; the rest follows in the next polls. A shorter Tracking Window helps.`);
	}
	const { events, cursor: next, unfollowed } = advanceCursor(cursor, records, {
		now,
		since,
		lookbackMs,
		monotonicIds: source.monotonicIds,
		replayOnFirstPoll,
		complete,
		scope,
	});
	const saved: ListCursor = { ...next, ...(account === undefined ? {} : { account }) };
	saveCursor(staticData, !complete && resumeAt !== undefined ? { ...saved, resume: { since, offset: resumeAt } } : saved);
	if (unfollowed > 0) {
		ctx.logger.warn(`SMS Gateway Poll Trigger "${ctx.getNode().name}": more messages are unfinished than the trigger follows (${CURSOR_LIMITS.maxPending}); the status changes of the ${unfollowed} oldest will not be reported. A shorter Tracking Window, or delivery webhooks, avoid this.`);
	}
	return events.filter(accept);
}

/** Errors as n8n shows them: input problems name the field; provider errors are already NodeApiErrors. */
function asNodeError(ctx: IPollFunctions, error: unknown): NodeApiError | NodeOperationError {
	if (error instanceof InvalidInputError) return toNodeError(ctx.getNode(), error, 0);
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(ctx.getNode(), error as Error);
}

export async function pollEvents(ctx: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	// "Fetch test event" leaves the static data alone (and n8n gives it the editor's copy).
	const staticData = ctx.getMode() === 'manual' ? undefined : ctx.getWorkflowStaticData('node');
	// A list's first reading (no cursor yet) that reports nothing (it remembers what exists) does not
	// give way: under 2.x's scheduler the poll at activation is the one whose cursor n8n saves when
	// it reports nothing (without durable cursors): had it given way to a scheduled poll started in
	// the same instant, whose static data n8n drops when it reports nothing, no cursor was ever kept
	// and every later poll was a first reading again, reporting nothing.
	const key = staticData && !quietFirstReading(ctx, staticData) ? pollKey(ctx, staticData) : undefined;
	if (staticData && key !== undefined) {
		if (polling.has(key)) {
			ctx.logger.debug(`SMS Gateway Poll Trigger "${ctx.getNode().name}": the previous poll is still running; this one gives way to it`);
			return null;
		}
		if (outdatedCopy(key, staticData, Date.now())) {
			ctx.logger.debug(`SMS Gateway Poll Trigger "${ctx.getNode().name}": a poll that just reported events left a newer cursor than this poll was given; this one gives way to it`);
			return null;
		}
		polling.add(key);
	}
	let events: TriggerEvent[] | undefined;
	try {
		events = await collect(ctx, Date.now());
	} catch (error) {
		throw asNodeError(ctx, error);
	} finally {
		if (key !== undefined) polling.delete(key);
		// This poll's copy was current: the newest cursor is the one it leaves (set below when it reported).
		if (typeof key === 'string') settling.delete(key);
	}
	if (!events || events.length === 0) return null;
	if (staticData && typeof key === 'string' && hasCursor(staticData)) {
		const now = Date.now();
		// Entries of triggers that poll no more (deactivated) go here.
		for (const [other, last] of settling) if (last.until <= now) settling.delete(other);
		settling.set(key, { until: now + SETTLE_MS, cursor: cursorFingerprint(staticData) });
	}
	return [ctx.helpers.returnJsonArray(events)];
}
