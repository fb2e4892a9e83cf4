import type { Simulator } from '../../simulator/server';

export const SG24 = {
	email: 'demo@smsgateway24.test',
	password: 'demo-password',
	panelToken: 'panel-token-0123456789abcdef',
	onlineDevice: 260,
	offlineDevice: 1576,
};

export interface HttpAnswer {
	status: number;
	headers: Headers;
	text: string;
	json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

async function toAnswer(res: Response): Promise<HttpAnswer> {
	const text = await res.text();
	let json: unknown;
	try {
		json = text === '' ? undefined : JSON.parse(text);
	} catch {
		json = undefined;
	}
	return { status: res.status, headers: res.headers, text, json };
}

/** POSTs form fields to `<sim>/smsgateway24/getdata/<method>` the way the official examples do. */
export async function sgPost(sim: Simulator, method: string, fields: Record<string, string | number>): Promise<HttpAnswer> {
	const body = new URLSearchParams();
	for (const [k, v] of Object.entries(fields)) body.set(k, String(v));
	const res = await fetch(`${sim.url}/smsgateway24/getdata/${method}`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
		body,
	});
	return toAnswer(res);
}

export async function sgGet(sim: Simulator, method: string, fields: Record<string, string | number>): Promise<HttpAnswer> {
	const qs = new URLSearchParams();
	for (const [k, v] of Object.entries(fields)) qs.set(k, String(v));
	return toAnswer(await fetch(`${sim.url}/smsgateway24/getdata/${method}?${qs.toString()}`));
}

export async function sgJson(sim: Simulator, method: string, fields: Record<string, unknown>): Promise<HttpAnswer> {
	const res = await fetch(`${sim.url}/smsgateway24/getdata/${method}`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify(fields),
	});
	return toAnswer(res);
}

export async function sgMultipart(sim: Simulator, method: string, form: FormData): Promise<HttpAnswer> {
	return toAnswer(await fetch(`${sim.url}/smsgateway24/getdata/${method}`, { method: 'POST', body: form }));
}

export async function control(sim: Simulator, method: string, path: string, body?: unknown): Promise<HttpAnswer> {
	const res = await fetch(`${sim.url}/__sim/${path}`, {
		method,
		headers: body === undefined ? undefined : { 'Content-Type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	return toAnswer(res);
}

export async function login(sim: Simulator): Promise<string> {
	const answer = await sgPost(sim, 'gettoken', { email: SG24.email, pass: SG24.password });
	if (answer.json?.error !== 0) throw new Error(`login failed: ${answer.text}`);
	return answer.json.token as string;
}

export function sendSms(sim: Simulator, token: string, extra: Record<string, string | number> = {}): Promise<HttpAnswer> {
	return sgPost(sim, 'addsms', { token, sendto: '+4915700001234', body: 'Hello', device_id: SG24.onlineDevice, sim: 0, ...extra });
}

/** Polls instead of sleeping a fixed time; fails after `timeoutMs`. */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 3000, intervalMs = 10): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (await check()) return;
		if (Date.now() > deadline) throw new Error('condition not met in time');
		await new Promise((r) => setTimeout(r, intervalMs));
	}
}

/** A tiny 1x1 GIF. */
export const GIF_BYTES = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');
