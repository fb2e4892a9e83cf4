import type { IExecuteFunctions, INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import type { SegmentInfo } from '../shared/segments';
import type { MessageOutput, ProviderId } from '../shared/types';

/** One input item's message, checked and normalised by the shared Send operation. */
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

/** The part of a provider that the shared Message operations drive. */
export interface MessagingCapability {
	/** Fields this provider adds to Message → Send (shown only for it). */
	sendFields: INodeProperties[];
	/**
	 * Reads and checks the provider's own send fields for an item, before anything is sent,
	 * and returns the sender bound to them.
	 */
	prepareSend(ctx: IExecuteFunctions, message: OutgoingMessage): Promise<() => Promise<RecipientResult[]>>;
}

export interface ProviderDefinition {
	id: ProviderId;
	displayName: string;
	/** Shown under the Provider dropdown. */
	description: string;
	/** Credential type names this provider can use, in the order the UI offers them. */
	credentialTypes: string[];
	/** The resources this provider offers, in the order the Resource dropdown lists them. */
	resources: INodePropertyOptions[];
	messaging: MessagingCapability;
}
