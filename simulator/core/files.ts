import type { ServerResponse } from 'node:http';

/**
 * Static sample files under `GET /__sim/files/<name>`, for examples that download a sheet first
 * (examples/bulk-campaign-from-sheet.json). Like the other /__sim/ calls they are not recorded and
 * take no faults. Row 4's number has two digits too many, so the example shows an error item.
 */
export const SAMPLE_FILES: Record<string, { contentType: string; body: string }> = {
	'customers.csv': {
		contentType: 'text/csv; charset=utf-8',
		body: [
			'name,phone,offer',
			'Anna,+4915710200001,your code SPRING20 takes 20% off until Sunday.',
			'Ben,015710200002,"free delivery on every order, this week only."',
			'Carla,+49 157 10200003,your code SPRING20 takes 20% off until Sunday.',
			'Dieter,0157 1020 0004 4477,your code SPRING20 takes 20% off until Sunday.',
			'Emil,0157-10200005,a second pair of glasses for half price.',
			'Frieda,+4915710200006,"free delivery on every order, this week only."',
			'',
		].join('\r\n'),
	},
};

/** Answers a sample file (HEAD: headers only); false when there is no file of that name. */
export function serveSampleFile(res: ServerResponse, name: string, method: string): boolean {
	const file = SAMPLE_FILES[name];
	if (!file) return false;
	const payload = Buffer.from(file.body, 'utf8');
	res.writeHead(200, {
		'Content-Type': file.contentType,
		'Content-Length': String(payload.length),
		'Content-Disposition': `inline; filename="${name}"`,
		'Cache-Control': 'no-store',
	});
	res.end(method === 'HEAD' ? undefined : payload);
	return true;
}
