/**
 * A small multipart/form-data parser (RFC 7578). Enough for what HTTP clients in n8n and curl send:
 * CRLF line endings, one level of parts, `name` and `filename` in Content-Disposition. It works on
 * Buffers throughout because file parts are binary and a UTF-8 round trip would corrupt them.
 */

export interface MultipartPart {
	name: string;
	filename?: string;
	contentType?: string;
	headers: Record<string, string>;
	data: Buffer;
}

export class MultipartError extends Error {}

export function boundaryFromContentType(contentType: string): string | undefined {
	const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
	return match ? (match[1] ?? match[2]) : undefined;
}

/** Reads `key="value"` / `key=value` parameters; handles `filename*=UTF-8''...` from RFC 5987. */
function parseHeaderParams(value: string): Record<string, string> {
	const params: Record<string, string> = {};
	const re = /;\s*([^=;\s]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))/g;
	let m: RegExpExecArray | null;
	while ((m = re.exec(value)) !== null) {
		const key = m[1].toLowerCase();
		let v = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : (m[3] ?? '').trim();
		if (key.endsWith('*')) {
			const ext = /^([^']*)'[^']*'(.*)$/.exec(v);
			if (ext) {
				try {
					v = decodeURIComponent(ext[2]);
				} catch {
					v = ext[2];
				}
			}
			params[key.slice(0, -1)] = v;
			continue;
		}
		if (!(key in params)) params[key] = v;
	}
	return params;
}

export function parseMultipart(body: Buffer, boundary: string): MultipartPart[] {
	const delimiter = Buffer.from(`--${boundary}`);
	const parts: MultipartPart[] = [];
	let pos = body.indexOf(delimiter);
	if (pos < 0) throw new MultipartError('multipart boundary not found in body');

	for (;;) {
		pos += delimiter.length;
		// `--` right after a delimiter closes the body.
		if (body[pos] === 0x2d && body[pos + 1] === 0x2d) break;
		// Skip the line break after the delimiter (tolerate a bare LF from hand-written clients).
		if (body[pos] === 0x0d && body[pos + 1] === 0x0a) pos += 2;
		else if (body[pos] === 0x0a) pos += 1;
		else throw new MultipartError('malformed multipart delimiter line');

		let headerEnd = body.indexOf('\r\n\r\n', pos);
		let sepLen = 4;
		if (headerEnd < 0) {
			headerEnd = body.indexOf('\n\n', pos);
			sepLen = 2;
		}
		if (headerEnd < 0) throw new MultipartError('multipart part without header terminator');

		const headers: Record<string, string> = {};
		for (const line of body.subarray(pos, headerEnd).toString('utf8').split(/\r?\n/)) {
			const colon = line.indexOf(':');
			if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
		}

		const dataStart = headerEnd + sepLen;
		const next = body.indexOf(delimiter, dataStart);
		if (next < 0) throw new MultipartError('multipart body is not terminated');
		// The line break before the next delimiter belongs to the delimiter, not the data.
		let dataEnd = next;
		if (body[dataEnd - 1] === 0x0a) dataEnd -= 1;
		if (body[dataEnd - 1] === 0x0d) dataEnd -= 1;

		const disposition = headers['content-disposition'] ?? '';
		const params = parseHeaderParams(disposition);
		if (params.name === undefined) throw new MultipartError('multipart part without a name');
		parts.push({
			name: params.name,
			filename: params.filename,
			contentType: headers['content-type'],
			headers,
			data: body.subarray(dataStart, Math.max(dataStart, dataEnd)),
		});
		pos = next;
	}
	return parts;
}
