import type { INodeProperties } from 'n8n-workflow';
import type { Operation } from '../types';
import { send } from './send.operation';

export const operations: Record<string, Operation> = { send };

export const operationField: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['message'] } },
	options: [
		{
			name: 'Send',
			value: 'send',
			action: 'Send a message',
			description: 'Send an SMS (or WhatsApp/RCS message) to one or more recipients',
		},
	],
	default: 'send',
};

export const description: INodeProperties[] = [operationField, ...send.description];
