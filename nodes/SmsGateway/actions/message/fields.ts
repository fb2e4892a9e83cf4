import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { InvalidInputError } from '../../shared/errors';
import { readTextField } from '../../shared/message';
import { loadPhoneNumbers, type PhoneNumbers } from '../../shared/phone';

export const recipientsField: INodeProperties = {
	displayName: 'Recipients',
	name: 'recipients',
	type: 'string',
	default: '',
	required: true,
	placeholder: '+4915752982212, +4917612345678',
	description:
		'One or more phone numbers, separated by commas. International form (+49…) always works; national numbers (0157…) need the Default Country.',
};

export const defaultCountryField: INodeProperties = {
	displayName: 'Default Country',
	name: 'defaultCountry',
	type: 'string',
	default: '',
	placeholder: 'DE',
	description:
		'Two-letter country code (DE, PL, UG, US…) used to read numbers written without a country code. Leave empty if every number starts with + or 00.',
};

export const messageTextField: INodeProperties = {
	displayName: 'Message',
	name: 'message',
	type: 'string',
	default: '',
	// Not marked required: an SMSGateway24 WhatsApp image (Options → Image) goes without text, and
	// n8n will not run a node with an empty required field. An empty text without an image is
	// still refused when the node runs, naming this field.
	typeOptions: { rows: 4 },
	description:
		'The text to send (needed unless SMSGateway24 sends a WhatsApp image). Up to 160 plain characters fit one SMS; accents outside the GSM alphabet and emoji switch to 70 per SMS. The output shows the parts used.',
};

/** The Default Country field, checked: '' when empty. */
export function readDefaultCountryWith(phones: PhoneNumbers, ctx: IExecuteFunctions, itemIndex: number): string {
	const value = readTextField(ctx.getNodeParameter('defaultCountry', itemIndex, ''), 'Default Country').trim().toUpperCase();
	if (value === '') return '';
	if (!/^[A-Z]{2}$/.test(value) || !phones.isSupportedCountry(value)) {
		throw new InvalidInputError(
			'Default Country',
			`"${value}" is not a country code`,
			'Use a two-letter ISO 3166 code such as DE, PL, UG or US, or leave the field empty.',
		);
	}
	return value;
}

export async function readDefaultCountry(ctx: IExecuteFunctions, itemIndex: number): Promise<string> {
	return readDefaultCountryWith(await loadPhoneNumbers(), ctx, itemIndex);
}
