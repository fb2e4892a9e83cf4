import type { NormalisedStatus } from '../../shared/types';

/** SMS Bridge's status names, as its queue moves a message from the server to a phone. */
const STATUS: Record<string, NormalisedStatus> = {
	queued: 'queued',
	claimed: 'sending',
	sent_to_device: 'sending',
	sms_sent: 'sent',
	failed: 'failed',
	blocked: 'failed',
};

export function normaliseStatus(status: unknown): NormalisedStatus {
	return typeof status === 'string' ? (STATUS[status] ?? 'unknown') : 'unknown';
}
