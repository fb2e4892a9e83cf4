import type { IncomingMessage } from 'node:http';
import { MultipartError, boundaryFromContentType, parseMultipart } from './multipart';
import type { FieldValue, UploadedFile } from './types';

export const MAX_BODY_BYTES = 25 * 1024 * 1024;

export class BodyTooLargeError extends Error {}

export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		req.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size > limit) {
				reject(new BodyTooLargeError(`body larger than ${limit} bytes`));
				req.destroy();
				return;
			}
			chunks.push(chunk);
		});
		req.on('end', () => resolve(Buffer.concat(chunks)));
		req.on('error', reject);
	});
}

export interface ParsedBody {
	body: Record<string, FieldValue>;
	files: UploadedFile[];
	error?: string;
}

/**
 * PHP turns `a[]=1&a[]=2` into an array; clients built for PHP APIs sometimes rely on it, so repeated
 * `[]` keys collect into arrays while plain repeated keys keep the last value (PHP's behaviour too).
 */
function assignField(target: Record<string, FieldValue>, key: string, value: string): void {
	if (key.endsWith('[]')) {
		const name = key.slice(0, -2);
		const existing = target[name];
		if (Array.isArray(existing)) existing.push(value);
		else target[name] = [value];
		return;
	}
	target[key] = value;
}

export function parseQueryString(search: string): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [k, v] of new URLSearchParams(search)) out[k] = v;
	return out;
}

export function parseBody(contentTypeHeader: string, raw: Buffer): ParsedBody {
	const contentType = contentTypeHeader.split(';')[0].trim().toLowerCase();
	if (raw.length === 0) return { body: {}, files: [] };

	if (contentType === 'application/json' || contentType.endsWith('+json')) {
		try {
			const parsed: unknown = JSON.parse(raw.toString('utf8'));
			if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
				return { body: parsed as Record<string, FieldValue>, files: [] };
			}
			return { body: {}, files: [], error: 'JSON body is not an object' };
		} catch (err) {
			return { body: {}, files: [], error: `invalid JSON body: ${(err as Error).message}` };
		}
	}

	if (contentType === 'application/x-www-form-urlencoded') {
		const body: Record<string, FieldValue> = {};
		for (const [k, v] of new URLSearchParams(raw.toString('utf8'))) assignField(body, k, v);
		return { body, files: [] };
	}

	if (contentType === 'multipart/form-data') {
		const boundary = boundaryFromContentType(contentTypeHeader);
		if (!boundary) return { body: {}, files: [], error: 'multipart body without boundary' };
		try {
			const body: Record<string, FieldValue> = {};
			const files: UploadedFile[] = [];
			for (const part of parseMultipart(raw, boundary)) {
				if (part.filename !== undefined) {
					files.push({
						field: part.name,
						filename: part.filename,
						mime: part.contentType ?? 'application/octet-stream',
						data: Buffer.from(part.data),
					});
				} else {
					assignField(body, part.name, part.data.toString('utf8'));
				}
			}
			return { body, files };
		} catch (err) {
			if (err instanceof MultipartError) return { body: {}, files: [], error: err.message };
			throw err;
		}
	}

	// Unknown or missing content type: a PHP backend would not populate $_POST either.
	return { body: {}, files: [], error: contentType ? `unsupported content type ${contentType}` : undefined };
}
