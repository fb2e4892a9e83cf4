import { startSimulator, type Simulator } from '../../../simulator/server';
import { passwordCredentials, received, runSmsGateway24, SEED, tokenCredentials } from '../../harness/smsGateway24';

/** Message → Send with an image from a binary property: one multipart addsms per recipient. */

// The smallest valid GIF (1×1 pixel, 43 bytes).
const PIXEL_GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');
const PNG_HEADER = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');

const device = { __rl: true, mode: 'id', value: '260' };
type WithDescription = Error & { description?: string };

const imageSend = (extra: Record<string, unknown> = {}, options: Record<string, unknown> = {}) => ({
	resource: 'message',
	operation: 'send',
	recipients: '+4915752982212',
	message: '',
	device,
	channel: 3,
	smsGateway24Options: { imageBinaryProperty: 'data', ...options },
	...extra,
});

describe('SMSGateway24 · Message → Send with an image', () => {
	let sim: Simulator;
	beforeAll(async () => {
		sim = await startSimulator();
	});
	afterAll(async () => await sim.close());
	beforeEach(() => sim.reset());

	const gif = { data: { data: PIXEL_GIF, mimeType: 'image/gif', fileName: 'pixel.gif' } };

	it('uploads the image as multipart with the token, over WhatsApp, without text', async () => {
		const run = await runSmsGateway24(sim, { parameters: imageSend(), binaries: [gif], credentials: tokenCredentials(sim) });
		expect(run.error).toBeUndefined();
		expect(run.items).toHaveLength(1);
		expect(run.items[0].json).toMatchObject({
			recipient: '+4915752982212',
			status: 'queued',
			channel: 3,
			deviceId: '260',
			// An image is not counted in SMS parts.
			segments: null,
			encoding: null,
		});
		expect(run.items[0].json.messageId).toMatch(/^\d+$/);

		const [request] = received(sim, 'addsms');
		expect(received(sim, 'addsms')).toHaveLength(1);
		expect(request.contentType).toMatch(/^multipart\/form-data; boundary=/);
		expect(request.bodyError).toBeUndefined();
		expect(request.files).toEqual([{ field: 'file', name: 'pixel.gif', size: PIXEL_GIF.length, mime: 'image/gif' }]);
		expect(request.body).toMatchObject({ token: SEED.panelToken, sendto: '+4915752982212', device_id: '260', sim: '3', urgent: '0' });
		expect(String((request.response?.body as { sms_id: number }).sms_id)).toBe(run.items[0].json.messageId);

		// The simulator stored the file and made the message's body its URL, as the real service does.
		const state = sim.snapshot('smsgateway24') as { files: Array<{ originalName: string; size: number }>; messages: Array<{ body: string }> };
		expect(state.files).toEqual([expect.objectContaining({ originalName: 'pixel.gif', size: PIXEL_GIF.length })]);
		expect(state.messages).toHaveLength(1);
		expect(state.messages[0].body).toMatch(/\/smsgateway24\/files\/[0-9a-f]{16}\.gif$/);
	});

	it('sends a caption with the image on WhatsApp Business, and the logged-in token goes into the form', async () => {
		const png = { photo: { data: PNG_HEADER, mimeType: 'image/png', fileName: 'photo.png' } };
		const run = await runSmsGateway24(sim, {
			parameters: imageSend({ channel: 2, message: 'Your parcel' }, { imageBinaryProperty: 'photo' }),
			binaries: [png],
		});
		expect(run.error).toBeUndefined();
		const [request] = received(sim, 'addsms');
		const token = (received(sim, 'gettoken')[0].response?.body as { token: string }).token;
		expect(request.body).toMatchObject({ token, sim: '2', body: 'Your parcel' });
		expect(request.files).toEqual([{ field: 'file', name: 'photo.png', size: PNG_HEADER.length, mime: 'image/png' }]);
	});

	it('logs in again when the token has expired and sends the same file with the new token', async () => {
		const credentials = passwordCredentials(sim);
		await runSmsGateway24(sim, { parameters: imageSend(), binaries: [gif], credentials });
		const oldToken = credentials.smsGateway24Api.sessionToken;
		sim.clearRequests();
		// The send itself meets the expired token (the device check before it still passes).
		sim.addFault({ provider: 'smsgateway24', pathIncludes: 'addsms', kind: 'expiredToken' });

		const run = await runSmsGateway24(sim, { parameters: imageSend(), binaries: [gif], credentials });
		expect(run.error).toBeUndefined();
		const requests = received(sim, 'addsms');
		expect(requests).toHaveLength(2); // refused with the old token, accepted with the new one
		expect(requests[0].body.token).toBe(oldToken);
		expect(requests[1].body.token).toBe(credentials.smsGateway24Api.sessionToken);
		expect(requests[1].body.token).not.toBe(oldToken);
		// The multipart body is rebuilt correctly for the second attempt: the file is complete again.
		expect(requests[1].bodyError).toBeUndefined();
		expect(requests[1].files).toEqual([{ field: 'file', name: 'pixel.gif', size: PIXEL_GIF.length, mime: 'image/gif' }]);
		expect(String((requests[1].response?.body as { sms_id: number }).sms_id)).toBe(run.items[0].json.messageId);
	});

	it('sends one multipart request with the file per recipient', async () => {
		const run = await runSmsGateway24(sim, {
			parameters: imageSend({ recipients: '+4915752982212, +48601234567' }),
			binaries: [gif],
			credentials: tokenCredentials(sim),
		});
		expect(run.error).toBeUndefined();
		expect(run.items.map((item) => item.json.recipient)).toEqual(['+4915752982212', '+48601234567']);
		const requests = received(sim, 'addsms');
		expect(requests.map((request) => request.body.sendto)).toEqual(['+4915752982212', '+48601234567']);
		requests.forEach((request) => expect(request.files).toEqual([expect.objectContaining({ name: 'pixel.gif', size: PIXEL_GIF.length })]));
	});

	it('refuses an image on an SMS channel per item, before any request; the other items still go', async () => {
		const channels = [0, 3];
		const run = await runSmsGateway24(sim, {
			items: [{}, {}],
			binaries: [gif, gif],
			continueOnFail: true,
			credentials: tokenCredentials(sim),
			parameters: (index) => imageSend({ channel: channels[index] }),
		});
		expect(run.error).toBeUndefined();
		expect(run.items).toHaveLength(2);
		expect(run.items[0]).toMatchObject({
			json: { error: 'Image (Binary Property): images can only be sent over WhatsApp' },
			pairedItem: { item: 0 },
		});
		expect(run.items[0].json.description).toMatch(/WhatsApp/);
		expect(run.items[1].json).toMatchObject({ channel: 3, status: 'queued' });
		expect(received(sim, 'addsms').map((request) => request.body.sim)).toEqual(['3']);
	});

	it('without Continue On Fail an image on SMS stops the node with nothing sent', async () => {
		const run = await runSmsGateway24(sim, { parameters: imageSend({ channel: 0 }), binaries: [gif], credentials: tokenCredentials(sim) });
		expect(run.error?.message).toBe('Image (Binary Property): images can only be sent over WhatsApp');
		expect(sim.requests({ provider: 'smsgateway24' })).toHaveLength(0);
	});

	it('names the binary property the item does not have', async () => {
		const run = await runSmsGateway24(sim, {
			parameters: imageSend({}, { imageBinaryProperty: 'picture' }),
			binaries: [gif],
			credentials: tokenCredentials(sim),
		});
		expect(run.error?.message).toBe('Image (Binary Property): the input item has no binary property "picture"');
		expect((run.error as WithDescription).description).toMatch(/binary tab/);
		expect(sim.requests({ provider: 'smsgateway24' })).toHaveLength(0);
	});

	it('names the binary property when the item has no binary data at all', async () => {
		const run = await runSmsGateway24(sim, { parameters: imageSend(), credentials: tokenCredentials(sim) });
		expect(run.error?.message).toBe('Image (Binary Property): the input item has no binary property "data"');
		expect(sim.requests({ provider: 'smsgateway24' })).toHaveLength(0);
	});

	it('refuses a file that is not an image SMSGateway24 accepts', async () => {
		const pdf = { data: { data: Buffer.from('%PDF-1.4\n%âãÏÓ\n'), mimeType: 'application/pdf', fileName: 'invoice.pdf' } };
		const run = await runSmsGateway24(sim, { parameters: imageSend(), binaries: [pdf], credentials: tokenCredentials(sim) });
		expect(run.error?.message).toBe('Image (Binary Property): "invoice.pdf" is application/pdf, not an image SMSGateway24 accepts');
		expect((run.error as WithDescription).description).toMatch(/JPEG, PNG, WebP or GIF/);
		expect(sim.requests({ provider: 'smsgateway24' })).toHaveLength(0);
	});

	it('still needs text when no image is attached', async () => {
		const run = await runSmsGateway24(sim, {
			parameters: imageSend({}, { imageBinaryProperty: '' }),
			binaries: [gif],
			credentials: tokenCredentials(sim),
		});
		expect(run.error?.message).toBe('Message: the message is empty');
		expect(sim.requests({ provider: 'smsgateway24' })).toHaveLength(0);
	});
});
