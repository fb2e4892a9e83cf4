import type { IDataObject, INodeProperties, IPollFunctions } from 'n8n-workflow';
import type { PolledRecord } from '../SmsGateway/shared/cursor';
import type { TriggerEvent, WebhookParse } from '../SmsGateway/shared/events';
import type { NormalisedStatus } from '../SmsGateway/shared/types';
import { messageFlowTrigger } from './providers/messageFlow';
import { smsBridgeTrigger } from './providers/smsBridge';
import { smsGateway24Trigger } from './providers/smsGateway24';

/**
 * The trigger side of each provider: how its webhooks read, and how it is polled. Kept apart from
 * the action node's provider registry so that either can grow without touching the other; the
 * parsing and listing themselves live in the provider folders (`providers/<provider>/events.ts`).
 *
 * Adding a provider is a file in `./providers/` and a line in TRIGGER_PROVIDERS. A provider that
 * lists messages with creation times uses a `list` poll source and gets the shared cursor; one
 * that hands each event out once (a queue, such as SMS Bridge's gateway queue) uses a `custom`
 * source and keeps whatever state it needs in the node's static data.
 */

export interface WebhookSource {
	/** Where to paste the webhook URL in the provider's panel (shown in the node). */
	setup: string;
	/** The statuses its webhooks can report (the Events filter offers these). */
	events: NormalisedStatus[];
	/** Options of this provider, inside the node's Options collection. */
	options: INodeProperties[];
	/** Reads a request body into events, or says why it is not one. Throws InvalidInputError for bad options. */
	parse(body: unknown, context: { receivedAt: number; options: IDataObject; workflowTimeZone: string }): WebhookParse;
}

interface PollSourceBase {
	credentialType: string;
	/** The statuses a poll can find (the Events filter offers these). */
	events: NormalisedStatus[];
	/** Fields of this provider, shown only for it. */
	fields: INodeProperties[];
	/** Options of this provider, inside the node's Options collection. */
	options: INodeProperties[];
}

export interface ListPollSource extends PollSourceBase {
	kind: 'list';
	/** Whether the provider's numeric message ids only ever grow (lets late arrivals be found by id). */
	monotonicIds: boolean;
	/**
	 * Reads the provider's fields (throwing InvalidInputError for bad values) and returns the
	 * lister: every message created since `sinceMs` (provider clock), with `complete` false when
	 * the time budget cut the listing short or a later page failed (`stoppedBy`); a paged list then
	 * says in `resumeAt` where to go on (the next poll asks again from there, `from`). `events` are the chosen ones: a provider whose list
	 * can be narrowed to them may ask for less. `filters` name everything that narrows the list
	 * (the events asked for, a device, senders), each as one word such as `device=260`: the cursor
	 * carries over only to the same list or a narrower one (see listScope in shared/cursor.ts).
	 */
	prepare(
		ctx: IPollFunctions,
		choice: { events: readonly string[] },
	): {
		filters?: string[];
		list(query: { sinceMs: number; now: number; deadline?: number; from?: number }): Promise<{ records: PolledRecord[]; complete: boolean; resumeAt?: number; stoppedBy?: Error }>;
	};
}

export interface CustomPollSource extends PollSourceBase {
	kind: 'custom';
	/**
	 * One poll. In manual mode ("Fetch test event") it must not change its state and should return
	 * the newest event. `staticData` is the node's own.
	 */
	poll(ctx: IPollFunctions, context: { manual: boolean; staticData: IDataObject; now: number; deadline?: number }): Promise<TriggerEvent[]>;
}

export type PollSource = ListPollSource | CustomPollSource;

export interface TriggerProvider {
	id: string;
	displayName: string;
	webhook?: WebhookSource;
	poll?: PollSource;
}

export const TRIGGER_PROVIDERS: TriggerProvider[] = [smsGateway24Trigger, messageFlowTrigger, smsBridgeTrigger];

export function webhookProviders(): Array<TriggerProvider & { webhook: WebhookSource }> {
	return TRIGGER_PROVIDERS.filter((provider): provider is TriggerProvider & { webhook: WebhookSource } => provider.webhook !== undefined);
}

export function pollProviders(): Array<TriggerProvider & { poll: PollSource }> {
	return TRIGGER_PROVIDERS.filter((provider): provider is TriggerProvider & { poll: PollSource } => provider.poll !== undefined);
}

export function triggerProvider(id: string): TriggerProvider {
	const provider = TRIGGER_PROVIDERS.find((candidate) => candidate.id === id);
	if (!provider) throw new Error(`Unknown provider "${id}"`);
	return provider;
}
