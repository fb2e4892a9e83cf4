import type { IDataObject } from 'n8n-workflow';
import { readWholeNumber } from '../../SmsGateway/shared/fieldValues';
import type { TriggerEvent } from '../../SmsGateway/shared/events';
import { anyObject, pending } from '../../SmsGateway/providers/smsBridge/schemas';
import { callSmsBridge, CREDENTIAL_TYPE } from '../../SmsGateway/providers/smsBridge/transport';
import type { TriggerProvider } from '../registry';

/**
 * SMS Bridge on the trigger side: its gateway queue. Each poll claims the messages waiting to be
 * sent and starts one execution with them, so a workflow can be the gateway: deliver each text
 * by any node, then report it with the SMS Gateway node (Gateway Queue → Report Status).
 *
 * The queue hands a message out once per lease, so no cursor is needed: a claimed message that is
 * not reported before its lease ends is offered again by SMS Bridge itself (attempts + 1), which is
 * how nothing is lost. SMS Bridge has no webhooks.
 */
export const smsBridgeTrigger: TriggerProvider = {
	id: 'smsBridge',
	displayName: 'SMS Bridge',
	poll: {
		kind: 'custom',
		credentialType: CREDENTIAL_TYPE,
		events: ['queued'],
		fields: [
			{
				displayName: 'Claim Limit',
				name: 'claimLimit',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 100, numberPrecision: 0 },
				default: 50,
				description:
					'How many waiting messages one poll claims (1–100). Each claimed message holds a lease: report it before the lease ends, or SMS Bridge offers it again.',
			},
		],
		options: [],
		async poll(ctx, { manual, now }) {
			const limit = readWholeNumber(ctx.getNodeParameter('claimLimit', 50), 'Claim Limit', { min: 1, max: 100, fallback: 50, fix: 'Claim between 1 and 100 messages per poll.' });
			// The queue cannot be looked at without claiming: a claimed message is held from every
			// gateway until its lease ends (and, if a test run delivered it without reporting, sent
			// again by the active workflow). So "Fetch test event" claims nothing and shows a sample
			// with the fields a claimed message has, marked as such. The credential is checked first
			// (auth.php reads nothing): a wrong key or Base URL shows here, not only once the workflow
			// is activated and its first poll fails.
			if (manual) {
				await callSmsBridge(ctx, { method: 'GET', path: 'auth.php' }, anyObject);
				return [sampleEvent(now)];
			}
			const answer = await callSmsBridge(ctx, { method: 'GET', path: 'messages/pending.php', qs: { limit } }, pending);
			const claimed = answer.ok ? (answer.data.messages ?? []) : [];
			return claimed.map(
				(message): TriggerEvent => ({
					provider: 'smsBridge',
					event: 'status',
					messageId: message.id,
					direction: 'outbound',
					recipient: message.target_phone ?? null,
					status: 'queued',
					providerStatus: 'claimed',
					text: message.message_text ?? '',
					externalId: message.external_id ?? null,
					attempts: message.attempts === undefined || message.attempts === null ? null : Number(message.attempts),
					leaseUntil: message.lease_until ?? null,
					eventTime: new Date(now).toISOString(),
					raw: message as IDataObject,
				}),
			);
		},
	},
};

/** What "Fetch test event" shows: the shape of a claimed message, without claiming one. */
function sampleEvent(now: number): TriggerEvent {
	return {
		provider: 'smsBridge',
		event: 'status',
		messageId: '0',
		direction: 'outbound',
		recipient: '+48123456789',
		status: 'queued',
		providerStatus: 'claimed',
		text: 'A sample message: Fetch Test Event does not claim from the queue',
		externalId: null,
		attempts: 1,
		leaseUntil: new Date(now + 5 * 60_000).toISOString(),
		eventTime: new Date(now).toISOString(),
		sample: true,
		note: 'A sample with the fields of a claimed message. Fetch Test Event claims nothing from SMS Bridge (a claimed message is held from every gateway until its lease ends); activate the workflow to receive the waiting messages.',
		raw: {},
	};
}
