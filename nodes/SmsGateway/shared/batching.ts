/** Splits a list into consecutive batches of at most `size` entries. */
export function chunk<T>(entries: T[], size: number): T[][] {
	const batches: T[][] = [];
	const step = Math.max(1, Math.floor(size));
	for (let start = 0; start < entries.length; start += step) batches.push(entries.slice(start, start + step));
	return batches;
}

/**
 * Maps over entries with at most `limit` calls in flight, keeping the order of the results.
 * Providers without a bulk endpoint send item by item; a few at a time is much faster than one by
 * one and still gentle with the provider.
 */
export async function mapWithConcurrency<T, R>(entries: T[], limit: number, map: (entry: T, index: number) => Promise<R>): Promise<R[]> {
	const results = new Array<R>(entries.length);
	let next = 0;
	const worker = async () => {
		while (next < entries.length) {
			const index = next++;
			results[index] = await map(entries[index], index);
		}
	};
	await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), entries.length) }, worker));
	return results;
}
