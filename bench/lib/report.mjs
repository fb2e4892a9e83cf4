// Turns a bench report (bench/run.mjs) into the printed table and the README's markdown, and
// checks the goals of issue #10 against it.

const NAMES = { smsGateway24: 'SMSGateway24', messageFlow: 'MessageFlow', ugsms: 'UGSMS' };
const GOALS = { speedup: 20, floorRatio: 1.5, perItemUs: 50, coldLoadMs: 50 };

const ms = (v) => (v === null || v === undefined ? '–' : v >= 10_000 ? `${(v / 1000).toFixed(1)} s` : `${Math.round(v)} ms`);
// One decimal from 10× on, so a ratio just under a goal (19.7×) never prints as the goal (20×).
const ratio = (v) => (v === null || v === undefined || !Number.isFinite(v) ? '–' : v >= 100 ? `${v.toFixed(0)}×` : v >= 10 ? `${v.toFixed(1)}×` : `${v.toFixed(2)}×`);
const num = (v) => (v === null || v === undefined ? '–' : String(v));

/**
 * Two settings are measured: each workflow in fresh `n8n execute` processes (everything cold: the
 * JIT, n8n's first request, the credential's decryption; the median of several processes), and in
 * a running n8n (`n8n start`, from a webhook: the median of several runs after one unmeasured
 * run), as n8n runs in production.
 */
const SETTINGS = {
	cold: {
		baseline: 'baseline',
		ours: 'ours',
		// Reports from before --fresh measured each fresh process once (no runsNodeMs).
		label: (report, r) => `fresh process${(r.runsNodeMs?.length ?? 1) > 1 ? `, median of ${r.runsNodeMs.length}` : ''}`,
		where: 'in a fresh n8n execute',
	},
	warm: { baseline: 'warmBaseline', ours: 'warmOurs', label: (report) => `running n8n, median of ${report.warmRuns}`, where: 'in a running n8n' },
};

function derived(s, setting) {
	const baseline = s[SETTINGS[setting].baseline];
	const ours = s[SETTINGS[setting].ours];
	const speedup = baseline?.nodeMs && ours?.nodeMs ? baseline.nodeMs / ours.nodeMs : null;
	const overFloor = ours?.nodeMs && s.floor?.ms ? ours.nodeMs / s.floor.ms : null;
	return { speedup, overFloor };
}

/** Table rows: one per run (baseline, ours), or one saying why a scenario has none. */
function rows(report) {
	const out = [];
	for (const s of report.scenarios) {
		const name = NAMES[s.provider];
		const workload = `${s.workload}${s.items !== report.items ? ` (${s.items})` : ''}`;
		if (!s.available) {
			out.push([name, workload, 'pending: not in this package yet', '', '', '', '', '', '', '', ms(s.floor.ms), '']);
			continue;
		}
		if (s.skipped) {
			out.push([name, workload, s.skipped, '', '', '', '', '', '', '', ms(s.floor.ms), '']);
			continue;
		}
		for (const [setting, { baseline, ours, label }] of Object.entries(SETTINGS)) {
			const { speedup, overFloor } = derived(s, setting);
			for (const [kind, r] of [['HTTP Request (baseline)', s[baseline]], ['SMS Gateway node', s[ours]]]) {
				// A scenario that only changes a setting of our node shares the baseline printed above it.
				if (!r || (s.baselineShared && kind.startsWith('HTTP'))) continue;
				const status = r.ok ? '' : ` ⚠ ${r.error ?? 'failed'}`;
				out.push([
					name,
					workload,
					`${kind}, ${label(report, r)}${status}`,
					ms(r.nodeMs),
					ms(r.executionMs),
					num(r.requests),
					num(r.accepted),
					num(r.rejected429),
					r.peakRssMb ? `${r.peakRssMb} MB` : '–',
					kind.startsWith('SMS') ? ratio(speedup) : '',
					kind.startsWith('SMS') ? `${ms(s.floor.ms)} (${s.floor.how})` : '',
					kind.startsWith('SMS') ? ratio(overFloor) : '',
				]);
			}
		}
	}
	return out;
}

const HEADER = ['Provider', 'Workload', 'Run', 'Node time', 'Execution', 'Requests', 'Accepted', '429s', 'Peak RSS', 'Baseline ÷ ours', 'Floor', 'Ours ÷ floor'];

