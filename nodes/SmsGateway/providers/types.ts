import type { ICredentialsDisplayOptions, IDataObject, IExecuteFunctions, INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import type { SendLedger } from '../shared/ledger';
import type { SegmentInfo } from '../shared/segments';
import type { MessageOutput, ProviderId } from '../shared/types';

/** One input item's message, checked and normalised by the shared Message operations. */
export interface OutgoingMessage {
	itemIndex: number;
	/** E.164, unique, at least one. */
	recipients: string[];
	text: string;
	segments: SegmentInfo;
}

/**
 * What happened to one recipient. A provider reports a result per recipient even when one request
 * carried several, so that partial acceptance is visible item by item.
 */
export type RecipientResult = { recipient: string; message: MessageOutput } | { recipient: string; error: Error };

/** A recipient's result together with the input item it came from (bulk sends). */
export type BulkResult = RecipientResult & { itemIndex: number };

/**
 * The Message operations a provider offers. The shared operations read and check what every
 * provider has in common (recipients, text); the provider reads its own fields and talks to its API.
 */
export interface MessagingCapability {
	send: {
		/** Fields this provider adds to Message → Send (shown only for it). */
		fields: INodeProperties[];
		/** Whether this item may go without text (an image-only message, say). */
		textIsOptional?(ctx: IExecuteFunctions, itemIndex: number): boolean;
		/**
		 * Reads and checks the provider's own fields for an item, before anything is sent,
		 * and returns the sender bound to them.
		 */
		prepare(
			ctx: IExecuteFunctions,
			message: OutgoingMessage,
			ledger: SendLedger,
		): Promise<() => Promise<RecipientResult[]>>;
	};
	sendBulk?: {
		fields: INodeProperties[];
		/** Reads and checks one item's provider fields; throws InvalidInputError before anything is sent. */
		prepare(ctx: IExecuteFunctions, message: OutgoingMessage): Promise<unknown>;
		/** Sends every prepared message in as few requests as the API allows; one result per recipient. */
		send(
			ctx: IExecuteFunctions,
			messages: Array<{ message: OutgoingMessage; settings: unknown }>,
			ledger: SendLedger,
		): Promise<BulkResult[]>;
	};
	getStatus?: {
		fields: INodeProperties[];
		execute(ctx: IExecuteFunctions, itemIndex: number, messageId: string): Promise<MessageOutput>;
	};
	getMany?: {
		fields: INodeProperties[];
		/** `limit` undefined means all. */
		execute(ctx: IExecuteFunctions, itemIndex: number, limit: number | undefined): Promise<IDataObject[]>;
	};
}

export type MessageOperation = keyof MessagingCapability;

/**
 * An operation only some providers have (account, API keys, sender IDs, the gateway queue…).
 * The provider declares it with its fields; the node shows it for that provider only, and the
 * router runs it item by item like any other.
 */
export interface ProviderOperation {
	/** Shown in the Operation dropdown. */
	name: string;
	/** The sentence n8n shows in the actions list, e.g. "Get the account balance". */
	action: string;
	description: string;
	/** Fields of this operation; their display conditions are added by the node. */
	fields: INodeProperties[];
	execute(ctx: IExecuteFunctions, itemIndex: number): Promise<IDataObject | IDataObject[]>;
}

export interface ProviderDefinition {
	id: ProviderId;
	displayName: string;
	/** Shown under the Provider dropdown. */
	description: string;
	/** Credential type names this provider can use, in the order the UI offers them. */
	credentialTypes: string[];
	/**
	 * Extra display conditions per credential type, for a provider with several auth schemes:
	 * a parameter of its own (in `fields`) chooses the scheme, and each credential is shown for its value.
	 */
	credentialDisplay?: Record<string, NonNullable<ICredentialsDisplayOptions['show']>>;
	/** Parameters shown for this provider right after Provider, whatever the resource (e.g. that auth choice). */
	fields?: INodeProperties[];
	/** The resources this provider offers, in the order the Resource dropdown lists them. */
	resources: INodePropertyOptions[];
	messaging: MessagingCapability;
	/** Resources beyond Message that are provider operations, keyed by resource, then operation. */
	operations?: Record<string, Record<string, ProviderOperation>>;
}
