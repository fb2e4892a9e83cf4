// Small statistics shared by the benchmark scripts.

/**
 * The median of the numbers among `values` (others, such as a missing figure, are left out); for
 * an even count the lower of the two middle values, so it is always a value that was measured.
 * Null when there is no number.
 */
export function median(values) {
	const sorted = values.filter((v) => typeof v === 'number').sort((a, b) => a - b);
	return sorted.length === 0 ? null : sorted[Math.floor((sorted.length - 1) / 2)];
}