/** The goals of issue #10, each with the measured value and whether it holds. */
export function goals(report) {
	const results = [];
	for (const s of report.scenarios) {
		const name = `${NAMES[s.provider]}, ${s.workload}`;
		if (!s.available) {
			results.push({ goal: `${name}: ≥${GOALS.speedup}× baseline, ≤${GOALS.floorRatio}× floor`, holds: null, value: 'pending (provider not in the package yet)' });
			continue;
		}
		if (s.skipped || !s.ours) continue;
		for (const [setting, { where, ...keys }] of Object.entries(SETTINGS)) {
			const ours = s[keys.ours];
			const baseline = s[keys.baseline];
			if (!ours) continue;
			const { speedup, overFloor } = derived(s, setting);
			const complete = ours.ok && ours.accepted === s.items;
			if (baseline) results.push({ goal: `${name}: at least ${GOALS.speedup}× faster than the baseline ${where}`, holds: speedup !== null && speedup >= GOALS.speedup, value: ratio(speedup) });
			results.push({ goal: `${name}: within ${GOALS.floorRatio}× of the floor ${where}`, holds: overFloor !== null && overFloor <= GOALS.floorRatio, value: `${ratio(overFloor)} (${ms(ours.nodeMs)} vs ${ms(s.floor.ms)})` });
			results.push({ goal: `${name}: every message accepted ${where}`, holds: complete, value: `${ours.accepted}/${s.items}` });
			if (s.provider === 'ugsms') {
				results.push({ goal: `${name}: zero 429s from our node ${where}`, holds: ours.rejected429 === 0, value: `${ours.rejected429}` });
				if (baseline) results.push({ goal: `${name}: the baseline breaks the limit ${where}`, holds: baseline.rejected429 > 0, value: `${baseline.rejected429} × 429` });
			}
		}
	}
	const micro = report.micro;
	if (micro) {
		const worst = Math.max(...micro.perItem.map((p) => p.usPerItem));
		results.push({ goal: `per-item work under ${GOALS.perItemUs} µs`, holds: worst < GOALS.perItemUs, value: micro.perItem.map((p) => `${p.workload} ${p.usPerItem.toFixed(1)} µs`).join(', ') });
		results.push({ goal: `loading the package's modules under ${GOALS.coldLoadMs} ms`, holds: micro.coldLoad.loadMs < GOALS.coldLoadMs, value: `${micro.coldLoad.loadMs.toFixed(1)} ms (median of ${micro.coldLoad.runs})` });
		results.push({ goal: 'libphonenumber not loaded at start-up', holds: !micro.coldLoad.vendorLoadedAtStart, value: `first use ${micro.coldLoad.phoneLibraryFirstUseMs.toFixed(1)} ms` });
	}
	return results;
}

/**
 * What each provider's floor assumes (bench/lib/floor.mjs), once per provider in the report, and
 * what the floor leaves out: the simulator's own time to store a batch, measured while warming it up.
 */
function floorLines(report) {
	const seen = new Map();
	for (const s of report.scenarios) if (s.plan && !seen.has(s.provider)) seen.set(s.provider, s.plan.rule);
	const lines = [...seen].map(([provider, rule]) => `${NAMES[provider]}: ${rule}`);
	const round = report.simulatorRound;
	if (round) {
		const measured = [...seen.keys()].filter((provider) => round.ms[provider] !== undefined);
		if (measured.length > 0) {
			lines.push(
				`the floor counts latency only; ${round.parallel} batches of ${round.batch} sent at once to the warmed simulator were answered in ` +
					measured.map((provider) => `${Math.round(round.ms[provider])} ms (${NAMES[provider]})`).join(', ') +
					` with ${report.latencyMs} ms of latency: the batches share its one process`,
			);
		}
	}
	return lines;
}

/**
 * Where our node's time went in its median run (bench/run.mjs phasesOf): before its first request
 * reached the simulator, from then to the last answer, and after it. Rows without the figures
 * (older reports, a run that failed) are left out.
 */
function phaseLines(report) {
	const lines = [];
	for (const s of report.scenarios) {
		for (const { ours, label } of Object.values(SETTINGS)) {
			const r = s[ours];
			if (!r?.phases) continue;
			const { beforeMs, sendingMs, afterMs } = r.phases;
			lines.push(
				`${NAMES[s.provider]}, ${s.workload}, ${label(report, r)}: ${ms(r.nodeMs)} = ${ms(beforeMs)} before the first request arrived + ` +
					`${ms(sendingMs)} until the last answer (${num(r.requests)} requests) + ${ms(afterMs)} after it`,
			);
		}
	}
	return lines;
}

