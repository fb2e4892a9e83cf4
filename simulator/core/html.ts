import type { FaultRule, HtmlHelpers, ProviderInstance, RecordedRequest, WebhookDelivery } from './types';

export function escapeHtml(value: unknown): string {
	return String(value ?? '')
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;')
		.replace(/"/g, '&quot;')
		.replace(/'/g, '&#39;');
}

/** Cells are expected to be escaped HTML already; providers decide what markup a cell carries. */
function table(headers: string[], rows: string[][]): string {
	if (rows.length === 0) return '<p class="muted">none</p>';
	const head = headers.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
	const body = rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('\n');
	return `<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

export const htmlHelpers: HtmlHelpers = { escape: escapeHtml, table };

function shorten(value: unknown, max = 160): string {
	const text = typeof value === 'string' ? value : JSON.stringify(value);
	if (text === undefined) return '';
	return text.length > max ? `${text.slice(0, max)}…` : text;
}

const STYLE = `
body{font:14px/1.4 system-ui,sans-serif;margin:1rem 2rem;color:#222;background:#fafafa}
h1{font-size:1.3rem}h2{margin-top:2rem;border-bottom:2px solid #ccc}h3{margin-bottom:.3rem}
table{border-collapse:collapse;margin:.3rem 0 1rem;background:#fff}
th,td{border:1px solid #ddd;padding:3px 7px;text-align:left;vertical-align:top;font-size:13px}
th{background:#eee}code{background:#eee;padding:0 3px}.muted{color:#777}
.thumb{max-height:48px;max-width:96px;vertical-align:middle}
.on{color:#080}.off{color:#a00}.fault{color:#a00;font-weight:bold}
.st{padding:0 4px;border-radius:3px;background:#eee}.st-7{background:#cfc}.st-6{background:#dfd}
.st-8,.st-9,.st-10,.st-11,.st-12,.st-100,.st-101{background:#fcc}.st-5{background:#cdf}
nav a{margin-right:1rem}
`;

export interface PageInput {
	providers: ProviderInstance[];
	requests: RecordedRequest[];
	faults: FaultRule[];
	webhooks: WebhookDelivery[];
	refreshSeconds: number;
}

export function renderPage(input: PageInput): string {
	const refresh = input.refreshSeconds > 0 ? `<meta http-equiv="refresh" content="${input.refreshSeconds}">` : '';
	const nav = input.providers.map((p) => `<a href="#${escapeHtml(p.name)}">${escapeHtml(p.title)}</a>`).join('');
	const sections = input.providers
		.map(
			(p) =>
				`<section id="${escapeHtml(p.name)}"><h2>${escapeHtml(p.title)} <small class="muted">/${escapeHtml(p.name)}</small></h2>\n${p.renderHtml(htmlHelpers)}</section>`,
		)
		.join('\n');
	const recent = input.requests.slice(-50).reverse();
	const requests = table(
		['#', 'time', 'provider', 'request', 'fields', 'answer'],
		recent.map((r) => [
			String(r.seq),
			escapeHtml(r.time.slice(11, 23)),
			escapeHtml(r.provider),
			escapeHtml(`${r.method} ${r.path}`),
			escapeHtml(shorten({ ...r.query, ...r.body })) +
				(r.files.length ? `<br>${escapeHtml(r.files.map((f) => `${f.name} (${f.mime}, ${f.size} B)`).join(', '))}` : ''),
			(r.fault ? `<span class="fault">fault ${escapeHtml(r.fault.kind)}${r.fault.afterProcessing ? ' after processing' : ''}</span><br>` : '') +
				escapeHtml(r.response ? `${r.response.status} ${shorten(r.response.body)}` : 'no answer'),
		]),
	);
	const faults = table(
		['id', 'kind', 'match', 'remaining', 'after processing'],
		input.faults.map((f) => [
			String(f.id),
			escapeHtml(f.kind),
			escapeHtml([f.provider, f.method, f.pathIncludes].filter(Boolean).join(' ') || 'any'),
			Number.isFinite(f.remaining) ? String(f.remaining) : '∞',
			f.afterProcessing ? 'yes' : 'no',
		]),
	);
	const hooks = table(
		['#', 'time', 'provider', 'kind', 'url', 'answer', 'payload'],
		input.webhooks
			.slice(-20)
			.reverse()
			.map((w) => [
				String(w.seq),
				escapeHtml(w.time.slice(11, 23)),
				escapeHtml(w.provider),
				escapeHtml(w.kind),
				escapeHtml(w.url),
				escapeHtml(w.status ?? w.error ?? 'pending'),
				escapeHtml(shorten(w.payload)),
			]),
	);
	return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">${refresh}<title>SMS gateway simulator</title><style>${STYLE}</style></head>
<body>
<h1>SMS gateway simulator</h1>
<nav>${nav}<a href="#requests">Requests</a><a href="#faults">Faults</a><a href="#webhooks">Webhooks</a></nav>
<p class="muted">Dev/test tool. Control API under <code>/__sim/</code>; see simulator/README.md.${input.refreshSeconds > 0 ? ` Refreshes every ${input.refreshSeconds} s (<a href="?refresh=0">stop</a>).` : ''}</p>
${sections}
<section id="requests"><h2>Recent requests</h2>${requests}</section>
<section id="faults"><h2>Active faults</h2>${faults}</section>
<section id="webhooks"><h2>Webhook deliveries</h2>${hooks}</section>
</body></html>`;
}
