import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { InvalidInputError } from '../../shared/errors';
import type { SendLedger } from '../../shared/ledger';
import { readTextList } from '../../shared/message';
import { contactAnswer, deviceStatusAnswer, newsletterAnswer, tagAnswer } from './schemas';
import { callSmsGateway24 } from './transport';

/**
 * Account-level methods of SMSGateway24: device status, tags, contacts and newsletters. What they
 * create goes through the run's ledger like a send: n8n's Retry On Fail (which runs the node again
 * with all its items) does not create a newsletter, contact or tag a second time.
 */

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

/** The note for a create whose success answer named no ID (see the create schemas). */
function noIdNote(where: string): string {
	return `SMSGateway24 reported success without an ID: it was created; find its ID in the SMSGateway24 panel (${where}).`;
}

export async function createTag(ctx: IExecuteFunctions, ledger: SendLedger, itemIndex: number, title: string): Promise<IDataObject> {
	const fields = { title };
	const { value: answer } = await ledger.once(['smsGateway24/savetag', itemIndex], fields, async () => await callSmsGateway24(ctx, 'savetag', fields, tagAnswer, { itemIndex }));
	const tagId = answer.tag_id ?? answer.id;
	return { tagId: tagId ?? null, title, ...(tagId === undefined ? { note: noIdNote('Tags') } : {}), raw: answer as IDataObject };
}

export async function createContact(
	ctx: IExecuteFunctions,
	ledger: SendLedger,
	itemIndex: number,
	contact: { phone: string; tagId: string; name: string },
): Promise<IDataObject> {
	// The API's documents name the tag field `ctag_id`; the official example sends `tag_id`. Which
	// one the server reads is not published, so the tag goes in both (PHP ignores the other).
	const fields = { phone: contact.phone, ctag_id: contact.tagId, tag_id: contact.tagId, fullname: contact.name };
	const { value: answer } = await ledger.once(['smsGateway24/savecontact', itemIndex], fields, async () => await callSmsGateway24(ctx, 'savecontact', fields, contactAnswer, { itemIndex }));
	const contactId = answer.contact_id ?? answer.id;
	return { contactId: contactId ?? null, phone: contact.phone, tagId: contact.tagId, name: contact.name, ...(contactId === undefined ? { note: noIdNote('Contacts') } : {}), raw: answer as IDataObject };
}

export interface Newsletter {
	title: string;
	deviceId: string;
	text: string;
	tagIds: string[];
	channel: number;
	startTime: string;
}

export async function createNewsletter(ctx: IExecuteFunctions, ledger: SendLedger, itemIndex: number, newsletter: Newsletter): Promise<IDataObject> {
	const fields = {
		title: newsletter.title,
		device_id: newsletter.deviceId,
		body: newsletter.text,
		tags: newsletter.tagIds.join(','),
		sim: newsletter.channel,
		time_to_send: newsletter.startTime,
	};
	const { value: answer } = await ledger.once(['smsGateway24/savepaket', itemIndex], fields, async () => await callSmsGateway24(ctx, 'savepaket', fields, newsletterAnswer, { itemIndex }));
	const newsletterId = answer.paket_id ?? answer.paket ?? answer.id;
	const start = 'Open the SMSGateway24 app on the device and start the newsletter there: the API cannot start it.';
	return { newsletterId: newsletterId ?? null, ...newsletter, note: newsletterId === undefined ? `${noIdNote('Newsletters')} ${start}` : start, raw: answer as IDataObject };
}

/** Tag IDs from a comma-separated text, a number or a list; `single` where one tag is taken (a contact). */
export function readTagIds(value: unknown, field = 'Tags', single = false): string[] {
	// A list ({{ $json.tags }} holding [8303, 8304]) is taken as one; an object is refused as such.
	const ids = readTextList(value, field);
	const bad = ids.find((id) => !/^\d+$/.test(id));
	if (ids.length === 0 || bad !== undefined) {
		throw new InvalidInputError(
			field,
			bad === undefined ? 'no tag given' : `"${bad}" is not a tag ID`,
			`${single ? 'Enter one tag ID (e.g. 8303)' : 'Enter tag IDs separated by commas (e.g. 8303, 8304)'}. Tag → Create returns the ID of a new tag.`,
		);
	}
	if (single && ids.length > 1) throw new InvalidInputError(field, 'a contact takes one tag', 'Enter a single tag ID (e.g. 8303).');
	return ids;
}
