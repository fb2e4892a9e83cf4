import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';

/**
 * Adds display conditions to a list of fields once, so an operation file declares its fields plainly
 * and says in one line where they appear. Conditions already on a field are kept and combined.
 */
export function showOnlyFor(show: NonNullable<IDisplayOptions['show']>, properties: INodeProperties[]): INodeProperties[] {
	return properties.map((property) => ({
		...property,
		displayOptions: {
			...property.displayOptions,
			show: { ...show, ...property.displayOptions?.show },
		},
	}));
}
