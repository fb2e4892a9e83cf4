import type { IDisplayOptions, INodeCredentialDescription, INodeProperties, INodePropertyOptions, NodeParameterValue } from 'n8n-workflow';

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

/**
 * Says a credential's display conditions as "hidden for every other value" instead of "shown for
 * these values".
 *
 * n8n's editor takes a parameter that `show` conditions of credentials depend on, and whose every
 * value picks a credential, for the node's authentication switch: it hides that parameter, and
 * every parameter it depends on, from the node's settings and leaves the choice to the credential
 * picker. Here that parameter is Provider, so the editor hid Provider, Resource and Operation (seen
 * in n8n 2.40's editor: a bare "Credential for SMSGateway24 API" and no way to pick another service).
 * `hide` conditions select the same credential and leave every dropdown visible.
 */
export function credentialsShownOnlyFor(credentials: INodeCredentialDescription[], properties: INodeProperties[]): INodeCredentialDescription[] {
	const valuesOf = (name: string) =>
		new Set(
			properties
				.filter((property) => property.name === name)
				.flatMap((property) => (property.options ?? []) as INodePropertyOptions[])
				.map((option) => option.value),
		);
	return credentials.map(({ displayOptions, ...credential }) => {
		const hide: Record<string, NodeParameterValue[]> = {};
		for (const [name, shown] of Object.entries(displayOptions?.show ?? {})) {
			const others = [...valuesOf(name)].filter((value) => !(shown ?? []).includes(value));
			if (others.length > 0) hide[name] = others;
		}
		return Object.keys(hide).length > 0 ? { ...credential, displayOptions: { hide } } : credential;
	});
}
