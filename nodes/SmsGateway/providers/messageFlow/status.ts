import type { NormalisedStatus } from '../../shared/types';

/**
 * MessageFlow publishes status names for delivery reports (Delivered, Undelivered, Expired) but
 * not its numeric codes, so names are mapped and numbers stay "unknown" with the raw code kept.
 */
const BY_NAME: Record<string, NormalisedStatus> = {
	accepted: 'queued',
	queued: 'queued',
	scheduled: 'queued',
	pending: 'queued',
	sending: 'sending',
	sent: 'sent',
	delivered: 'delivered',
	undelivered: 'undelivered',
	expired: 'expired',
	rejected: 'failed',
	failed: 'failed',
	error: 'failed',
};

export function normaliseStatus(status: unknown): NormalisedStatus {
	if (typeof status !== 'string') return 'unknown';
	return BY_NAME[status.trim().toLowerCase()] ?? 'unknown';
}
