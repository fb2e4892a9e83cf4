import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

/**
 * A secret header that a provider's panel sends with each webhook, checked by the SMS Gateway
 * Trigger. It is this package's own credential type (n8n's lint forbids reusing n8n's built-in
 * Header Auth from a community package); the values stay encrypted in n8n, out of the workflow.
 * The Test button (run by the trigger node) checks that the values make a usable secret.
 */
export class SmsGatewayWebhookHeaderAuthApi implements ICredentialType {
	name = 'smsGatewayWebhookHeaderAuthApi';

	displayName = 'SMS Gateway Webhook Header Auth API';

	icon: Icon = { light: 'file:../nodes/SmsGatewayTrigger/smsGatewayTrigger.svg', dark: 'file:../nodes/SmsGatewayTrigger/smsGatewayTrigger.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-sms-gateway/n8n-nodes-sms-gateway#sms-gateway-trigger';

	properties: INodeProperties[] = [
		{
			// Shown as a box above the fields: where to find the values (descriptions only show on hover).
			displayName: 'Set the same header name and secret in the provider’s webhook settings; the SMS Gateway Trigger refuses requests without them.',
			name: 'setupNotice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'Header Name',
			name: 'name',
			type: 'string',
			default: 'X-Webhook-Secret',
			required: true,
			description: 'The header the provider’s panel adds to each webhook request',
		},
		{
			displayName: 'Header Value (Secret)',
			name: 'secret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The secret value, the same as in the provider’s panel. Use a long random string (at least 12 characters).',
		},
	];
}
