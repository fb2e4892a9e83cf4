import type { INodeCredentialDescription, INodeProperties } from 'n8n-workflow';
import { PROVIDERS } from '../providers';
import { showOnlyFor } from '../shared/descriptions';

/** Parameters a provider shows once it is chosen (e.g. which of its auth schemes to use). */
export const providerFields: INodeProperties[] = PROVIDERS.flatMap((provider) => showOnlyFor({ provider: [provider.id] }, provider.fields ?? []));

export const credentials: INodeCredentialDescription[] = PROVIDERS.flatMap((provider) =>
	provider.credentialTypes.map((name) => ({
		name,
		required: true,
		displayOptions: { show: { provider: [provider.id], ...provider.credentialDisplay?.[name] } },
	})),
);

/** Shown in the node's header: which provider, and what it does. */
export const subtitle = `={{ ${JSON.stringify(Object.fromEntries(PROVIDERS.map((p) => [p.id, p.displayName])))}[$parameter["provider"]] + ": " + $parameter["operation"] + " " + $parameter["resource"] }}`;
