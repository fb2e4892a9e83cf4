import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { InvalidInputError } from '../../shared/errors';
import { contactAnswer, deviceStatusAnswer, newsletterAnswer, tagAnswer } from './schemas';
import { callSmsGateway24 } from './transport';

/** Account-level methods of SMSGateway24: device status, tags, contacts and newsletters. */

export async function deviceStatus(ctx: IExecuteFunctions, itemIndex: number, deviceId: string): Promise<IDataObject> {
	const answer = await callSmsGateway24(ctx, 'getdevicestatus', { device_id: deviceId }, deviceStatusAnswer, { itemIndex });
	const online = answer.online === true || answer.online === 1 || answer.online === '1' || answer.online === 'true';
	const lastSeen = (answer as IDataObject).lastseen as IDataObject | undefined;
	return {
		deviceId: answer.device_id ?? deviceId,
		title: answer.title ?? null,
		online,
		lastSeen: typeof lastSeen?.date === 'string' ? lastSeen.date : null,
		secondsSinceLastSeen: answer.diffseconds === undefined || answer.diffseconds === null ? null : Number(answer.diffseconds),
		raw: answer as IDataObject,
	};
}

export async function createTag(ctx: IExecuteFunctions, itemIndex: number, title: string): Promise<IDataObject> {
	const answer = await callSmsGateway24(ctx, 'savetag', { title }, tagAnswer, { itemIndex });
	return { tagId: answer.tag_id, title, raw: answer as IDataObject };
}

export async function createContact(
	ctx: IExecuteFunctions,
	itemIndex: number,
	contact: { phone: string; tagId: string; name: string },
): Promise<IDataObject> {
	const answer = await callSmsGateway24(
		ctx,
		'savecontact',
		{ phone: contact.phone, tag_id: contact.tagId, fullname: contact.name },
		contactAnswer,
		{ itemIndex },
	);
	return { contactId: answer.contact_id, phone: contact.phone, tagId: contact.tagId, name: contact.name, raw: answer as IDataObject };
}

export interface Newsletter {
	title: string;
	deviceId: string;
	text: string;
	tagIds: string[];
	channel: number;
	startTime: string;
}

export async function createNewsletter(ctx: IExecuteFunctions, itemIndex: number, newsletter: Newsletter): Promise<IDataObject> {
	const answer = await callSmsGateway24(
		ctx,
		'savepaket',
		{
			title: newsletter.title,
			device_id: newsletter.deviceId,
			body: newsletter.text,
			tags: newsletter.tagIds.join(','),
			sim: newsletter.channel,
			time_to_send: newsletter.startTime,
		},
		newsletterAnswer,
		{ itemIndex },
	);
	return {
		newsletterId: answer.paket_id,
		...newsletter,
		note: 'Open the SMSGateway24 app on the device and start the newsletter there: the API cannot start it.',
		raw: answer as IDataObject,
	};
}

/** Tag IDs from a comma-separated text, a number or a list. */
export function readTagIds(value: unknown, field = 'Tags'): string[] {
	const parts = Array.isArray(value) ? value : String(value ?? '').split(',');
	const ids = parts.map((part) => String(part).trim()).filter((part) => part !== '');
	const bad = ids.find((id) => !/^\d+$/.test(id));
	if (ids.length === 0 || bad !== undefined) {
		throw new InvalidInputError(
			field,
			bad === undefined ? 'no tag given' : `"${bad}" is not a tag ID`,
			'Enter tag IDs separated by commas (e.g. 8303, 8304). Tag → Create returns the ID of a new tag.',
		);
	}
	return ids;
}
