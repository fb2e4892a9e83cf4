import type { INodeProperties } from 'n8n-workflow';
import { createTag } from '../../providers/smsGateway24/account';
import { showOnlyFor } from '../../shared/descriptions';
import { InvalidInputError } from '../../shared/errors';
import { readTextField } from '../../shared/message';
import type { Operation } from '../types';

/** Tags group SMSGateway24 contacts; newsletters go to tags. */
const show = { provider: ['smsGateway24'], resource: ['tag'] };

const create: Operation = {
	description: showOnlyFor({ ...show, operation: ['create'] }, [
		{
			displayName: 'Title',
			name: 'title',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'Newsletter subscribers',
			description: 'The name of the new tag',
		},
	]),
	async execute(ctx, itemIndex, { ledger }) {
		const title = readTextField(ctx.getNodeParameter('title', itemIndex, ''), 'Title').trim();
		if (title === '') throw new InvalidInputError('Title', 'the tag has no title', 'Enter a name for the tag.');
		return [{ json: await createTag(ctx, ledger, itemIndex, title) }];
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
		options: [{ name: 'Create', value: 'create', action: 'Create a tag', description: 'Create a tag to group contacts' }],
		default: 'create',
	},
	...create.description,
];
