import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The "open docs" links of the credentials and nodes land on a README section: GitHub makes a
 * heading's anchor from its text (lower case, punctuation dropped, spaces to hyphens), and a link
 * to an anchor that does not exist opens the top of the page.
 */
const ROOT = path.join(__dirname, '../..');
const README = readFileSync(path.join(ROOT, 'README.md'), 'utf8');

const anchors = new Set(
	README.split('\n')
		.filter((line) => /^#{1,6} /.test(line))
		.map((line) => line.replace(/^#+ /, '').trim().toLowerCase().replace(/[^\p{L}\p{N}\s-]/gu, '').replace(/\s/g, '-')),
);
anchors.add('readme');

function linksIn(dir: string, ext: RegExp): Array<[string, string]> {
	const found: Array<[string, string]> = [];
	for (const entry of readdirSync(dir, { withFileTypes: true })) {
		const file = path.join(dir, entry.name);
		if (entry.isDirectory()) found.push(...linksIn(file, ext));
		else if (ext.test(entry.name)) {
			for (const match of readFileSync(file, 'utf8').matchAll(/github\.com\/n8n-nodes-sms-gateway\/n8n-nodes-sms-gateway#([\w-]+)/g)) {
				found.push([path.relative(ROOT, file), match[1]]);
			}
		}
	}
	return found;
}

describe('documentation links', () => {
	const links = [...linksIn(path.join(ROOT, 'credentials'), /\.ts$/), ...linksIn(path.join(ROOT, 'nodes'), /\.(ts|json)$/)];

	it('there are links to check (every credential has one)', () => {
		expect(links.filter(([file]) => file.startsWith('credentials')).length).toBe(readdirSync(path.join(ROOT, 'credentials')).length);
	});

	it.each(links)('%s → #%s is a README section', (_file, anchor) => {
		expect(anchors).toContain(anchor);
	});
});
