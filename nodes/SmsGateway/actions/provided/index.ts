import type { INodeProperties } from 'n8n-workflow';
import { PROVIDERS } from '../../providers';
import type { ProviderDefinition, ProviderOperation } from '../../providers/types';
import { byName, showOnlyFor } from '../../shared/descriptions';
import type { Operation } from '../types';

/**
 * Resources whose operations the providers declare themselves (see ProviderOperation): for each
 * provider and resource, an Operation dropdown listing what that provider offers, and each
 * operation's fields shown only there.
 */
function describe(provider: ProviderDefinition): INodeProperties[] {
	return Object.entries(provider.operations ?? {}).flatMap(([resource, operations]) => {
		const entries = Object.entries(operations);
		const show = { provider: [provider.id], resource: [resource] };
		const dropdown: INodeProperties = {
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			displayOptions: { show },
			options: entries
				.map(([value, operation]) => ({ name: operation.name, value, action: operation.action, description: operation.description }))
				.sort(byName),
			default: '',
		};
		// The first operation is preselected; set here because it depends on the provider.
		dropdown.default = entries[0][0];
		return [dropdown, ...entries.flatMap(([value, operation]) => showOnlyFor({ ...show, operation: [value] }, operation.fields))];
	});
}

export const description: INodeProperties[] = PROVIDERS.flatMap(describe);

function asOperation(operation: ProviderOperation): Operation {
	return {
		description: [],
		async execute(ctx, itemIndex) {
			const result = await operation.execute(ctx, itemIndex);
			return (Array.isArray(result) ? result : [result]).map((json) => ({ json }));
		},
	};
}

/** The provider's own operation for a resource, if it declares one. */
export function providedOperation(provider: ProviderDefinition, resource: string, operation: string): Operation | undefined {
	const found = provider.operations?.[resource]?.[operation];
	return found ? asOperation(found) : undefined;
}
