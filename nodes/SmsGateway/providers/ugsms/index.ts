import type { ProviderDefinition } from '../types';
import { operations } from './operations';
import { send, sendBulk } from './send';
import { ACCOUNT_CREDENTIAL, API_KEY_CREDENTIAL, PROVIDER_ID } from './transport';

export const ugsms: ProviderDefinition = {
	id: PROVIDER_ID,
	displayName: 'UGSMS',
	description: 'Ugandan SMS API: send to many numbers per request, balance, API keys; paced to its rate limit',
	credentialTypes: [API_KEY_CREDENTIAL, ACCOUNT_CREDENTIAL],
	// UGSMS has two APIs with different sign-ins: v2 takes an API key, v1 a username and password.
	// The user picks one here and sees only the matching credential.
	credentialDisplay: {
		[API_KEY_CREDENTIAL]: { authentication: ['apiKey'] },
		[ACCOUNT_CREDENTIAL]: { authentication: ['usernamePassword'] },
	},
	fields: [
		{
			displayName: 'Authentication',
			name: 'authentication',
			description: 'Which UGSMS API to use: an API key (v2: sending, balance, key management) or your username and password (v1)',
			type: 'options',
			noDataExpression: true,
			options: [
				{ name: 'API Key', value: 'apiKey', description: 'UGSMS API v2: sends, balance, key management' },
				{ name: 'Username and Password', value: 'usernamePassword', description: 'UGSMS API v1: sends and key management (no balance)' },
			],
			default: 'apiKey',
		},
	],
	resources: [
		{ name: 'Account', value: 'account' },
		{ name: 'API Key', value: 'apiKey' },
		{ name: 'Message', value: 'message' },
	],
	messaging: { send, sendBulk },
	operations,
};
