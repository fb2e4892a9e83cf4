import type { INodeProperties } from 'n8n-workflow';
import { CHANNELS } from './status';

/** Fields of SMSGateway24 that several operations share. */

/** What to do about a device ID the account does not have (the node's own check and SMSGateway24's answer). */
export const DEVICE_FIX = "Choose a device from the list, or check the ID in SMSGateway24's panel → Devices (Device → Get Many lists them too).";

export const deviceField: INodeProperties = {
	displayName: 'Device',
	name: 'device',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The Android phone that sends the message',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select a device…',
			typeOptions: { searchListMethod: 'searchDevices', searchable: true },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. 260',
			validation: [{ type: 'regex', properties: { regex: '^\\d+$', errorMessage: 'A device ID is a number' } }],
		},
	],
};

export const channelField: INodeProperties = {
	displayName: 'SIM Slot / Channel',
	name: 'channel',
	type: 'options',
	options: CHANNELS.map(({ name, value }) => ({ name, value })),
	default: 0,
	description: 'Which SIM card or chat app of the phone carries the message. WhatsApp and RCS need that app on the phone.',
};

export const scheduleFields: INodeProperties[] = [
	{
		displayName: 'Schedule Time',
		name: 'scheduleTime',
		type: 'dateTime',
		default: '',
		description: 'Send later, at this time. Leave empty to send as soon as the phone picks the message up.',
	},
	{
		displayName: 'Schedule Time Zone',
		name: 'timeZone',
		type: 'string',
		default: '',
		placeholder: 'Europe/Berlin',
		description: "The time zone the Schedule Time is meant in, as an IANA name. Empty means the workflow's time zone.",
	},
];
