import { redact, REDACTED, secretValues } from '../../nodes/SmsGateway/shared/redact';

describe('redaction of credential values', () => {
	it('removes secrets from nested answers and messages, also URL-encoded', () => {
		const secrets = secretValues(['s3cr3t+token/=', 'abc', undefined, 'p@ssw0rd']);
		expect(secrets).toEqual(['s3cr3t+token/=', 'p@ssw0rd']);
		const answer = { echo: { token: 's3cr3t+token/=', list: ['pass=p%40ssw0rd'] }, text: 'ok' };
		expect(redact(answer, secrets)).toEqual({ echo: { token: REDACTED, list: [`pass=${REDACTED}`] }, text: 'ok' });
		expect(redact('token=s3cr3t%2Btoken%2F%3D', secrets)).toBe(`token=${REDACTED}`);
	});
});
