import { redact, REDACTED, secretValues } from '../../nodes/SmsGateway/shared/redact';
import { describeBody } from '../../nodes/SmsGateway/shared/http';

describe('redaction of credential values', () => {
	it('removes secrets from nested answers and messages, also URL-encoded', () => {
		const secrets = secretValues(['s3cr3t+token/=', 'abc', undefined, 'p@ssw0rd']);
		expect(secrets).toEqual(['s3cr3t+token/=', 'p@ssw0rd']);
		const answer = { echo: { token: 's3cr3t+token/=', list: ['pass=p%40ssw0rd'] }, text: 'ok' };
		expect(redact(answer, secrets)).toEqual({ echo: { token: REDACTED, list: [`pass=${REDACTED}`] }, text: 'ok' });
		expect(redact('token=s3cr3t%2Btoken%2F%3D', secrets)).toBe(`token=${REDACTED}`);
	});

	it('hands back an answer without secrets as it is, and still finds secrets JSON would escape', () => {
		const clean = { data: Array.from({ length: 500 }, (_, i) => ({ phoneNumber: `+48500${i}`, status: 'ok' })) };
		expect(redact(clean, ['s3cr3t-token'])).toBe(clean);
		// A key is not a value: a match there only costs the full walk, which keeps it.
		expect(redact({ 's3cr3t-token': 1 }, ['s3cr3t-token'])).toEqual({ 's3cr3t-token': 1 });
		const quoted = 'se"cr\\et';
		expect(redact({ echo: `x${quoted}y` }, [quoted])).toEqual({ echo: `x${REDACTED}y` });
		expect(redact({ echo: ['a', { deep: 'tok-s3cr3t-token' }] }, ['s3cr3t-token'])).toEqual({ echo: ['a', { deep: `tok-${REDACTED}` }] });
	});
});

describe('quoting an answer that is not JSON (describeBody)', () => {
	it('takes a known secret out before cutting the quote, so no part of it shows', () => {
		// The secret straddles the 80-character cut: cut first, its first half would stay.
		const secret = 'c3a3bc210e34229cf7563768d7870781';
		const body = `${'x'.repeat(70)} ${secret} trailing text`;
		const quoted = describeBody(body, [secret]);
		expect(quoted).not.toContain(secret.slice(0, 8));
		expect(quoted).toContain(REDACTED.slice(0, 9));
		// Without the secret handed over, the cut would leave its start (what the fix prevents).
		expect(describeBody(body)).toContain(secret.slice(0, 8));
	});

	it('blanks values of secret-named fields it cannot know: JSON and form text', () => {
		expect(describeBody('{"success":true,"data":{"api_key":"ug-new-key-123","exp')).toBe('text that is not JSON ("{"success":true,"data":{"api_key":"***","exp")');
		expect(describeBody('{"data":{"key":"ug-new-key-123"')).toContain('"key":"***"');
		expect(describeBody('sendto=%2B4915752982212&body=Hello&token=c3a3bc210e34&sim=0')).toBe('text that is not JSON ("sendto=%2B4915752982212&body=Hello&token=***&sim=0")');
		expect(describeBody('email=a%40b.c&pass=hunter22')).toContain('pass=***');
		// Ordinary fields stay readable: a name is secret by its words, not by letters inside it.
		expect(describeBody('error=device not found&device_id=260')).toContain('device_id=260');
		expect(describeBody('Search keyword=hello&author=Jane')).toContain('keyword=hello&author=Jane');
		expect(describeBody('{"monkey":"banana","passenger":"p"')).toContain('{"monkey":"banana","passenger":"p"');
		expect(describeBody('{"sessionToken":"s3","X-API-Key":"k1","Authorization":"Bearer x"')).toContain('{"sessionToken":"***","X-API-Key":"***","Authorization":"***"');
	});

	it('quotes a long run of letters without stalling (an unbounded name pattern took minutes on it)', () => {
		const body = `${'x'.repeat(96)}auth`.repeat(400);
		expect(describeBody(body)).toBe(`text that is not JSON ("${'x'.repeat(80)}")`);
		expect(describeBody(`"${'auth'.repeat(10_000)}`)).toMatch(/^text that is not JSON \("("auth)/);
	});

	it('quotes an answer n8n handed over parsed as its JSON, not as "an empty answer"', () => {
		expect(describeBody({ errors: { phoneNumbers: 'invalid' }, token: 'abc' })).toBe('an answer of an unexpected shape ("{"errors":{"phoneNumbers":"invalid"},"token":"***"}")');
	});
});
