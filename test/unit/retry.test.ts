import { transportReason, wasNeverSent, worthRetrying } from '../../nodes/SmsGateway/shared/retry';

/** Which transport failures can be retried without risking a second message. */
const failure = (code: string, message = `connect ${code} 10.0.0.1:443`) => Object.assign(new Error(message), { code });
const wrapped = (inner: Error) => Object.assign(new Error('Request failed'), { cause: inner });

describe('transport failures: sent or not', () => {
	it('a connection that could not be made sent nothing, and is worth another try', () => {
		for (const code of ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']) {
			expect([code, wasNeverSent(wrapped(failure(code))), worthRetrying(wrapped(failure(code)))]).toEqual([code, true, true]);
		}
		expect(transportReason(failure('EHOSTUNREACH'))).toBe('the host could not be reached');
	});

	it('a refused TLS handshake sent nothing, but asking again would only repeat it', () => {
		const tls = [
			failure('DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate'),
			failure('ERR_TLS_CERT_ALTNAME_INVALID', "Hostname/IP does not match certificate's altnames"),
			failure('EPROTO', 'write EPROTO 80:error:0A00010B:SSL routines:ssl3_get_record:wrong version number'),
		];
		for (const error of tls) {
			expect(wasNeverSent(wrapped(error))).toBe(true);
			expect(worthRetrying(wrapped(error))).toBe(false);
			expect(transportReason(wrapped(error))).toMatch(/^the secure connection \(TLS\) could not be set up/);
		}
	});

	it('a connection that broke under way may have delivered the request: neither', () => {
		for (const error of [failure('ECONNRESET', 'socket hang up'), failure('ETIMEDOUT', 'timeout'), failure('EPROTO', 'write EPROTO decryption failed or bad record mac')]) {
			expect(wasNeverSent(wrapped(error))).toBe(false);
			expect(worthRetrying(wrapped(error))).toBe(false);
		}
	});
});
