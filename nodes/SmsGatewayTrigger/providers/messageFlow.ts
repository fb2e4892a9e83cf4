import { parseStatusMap } from '../../SmsGateway/shared/events';
import { listMessageFlowRecords, parseMessageFlowWebhook } from '../../SmsGateway/providers/messageFlow/events';
import { readSenders } from '../../SmsGateway/providers/messageFlow/list';
import { CREDENTIAL_TYPE } from '../../SmsGateway/providers/messageFlow/transport';
import type { INodeProperties } from 'n8n-workflow';
import type { TriggerProvider } from '../registry';

/** MessageFlow on the trigger side: panel webhooks (delivery reports, 2-way SMS) and the status list. */

const statusCodesOption: INodeProperties = {
	displayName: 'Status Codes',
	name: 'statusCodes',
	type: 'string',
	default: '',
	placeholder: '4=delivered, 5=undelivered, 6=expired, 7=failed',
	description:
		'MessageFlow does not publish its numeric status codes, so a report or list entry that has only a code is "Other Status". If you know the codes of your account, name them here (code=status, separated by commas) and the Events filter applies to them.',
};

export const messageFlowTrigger: TriggerProvider = {
	id: 'messageFlow',
	displayName: 'MessageFlow',
	webhook: {
		setup:
			'MessageFlow has no API to register webhooks: copy the Production URL (Webhook URLs, at the top of this panel) and paste it in the MessageFlow panel as the webhook URL for delivery reports and for incoming (2-way) messages (the main URL; the secondary URL can be a second workflow). If you set an authorisation there (a header or user and password), choose the same below. Single messages can also name this URL in the SMS Gateway node (Options → Delivery Report URL).',
		events: ['received', 'delivered', 'undelivered', 'expired', 'failed', 'sent', 'sending', 'queued', 'unknown'],
		options: [statusCodesOption],
		parse(body, { receivedAt, options }) {
			return parseMessageFlowWebhook(body, { receivedAt, statusCodes: parseStatusMap(options.statusCodes) });
		},
	},
	poll: {
		kind: 'list',
		credentialType: CREDENTIAL_TYPE,
		// The status list holds sent messages only; incoming messages come by webhook.
		events: ['delivered', 'undelivered', 'expired', 'failed', 'sent', 'sending', 'queued', 'unknown'],
		fields: [
			{
				displayName: 'Senders',
				name: 'senders',
				type: 'string',
				default: '',
				placeholder: 'ACME, SHOP',
				description: 'Only messages from these Sender IDs, separated by commas (at most 10). Leave empty for all.',
			},
		],
		options: [statusCodesOption],
		monotonicIds: false,
		prepare(ctx) {
			const senders = readSenders(ctx.getNodeParameter('senders', ''));
			const options = ctx.getNodeParameter('options', {}) as { statusCodes?: string };
			const statusCodes = parseStatusMap(options.statusCodes);
			return {
				// Sorted and without repeats: "SHOP, ACME" is the same list as "ACME,SHOP".
				filters: senders.length > 0 ? [`senders=${encodeURIComponent([...new Set(senders)].sort().join(','))}`] : [],
				async list({ sinceMs, now, deadline, from }) {
					return await listMessageFlowRecords(ctx, { sinceMs, now, senders, statusCodes, deadline, from });
				},
			};
		},
	},
};
