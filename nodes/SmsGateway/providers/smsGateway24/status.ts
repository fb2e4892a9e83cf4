import type { NormalisedStatus } from '../../shared/types';

/**
 * SMSGateway24 status ids. The numbers are historic, so the real order is 1 → 3 → 2 → 6 → 7;
 * the names below are what the user picks in filters.
 */
export const STATUS_BY_ID: Record<number, { name: string; status: NormalisedStatus }> = {
	1: { name: 'New (Waiting on the Server)', status: 'queued' },
	3: { name: 'Queued for the Phone', status: 'queued' },
	2: { name: 'Taken by the Phone', status: 'sending' },
	6: { name: 'Sent by the Phone', status: 'sent' },
	7: { name: 'Delivered', status: 'delivered' },
	8: { name: 'Not Delivered', status: 'undelivered' },
	9: { name: 'Not Sent: Generic Failure', status: 'failed' },
	10: { name: 'Not Sent: No Service', status: 'failed' },
	11: { name: 'Not Sent: Null PDU', status: 'failed' },
	12: { name: 'Not Sent: Radio Off', status: 'failed' },
	100: { name: 'Not Sent: App Lacks SMS Permission', status: 'failed' },
	101: { name: 'Not Sent: App Lacks SMS Permission (101)', status: 'failed' },
	5: { name: 'Incoming Message', status: 'received' },
};

/** The status id getallsms gives a message the phone received (the list holds both directions). */
export const INCOMING_STATUS = 5;

export function normaliseStatus(id: unknown): NormalisedStatus {
	const numeric = typeof id === 'string' ? Number(id) : id;
	if (typeof numeric !== 'number' || Number.isNaN(numeric)) return 'unknown';
	return STATUS_BY_ID[numeric]?.status ?? 'unknown';
}

/** SIM slots and chat channels, as the API numbers them. */
export const CHANNELS = [
	{ name: 'SIM 1 (SMS)', value: 0 },
	{ name: 'SIM 2 (SMS)', value: 1 },
	{ name: 'WhatsApp Business', value: 2 },
	{ name: 'WhatsApp', value: 3 },
	{ name: 'RCS 1', value: 4 },
	{ name: 'RCS 2', value: 5 },
] as const;

export const WHATSAPP_CHANNELS: readonly number[] = [2, 3];
/** The SIM slots: only there does a text go out as SMS, split into parts (WhatsApp and RCS are not). */
export const SMS_CHANNELS: readonly number[] = [0, 1];
