import type { INodeProperties } from 'n8n-workflow';
import { createContact, readTagIds } from '../../providers/smsGateway24/account';
import { showOnlyFor } from '../../shared/descriptions';
import { InvalidInputError } from '../../shared/errors';
import { readTextField } from '../../shared/message';
import { toE164 } from '../../shared/phone';
import type { Operation } from '../types';
import { defaultCountryField, readDefaultCountry } from '../message/fields';

/** Contacts of an SMSGateway24 account, each under a tag. */
const show = { provider: ['smsGateway24'], resource: ['contact'] };

const create: Operation = {
	description: showOnlyFor({ ...show, operation: ['create'] }, [
		{
			displayName: 'Phone Number',
			name: 'phone',
			type: 'string',
			default: '',
			required: true,
			placeholder: '+4915752982212',
			description: "The contact's phone number; national numbers need the Default Country",
		},
		defaultCountryField,
		{
			displayName: 'Name',
			name: 'name',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'Jane Doe',
			description: "The contact's full name",
		},
		{
			displayName: 'Tag ID',
			name: 'tagId',
			type: 'string',
			default: '',
			required: true,
			placeholder: '8303',
			description: 'The tag to file the contact under. SMSGateway24 cannot list tags, so use the ID that Tag → Create returned.',
		},
	]),
	async execute(ctx, itemIndex, { ledger }) {
		const phone = await toE164(readTextField(ctx.getNodeParameter('phone', itemIndex, ''), 'Phone Number'), await readDefaultCountry(ctx, itemIndex), 'Phone Number');
		const name = readTextField(ctx.getNodeParameter('name', itemIndex, ''), 'Name').trim();
		if (name === '') throw new InvalidInputError('Name', 'the contact has no name', "Enter the contact's name.");
		const [tagId] = readTagIds(ctx.getNodeParameter('tagId', itemIndex, ''), 'Tag ID', true);
		return [{ json: await createContact(ctx, ledger, itemIndex, { phone, tagId, name }) }];
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
		options: [{ name: 'Create', value: 'create', action: 'Create a contact', description: 'Add a contact under a tag' }],
		default: 'create',
	},
	...create.description,
];
