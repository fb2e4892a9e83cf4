import type { ProviderDefinition } from '../types';
import { sendBulk } from './bulk';
import { getMany } from './list';
import { PROVIDER_ID, send } from './send';
import { CREDENTIAL_TYPE } from './transport';

export const messageFlow: ProviderDefinition = {
	id: PROVIDER_ID,
	displayName: 'MessageFlow',
	description: 'Enterprise SMS API (Vercom): sender IDs, delivery reports, 2-way SMS',
	credentialTypes: [CREDENTIAL_TYPE],
	resources: [{ name: 'Message', value: 'message' }],
	messaging: { send, sendBulk, getMany },
};
