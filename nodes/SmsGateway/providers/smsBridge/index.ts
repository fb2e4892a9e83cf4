import type { ProviderDefinition } from '../types';
import { getStatus, PROVIDER_ID, send, sendBulk } from './messages';
import { operations } from './operations';
import { CREDENTIAL_TYPE } from './transport';

export const smsBridge: ProviderDefinition = {
	id: PROVIDER_ID,
	displayName: 'SMS Bridge',
	description: 'Self-hosted gateway whose Android app sends the queue; n8n can be the gateway too',
	credentialTypes: [CREDENTIAL_TYPE],
	resources: [
		{ name: 'Account', value: 'account' },
		{ name: 'API Key', value: 'apiKey' },
		{ name: 'Gateway Queue', value: 'gatewayQueue' },
		{ name: 'Message', value: 'message' },
		{ name: 'Sender ID', value: 'senderId' },
	],
	messaging: { send, sendBulk, getStatus },
	operations,
};
