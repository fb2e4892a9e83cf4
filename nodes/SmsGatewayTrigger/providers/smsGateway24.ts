import type { IDataObject } from 'n8n-workflow';
import { InvalidInputError } from '../../SmsGateway/shared/errors';
import { readTextField } from '../../SmsGateway/shared/message';
import { readTimeZone } from '../../SmsGateway/shared/time';
import { listSmsGateway24Records, parseSmsGateway24Webhook } from '../../SmsGateway/providers/smsGateway24/events';
import { deviceField } from '../../SmsGateway/providers/smsGateway24/fields';
import { CREDENTIAL_TYPE } from '../../SmsGateway/providers/smsGateway24/transport';
import type { TriggerProvider } from '../registry';

/** SMSGateway24 on the trigger side: per-device webhooks, and the message list (getallsms). */

function readDevice(value: unknown): string | undefined {
	const raw = value && typeof value === 'object' ? (value as IDataObject).value : value;
	const id = readTextField(raw, 'Device').trim();
	if (id === '') return undefined;
	if (!/^\d+$/.test(id)) throw new InvalidInputError('Device', `"${id}" is not a device ID`, 'Pick a device from the list, enter its numeric ID, or leave it empty for all phones.');
	return id;
}

export const smsGateway24Trigger: TriggerProvider = {
	id: 'smsGateway24',
	displayName: 'SMSGateway24',
	webhook: {
		setup:
			'SMSGateway24 has no API to register webhooks: copy the Production URL (Webhook URLs, at the top of this panel) and paste it in the SMSGateway24 web panel, in the settings of each phone (device) whose messages should start this workflow, as its delivery-report webhook and as its incoming-message webhook. SMSGateway24 does not sign webhooks; keep the URL private, and choose Header Auth or Basic Auth below only if the panel lets you send that header or user and password.',
		events: ['received', 'delivered', 'undelivered', 'failed', 'sent', 'sending', 'queued', 'unknown'],
		options: [
			{
				displayName: 'Time Zone of Webhook Times',
				name: 'timeZone',
				type: 'string',
				default: '',
				placeholder: 'Europe/Berlin',
				description:
					"SMSGateway24 writes the time of an incoming message without a time zone: the zone it means, as an IANA name. Empty means the workflow's time zone.",
			},
		],
		parse(body, { receivedAt, options, workflowTimeZone }) {
			const timeZone = readTimeZone(options.timeZone, 'Time Zone of Webhook Times', workflowTimeZone);
			return parseSmsGateway24Webhook(body, { receivedAt, timeZone });
		},
	},
	poll: {
		kind: 'list',
		credentialType: CREDENTIAL_TYPE,
		events: ['received', 'delivered', 'undelivered', 'failed', 'sent', 'sending', 'queued', 'unknown'],
		fields: [
			{
				...deviceField,
				required: false,
				description: 'Only messages of this phone. Leave empty for all phones of the account.',
				// Empty is allowed here (all phones): the action node's "a device ID is a number" check
				// would flag the node, and n8n does not activate a workflow with a flagged node.
				modes: deviceField.modes?.map((mode) =>
					mode.name === 'id' ? { ...mode, validation: [{ type: 'regex' as const, properties: { regex: '^\\d*$', errorMessage: 'A device ID is a number' } }] } : mode,
				),
			},
		],
		options: [],
		// Message ids come from one growing counter (sent and incoming alike).
		monotonicIds: true,
		prepare(ctx, { events }) {
			const deviceId = readDevice(ctx.getNodeParameter('device', ''));
			// getallsms lists sent and received messages together, and an account that sends
			// campaigns has far more of the first: a workflow started only by incoming messages
			// asks for those alone.
			const receivedOnly = events.length > 0 && events.every((event) => event === 'received');
			return {
				filters: [...(receivedOnly ? ['received'] : []), ...(deviceId === undefined ? [] : [`device=${deviceId}`])],
				async list({ sinceMs, now }) {
					return { records: await listSmsGateway24Records(ctx, { sinceMs, now, deviceId, receivedOnly }), complete: true };
				},
			};
		},
	},
};
