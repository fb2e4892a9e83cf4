import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { PROVIDERS } from '../../providers';
import type { MessageOperation } from '../../providers/types';
import type { Operation } from '../types';
import { getMany } from './getMany.operation';
import { getStatus } from './getStatus.operation';
import { send } from './send.operation';
import { sendBulk } from './sendBulk.operation';

export const operations: Record<MessageOperation, Operation> = { send, sendBulk, getStatus, getMany };

const OPTIONS: Record<MessageOperation, INodePropertyOptions> = {
	send: {
		name: 'Send',
		value: 'send',
		action: 'Send a message',
		description: 'Send an SMS (or WhatsApp/RCS message) to one or more recipients',
	},
	sendBulk: {
		name: 'Send Bulk',
		value: 'sendBulk',
		action: 'Send many messages in bulk',
		description: 'Send one message per input item, in as few requests as the provider allows',
	},
	getStatus: {
		name: 'Get Status',
		value: 'getStatus',
		action: 'Get the status of a message',
		description: 'Find out whether a message was sent, delivered or failed',
	},
	getMany: {
		name: 'Get Many',
		value: 'getMany',
		action: 'Get many messages',
		description: 'List messages with filters: sent ones, and received ones where the provider lists them (SMSGateway24)',
	},
};

/** One Operation dropdown per provider, listing only the Message operations it supports. */
const operationFields: INodeProperties[] = PROVIDERS.map((provider) => {
	const supported = (Object.keys(OPTIONS) as MessageOperation[]).filter((name) => provider.messaging[name] !== undefined);
	return {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { provider: [provider.id], resource: ['message'] } },
		options: supported.map((name) => OPTIONS[name]),
		default: 'send',
	};
});

export const description: INodeProperties[] = [
	...operationFields,
	...send.description,
	...sendBulk.description,
	...getStatus.description,
	...getMany.description,
];
