import { redact, REDACTED, secretValues } from '../../nodes/SmsGateway/shared/redact';

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
