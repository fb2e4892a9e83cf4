import type { IDataObject } from 'n8n-workflow';
import { InvalidInputError } from '../../SmsGateway/shared/errors';
import type { TriggerEvent } from '../../SmsGateway/shared/events';
import { pending } from '../../SmsGateway/providers/smsBridge/schemas';
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
				typeOptions: { minValue: 1, maxValue: 100 },
				default: 50,
				description:
					'How many waiting messages one poll claims (1–100). Each claimed message holds a lease: report it before the lease ends, or SMS Bridge offers it again.',
			},
		],
		options: [],
		async poll(ctx, { manual, now }) {
			const limit = Number(ctx.getNodeParameter('claimLimit', 50));
			if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
				throw new InvalidInputError('Claim Limit', `${String(limit)} is not between 1 and 100`, 'Claim between 1 and 100 messages per poll.');
			}
			// "Fetch test event" claims a single message: the queue has no way to look without
			// claiming, and a claimed message that is not reported is offered again after its lease.
			const answer = await callSmsBridge(ctx, { method: 'GET', path: 'messages/pending.php', qs: { limit: manual ? 1 : limit } }, pending);
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
