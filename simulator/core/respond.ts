import type { ServerResponse } from 'node:http';
import type { ProviderResponse } from './types';

export interface WrittenResponse {
	status: number;
	headers: Record<string, string>;
	/** Parsed JSON when the body is JSON, otherwise the text (binary bodies are summarised). */
	body: unknown;
}

function isTextual(contentType: string): boolean {
	return /json|text|html|xml|urlencoded/i.test(contentType);
}

/**
 * Writes a provider answer and returns what was written, for the request log. `sent` runs as soon
 * as the answer is handed to the socket, before the log copy is made (parsing a 500-message answer
 * again took long enough, on a busy machine, to time the answer after the client already had it).
 */
export function writeProviderResponse(res: ServerResponse, response: ProviderResponse, sent?: () => void): WrittenResponse {
	const headers: Record<string, string> = { ...(response.headers ?? {}) };
	let payload: Buffer;
	let contentType = response.contentType;
	if (response.raw !== undefined) {
		payload = typeof response.raw === 'string' ? Buffer.from(response.raw, 'utf8') : response.raw;
		contentType ??= 'application/json; charset=utf-8';
	} else if (response.json !== undefined) {
		payload = Buffer.from(JSON.stringify(response.json), 'utf8');
		contentType ??= 'application/json; charset=utf-8';
	} else {
		payload = Buffer.alloc(0);
	}
	if (contentType) headers['Content-Type'] = contentType;
	headers['Content-Length'] = String(payload.length);
	res.writeHead(response.status, headers);
	res.end(payload);
	sent?.();

	let body: unknown;
	if (!contentType || isTextual(contentType)) {
		const text = payload.toString('utf8');
		body = text;
		if (contentType && /json/i.test(contentType) && text !== '') {
			try {
				body = JSON.parse(text);
			} catch {
				body = text;
			}
		}
	} else {
		body = `<${payload.length} bytes ${contentType}>`;
	}
	return { status: response.status, headers, body };
}

export function writeJson(res: ServerResponse, status: number, value: unknown): void {
	const payload = Buffer.from(JSON.stringify(value, null, 2), 'utf8');
	res.writeHead(status, {
		'Content-Type': 'application/json; charset=utf-8',
		'Content-Length': String(payload.length),
		'Cache-Control': 'no-store',
	});
	res.end(payload);
}

export function writeHtml(res: ServerResponse, status: number, html: string): void {
	const payload = Buffer.from(html, 'utf8');
	res.writeHead(status, {
		'Content-Type': 'text/html; charset=utf-8',
		'Content-Length': String(payload.length),
		'Cache-Control': 'no-store',
	});
	res.end(payload);
}
