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

/**
 * Orders texts for a dropdown. A plain comparison rather than `localeCompare`: the first
 * `localeCompare` in a process sets up ICU collation, 10–20 ms that n8n's start-up would pay when
 * it loads this package (bench/micro.mjs measures the load). The names are plain English titles.
 */
export function compareText(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}

/** Orders options by name (see compareText). */
export function byName(a: { name: string }, b: { name: string }): number {
	return compareText(a.name, b.name);
}
