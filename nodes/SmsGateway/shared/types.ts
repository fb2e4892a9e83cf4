import type { IDataObject } from 'n8n-workflow';
import type { TextEncoding } from './segments';

/** The package's own status vocabulary, the same for every provider (see the README's table). */
export const NORMALISED_STATUSES = [
	'queued',
	'sending',
	'sent',
	'delivered',
	'undelivered',
	'failed',
	'expired',
	'received',
	'unknown',
] as const;
export type NormalisedStatus = (typeof NORMALISED_STATUSES)[number];

export type ProviderId = 'smsGateway24' | 'messageFlow' | 'smsBridge' | 'ugsms';

/** One message as every operation reports it, whichever provider carried it. */
export interface MessageOutput extends IDataObject {
	provider: ProviderId;
	/** The provider's id for the message; null where the provider gives none (bulk sends). */
	messageId: string | null;
	direction: 'outbound' | 'inbound';
	/** Who the message went to (E.164 where the node sent it); null for inbound messages. */
	recipient: string | null;
	/** Who sent an inbound message, as the provider gives it. */
	sender?: string;
	status: NormalisedStatus;
	/** The provider's own status code or name, unchanged. */
	providerStatus: string | number | null;
	segments: number | null;
	encoding: TextEncoding | null;
	/** The provider's answer for this message, with credential values removed. */
	raw: IDataObject;
}
