import { eventKey, parseStatusMap, providerInstant, type TriggerEvent } from '../../nodes/SmsGateway/shared/events';
import { checkBasicAuth, checkHeaderSecret, safeEqual } from '../../nodes/SmsGateway/shared/webhookAuth';
import { checkWebhookSecret } from '../../nodes/SmsGatewayTrigger/credentialTest';

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('webhook authentication', () => {
	it('compares in constant time whatever the lengths', () => {
		expect(safeEqual('secret-value-1', 'secret-value-1')).toBe(true);
		expect(safeEqual('secret-value-1', 'secret-value-2')).toBe(false);
		expect(safeEqual('', 'secret-value-1')).toBe(false);
		expect(safeEqual('a-much-longer-value-than-the-secret', 'short')).toBe(false);
	});

	it('checks a secret header by name in any case', () => {
		expect(checkHeaderSecret({ 'x-webhook-secret': 'abcdefghijkl' }, 'X-Webhook-Secret', 'abcdefghijkl')).toBe(true);
		expect(checkHeaderSecret({ 'x-webhook-secret': ['abcdefghijkl', 'other'] }, 'x-webhook-secret', 'abcdefghijkl')).toBe(true);
		expect(checkHeaderSecret({ 'x-webhook-secret': 'abcdefghijkX' }, 'X-Webhook-Secret', 'abcdefghijkl')).toBe(false);
		expect(checkHeaderSecret({}, 'X-Webhook-Secret', 'abcdefghijkl')).toBe(false);
		// An empty configured secret never matches (not even an empty header).
		expect(checkHeaderSecret({ 'x-webhook-secret': '' }, 'X-Webhook-Secret', '')).toBe(false);
		expect(checkHeaderSecret({ 'x-webhook-secret': '' }, 'X-Webhook-Secret', '  ')).toBe(false);
		// A secret pasted with a space at the end: HTTP delivers the value without it.
		expect(checkHeaderSecret({ 'x-webhook-secret': 'abcdefghijkl' }, 'X-Webhook-Secret', 'abcdefghijkl ')).toBe(true);
		// The Authorization header works like any other.
		expect(checkHeaderSecret({ authorization: 'Bearer abcdefghijkl' }, 'Authorization', 'Bearer abcdefghijkl')).toBe(true);
	});

	it('checks basic auth (user and password, colons allowed in the password)', () => {
		expect(checkBasicAuth({ authorization: basic('hooks', 'pa:ss:word12') }, 'hooks', 'pa:ss:word12')).toBe(true);
		expect(checkBasicAuth({ authorization: basic('hooks', 'wrong') }, 'hooks', 'pa:ss:word12')).toBe(false);
		expect(checkBasicAuth({ authorization: basic('other', 'pa:ss:word12') }, 'hooks', 'pa:ss:word12')).toBe(false);
		expect(checkBasicAuth({ authorization: 'Bearer xyz' }, 'hooks', 'pa:ss:word12')).toBe(false);
		expect(checkBasicAuth({ authorization: 'Basic !!!' }, 'hooks', 'pa:ss:word12')).toBe(false);
		expect(checkBasicAuth({}, '', '')).toBe(false);
	});

	it('the credential Test button refuses unusable values', async () => {
		const test = (data: Record<string, string>) => checkWebhookSecret.call({} as never, { id: '1', name: 'x', type: 't', data });
		await expect(test({ name: 'X-Webhook-Secret', secret: 'long-enough-secret' })).resolves.toMatchObject({ status: 'OK' });
		await expect(test({ name: 'X Webhook', secret: 'long-enough-secret' })).resolves.toMatchObject({ status: 'Error' });
		await expect(test({ name: 'Authorization', secret: 'Bearer long-enough-secret' })).resolves.toMatchObject({ status: 'OK' });
		await expect(test({ name: 'Content-Type', secret: 'long-enough-secret' })).resolves.toMatchObject({ status: 'Error' });
		await expect(test({ name: 'X-Webhook-Secret', secret: 'short       ' })).resolves.toMatchObject({ status: 'Error' });
		await expect(test({ name: 'X-Webhook-Secret', secret: 'short' })).resolves.toMatchObject({ status: 'Error' });
		await expect(test({ user: 'hooks', password: 'long-enough-pass' })).resolves.toMatchObject({ status: 'OK' });
		await expect(test({ user: '', password: 'long-enough-pass' })).resolves.toMatchObject({ status: 'Error' });
		await expect(test({ user: 'hooks', password: 'short' })).resolves.toMatchObject({ status: 'Error' });
	});
});

describe('event helpers', () => {
	const event = (extra: Partial<TriggerEvent>): TriggerEvent => ({ provider: 'p', event: 'status', messageId: '1', direction: 'outbound', status: 'queued', providerStatus: 1, eventTime: '', raw: { a: 1 }, ...extra });

	it('keys events by provider, message and the provider’s status code', () => {
		expect(eventKey(event({}))).toBe('p:1:1');
		expect(eventKey(event({ providerStatus: 3 }))).not.toBe(eventKey(event({})));
		expect(eventKey(event({ messageId: null }))).toMatch(/^p:#[0-9a-f]{32}:1$/);
		expect(eventKey(event({ messageId: null, raw: { a: 1, b: 2 } }))).toBe(eventKey(event({ messageId: null, raw: { b: 2, a: 1 } })));
	});

	it('reads provider times in every form they come in', () => {
		const expected = Date.UTC(2026, 10, 23, 16, 55, 10);
		expect(providerInstant('2026-11-23 16:55:10')).toBe(expected);
		expect(providerInstant('2026-11-23T16:55:10Z')).toBe(expected);
		expect(providerInstant('2026-11-23T17:55:10+01:00')).toBe(expected);
		expect(providerInstant(expected / 1000)).toBe(expected);
		expect(providerInstant(String(expected))).toBe(expected);
		expect(providerInstant({ date: '2026-11-23 17:55:10.000000', timezone_type: 3, timezone: 'Europe/Berlin' })).toBe(expected);
		// An offset (type 1), as SMSGateway24's own example answers show it: whatever zone was asked for.
		expect(providerInstant({ date: '2026-11-23 18:55:10.000000', timezone_type: 1, timezone: '+02:00' }, 'UTC')).toBe(expected);
		expect(providerInstant({ date: '2026-11-23 13:25:10.000000', timezone_type: 1, timezone: '-03:30' }, 'Europe/Berlin')).toBe(expected);
		expect(providerInstant('2026-11-23 17:55:10', 'Europe/Berlin')).toBe(expected);
		expect(providerInstant('yesterday')).toBeUndefined();
		expect(providerInstant(null)).toBeUndefined();
	});

	it('reads a status code map and names what is wrong with it', () => {
		expect(parseStatusMap('4=delivered, 5 = undelivered;6:expired')).toEqual({ '4': 'delivered', '5': 'undelivered', '6': 'expired' });
		expect(parseStatusMap('')).toEqual({});
		expect(() => parseStatusMap('4=arrived')).toThrow('cannot read "4=arrived"');
	});
});
