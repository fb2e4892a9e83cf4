// n8n keeps execution data "flatted" (an array whose strings and objects refer to each other by index).
export function unflatten(text) {
	const list = JSON.parse(text);
	const done = new Map();
	const resolve = (index) => {
		const value = list[index];
		if (value === null || typeof value !== 'object') return value;
		if (done.has(index)) return done.get(index);
		const out = Array.isArray(value) ? [] : {};
		done.set(index, out);
		for (const [key, entry] of Object.entries(value)) out[key] = typeof entry === 'string' ? resolve(Number(entry)) : entry;
		return out;
	};
	return resolve(0);
}