function microLines(report) {
	const micro = report.micro;
	if (!micro) return [];
	const lines = micro.perItem.map(
		(p) =>
			`${p.workload}: ${p.usPerItem.toFixed(1)} µs per item (phone ${p.phoneUsPerItem.toFixed(1)}, text check with segments ${p.textUsPerItem.toFixed(1)}, ` +
			`segments alone ${p.segmentsUsPerItem.toFixed(1)}), ${Math.round(p.bytesPerItem)} bytes per item kept`,
	);
	// Older result files have no fresh-process figure.
	for (const r of micro.coldItems ?? []) {
		lines.push(
			`first ${r.items.toLocaleString('en')} items in a fresh process (${r.workload}, Node ${r.node}, the reading Send Bulk does before its first batch): ` +
				`${r.ms.toFixed(1)} ms median of ${r.runs} (max ${r.msMax.toFixed(1)}), ${((r.ms * 1000) / r.items).toFixed(1)} µs per item`,
		);
	}
	const c = micro.coldLoad;
	lines.push(
		`cold load of the ${c.modules} node and credential modules (${c.files} files): ${c.loadMs.toFixed(1)} ms median of ${c.runs} fresh processes (max ${c.loadMsMax.toFixed(1)}); ` +
			`libphonenumber loaded at start: ${c.vendorLoadedAtStart ? 'yes' : 'no'}, its first use ${c.phoneLibraryFirstUseMs.toFixed(1)} ms`,
	);
	return lines;
}

function heading(report) {
	const m = report.machine;
	return (
		`${report.date.slice(0, 16).replace('T', ' ')} UTC · n8n ${report.n8n} · ${report.items} items · simulator latency ${report.latencyMs} ms · ` +
		`${m.cpus} cores (${m.cpuModel}), ${m.memoryGiB} GiB · load average at the end ${m.loadAverage.map((v) => v.toFixed(1)).join(' ')}` +
		(m.priority ? ` · n8n and simulator at nice ${m.priority}` : '')
	);
}

export function renderText(report) {
	const table = [HEADER, ...rows(report)];
	const widths = HEADER.map((_, i) => Math.max(...table.map((r) => String(r[i] ?? '').length)));
	const line = (r) => r.map((cell, i) => String(cell ?? '').padEnd(widths[i])).join('  ').trimEnd();
	const out = [heading(report), '', line(table[0]), widths.map((w) => '-'.repeat(w)).join('  ')];
	for (const r of table.slice(1)) out.push(line(r));
	out.push('', 'Floors assume:');
	for (const l of floorLines(report)) out.push(`  ${l}`);
	const phases = phaseLines(report);
	if (phases.length > 0) {
		out.push('', "Where the node's time went (its median run; simulator and n8n share the machine's clock):");
		for (const l of phases) out.push(`  ${l}`);
	}
	out.push('', 'Per-item work and loading (bench/micro.mjs: 100,000 items in plain Node, warmed up; then the first 2,000 in fresh processes):');
	for (const l of microLines(report)) out.push(`  ${l}`);
	out.push('', 'Goals:');
	for (const g of goals(report)) out.push(`  ${g.holds === null ? '…' : g.holds ? '✓' : '✗'} ${g.goal}: ${g.value}`);
	return out.join('\n');
}

export function renderMarkdown(report) {
	const esc = (v) => String(v ?? '').replace(/\|/g, '\\|');
	const out = [`_${heading(report)}_`, '', `| ${HEADER.join(' | ')} |`, `|${HEADER.map(() => '---').join('|')}|`];
	for (const r of rows(report)) out.push(`| ${r.map(esc).join(' | ')} |`);
	out.push('', 'Floors assume:', '');
	for (const l of floorLines(report)) out.push(`- ${esc(l)}`);
	const phases = phaseLines(report);
	if (phases.length > 0) {
		out.push('', "Where the node's time went (its median run; simulator and n8n share the machine's clock):", '');
		for (const l of phases) out.push(`- ${esc(l)}`);
	}
	out.push('', 'Per-item work and loading (`bench/micro.mjs`: 100,000 items in plain Node, warmed up; then the first 2,000 in fresh processes):', '');
	for (const l of microLines(report)) out.push(`- ${l}`);
	out.push('', 'Goals:', '');
	for (const g of goals(report)) out.push(`- ${g.holds === null ? '…' : g.holds ? '✓' : '✗'} ${esc(g.goal)}: ${esc(g.value)}`);
	return `${out.join('\n')}\n`;
}
