import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { PROVIDERS } from '../providers';
import { byName, compareText } from '../shared/descriptions';

/**
 * Lays the node out as Resource → Operation → Provider.
 *
 * n8n's nodes panel lists a node's actions from its `resource` and `operation` parameters and
 * sets only those two when an action is picked; it cannot set the provider. With one Resource
 * dropdown per provider, the panel listed every shared action once per provider (35 entries,
 * "Send a message" four times), some pointing at another provider's operations, and picking
 * a UGSMS action left SMSGateway24 selected. So the panel gets one Resource dropdown and one
 * Operation dropdown per resource (every action once), and the Provider dropdown that follows
 * lists only the services that offer the chosen operation: every pick is a working node.
 *
 * The operation files keep declaring their dropdowns per provider (what each supports, in
 * their own words); this merges them, so who supports what is still said in one place.
 */
export function arrangeByAction(properties: INodeProperties[]): INodeProperties[] {
	const allProviders = PROVIDERS.map((provider) => provider.id as string);
	const operations = new Map<string, { options: Map<string, INodePropertyOptions>; providers: Map<string, Set<string>>; first: INodeProperties }>();
	const fields: INodeProperties[] = [];

	for (const property of properties) {
		if (property.name !== 'operation') {
			fields.push(property);
			continue;
		}
		const show = property.displayOptions?.show ?? {};
		const resources = (show.resource ?? []) as string[];
		const providers = ((show.provider as string[] | undefined) ?? allProviders).filter((id) => allProviders.includes(id));
		for (const resource of resources) {
			const entry = operations.get(resource) ?? { options: new Map(), providers: new Map(), first: property };
			operations.set(resource, entry);
			for (const option of (property.options ?? []) as INodePropertyOptions[]) {
				const value = String(option.value);
				if (!entry.options.has(value)) entry.options.set(value, option);
				const offeredBy = entry.providers.get(value) ?? new Set<string>();
				for (const id of providers) offeredBy.add(id);
				entry.providers.set(value, offeredBy);
			}
		}
	}

	const resourceOptions = PROVIDERS.flatMap((provider) => provider.resources)
		.filter((option, index, all) => all.findIndex((other) => other.value === option.value) === index)
		.filter((option) => operations.has(String(option.value)))
		// Case-insensitive, so "Account" comes before "API Key".
		.sort((a, b) => compareText(a.name.toLowerCase(), b.name.toLowerCase()));

	const resourceField: INodeProperties = {
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: resourceOptions,
		default: 'message',
		description: 'What to work with. The Provider list below shows the services that offer it.',
	};

	const operationFields: INodeProperties[] = [];
	const providerFields: INodeProperties[] = [];
	for (const option of resourceOptions) {
		const resource = String(option.value);
		const entry = operations.get(resource)!;
		const operationField: INodeProperties = {
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			displayOptions: { show: { resource: [resource] } },
			options: [...entry.options.values()].sort(byName),
			default: '',
		};
		// Defaults and texts depend on the resource, so they are set after the literal.
		operationField.default = entry.first.default;
		operationField.description = `What to do with the ${option.name.replace(/\b([A-Z])(?=[a-z])/g, (letter) => letter.toLowerCase())}`;
		operationFields.push(operationField);

		// One Provider dropdown for each group of operations that the same services offer.
		const groups = new Map<string, string[]>();
		for (const [operation, offeredBy] of entry.providers) {
			const key = allProviders.filter((id) => offeredBy.has(id)).join(',');
			groups.set(key, [...(groups.get(key) ?? []), operation]);
		}
		for (const [key, operationValues] of groups) {
			const offeredBy = key.split(',');
			const providerField: INodeProperties = {
				displayName: 'Provider',
				name: 'provider',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: [resource], operation: operationValues } },
				options: PROVIDERS.filter((provider) => offeredBy.includes(provider.id)).map((provider) => ({
					name: provider.displayName,
					value: provider.id,
					description: provider.description,
				})),
				default: '',
				description:
					offeredBy.length === allProviders.length
						? 'The SMS service that carries the messages'
						: `The SMS service to use. Only the services that offer this operation are listed (${offeredBy.length} of ${allProviders.length}).`,
			};
			providerField.default = offeredBy[0];
			providerFields.push(providerField);
		}
	}

	return [resourceField, ...operationFields, ...providerFields, ...fields];
}
