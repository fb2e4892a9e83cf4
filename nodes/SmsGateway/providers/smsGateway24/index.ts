import type { ProviderDefinition } from '../types';
import { sendBulk } from './bulk';
import { getMany, getStatus } from './messages';
import { PROVIDER_ID, send } from './send';
import { CREDENTIAL_TYPE } from './transport';

export const smsGateway24: ProviderDefinition = {
	id: PROVIDER_ID,
	displayName: 'SMSGateway24',
	description: 'Android phones as gateways: SMS, WhatsApp and RCS',
	credentialTypes: [CREDENTIAL_TYPE],
	resources: [
		{ name: 'Contact', value: 'contact' },
		{ name: 'Device', value: 'device' },
		{ name: 'Message', value: 'message' },
		{ name: 'Newsletter', value: 'newsletter' },
		{ name: 'Tag', value: 'tag' },
	],
	messaging: { send, sendBulk, getStatus, getMany },
};
