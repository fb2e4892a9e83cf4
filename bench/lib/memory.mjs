// Peak memory of a process: Linux keeps the high-water mark of its resident set (VmHWM in
// /proc/<pid>/status). It is read every 20 ms while the process runs; the last reading before it
// exits is the peak (within the last 20 ms of its life, when n8n only closes the database).

import { readFileSync } from 'node:fs';

function readKb(pid, field) {
	try {
		const status = readFileSync(`/proc/${pid}/status`, 'utf8');
		const match = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm').exec(status);
		return match ? Number(match[1]) : undefined;
	} catch {
		return undefined; // gone, or not Linux
	}
}

/**
 * `field` 'VmHWM' (default) is the process's peak over its whole life; 'VmRSS' samples its resident
 * set now, for a process that lives on between measurements (the running n8n of the warm runs).
 */
export function memorySampler({ intervalMs = 20, field = 'VmHWM' } = {}) {
	let peakKb = 0;
	let timer;
	let pid;
	const sample = () => {
		const kb = pid === undefined ? undefined : readKb(pid, field);
		if (kb !== undefined && kb > peakKb) peakKb = kb;
	};
	return {
		watch(childPid) {
			pid = childPid;
			sample();
			timer = setInterval(sample, intervalMs);
		},
		stop() {
			clearInterval(timer);
			return { peakMb: peakKb > 0 ? Math.round(peakKb / 1024) : null };
		},
	};
}
