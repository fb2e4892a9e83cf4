import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

/**
 * HTTP basic auth that a provider's panel sends with each webhook, checked by the SMS Gateway
 * Trigger. This package's own credential type (n8n's lint forbids reusing n8n's built-in Basic
 * Auth from a community package); the values stay encrypted in n8n. The Test button (run by the
 * trigger node) checks that the values make a usable secret.
 */
export class SmsGatewayWebhookBasicAuthApi implements ICredentialType {
	name = 'smsGatewayWebhookBasicAuthApi';

	displayName = 'SMS Gateway Webhook Basic Auth API';

	icon: Icon = { light: 'file:../nodes/SmsGatewayTrigger/smsGatewayTrigger.svg', dark: 'file:../nodes/SmsGatewayTrigger/smsGatewayTrigger.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-sms-gateway/n8n-nodes-sms-gateway#sms-gateway-trigger';

	properties: INodeProperties[] = [
		{
			// Shown as a box above the fields: where to find the values (descriptions only show on hover).
			displayName: 'Set the same user name and password in the provider’s webhook settings; the SMS Gateway Trigger refuses requests without them.',
			name: 'setupNotice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'User',
			name: 'user',
			type: 'string',
			default: '',
			required: true,
			description: 'The user name set in the provider’s panel for its webhooks (without a colon, which basic auth cannot carry in a user name)',
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The password set in the provider’s panel. Use a long random string (at least 12 characters).',
		},
	];
}
