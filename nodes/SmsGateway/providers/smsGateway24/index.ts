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
	resources: [{ name: 'Message', value: 'message' }],
	messaging: { send, sendBulk, getStatus, getMany },
};
