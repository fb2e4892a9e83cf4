import type { INodeCredentialDescription, INodeProperties } from 'n8n-workflow';
import { PROVIDERS } from '../providers';
import { showOnlyFor } from '../shared/descriptions';

export const providerField: INodeProperties = {
	displayName: 'Provider',
	name: 'provider',
	type: 'options',
	noDataExpression: true,
	options: PROVIDERS.map((provider) => ({ name: provider.displayName, value: provider.id, description: provider.description })),
	default: 'smsGateway24',
	description: 'The SMS service that carries the messages. Each offers only what its API supports.',
};

/** Parameters a provider shows before its resources (e.g. which of its auth schemes to use). */
export const providerFields: INodeProperties[] = PROVIDERS.flatMap((provider) => showOnlyFor({ provider: [provider.id] }, provider.fields ?? []));

/** One Resource dropdown per provider, so each lists only what that provider can do. */
export const resourceFields: INodeProperties[] = PROVIDERS.map((provider) => ({
	displayName: 'Resource',
	name: 'resource',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { provider: [provider.id] } },
	options: provider.resources,
	default: 'message',
}));

export const credentials: INodeCredentialDescription[] = PROVIDERS.flatMap((provider) =>
	provider.credentialTypes.map((name) => ({
		name,
		required: true,
		displayOptions: { show: { provider: [provider.id], ...provider.credentialDisplay?.[name] } },
	})),
);

/** Shown in the node's header: which provider, and what it does. */
export const subtitle = `={{ ${JSON.stringify(Object.fromEntries(PROVIDERS.map((p) => [p.id, p.displayName])))}[$parameter["provider"]] + ": " + $parameter["operation"] + " " + $parameter["resource"] }}`;
