import type { INodeProperties } from 'n8n-workflow';
import { createNewsletter, readTagIds } from '../../providers/smsGateway24/account';
import { checkDeviceExists } from '../../providers/smsGateway24/devices';
import { channelField, deviceField } from '../../providers/smsGateway24/fields';
import { readChannel, readDeviceId } from '../../providers/smsGateway24/send';
import { showOnlyFor } from '../../shared/descriptions';
import { InvalidInputError } from '../../shared/errors';
import { readMessageText, readTextField } from '../../shared/message';
import { readTimeZone, scheduleTime } from '../../shared/time';
import type { Operation } from '../types';

/** Newsletters: one text to every contact of some tags, sent by a device once started on it. */
const show = { provider: ['smsGateway24'], resource: ['newsletter'] };

const create: Operation = {
	description: showOnlyFor({ ...show, operation: ['create'] }, [
		{ displayName: 'Title', name: 'title', type: 'string', default: '', required: true, description: 'A name for the newsletter' },
		deviceField,
		{
			displayName: 'Message',
			name: 'message',
			type: 'string',
			typeOptions: { rows: 4 },
			default: '',
			required: true,
			description: 'The text every contact receives',
		},
		{
			displayName: 'Tag IDs',
			name: 'tagIds',
			type: 'string',
			default: '',
			required: true,
			placeholder: '8303, 8304',
			description: 'The tags whose contacts receive the newsletter, separated by commas',
		},
		channelField,
		{
			displayName: 'Start Time',
			name: 'startTime',
			type: 'dateTime',
			default: '',
			required: true,
			description: 'When the device may start sending. Start the newsletter in the SMSGateway24 app afterwards.',
		},
		{
			displayName: 'Time Zone',
			name: 'timeZone',
			type: 'string',
			default: '',
			placeholder: 'Europe/Berlin',
			description: "The time zone the Start Time is meant in. Empty means the workflow's time zone.",
		},
	]),
	async execute(ctx, itemIndex, { ledger }) {
		const title = readTextField(ctx.getNodeParameter('title', itemIndex, ''), 'Title').trim();
		if (title === '') throw new InvalidInputError('Title', 'the newsletter has no title', 'Enter a title.');
		const { text } = readMessageText(ctx.getNodeParameter('message', itemIndex, ''));
		const zone = readTimeZone(ctx.getNodeParameter('timeZone', itemIndex, ''), 'Time Zone', ctx.getTimezone());
		const startTime = scheduleTime(ctx.getNodeParameter('startTime', itemIndex, ''), zone, 'DD.MM.YYYY HH:mm:ss', 'Start Time');
		const deviceId = readDeviceId(ctx, itemIndex);
		const tagIds = readTagIds(ctx.getNodeParameter('tagIds', itemIndex, ''), 'Tag IDs');
		const channel = readChannel(ctx, itemIndex);
		// The newsletter is created on a device: an unknown one is refused before savepaket (tags
		// cannot be checked, SMSGateway24 has no method to list them).
		await checkDeviceExists(ctx, itemIndex, deviceId);
		return [{ json: await createNewsletter(ctx, ledger, itemIndex, { title, deviceId, text, tagIds, channel, startTime }) }];
	},
};

export const operations: Record<string, Operation> = { create };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show },
		options: [{ name: 'Create', value: 'create', action: 'Create a newsletter', description: 'Prepare a newsletter for the contacts of some tags' }],
		default: 'create',
	},
	...create.description,
];
